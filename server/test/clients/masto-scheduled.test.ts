import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRestAPIClient, MastoHttpError, type mastodon } from 'masto';
import { ManualClock } from '../../src/clock.ts';
import { startHttpServer, type RunningServer } from '../support/http-server.ts';
import { makeJpeg } from '../support/photos.ts';

const MINUTE = 60_000;

/** Scheduled statuses through masto 8.0.0 over real HTTP: schedule, list, fetch, update, remove, publication. */
describe('masto 8.0.0: scheduled statuses', () => {
  let server: RunningServer;
  const clock = new ManualClock(new Date('2026-06-10T12:00:00.000Z'));
  const rest: Record<string, mastodon.rest.Client> = {};
  const ids: Record<string, string> = {};
  const at = (ms: number) => new Date(clock.now().getTime() + ms).toISOString();

  before(async () => {
    // The periodic run is off: the tests publish by calling publishDue on the moved clock.
    server = await startHttpServer({ scheduledPublishIntervalMs: 0 }, clock);
    for (const username of ['mara', 'ines']) {
      const account = await server.app.services.accounts.register({ username, email: `${username}@example.com`, password: `${username}-password`, agreement: true });
      const token = (await server.app.services.auth.issue({ appId: null, accountId: account.id, scopes: ['read', 'write', 'follow'], withRefresh: false })).access_token;
      rest[username] = createRestAPIClient({ url: server.url, accessToken: token });
      ids[username] = account.id;
    }
    await rest.ines.v1.accounts.$select(ids.mara).follow();
  });
  after(async () => {
    await server?.close();
  });

  const photo = async () => {
    const media = await rest.mara.v2.media.create({ file: new Blob([new Uint8Array(await makeJpeg(40, 40))], { type: 'image/jpeg' }) });
    await server.app.services.mediaQueue.onIdle();
    return media.id;
  };
  const isStatus = (code: number) => (e: unknown) => e instanceof MastoHttpError && e.statusCode === code;

  test('v1.statuses.create with scheduledAt answers a ScheduledStatus; v1.scheduledStatuses lists, fetches, updates and removes it', async () => {
    const mediaId = await photo();
    const scheduled = await rest.mara.v1.statuses.create({ status: 'tomorrow at noon', mediaIds: [mediaId], scheduledAt: at(24 * 60 * MINUTE) });
    assert.equal(scheduled.scheduledAt, at(24 * 60 * MINUTE));
    assert.deepEqual([scheduled.params.text, scheduled.params.mediaIds, scheduled.params.visibility], ['tomorrow at noon', [mediaId], 'public']);
    assert.deepEqual(scheduled.mediaAttachments.map((m) => m.id), [mediaId]);

    assert.deepEqual((await rest.mara.v1.scheduledStatuses.list()).map((s) => s.id), [scheduled.id]);
    assert.equal((await rest.mara.v1.scheduledStatuses.$select(scheduled.id).fetch()).params.text, 'tomorrow at noon');
    const updated = await rest.mara.v1.scheduledStatuses.$select(scheduled.id).update({ scheduledAt: at(48 * 60 * MINUTE) });
    assert.equal(updated.scheduledAt, at(48 * 60 * MINUTE));
    await assert.rejects(rest.mara.v1.scheduledStatuses.$select(scheduled.id).update({ scheduledAt: at(MINUTE) }), isStatus(422));
    await assert.rejects(rest.ines.v1.scheduledStatuses.$select(scheduled.id).fetch(), isStatus(404));

    await rest.mara.v1.scheduledStatuses.$select(scheduled.id).remove();
    await assert.rejects(rest.mara.v1.scheduledStatuses.$select(scheduled.id).fetch(), isStatus(404));
    assert.deepEqual(await rest.mara.v1.scheduledStatuses.list(), []);
    // Its photo is free again.
    assert.equal((await rest.mara.v1.statuses.create({ status: 'now then', mediaIds: [mediaId] })).mediaAttachments[0].id, mediaId);
  });

  test('scheduledAt under 5 minutes ahead is refused with 422', async () => {
    await assert.rejects(rest.mara.v1.statuses.create({ status: 'hurry', mediaIds: [await photo()], scheduledAt: at(2 * MINUTE) }), isStatus(422));
  });

  test('once the clock passes scheduledAt, the post is published and reaches a follower\'s home timeline once', async () => {
    const scheduled = await rest.mara.v1.statuses.create({ status: 'published by the clock', mediaIds: [await photo()], scheduledAt: at(15 * MINUTE) });
    clock.advance(16 * MINUTE);
    assert.deepEqual((await server.app.services.scheduled.publishDue(clock.now())).published, [scheduled.id]);
    await server.app.services.jobs.onIdle();
    const home = await rest.ines.v1.timelines.home.list({ limit: 40 });
    assert.equal(home.filter((s) => s.content.includes('published by the clock')).length, 1);
    assert.deepEqual(await rest.mara.v1.scheduledStatuses.list(), []);
  });
});
