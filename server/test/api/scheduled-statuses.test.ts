import fs from 'node:fs';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildApp } from '../../src/app.ts';
import { newId } from '../../src/db/ids.ts';
import { createWorld, type World, type WorldName } from '../support/world.ts';
import { uploadPhoto } from '../support/photos.ts';

const MINUTE = 60_000;

/** The world's clock, `ms` from now, as scheduled_at. */
const inFuture = (world: World, ms: number) => new Date(world.clock.now().getTime() + ms).toISOString();

async function schedule(world: World, as: WorldName, body: Record<string, unknown>) {
  return world.post(as, '/api/v1/statuses', body);
}

async function schedulePhoto(world: World, as: WorldName, status: string, ms = 60 * MINUTE) {
  const mediaId = await uploadPhoto(world, as);
  const res = await schedule(world, as, { status, media_ids: [mediaId], scheduled_at: inFuture(world, ms) });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return { scheduled: res.body, mediaId };
}

const homeIds = async (world: World, who: WorldName) => (await world.get(who, '/api/v1/timelines/home?limit=40')).body.map((s: any) => s.id) as string[];

const rowOf = (world: World, id: string) => world.db.handle.kysely.selectFrom('scheduled_statuses').selectAll().where('id', '=', id).executeTakeFirst();

/** Statuses of an account with this text (the post a scheduled status became). */
const postsWithText = (world: World, accountId: string, text: string) =>
  world.db.handle.kysely.selectFrom('statuses').select(['id', 'post_id']).where('account_id', '=', accountId).where('text', '=', text).execute();

