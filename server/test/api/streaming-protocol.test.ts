import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import WebSocket from 'ws';
import { createWorld, type World, type WorldName } from '../support/world.ts';
import { postPhotos } from '../support/photos.ts';

/**
 * The streaming protocol as raw frames: what each event's `stream` names, which streams an
 * edit's `status.update` reaches, and the public media streams. Every check waits for a
 * sentinel published after the action (a follow notification on the same connection's user
 * stream, or a later post): a connection's events go out in the order they happened, so
 * anything the action was going to send has arrived before the sentinel.
 */

interface Frame {
  stream?: string[];
  event?: string;
  payload?: string;
  error?: string;
  status?: number;
}

type Subscription = { stream: string; tag?: string; list?: string };

let world: World;
let port: number;
/** Follows the watcher again to make a sentinel notification; rex is nobody's subject. */
const SENTINEL: WorldName = 'rex';

before(async () => {
  world = await createWorld({ accounts: ['mara', 'ines', 'sam', 'pat', 'bo', 'rex'] });
  await world.app.http.listen({ port: 0, host: '127.0.0.1' });
  port = (world.app.http.server.address() as AddressInfo).port;
  const mara = world.actors.mara.id;
  for (const who of ['ines', 'pat'] as const) assert.equal((await world.post(who, `/api/v1/accounts/${mara}/follow`)).status, 200);
  assert.equal((await world.post('mara', `/api/v1/accounts/${world.actors.bo.id}/block`)).status, 200);
});
after(() => world.close());

/**
 * A WebSocket of `who`, opened on the user stream, with `subscriptions` added by message. It
 * resolves once the server has taken them all: the server handles a connection's messages in
 * order, and answers the unknown stream sent last with an error frame.
 */
async function openSocket(who: WorldName, subscriptions: Subscription[]) {
  const socket = new WebSocket(`ws://127.0.0.1:${port}/api/v1/streaming?stream=user&access_token=${world.actors[who].token}`);
  const frames: Frame[] = [];
  const waiters = new Set<() => void>();
  socket.on('message', (data) => {
    frames.push(JSON.parse(String(data)));
    for (const wake of waiters) wake();
  });
  const arrived = async (wanted: (f: Frame) => boolean, from: number): Promise<number> => {
    for (;;) {
      const index = frames.findIndex((f, i) => i >= from && wanted(f));
      if (index >= 0) return index;
      await new Promise<void>((resolve) => {
        const wake = () => {
          waiters.delete(wake);
          resolve();
        };
        waiters.add(wake);
      });
    }
  };
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  for (const s of subscriptions) socket.send(JSON.stringify({ type: 'subscribe', ...s }));
  socket.send(JSON.stringify({ type: 'subscribe', stream: 'no-such-stream' }));
  let seen = (await arrived((f) => f.error === 'Unknown stream type', 0)) + 1;
  return {
    frames,
    /** The index of the first frame from `from` on matching `wanted`, once it has arrived. */
    arrived,
    /**
     * The event frames since the last call, up to a sentinel follow notification made now, once the jobs are done (the
     * sentinel unfollows and follows again, so each call makes a new one).
     */
    async untilSentinel(): Promise<Frame[]> {
      // A new post reaches the streams from its fan-out job: done before the sentinel is made.
      await world.app.services.jobs.onIdle();
      await world.post(SENTINEL, `/api/v1/accounts/${world.actors[who].id}/unfollow`);
      assert.equal((await world.post(SENTINEL, `/api/v1/accounts/${world.actors[who].id}/follow`)).status, 200);
      const isSentinel = (f: Frame) => f.event === 'notification' && JSON.parse(f.payload!).account.username === SENTINEL;
      const index = await arrived(isSentinel, seen);
      const between = frames.slice(seen, index);
      seen = index + 1;
      return between.filter((f) => !isSentinel(f));
    },
    close: () => socket.close(),
  };
}

/** The streams of the frames carrying `event` for `id`, sorted so the set reads the same every run. */
const streamsOf = (frames: Frame[], event: string, id: string) =>
  frames
    .filter((f) => f.event === event && (event === 'delete' ? f.payload === id : JSON.parse(f.payload!).id === id))
    .map((f) => f.stream!)
    .sort((a, b) => (a.join(' ') < b.join(' ') ? -1 : a.join(' ') > b.join(' ') ? 1 : 0));

