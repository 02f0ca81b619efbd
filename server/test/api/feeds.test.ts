import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createWorld, type World } from '../support/world.ts';
import { postPhotos } from '../support/photos.ts';
import { linkTargets } from '../support/http.ts';

const homeIds = async (world: World, who: 'ines' | 'sam' | 'pat' | 'mara' | 'nora') =>
  (await world.get(who, '/api/v1/timelines/home?limit=40')).body.map((s: any) => s.id) as string[];

describe('home feed', () => {
  let world: World;
  before(async () => {
    // A threshold of 2 followers makes mara a "celebrity" once she has three.
    world = await createWorld({ config: { fanoutThreshold: 2 }, accounts: ['mara', 'ines', 'nora', 'sam', 'pat'] });
    for (const who of ['ines', 'sam', 'pat'] as const) await world.post(who, `/api/v1/accounts/${world.actors.mara.id}/follow`);
    await world.post('sam', `/api/v1/accounts/${world.actors.ines.id}/follow`);
    await world.app.services.jobs.onIdle();
  });
  after(() => world.close());

  test("an ordinary account's post is pushed into each follower's feed by a job", async () => {
    const post = await postPhotos(world, 'ines', 'from ines');
    await world.app.services.jobs.onIdle();
    assert.ok((await homeIds(world, 'sam')).includes(post.id));
    const rows = await world.db.handle.kysely.selectFrom('home_feed').selectAll().where('status_id', '=', post.id).execute();
    assert.deepEqual(rows.map((r) => r.account_id), [world.actors.sam.id]);
  });

  test("a celebrity's post costs no feed writes and every follower sees it at once", async () => {
    const post = await postPhotos(world, 'mara', 'from mara');
    // No waiting for jobs: the pull path merges it at read time.
    for (const who of ['ines', 'sam', 'pat'] as const) assert.ok((await homeIds(world, who)).includes(post.id), who);
    await world.app.services.jobs.onIdle();
    const rows = await world.db.handle.kysely.selectFrom('home_feed').selectAll().where('status_id', '=', post.id).execute();
    assert.equal(rows.length, 0);
  });

  test('one sees one\'s own posts in the home feed at once', async () => {
    const post = await postPhotos(world, 'nora', 'mine');
    assert.ok((await homeIds(world, 'nora')).includes(post.id));
  });

  test('unfollowing takes the author out of the feed immediately', async () => {
    const post = await postPhotos(world, 'ines', 'soon gone');
    await world.app.services.jobs.onIdle();
    assert.ok((await homeIds(world, 'sam')).includes(post.id));
    await world.post('sam', `/api/v1/accounts/${world.actors.ines.id}/unfollow`);
    assert.ok(!(await homeIds(world, 'sam')).includes(post.id));
    await world.post('sam', `/api/v1/accounts/${world.actors.ines.id}/follow`);
    await world.app.services.jobs.onIdle();
  });

  test('muting and blocking take effect in the feed immediately, for pushed and pulled authors', async () => {
    const pushed = await postPhotos(world, 'ines', 'pushed');
    const pulled = await postPhotos(world, 'mara', 'pulled');
    await world.app.services.jobs.onIdle();
    await world.post('sam', `/api/v1/accounts/${world.actors.ines.id}/mute`);
    await world.post('sam', `/api/v1/accounts/${world.actors.mara.id}/block`);
    const ids = await homeIds(world, 'sam');
    assert.ok(!ids.includes(pushed.id));
    assert.ok(!ids.includes(pulled.id));
    await world.post('sam', `/api/v1/accounts/${world.actors.ines.id}/unmute`);
    await world.post('sam', `/api/v1/accounts/${world.actors.mara.id}/unblock`);
    await world.post('sam', `/api/v1/accounts/${world.actors.mara.id}/follow`);
    await world.app.services.jobs.onIdle();
  });

  test('an accepted follow brings the author\'s recent posts into the feed', async () => {
    const post = await postPhotos(world, 'nora', 'before the follow');
    await world.post('pat', `/api/v1/accounts/${world.actors.nora.id}/follow`);
    await world.post('nora', `/api/v1/follow_requests/${world.actors.pat.id}/authorize`);
    await world.app.services.jobs.onIdle();
    assert.ok((await homeIds(world, 'pat')).includes(post.id));
  });

  test('the feed pages with max_id and min_id and Link headers, newest first, merging both paths', async () => {
    const posted: string[] = [];
    for (let i = 0; i < 3; i++) {
      posted.push((await postPhotos(world, 'ines', `ines ${i}`)).id);
      posted.push((await postPhotos(world, 'mara', `mara ${i}`)).id);
    }
    await world.app.services.jobs.onIdle();
    const first = await world.get('sam', '/api/v1/timelines/home?limit=4');
    assert.equal(first.body.length, 4);
    const newest = [...posted].reverse();
    assert.deepEqual(first.body.map((s: any) => s.id), newest.slice(0, 4));
    const { next, prev } = linkTargets(first, world.config.publicUrl);
    assert.ok(next && prev);
    const second = await world.get('sam', next!);
    assert.deepEqual(second.body.slice(0, 2).map((s: any) => s.id), newest.slice(4, 6));
    const newer = await world.get('sam', `/api/v1/timelines/home?min_id=${newest[3]}&limit=2`);
    assert.deepEqual(newer.body.map((s: any) => s.id), [newest[1], newest[2]]);
  });
});

