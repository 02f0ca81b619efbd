import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { createRestAPIClient, createStreamingAPIClient, type mastodon } from 'masto';
import { startHttpServer, type RunningServer } from '../support/http-server.ts';
import { makeJpeg } from '../support/photos.ts';

// masto's streaming client expects a global WebSocket, which Node 20 does not have.
(globalThis as { WebSocket?: unknown }).WebSocket ??= WebSocket;

/** The streaming API through masto's own streaming client over a real WebSocket. */
describe('masto 8.0.0 streaming', () => {
  let server: RunningServer;
  const tokens: Record<string, string> = {};
  const rest: Record<string, mastodon.rest.Client> = {};
  const ids: Record<string, string> = {};

  before(async () => {
    server = await startHttpServer();
    for (const username of ['mara', 'ines', 'sam']) {
      const account = await server.app.services.accounts.register({ username, email: `${username}@example.com`, password: `${username}-password`, agreement: true });
      tokens[username] = (await server.app.services.auth.issue({ appId: null, accountId: account.id, scopes: ['read', 'write', 'follow'], withRefresh: false })).access_token;
      rest[username] = createRestAPIClient({ url: server.url, accessToken: tokens[username] });
      ids[username] = account.id;
    }
    await rest.ines.v1.accounts.$select(ids.mara).follow();
  });
  after(async () => {
    await server?.close();
  });

  const streamingFor = async (who: string) => {
    const instance = await rest[who].v2.instance.fetch();
    return createStreamingAPIClient({ streamingApiUrl: instance.configuration.urls.streaming, accessToken: tokens[who], retry: false, implementation: WebSocket });
  };

  const next = async (subscription: AsyncIterable<mastodon.streaming.Event>, wanted: (e: mastodon.streaming.Event) => boolean) => {
    for await (const event of subscription) if (wanted(event)) return event;
    throw new Error('stream ended');
  };

  test('a follower receives the new post as an update on the user stream, and a notification as it happens', async () => {
    const streaming = await streamingFor('ines');
    const subscription = streaming.user.subscribe();
    await new Promise((resolve) => setTimeout(resolve, 300));
    const file = new Blob([new Uint8Array(await makeJpeg(40, 40))], { type: 'image/jpeg' });
    const media = await rest.mara.v2.media.create({ file });
    await server.app.services.mediaQueue.onIdle();
    const waitUpdate = next(subscription, (e) => e.event === 'update');
    const post = await rest.mara.v1.statuses.create({ status: 'live!', mediaIds: [media.id] });
    const update = await waitUpdate;
    assert.equal(update.event === 'update' && update.payload.id, post.id);
    const waitNotification = next(subscription, (e) => e.event === 'notification');
    await rest.sam.v1.accounts.$select(ids.ines).follow();
    const note = await waitNotification;
    assert.ok(note.event === 'notification' && note.payload.type === 'follow' && note.payload.account.username === 'sam');
    subscription.unsubscribe();
    streaming.close();
  });

  test('a stranger does not receive updates from accounts they do not follow', async () => {
    const streaming = await streamingFor('sam');
    const subscription = streaming.user.subscribe();
    await new Promise((resolve) => setTimeout(resolve, 300));
    const received: string[] = [];
    const reader = (async () => {
      for await (const e of subscription) if (e.event === 'update') received.push(e.payload.id);
    })().catch(() => {});
    const file = new Blob([new Uint8Array(await makeJpeg(40, 40))], { type: 'image/jpeg' });
    const media = await rest.mara.v2.media.create({ file });
    await server.app.services.mediaQueue.onIdle();
    await rest.mara.v1.statuses.create({ status: 'not for sam', mediaIds: [media.id] });
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.deepEqual(received, []);
    subscription.unsubscribe();
    streaming.close();
    await reader;
  });

  test('a stream without a token, or with a token lacking read scopes, is refused before upgrade', async () => {
    const base = server.url.replace(/^http/, 'ws');
    const status = (url: string, protocols?: string) =>
      new Promise<number>((resolve) => {
        const ws = new WebSocket(url, protocols);
        ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        ws.on('open', () => {
          ws.close();
          resolve(101);
        });
        ws.on('error', () => {});
      });
    assert.equal(await status(`${base}/api/v1/streaming?stream=user`), 401);
    const writeOnly = (await server.app.services.auth.issue({ appId: null, accountId: ids.sam, scopes: ['write'], withRefresh: false })).access_token;
    assert.equal(await status(`${base}/api/v1/streaming?stream=user`, writeOnly), 403);
    assert.equal(await status(`${base}/api/v1/streaming?stream=user`, tokens.sam), 101);
  });

  test('an open stream closes once its token is revoked', async () => {
    const token = (await server.app.services.auth.issue({ appId: null, accountId: ids.sam, scopes: ['read'], withRefresh: false })).access_token;
    const ws = new WebSocket(`${server.url.replace(/^http/, 'ws')}/api/v1/streaming?stream=user`, token);
    await new Promise((resolve, reject) => {
      ws.on('open', resolve);
      ws.on('error', reject);
    });
    const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
    await server.app.services.repositories.tokens.revokeAllForAccount(ids.sam, new Date().toISOString());
    // The server re-checks open streams' tokens every ten seconds.
    assert.equal(await closed, 4001);
  });
});