describe('what an event names as its stream', () => {
  test('hashtag and hashtag:local events name the tag as it was subscribed; each subscription gets its own event', async () => {
    const sam = await openSocket('sam', [{ stream: 'public' }, { stream: 'public:local' }, { stream: 'hashtag', tag: 'Party' }, { stream: 'hashtag:local', tag: 'party' }, { stream: 'hashtag', tag: 'other' }]);
    const post = await postPhotos(world, 'mara', 'tonight #party');
    const created = await sam.untilSentinel();
    assert.deepEqual(streamsOf(created, 'update', post.id), [['hashtag', 'Party'], ['hashtag:local', 'party'], ['public'], ['public:local']]);
    assert.equal((await world.request('mara', 'DELETE', `/api/v1/statuses/${post.id}`)).status, 200);
    const deleted = await sam.untilSentinel();
    assert.deepEqual(streamsOf(deleted, 'delete', post.id), [['hashtag', 'Party'], ['hashtag:local', 'party'], ['public'], ['public:local']]);
    sam.close();
  });

  test('a notification names the stream it came through: ["user"] and ["user:notification"], one event each', async () => {
    const ines = await openSocket('ines', [{ stream: 'user:notification' }]);
    const start = ines.frames.length;
    assert.deepEqual(await ines.untilSentinel(), []);
    const isSentinel = (f: Frame) => f.event === 'notification' && JSON.parse(f.payload!).account.username === SENTINEL;
    const first = await ines.arrived(isSentinel, start);
    await ines.arrived(isSentinel, first + 1);
    const sentinel = ines.frames.slice(start).filter(isSentinel);
    assert.deepEqual(sentinel.map((f) => f.stream).sort(), [['user'], ['user:notification']]);
    ines.close();
  });
});

describe('an edit sends status.update', () => {
  test('to the author\'s and followers\' user streams, public, public:local, hashtag and list streams, with the edited status', async () => {
    const list = (await world.post('pat', '/api/v1/lists', { title: 'Mara' })).body;
    assert.equal((await world.post('pat', `/api/v1/lists/${list.id}/accounts`, { account_ids: [world.actors.mara.id] })).status, 200);
    const post = await postPhotos(world, 'mara', 'first words #party');
    // Its own update has gone out (the fan-out job) before the streams below open.
    await world.app.services.jobs.onIdle();
    const mara = await openSocket('mara', []);
    const ines = await openSocket('ines', [{ stream: 'public' }, { stream: 'public:local' }, { stream: 'hashtag', tag: 'party' }]);
    const pat = await openSocket('pat', [{ stream: 'list', list: list.id }]);
    const sam = await openSocket('sam', []);
    const edit = await world.request('mara', 'PUT', `/api/v1/statuses/${post.id}`, { status: 'better words #party' });
    assert.equal(edit.status, 200);

    const updates = { mara: await mara.untilSentinel(), ines: await ines.untilSentinel(), pat: await pat.untilSentinel(), sam: await sam.untilSentinel() };
    assert.deepEqual(streamsOf(updates.mara, 'status.update', post.id), [['user']]);
    assert.deepEqual(streamsOf(updates.ines, 'status.update', post.id), [['hashtag', 'party'], ['public'], ['public:local'], ['user']]);
    assert.deepEqual(streamsOf(updates.pat, 'status.update', post.id), [['list', list.id], ['user']]);
    assert.deepEqual(updates.sam.filter((f) => f.event === 'status.update'), [], 'a stranger\'s user stream does not get it');
    for (const f of [...updates.mara, ...updates.ines, ...updates.pat]) {
      const status = JSON.parse(f.payload!);
      assert.match(status.content, /better words/);
      assert.equal(status.edited_at, edit.body.edited_at);
    }
    assert.deepEqual([...updates.mara, ...updates.ines, ...updates.pat].filter((f) => f.event === 'update'), [], 'an edit is never a new update');
    for (const s of [mara, ines, pat, sam]) s.close();
  });

  test('a followers-only post\'s edit reaches followers\' user streams and no public stream', async () => {
    const post = await postPhotos(world, 'mara', 'for friends #party', { extra: { visibility: 'private' } });
    // Its own update has gone out (the fan-out job) before the streams below open.
    await world.app.services.jobs.onIdle();
    const ines = await openSocket('ines', [{ stream: 'public' }, { stream: 'hashtag', tag: 'party' }]);
    const sam = await openSocket('sam', [{ stream: 'public' }, { stream: 'hashtag', tag: 'party' }]);
    assert.equal((await world.request('mara', 'PUT', `/api/v1/statuses/${post.id}`, { status: 'for friends, edited #party' })).status, 200);
    assert.deepEqual(streamsOf(await ines.untilSentinel(), 'status.update', post.id), [['user']]);
    assert.deepEqual((await sam.untilSentinel()).filter((f) => f.event === 'status.update'), []);
    ines.close();
    sam.close();
  });

  test('an account the author blocks gets no status.update on public or hashtag streams', async () => {
    const post = await postPhotos(world, 'mara', 'public words #party');
    // Its own update has gone out (the fan-out job) before the streams below open.
    await world.app.services.jobs.onIdle();
    const bo = await openSocket('bo', [{ stream: 'public' }, { stream: 'public:local' }, { stream: 'public:media' }, { stream: 'hashtag', tag: 'party' }]);
    const sam = await openSocket('sam', [{ stream: 'public' }]);
    assert.equal((await world.request('mara', 'PUT', `/api/v1/statuses/${post.id}`, { status: 'public words, edited #party' })).status, 200);
    // sam, who may see it, shows the event was sent; bo gets nothing about the post.
    assert.deepEqual(streamsOf(await sam.untilSentinel(), 'status.update', post.id), [['public']]);
    assert.deepEqual((await bo.untilSentinel()).filter((f) => f.event === 'status.update' || f.event === 'update'), []);
    bo.close();
    sam.close();
  });
});

