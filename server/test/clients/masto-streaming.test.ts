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
    for (const username of ['mara', 'ines', 'sam', 'pinger', 'sentinel']) {
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

  type Event = mastodon.streaming.Event;
  const isFollowFrom = (username: string) => (e: Event) => e.event === 'notification' && e.payload.type === 'follow' && e.payload.account.username === username;

  /**
   * Everything a subscription yields, in order, read by one reader for the subscription's whole
   * life (leaving masto's iterator unsubscribes, so events in between would be lost).
   */
  const collect = (subscription: AsyncIterable<Event>) => {
    const events: Event[] = [];
    const waiters = new Set<() => void>();
    const reader = (async () => {
      for await (const event of subscription) {
        events.push(event);
        for (const wake of waiters) wake();
      }
    })().catch(() => undefined);
    /** The first event from `from` on that matches, once it has arrived. */
    const waitFor = async (wanted: (e: Event) => boolean, from = 0): Promise<{ event: Event; index: number }> => {
      for (;;) {
        const index = events.findIndex((e, i) => i >= from && wanted(e));
        if (index >= 0) return { event: events[index], index };
        await new Promise<void>((resolve) => {
          const wake = () => {
            waiters.delete(wake);
            resolve();
          };
          waiters.add(wake);
        });
      }
    };
    return { events, waitFor, reader };
  };

  /** `who` follows `viewer` (again): a follow notification on the viewer's user stream. */
  const followAgain = async (who: string, viewer: string) => {
    await rest[who].v1.accounts.$select(ids[viewer]).unfollow();
    await rest[who].v1.accounts.$select(ids[viewer]).follow();
  };

  /**
   * Resolves once the viewer's subscription is live: the server takes a subscription when its
   * message arrives, and says nothing back, so "pinger" follows the viewer again until one of
   * those notifications comes through. The pause only paces the retries; nothing is timed.
   */
  const live = async (viewer: string, stream: ReturnType<typeof collect>) => {
    let arrived = false;
    void stream.waitFor(isFollowFrom('pinger')).then(() => (arrived = true));
    while (!arrived) {
      await followAgain('pinger', viewer);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  test('a follower receives the new post as an update on the user stream, and a notification as it happens', async () => {
    const streaming = await streamingFor('ines');
    const subscription = streaming.user.subscribe();
    const stream = collect(subscription);
    await live('ines', stream);
    const file = new Blob([new Uint8Array(await makeJpeg(40, 40))], { type: 'image/jpeg' });
    const media = await rest.mara.v2.media.create({ file });
    await server.app.services.mediaQueue.onIdle();
    const post = await rest.mara.v1.statuses.create({ status: 'live!', mediaIds: [media.id] });
    const update = await stream.waitFor((e) => e.event === 'update');
    assert.equal(update.event.event === 'update' && update.event.payload.id, post.id);
    await rest.sam.v1.accounts.$select(ids.ines).follow();
    // The pinger's notifications all came before the post; the next one is sam's.
    const note = await stream.waitFor((e) => e.event === 'notification', update.index + 1);
    assert.ok(note.event.event === 'notification' && note.event.payload.type === 'follow' && note.event.payload.account.username === 'sam');
    subscription.unsubscribe();
    streaming.close();
    await stream.reader;
  });

  test('a hashtag subscription (and hashtag.local, public.media) receives a tagged post and then its edit as status.update', async () => {
    const streaming = await streamingFor('sam');
    // One connection: these subscriptions are sent on it before the user stream's, and the
    // server takes a connection's messages in order, so once the user stream is live they are too.
    const hashtag = collect(streaming.hashtag.subscribe({ tag: 'party' }));
    const local = collect(streaming.hashtag.local.subscribe({ tag: 'party' }));
    const media = collect(streaming.public.media.subscribe());
    const user = collect(streaming.user.subscribe());
    await live('sam', user);
    const file = new Blob([new Uint8Array(await makeJpeg(40, 40))], { type: 'image/jpeg' });
    const attachment = await rest.mara.v2.media.create({ file });
    await server.app.services.mediaQueue.onIdle();
    const post = await rest.mara.v1.statuses.create({ status: 'dancing #party', mediaIds: [attachment.id] });
    await rest.mara.v1.statuses.$select(post.id).update({ status: 'still dancing #party' });
    for (const stream of [hashtag, local, media]) {
      const created = await stream.waitFor((e) => e.event === 'update');
      assert.ok(created.event.event === 'update' && created.event.payload.id === post.id);
      const edited = await stream.waitFor((e) => e.event === 'status.update', created.index + 1);
      assert.ok(edited.event.event === 'status.update' && edited.event.payload.id === post.id && /still dancing/.test(edited.event.payload.content));
    }
    assert.deepEqual(hashtag.events[0].stream, ['hashtag', 'party']);
    assert.deepEqual(local.events[0].stream, ['hashtag:local', 'party']);
    assert.deepEqual(media.events[0].stream, ['public:media']);
    streaming.close();
    await Promise.all([hashtag.reader, local.reader, media.reader, user.reader]);
  });

  test('a stranger does not receive updates from accounts they do not follow', async () => {
    const streaming = await streamingFor('sam');
    const subscription = streaming.user.subscribe();
    const stream = collect(subscription);
    await live('sam', stream);
    const file = new Blob([new Uint8Array(await makeJpeg(40, 40))], { type: 'image/jpeg' });
    const media = await rest.mara.v2.media.create({ file });
    await server.app.services.mediaQueue.onIdle();
    await rest.mara.v1.statuses.create({ status: 'not for sam', mediaIds: [media.id] });
    // A stream's events go out in the order they happened: once the sentinel's follow, made
    // after the post's fan-out job, has arrived, an update for the post would have arrived before it.
    await server.app.services.jobs.onIdle();
    await rest.sentinel.v1.accounts.$select(ids.sam).follow();
    const sentinel = await stream.waitFor(isFollowFrom('sentinel'));
    assert.deepEqual(stream.events.slice(0, sentinel.index).filter((e) => e.event === 'update'), []);
    subscription.unsubscribe();
    streaming.close();
    await stream.reader;
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
    // The revocation is pushed to the account's open streams at once (no polling).
    assert.equal(await closed, 4001);
  });
});