describe('scheduled statuses', () => {
  let world: World;
  before(async () => {
    // The periodic run is off: each test publishes by calling publishDue with the world's clock.
    world = await createWorld({ accounts: ['mara', 'ines', 'sam'], config: { scheduledPublishIntervalMs: 0 } });
    await world.post('ines', `/api/v1/accounts/${world.actors.mara.id}/follow`);
  });
  after(() => world.close());

  test('POST /api/v1/statuses with scheduled_at answers a ScheduledStatus and posts nothing yet', async () => {
    const mediaId = await uploadPhoto(world, 'mara', { description: 'the bay' });
    const at = inFuture(world, 2 * 60 * MINUTE);
    const res = await schedule(world, 'mara', { status: 'later #sunset', media_ids: [mediaId], scheduled_at: at, spoiler_text: 'cw', sensitive: true, visibility: 'unlisted', language: 'en' });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.scheduled_at, at);
    assert.deepEqual(res.body.params, {
      text: 'later #sunset',
      media_ids: [mediaId],
      sensitive: true,
      spoiler_text: 'cw',
      visibility: 'unlisted',
      in_reply_to_id: null,
      language: 'en',
      idempotency: null,
      scheduled_at: null,
      application_id: null,
      poll: null,
      with_rate_limit: false,
    });
    assert.deepEqual(res.body.media_attachments.map((m: any) => [m.id, m.description]), [[mediaId, 'the bay']]);
    assert.equal(res.body.content, undefined);
    assert.deepEqual(await postsWithText(world, world.actors.mara.id, 'later #sunset'), []);
    assert.equal((await world.get('mara', `/api/v1/scheduled_statuses/${res.body.id}`)).body.id, res.body.id);
    await world.request('mara', 'DELETE', `/api/v1/scheduled_statuses/${res.body.id}`);
  });

  test('scheduled_at less than 5 minutes ahead, in the past or not a date is refused with 422', async () => {
    const mediaId = await uploadPhoto(world, 'mara');
    for (const at of [inFuture(world, 4 * MINUTE), inFuture(world, -MINUTE), 'tomorrow', '2026-13-45T99:00:00Z', 42]) {
      const res = await schedule(world, 'mara', { status: 'too soon', media_ids: [mediaId], scheduled_at: at });
      assert.equal(res.status, 422, `${String(at)}: ${JSON.stringify(res.body)}`);
      assert.match(res.body.error, /^Validation failed: Scheduled at /);
    }
    const ok = await schedule(world, 'mara', { status: 'just in time', media_ids: [mediaId], scheduled_at: inFuture(world, 5 * MINUTE) });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    await world.request('mara', 'DELETE', `/api/v1/scheduled_statuses/${ok.body.id}`);
  });

  test('scheduling applies the checks of an immediate post, with the same error texts', async () => {
    const at = inFuture(world, 60 * MINUTE);
    const immediate = async (body: Record<string, unknown>) => (await world.post('mara', '/api/v1/statuses', body)).body.error;
    const noPhoto = await schedule(world, 'mara', { status: 'words only', scheduled_at: at });
    assert.equal(noPhoto.status, 422);
    assert.equal(noPhoto.body.error, await immediate({ status: 'words only' }));
    const inesPhoto = await uploadPhoto(world, 'ines');
    const notMine = await schedule(world, 'mara', { status: 'hers', media_ids: [inesPhoto], scheduled_at: at });
    assert.equal(notMine.status, 422);
    assert.equal(notMine.body.error, await immediate({ status: 'hers', media_ids: [inesPhoto] }));
    const used = (await world.post('mara', '/api/v1/statuses', { status: 'now', media_ids: [await uploadPhoto(world, 'mara')] })).body.media_attachments[0].id;
    const attached = await schedule(world, 'mara', { status: 'again', media_ids: [used], scheduled_at: at });
    assert.equal(attached.status, 422);
    assert.equal(attached.body.error, await immediate({ status: 'again', media_ids: [used] }));
    const hidden = await schedule(world, 'mara', { status: 'reply', in_reply_to_id: '1234567890123456', scheduled_at: at });
    assert.equal(hidden.status, 404);
    assert.deepEqual((await world.get('mara', '/api/v1/scheduled_statuses')).body, []);
  });

  test('a photo still processing may be scheduled; the post waits for it and is published once it is ready', async () => {
    const id = newId(world.clock.now().getTime());
    await world.app.services.repositories.media.insert({
      id, account_id: world.actors.mara.id, purpose: 'attachment', state: 'processing', error: null, storage_key: `k${id}`,
      description: '', focus_x: 0, focus_y: 0, width: null, height: null, blurhash: null, variants: '[]',
      captured_at: null, status_id: null, position: 0, created_at: world.clock.now().toISOString(),
    });
    const res = await schedule(world, 'mara', { status: 'developing', media_ids: [id], scheduled_at: inFuture(world, 10 * MINUTE) });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    world.clock.advance(11 * MINUTE);
    assert.deepEqual(await world.app.services.scheduled.publishDue(world.clock.now()), { published: [], failed: [], waiting: [res.body.id] });
    await world.app.services.repositories.media.update(id, { state: 'ready' });
    assert.deepEqual(await world.app.services.scheduled.publishDue(world.clock.now()), { published: [res.body.id], failed: [], waiting: [] });
    assert.equal((await postsWithText(world, world.actors.mara.id, 'developing')).length, 1);
  });

  test('a photo reserved by a scheduled status cannot be attached elsewhere until the scheduled status is deleted', async () => {
    const { scheduled, mediaId } = await schedulePhoto(world, 'mara', 'reserved');
    const post = await world.post('mara', '/api/v1/statuses', { status: 'steal', media_ids: [mediaId] });
    assert.equal(post.status, 422);
    assert.equal(post.body.error, 'Validation failed: Media is invalid or not yours');
    const second = await schedule(world, 'mara', { status: 'steal later', media_ids: [mediaId], scheduled_at: inFuture(world, 90 * MINUTE) });
    assert.equal(second.status, 422);
    assert.equal(second.body.error, 'Validation failed: Media is invalid or not yours');
    const removed = await world.request('mara', 'DELETE', `/api/v1/scheduled_statuses/${scheduled.id}`);
    assert.deepEqual([removed.status, removed.body], [200, {}]);
    assert.equal((await world.get('mara', `/api/v1/scheduled_statuses/${scheduled.id}`)).status, 404);
    const now = await world.post('mara', '/api/v1/statuses', { status: 'free again', media_ids: [mediaId] });
    assert.equal(now.status, 200, JSON.stringify(now.body));
  });

  test("another account's scheduled status is 404 to read, change and delete, and is not in their list", async () => {
    const { scheduled } = await schedulePhoto(world, 'mara', 'mine only');
    assert.equal((await world.get('ines', `/api/v1/scheduled_statuses/${scheduled.id}`)).status, 404);
    const put = await world.request('ines', 'PUT', `/api/v1/scheduled_statuses/${scheduled.id}`, { scheduled_at: inFuture(world, 3 * 60 * MINUTE) });
    assert.deepEqual([put.status, put.body], [404, { error: 'Record not found' }]);
    assert.equal((await world.request('ines', 'DELETE', `/api/v1/scheduled_statuses/${scheduled.id}`)).status, 404);
    assert.deepEqual((await world.get('ines', '/api/v1/scheduled_statuses')).body, []);
    assert.equal((await world.get('mara', `/api/v1/scheduled_statuses/${scheduled.id}`)).body.scheduled_at, scheduled.scheduled_at);
    assert.equal((await world.get(undefined, '/api/v1/scheduled_statuses')).status, 401);
    await world.request('mara', 'DELETE', `/api/v1/scheduled_statuses/${scheduled.id}`);
  });

  test('GET /api/v1/scheduled_statuses pages newest first with max_id, min_id and Link headers', async () => {
    const ids: string[] = [];
    for (const n of [1, 2, 3]) ids.push((await schedulePhoto(world, 'sam', `page ${n}`)).scheduled.id);
    const first = await world.get('sam', '/api/v1/scheduled_statuses?limit=2');
    assert.deepEqual(first.body.map((s: any) => s.id), [ids[2], ids[1]]);
    const next = /<([^>]+)>; rel="next"/.exec(String(first.headers.link))?.[1];
    assert.ok(next, String(first.headers.link));
    const second = await world.get('sam', new URL(next).pathname + new URL(next).search);
    assert.deepEqual(second.body.map((s: any) => s.id), [ids[0]]);
    assert.deepEqual((await world.get('sam', `/api/v1/scheduled_statuses?min_id=${ids[0]}&limit=1`)).body.map((s: any) => s.id), [ids[1]]);
    assert.deepEqual((await world.get('sam', `/api/v1/scheduled_statuses?since_id=${ids[1]}`)).body.map((s: any) => s.id), [ids[2]]);
    for (const id of ids) await world.request('sam', 'DELETE', `/api/v1/scheduled_statuses/${id}`);
  });

  test('PUT /api/v1/scheduled_statuses/:id changes only scheduled_at, by the same 5-minute rule', async () => {
    const { scheduled } = await schedulePhoto(world, 'mara', 'move me');
    const later = inFuture(world, 5 * 60 * MINUTE);
    const moved = await world.request('mara', 'PUT', `/api/v1/scheduled_statuses/${scheduled.id}`, { scheduled_at: later, status: 'changed text' });
    assert.equal(moved.status, 200, JSON.stringify(moved.body));
    assert.equal(moved.body.scheduled_at, later);
    assert.equal(moved.body.params.text, 'move me');
    const soon = await world.request('mara', 'PUT', `/api/v1/scheduled_statuses/${scheduled.id}`, { scheduled_at: inFuture(world, MINUTE) });
    assert.equal(soon.status, 422);
    assert.equal((await world.request('mara', 'PUT', `/api/v1/scheduled_statuses/${scheduled.id}`, {})).status, 422);
    assert.equal((await world.get('mara', `/api/v1/scheduled_statuses/${scheduled.id}`)).body.scheduled_at, later);
    await world.request('mara', 'DELETE', `/api/v1/scheduled_statuses/${scheduled.id}`);
  });

  test('an account holds at most 25 scheduled statuses for one day and 300 in all; past either, 422', async () => {
    const pat = await world.addActor('scheduler');
    const kysely = world.db.handle.kysely;
    const day = new Date(world.clock.now().getTime() + 3 * 24 * 60 * MINUTE);
    day.setUTCHours(12, 0, 0, 0);
    const rows = (count: number, startDay: Date, perDay: number) =>
      Array.from({ length: count }, (_, i) => ({
        id: newId(world.clock.now().getTime()),
        account_id: pat.id,
        scheduled_at: new Date(startDay.getTime() + Math.floor(i / perDay) * 24 * 60 * MINUTE + (i % perDay) * MINUTE).toISOString(),
        text: `filler ${i}`,
        visibility: 'public' as const,
        created_at: world.clock.now().toISOString(),
      }));
    await kysely.insertInto('scheduled_statuses').values(rows(25, day, 25)).execute();
    const photo = await uploadPhoto(world, pat);
    const sameDay = await world.request(pat, 'POST', '/api/v1/statuses', { status: 'one more', media_ids: [photo], scheduled_at: new Date(day.getTime() + 3 * 60 * MINUTE).toISOString() });
    assert.equal(sameDay.status, 422);
    assert.equal(sameDay.body.error, 'Validation failed: Scheduled at You have exceeded the limit of 25 scheduled posts for that day');
    const nextDay = await world.request(pat, 'POST', '/api/v1/statuses', { status: 'next day', media_ids: [photo], scheduled_at: new Date(day.getTime() + 24 * 60 * MINUTE).toISOString() });
    assert.equal(nextDay.status, 200, JSON.stringify(nextDay.body));
    // Moving it into the full day is refused the same way.
    const moved = await world.request(pat, 'PUT', `/api/v1/scheduled_statuses/${nextDay.body.id}`, { scheduled_at: day.toISOString() });
    assert.equal(moved.status, 422);

    await kysely.insertInto('scheduled_statuses').values(rows(274, new Date(day.getTime() + 2 * 24 * 60 * MINUTE), 25)).execute();
    const over = await world.request(pat, 'POST', '/api/v1/statuses', { status: 'over', media_ids: [await uploadPhoto(world, pat)], scheduled_at: inFuture(world, 60 * 24 * 60 * MINUTE) });
    assert.equal(over.status, 422);
    assert.equal(over.body.error, 'Validation failed: Scheduled at You have exceeded the limit of 300 scheduled posts');
    await kysely.deleteFrom('scheduled_statuses').where('account_id', '=', pat.id).execute();
  });

  test('schedulings at once cannot pass the limit together: with 299 held, one of four is taken', async () => {
    const busy = await world.addActor('busy');
    const start = new Date(world.clock.now().getTime() + 2 * 24 * 60 * MINUTE);
    await world.db.handle.kysely
      .insertInto('scheduled_statuses')
      .values(Array.from({ length: 299 }, (_, i) => ({ id: newId(world.clock.now().getTime()), account_id: busy.id, scheduled_at: new Date(start.getTime() + Math.floor(i / 20) * 24 * 60 * MINUTE + i * MINUTE).toISOString(), text: `held ${i}`, visibility: 'public' as const, created_at: world.clock.now().toISOString() })))
      .execute();
    const photos = [await uploadPhoto(world, busy), await uploadPhoto(world, busy), await uploadPhoto(world, busy), await uploadPhoto(world, busy)];
    const answers = await Promise.all(photos.map((photo, i) => world.request(busy, 'POST', '/api/v1/statuses', { status: `race ${i}`, media_ids: [photo], scheduled_at: inFuture(world, (40 + i) * 24 * 60 * MINUTE) })));
    assert.deepEqual(answers.map((a) => a.status).sort(), [200, 422, 422, 422]);
    assert.equal(await world.db.handle.kysely.selectFrom('scheduled_statuses').select((eb) => eb.fn.countAll().as('n')).where('account_id', '=', busy.id).executeTakeFirst().then((r) => Number(r?.n)), 300);
    // The refused ones' photos were not reserved.
    const reserved = await world.db.handle.kysely.selectFrom('media').select('id').where('id', 'in', photos).where('scheduled_status_id', 'is not', null).execute();
    assert.equal(reserved.length, 1);
    await world.db.handle.kysely.deleteFrom('scheduled_statuses').where('account_id', '=', busy.id).execute();
  });

  test('a due scheduled post is published through the post path: followers see it, mentions and tags are made, and it leaves the list', async () => {
    const { scheduled, mediaId } = await schedulePhoto(world, 'mara', 'golden hour with @sam #sunset', 30 * MINUTE);
    world.clock.advance(29 * MINUTE);
    assert.deepEqual(await world.app.services.scheduled.publishDue(world.clock.now()), { published: [], failed: [], waiting: [] });
    world.clock.advance(2 * MINUTE);
    assert.deepEqual(await world.app.services.scheduled.publishDue(world.clock.now()), { published: [scheduled.id], failed: [], waiting: [] });
    await world.app.services.jobs.onIdle();
    const [row] = await postsWithText(world, world.actors.mara.id, 'golden hour with @sam #sunset');
    assert.ok(row);
    assert.equal((await rowOf(world, scheduled.id))?.status_id, row.id);
    assert.equal((await homeIds(world, 'ines')).filter((id) => id === row.id).length, 1);
    const status = (await world.get('ines', `/api/v1/statuses/${row.id}`)).body;
    assert.deepEqual(status.media_attachments.map((m: any) => m.id), [mediaId]);
    assert.deepEqual(status.tags.map((t: any) => t.name), ['sunset']);
    const mentions = (await world.get('sam', '/api/v1/notifications?types[]=mention')).body;
    assert.ok(mentions.some((n: any) => n.status?.id === row.id));
    assert.equal((await world.get('mara', `/api/v1/scheduled_statuses/${scheduled.id}`)).status, 404);
    assert.ok(!(await world.get('mara', '/api/v1/scheduled_statuses')).body.some((s: any) => s.id === scheduled.id));
  });

  test('publishDue run twice at once publishes a due row exactly once', async () => {
    const { scheduled } = await schedulePhoto(world, 'mara', 'only once', 10 * MINUTE);
    world.clock.advance(11 * MINUTE);
    const now = world.clock.now();
    const [a, b] = await Promise.all([world.app.services.scheduled.publishDue(now), world.app.services.scheduled.publishDue(now)]);
    assert.deepEqual([...a.published, ...b.published], [scheduled.id]);
    assert.deepEqual([...a.failed, ...b.failed], []);
    await world.app.services.jobs.onIdle();
    const posts = await postsWithText(world, world.actors.mara.id, 'only once');
    assert.equal(posts.length, 1);
    assert.equal((await homeIds(world, 'ines')).filter((id) => id === posts[0].id).length, 1);
    assert.equal((await rowOf(world, scheduled.id))?.state, 'published');
  });

  test('two apps on the same database publishing at once publish a due row exactly once', async () => {
    const { scheduled } = await schedulePhoto(world, 'mara', 'two publishers', 10 * MINUTE);
    world.clock.advance(11 * MINUTE);
    // A second app on the same database: it publishes at start too, racing the calls below.
    const other = await buildApp(world.config, { clock: world.clock, database: world.db.handle, logger: false });
    try {
      const now = world.clock.now();
      await Promise.all([world.app.services.scheduled.publishDue(now), other.services.scheduled.publishDue(now), other.services.scheduledPublisher.idle()]);
      await Promise.all([world.app.services.jobs.onIdle(), other.services.jobs.onIdle()]);
    } finally {
      await other.close();
    }
    const posts = await postsWithText(world, world.actors.mara.id, 'two publishers');
    assert.equal(posts.length, 1);
    assert.equal((await homeIds(world, 'ines')).filter((id) => id === posts[0].id).length, 1);
    assert.deepEqual([(await rowOf(world, scheduled.id))?.state, (await rowOf(world, scheduled.id))?.status_id], ['published', posts[0].id]);
  });

  test("the publisher's periodic run publishes what is due on the app's clock", async () => {
    const { scheduled } = await schedulePhoto(world, 'mara', 'by the timer', 10 * MINUTE);
    await world.app.services.scheduledPublisher.tick();
    assert.equal((await rowOf(world, scheduled.id))?.state, 'scheduled');
    world.clock.advance(11 * MINUTE);
    await world.app.services.scheduledPublisher.tick();
    assert.equal((await rowOf(world, scheduled.id))?.state, 'published');
    assert.equal((await postsWithText(world, world.actors.mara.id, 'by the timer')).length, 1);
  });

  test('a scheduled reply is published as a comment on its post', async () => {
    const target = (await world.post('ines', '/api/v1/statuses', { status: 'comment on me', media_ids: [await uploadPhoto(world, 'ines')] })).body;
    const res = await schedule(world, 'mara', { status: 'a late reply', in_reply_to_id: target.id, scheduled_at: inFuture(world, 10 * MINUTE) });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.params.in_reply_to_id, target.id);
    world.clock.advance(11 * MINUTE);
    assert.deepEqual((await world.app.services.scheduled.publishDue(world.clock.now())).published, [res.body.id]);
    const comments = await postsWithText(world, world.actors.mara.id, 'a late reply');
    assert.deepEqual(comments.map((c) => c.post_id), [target.id]);
  });

  test('a scheduled status whose reply target was deleted, or whose photo is gone, is marked failed with its error and not tried again', async () => {
    const target = (await world.post('ines', '/api/v1/statuses', { status: 'soon gone', media_ids: [await uploadPhoto(world, 'ines')] })).body;
    const reply = await schedule(world, 'mara', { status: 'to nothing', in_reply_to_id: target.id, scheduled_at: inFuture(world, 10 * MINUTE) });
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
    const { scheduled: photoless, mediaId } = await schedulePhoto(world, 'mara', 'photo lost', 10 * MINUTE);
    await world.request('ines', 'DELETE', `/api/v1/statuses/${target.id}`);
    await world.db.handle.kysely.deleteFrom('media').where('id', '=', mediaId).execute();
    world.clock.advance(11 * MINUTE);
    const report = await world.app.services.scheduled.publishDue(world.clock.now());
    assert.deepEqual([...report.failed].sort(), [reply.body.id, photoless.id].sort());
    assert.deepEqual(report.published, []);
    const failedReply = await rowOf(world, reply.body.id);
    assert.deepEqual([failedReply?.state, failedReply?.error], ['failed', 'Record not found']);
    const failedPhoto = await rowOf(world, photoless.id);
    assert.deepEqual([failedPhoto?.state, failedPhoto?.error], ['failed', 'Validation failed: Media is invalid or not yours']);
    assert.deepEqual(await world.app.services.scheduled.publishDue(world.clock.now()), { published: [], failed: [], waiting: [] });
    assert.deepEqual(await postsWithText(world, world.actors.mara.id, 'to nothing'), []);
  });
});