/** A server-sent-events stream at `path`: its events, in order, as they arrive. */
async function openSse(who: WorldName, path: string) {
  const events: Array<{ event: string; data: string }> = [];
  const waiters = new Set<() => void>();
  let request!: http.ClientRequest;
  await new Promise<void>((resolve, reject) => {
    request = http.get(`http://127.0.0.1:${port}${path}`, { headers: { authorization: `Bearer ${world.actors[who].token}` } }, (res) => {
      assert.equal(res.statusCode, 200);
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        // The stream's first comment says it is open.
        if (buffer.startsWith(':)')) resolve();
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event !== undefined && data !== undefined) events.push({ event, data });
        }
        for (const wake of waiters) wake();
      });
    });
    request.on('error', reject);
  });
  return {
    events,
    /** The events up to and including the first one matching `wanted`, once it has arrived. */
    async until(wanted: (e: { event: string; data: string }) => boolean) {
      while (!events.some(wanted)) {
        await new Promise<void>((resolve) => {
          const wake = () => {
            waiters.delete(wake);
            resolve();
          };
          waiters.add(wake);
        });
      }
      return events.slice(0, events.findIndex(wanted) + 1);
    },
    close: () => request.destroy(),
  };
}

describe('public:media and public:local:media', () => {
  test('over WebSocket they carry a post with photos, as public and public:local do', async () => {
    const sam = await openSocket('sam', [{ stream: 'public:media' }, { stream: 'public:local:media' }, { stream: 'public' }]);
    const post = await postPhotos(world, 'mara', 'photos for the media streams');
    assert.deepEqual(streamsOf(await sam.untilSentinel(), 'update', post.id), [['public'], ['public:local:media'], ['public:media']]);
    sam.close();
  });

  test('only_media=true on /streaming/public and /streaming/public/local is the media stream: a post without photos is not on it', async () => {
    // No API path makes a post without photos (a post needs one); one whose has_media is 0, as
    // a post stored without any would be, stands for it.
    const bare = await postPhotos(world, 'mara', 'about to lose its photos');
    await world.db.handle.kysely.updateTable('statuses').set({ has_media: 0 }).where('id', '=', bare.id).execute();
    await world.app.services.jobs.onIdle();
    const all = await openSse('sam', '/api/v1/streaming/public');
    const media = await openSse('sam', '/api/v1/streaming/public?only_media=true');
    const localMedia = await openSse('sam', '/api/v1/streaming/public/local?only_media=1');
    const notMedia = await openSse('sam', '/api/v1/streaming/public/local?only_media=false');
    assert.equal((await world.request('mara', 'DELETE', `/api/v1/statuses/${bare.id}`)).status, 200);
    // The sentinel: a later post with photos, which every one of these streams carries.
    const later = await postPhotos(world, 'mara', 'with photos');
    const isLater = (e: { event: string; data: string }) => e.event === 'update' && JSON.parse(e.data).id === later.id;
    const seen = { all: await all.until(isLater), media: await media.until(isLater), localMedia: await localMedia.until(isLater), notMedia: await notMedia.until(isLater) };
    assert.deepEqual(seen.all.map((e) => e.event), ['delete', 'update']);
    assert.deepEqual(seen.notMedia.map((e) => e.event), ['delete', 'update']);
    assert.deepEqual(seen.media.map((e) => e.event), ['update'], 'the media stream never showed the bare post, so it is not told of its delete');
    assert.deepEqual(seen.localMedia.map((e) => e.event), ['update']);
    for (const s of [all, media, localMedia, notMedia]) s.close();
  });
});
