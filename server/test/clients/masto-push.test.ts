import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRestAPIClient, MastoHttpError, type mastodon } from 'masto';
import { startHttpServer, type RunningServer } from '../support/http-server.ts';
import { makeJpeg } from '../support/photos.ts';
import { browserSubscription, decryptPush, startPushEndpoint, verifyVapid, type PushEndpoint } from '../support/push-endpoint.ts';

/** Web Push subscriptions through masto 8.0.0 over real HTTP, and the pushes they bring. */
describe('masto 8.0.0: v1.push.subscription', () => {
  let server: RunningServer;
  let push: PushEndpoint;
  const tokens: Record<string, string> = {};
  const rest: Record<string, mastodon.rest.Client> = {};
  const ids: Record<string, string> = {};

  before(async () => {
    push = await startPushEndpoint();
    server = await startHttpServer({ pushAllowLoopback: true });
    for (const username of ['mara', 'ines', 'sam']) {
      const account = await server.app.services.accounts.register({ username, email: `${username}@example.com`, password: `${username}-password`, agreement: true });
      tokens[username] = (await server.app.services.auth.issue({ appId: null, accountId: account.id, scopes: ['read', 'write', 'follow', 'push'], withRefresh: false })).access_token;
      rest[username] = createRestAPIClient({ url: server.url, accessToken: tokens[username] });
      ids[username] = account.id;
    }
  });
  after(async () => {
    await server?.close();
    await push?.close();
  });

  const isStatus = (status: number) => (e: unknown) => e instanceof MastoHttpError && e.statusCode === status;
  const post = async (who: string, status: string) => {
    const file = new Blob([new Uint8Array(await makeJpeg(40, 40))], { type: 'image/jpeg' });
    const media = await rest[who].v2.media.create({ file });
    await server.app.services.mediaQueue.onIdle();
    return rest[who].v1.statuses.create({ status, mediaIds: [media.id] });
  };

  test('create, fetch, update and remove; another account\'s token cannot fetch it', async () => {
    const browser = browserSubscription(`${push.url}/masto/crud`);
    const created = await rest.sam.v1.push.subscription.create({
      subscription: { endpoint: browser.endpoint, keys: browser.keys },
      data: { alerts: { mention: true, follow: true } },
      policy: 'followed',
    });
    const serverKey = await server.app.services.push.publicKey();
    assert.deepEqual([created.endpoint, created.serverKey, created.policy, created.alerts.mention, created.alerts.follow, created.alerts.favourite], [browser.endpoint, serverKey, 'followed', true, true, false]);
    const fetched = await rest.sam.v1.push.subscription.fetch();
    assert.deepEqual([fetched.id, fetched.endpoint, fetched.policy], [created.id, browser.endpoint, 'followed']);
    const updated = await rest.sam.v1.push.subscription.update({ data: { alerts: { favourite: true } } });
    assert.deepEqual([updated.id, updated.alerts.favourite, updated.alerts.mention, updated.policy], [created.id, true, false, 'followed']);
    await assert.rejects(rest.ines.v1.push.subscription.fetch(), isStatus(404));
    await rest.sam.v1.push.subscription.remove();
    await assert.rejects(rest.sam.v1.push.subscription.fetch(), isStatus(404));
  });

  test('invalid keys are a 422', async () => {
    const browser = browserSubscription(`${push.url}/masto/invalid`);
    await assert.rejects(rest.sam.v1.push.subscription.create({ subscription: { endpoint: browser.endpoint, keys: { p256dh: 'AAAA', auth: browser.keys.auth } }, policy: 'all' }), isStatus(422));
  });

  test('a like is pushed; the decrypted payload names the notification the client then fetches with the token it carries', async () => {
    const browser = browserSubscription(`${push.url}/masto/like`);
    await rest.mara.v1.push.subscription.create({
      // masto 8.0.0 has no `standard` parameter; Mastodon 4.4 reads subscription[standard].
      subscription: { endpoint: browser.endpoint, keys: browser.keys, standard: true } as never,
      data: { alerts: { favourite: true } },
      policy: 'all',
    });
    const status = await post('mara', 'Tide pools at dusk');
    await rest.ines.v1.statuses.$select(status.id).favourite();
    await server.app.services.jobs.onIdle();
    const received = push.on('/masto/like');
    assert.equal(received.length, 1);
    assert.equal(received[0].headers['content-encoding'], 'aes128gcm');
    verifyVapid(received[0].headers.authorization, await server.app.services.push.publicKey(), browser.endpoint);
    const payload = JSON.parse(decryptPush(received[0].body, browser));
    assert.deepEqual([payload.notification_type, payload.title, payload.body], ['favourite', 'ines favourited your post', 'Tide pools at dusk']);
    const fromPush = createRestAPIClient({ url: server.url, accessToken: payload.access_token });
    const notification = await fromPush.v1.notifications.$select(String(payload.notification_id)).fetch();
    assert.deepEqual([notification.type, notification.account.id, notification.status?.id], ['favourite', ids.ines, status.id]);
  });
});
