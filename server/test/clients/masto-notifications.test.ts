import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRestAPIClient, MastoHttpError, type mastodon } from 'masto';
import { startHttpServer, type RunningServer } from '../support/http-server.ts';
import { makeJpeg } from '../support/photos.ts';

/**
 * Notifications through masto 8.0.0 over real HTTP, as a Mastodon 4.3 app reads them: grouped
 * (v2), one group, its accounts, dismissing, the unread count, the policy and the requests;
 * and a comment on one's post in the Mentions tab.
 */
describe('masto 8.0.0: grouped notifications, policy and requests', () => {
  let server: RunningServer;
  let mara: mastodon.rest.Client;
  let maraId: string;
  let post: mastodon.v1.Status;
  const fans: Array<{ client: mastodon.rest.Client; id: string }> = [];

  const clientFor = async (username: string) => {
    const account = await server.app.services.accounts.register({ username, email: `${username}@example.com`, password: `${username}-password`, agreement: true });
    const token = await server.app.services.auth.issue({ appId: null, accountId: account.id, scopes: ['read', 'write', 'follow'], withRefresh: false });
    return { client: createRestAPIClient({ url: server.url, accessToken: token.access_token }), id: account.id };
  };

  before(async () => {
    server = await startHttpServer();
    ({ client: mara, id: maraId } = await clientFor('mara'));
    for (const name of ['ines', 'sam', 'pat']) fans.push(await clientFor(name));
    const file = new Blob([new Uint8Array(await makeJpeg(80, 60, '#3a7'))], { type: 'image/jpeg' });
    const media = await mara.v2.media.create({ file });
    await server.app.services.mediaQueue.onIdle();
    post = await mara.v1.statuses.create({ status: 'Lake day', mediaIds: [media.id] });
    for (const fan of fans) await fan.client.v1.statuses.$select(post.id).favourite();
  });
  after(async () => {
    await server?.close();
  });

  test('v2.notifications.list groups the likes of one post: count, sample accounts, the status', async () => {
    const page = await mara.v2.notifications.list();
    assert.equal(page.notificationGroups.length, 1);
    const [group] = page.notificationGroups;
    assert.equal(group.type, 'favourite');
    assert.equal(group.notificationsCount, 3);
    assert.deepEqual(group.sampleAccountIds, fans.map((f) => f.id).reverse());
    assert.equal(group.type === 'favourite' && group.statusId, post.id);
    assert.deepEqual(page.statuses.map((s) => s.id), [post.id]);
    assert.deepEqual(page.accounts.map((a) => a.id).sort(), fans.map((f) => f.id).sort());
  });

  test('one group, its accounts, the grouped unread count, and dismissing the group', async () => {
    const [group] = (await mara.v2.notifications.list()).notificationGroups;
    const fetched = await mara.v2.notifications.$select(group.groupKey).fetch();
    assert.equal(fetched.notificationGroups[0].notificationsCount, 3);
    const accounts = await mara.v2.notifications.$select(group.groupKey).accounts.fetch();
    assert.deepEqual(accounts.map((a) => a.id), fans.map((f) => f.id).reverse());
    assert.equal((await mara.v2.notifications.unreadCount.fetch()).count, 1);
    assert.equal((await mara.v1.notifications.unreadCount.fetch()).count, 3);
    await mara.v2.notifications.$select(group.groupKey).dismiss();
    assert.deepEqual((await mara.v2.notifications.list()).notificationGroups, []);
    await assert.rejects(mara.v2.notifications.$select(group.groupKey).fetch(), (e: unknown) => e instanceof MastoHttpError && e.statusCode === 404);
  });

  test("a comment on one's post shows in the Mentions tab (types[]=mention) as a mention carrying the comment", async () => {
    const comment = await fans[0].client.v1.statuses.create({ status: 'So beautiful', inReplyToId: post.id });
    const mentions = await mara.v1.notifications.list({ types: ['mention'] });
    assert.deepEqual(mentions.map((n) => [n.type, n.status?.id]), [['mention', comment.id]]);
  });

  test('the policy reads and updates, and a filtered stranger waits in the requests until accepted', async () => {
    const policy = await mara.v2.notifications.policy.fetch();
    assert.equal(policy.forNotFollowing, 'accept');
    const updated = await mara.v2.notifications.policy.update({ forNotFollowing: 'filter' });
    assert.equal(updated.forNotFollowing, 'filter');

    const stranger = await clientFor('stranger');
    await stranger.client.v1.accounts.$select(maraId).follow();
    assert.equal((await mara.v1.notifications.list({ types: ['follow'] })).length, 0);
    const requests = await mara.v1.notifications.requests.list();
    assert.deepEqual(requests.map((r) => r.account.id), [stranger.id]);
    assert.equal((await mara.v1.notifications.requests.$select(requests[0].id).fetch()).account.id, stranger.id);
    assert.equal((await mara.v2.notifications.policy.fetch()).summary.pendingRequestsCount, 1);
    await mara.v1.notifications.requests.$select(requests[0].id).accept();
    assert.deepEqual((await mara.v1.notifications.requests.merged.fetch()).merged, true);
    assert.deepEqual((await mara.v1.notifications.list({ types: ['follow'] })).map((n) => n.account.id), [stranger.id]);
    assert.deepEqual(await mara.v1.notifications.requests.list(), []);
  });
});