describe('scheduled statuses across a restart', () => {
  test('a post scheduled before a restart is published once, at start, into the followers\' home feeds', async () => {
    const world = await createWorld({ accounts: ['mara', 'ines', 'sam'], config: { scheduledPublishIntervalMs: 0 } });
    let restarted: Awaited<ReturnType<typeof buildApp>> | undefined;
    try {
      await world.post('ines', `/api/v1/accounts/${world.actors.mara.id}/follow`);
      await world.post('sam', `/api/v1/accounts/${world.actors.mara.id}/follow`);
      const { scheduled } = await schedulePhoto(world, 'mara', 'posted while we were down', 20 * MINUTE);
      await world.app.close();
      world.clock.advance(60 * MINUTE);

      restarted = await buildApp(world.config, { clock: world.clock, database: world.db.handle, logger: false });
      // The run the app starts with (nothing calls publishDue here), then the fan-out it queued.
      await restarted.services.scheduledPublisher.idle();
      await restarted.services.jobs.onIdle();
      const app = restarted;
      const home = async (who: 'ines' | 'sam') =>
        (await app.http.inject({ method: 'GET', url: '/api/v1/timelines/home?limit=40', headers: { authorization: `Bearer ${world.actors[who].token}` } })).json().map((s: any) => s.id) as string[];
      const posts = await postsWithText(world, world.actors.mara.id, 'posted while we were down');
      assert.equal(posts.length, 1);
      for (const who of ['ines', 'sam'] as const) assert.deepEqual((await home(who)).filter((id) => id === posts[0].id), [posts[0].id], who);
      assert.equal((await rowOf(world, scheduled.id))?.state, 'published');
      // Nothing is left to publish, and another run changes nothing.
      assert.deepEqual(await restarted.services.scheduled.publishDue(world.clock.now()), { published: [], failed: [], waiting: [] });
      assert.equal((await postsWithText(world, world.actors.mara.id, 'posted while we were down')).length, 1);
    } finally {
      await restarted?.close();
      await world.db.dispose();
      fs.rmSync(world.config.dataDir, { recursive: true, force: true });
    }
  });
});