describe('profile grid, public and hashtag timelines', () => {
  let world: World;
  before(async () => {
    world = await createWorld({ accounts: ['mara', 'ines', 'nora', 'sam'] });
  });
  after(() => world.close());

  test('the profile grid lists an account\'s posts newest first, and only_media keeps photo posts', async () => {
    const a = await postPhotos(world, 'ines', 'one');
    const b = await postPhotos(world, 'ines', 'two');
    await world.post('mara', '/api/v1/statuses', { status: 'a comment', in_reply_to_id: b.id });
    const grid = await world.get('sam', `/api/v1/accounts/${world.actors.ines.id}/statuses?only_media=true`);
    assert.deepEqual(grid.body.map((s: any) => s.id), [b.id, a.id]);
  });

  test("a private account's grid is empty for strangers and full for followers", async () => {
    const post = await postPhotos(world, 'nora', 'private');
    assert.deepEqual((await world.get('sam', `/api/v1/accounts/${world.actors.nora.id}/statuses`)).body, []);
    assert.deepEqual((await world.get(undefined, `/api/v1/accounts/${world.actors.nora.id}/statuses`)).body, []);
    await world.post('ines', `/api/v1/accounts/${world.actors.nora.id}/follow`);
    await world.post('nora', `/api/v1/follow_requests/${world.actors.ines.id}/authorize`);
    const grid = await world.get('ines', `/api/v1/accounts/${world.actors.nora.id}/statuses`);
    assert.deepEqual(grid.body.map((s: any) => s.id), [post.id]);
  });

  test('min_id on the profile grid answers the posts just above it, newest first (Mastodon\'s "newer" page)', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await postPhotos(world, 'sam', `sam ${i}`)).id);
    const newer = await world.get('mara', `/api/v1/accounts/${world.actors.sam.id}/statuses?min_id=${ids[0]}&limit=2`);
    assert.deepEqual(newer.body.map((s: any) => s.id), [ids[2], ids[1]]);
    const older = await world.get('mara', `/api/v1/accounts/${world.actors.sam.id}/statuses?max_id=${ids[4]}&limit=2`);
    assert.deepEqual(older.body.map((s: any) => s.id), [ids[3], ids[2]]);
  });

  test('the public timeline shows public posts of public accounts only', async () => {
    const pub = await postPhotos(world, 'mara', 'public');
    const priv = await postPhotos(world, 'nora', 'private');
    const ids = (await world.get(undefined, '/api/v1/timelines/public?limit=40')).body.map((s: any) => s.id);
    assert.ok(ids.includes(pub.id));
    assert.ok(!ids.includes(priv.id));
  });

  test('the hashtag timeline finds posts by tag whatever the case, and never private ones', async () => {
    const pub = await postPhotos(world, 'mara', 'at the #BirthdayParty');
    const priv = await postPhotos(world, 'nora', 'also #birthdayparty');
    const ids = (await world.get('sam', '/api/v1/timelines/tag/birthdayparty')).body.map((s: any) => s.id);
    assert.deepEqual(ids, [pub.id]);
    assert.ok(!ids.includes(priv.id));
  });
});

describe('search', () => {
  let world: World;
  before(async () => {
    world = await createWorld({ accounts: ['mara', 'nora', 'sam'] });
    await postPhotos(world, 'mara', 'at the #BirthdayParty');
    await postPhotos(world, 'nora', 'private #birthdaySecret');
  });
  after(() => world.close());

  test('v2 search finds accounts by name and hashtags of public posts only', async () => {
    const res = await world.get('sam', '/api/v2/search?q=birthday');
    assert.equal(res.status, 200);
    assert.deepEqual(res.body.hashtags.map((h: any) => h.name), ['BirthdayParty']);
    const people = await world.get('sam', '/api/v2/search?q=ma&type=accounts');
    assert.deepEqual(people.body.accounts.map((a: any) => a.username), ['mara']);
    assert.deepEqual(people.body.hashtags, []);
  });
});
