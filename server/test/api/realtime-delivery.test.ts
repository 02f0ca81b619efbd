import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createWorld, type World, type WorldName } from '../support/world.ts';
import { listen, openStream } from '../support/two-apps.ts';
import { postPhotos } from '../support/photos.ts';
import { countOwnQueries as countQueries } from '../support/query-count.ts';
import { type StreamMessage, userChannel } from '../../src/infra/pubsub/pub-sub.ts';
import { SharedPostCache } from '../../src/domain/realtime/shared-posts.ts';
import { InProcessPresence, RedisPresence } from '../../src/infra/pubsub/presence.ts';
import { openRedis } from '../../src/infra/redis/redis-connection.ts';
import { TEST_REDIS_URL, deleteRedisPrefix, uniqueRedisPrefix } from '../support/test-redis.ts';

/**
 * Realtime costs per recipient: a post's event is published on the channels of the accounts
 * with a live stream that may see it, never on those of followers who are away; its shared part
 * is loaded once per process for all recipients there, each adding only its own part; a
 * connection's filters and home sources are loaded once and reloaded when the viewer changes them.
 */

let world: World;
let port: number;
const FOLLOWERS = ['ines', 'sam', 'pat', 'rex', 'remi'] as const;

before(async () => {
  world = await createWorld({ accounts: ['mara', 'ines', 'sam', 'pat', 'rex', 'remi', 'bo'] });
  port = await listen(world.app);
  for (const who of FOLLOWERS) assert.equal((await world.post(who, `/api/v1/accounts/${world.actors.mara.id}/follow`)).status, 200);
  await world.app.services.jobs.onIdle();
});
after(() => world.close());

/** Every post message published on these accounts' own channels while `run` runs (listening beside the streams, marking nobody live). */
async function publishedTo<T>(who: readonly WorldName[], run: () => Promise<T>): Promise<{ result: T; reached: Set<WorldName> }> {
  const reached = new Set<WorldName>();
  const stops = who.map((name) =>
    world.app.services.pubsub.subscribe(userChannel(world.actors[name].id), (m: StreamMessage) => {
      if (m.kind === 'post') reached.add(name);
    }),
  );
  try {
    return { result: await run(), reached };
  } finally {
    for (const stop of stops) stop();
  }
}

/** Waits until exactly `n` accounts are live (a closed socket leaves the server's presence a moment later). */
async function liveAccounts(n: number): Promise<void> {
  const guard = Date.now() + 10_000;
  while ((await world.app.services.presence.count()) !== n) {
    if (Date.now() > guard) throw new Error(`expected ${n} live accounts, have ${await world.app.services.presence.count()}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const isUpdateOf = (id: string) => (f: { event?: string; payload?: string }) => f.event === 'update' && JSON.parse(f.payload!).id === id;

describe('a post reaches the live recipients only', () => {
  test('of five followers, only the two with an open stream have the post published on their channel', async () => {
    const ines = await openStream(port, world.actors.ines.token);
    const pat = await openStream(port, world.actors.pat.token);
    await liveAccounts(2);
    const { result: post, reached } = await publishedTo([...FOLLOWERS, 'bo'], async () => {
      const post = await postPhotos(world, 'mara', 'cake time');
      await world.app.services.jobs.onIdle();
      return post;
    });
    assert.deepEqual([...reached].sort(), ['ines', 'pat']);
    await ines.frame(isUpdateOf(post.id), 'the post on ines’s stream');
    await pat.frame(isUpdateOf(post.id), 'the post on pat’s stream');
    ines.close();
    pat.close();
  });

  test('the recipients are the same whichever side of the intersection is smaller (followers or live accounts)', async () => {
    const delivery = world.app.services.delivery;
    // One live follower and two live strangers: five followers > three live, so the live side is read.
    await liveAccounts(0);
    const streams = await Promise.all((['sam', 'bo', 'mara'] as const).map((who) => openStream(port, world.actors[who].token)));
    await liveAccounts(3);
    const post = await postPhotos(world, 'mara', 'few live');
    await world.app.services.jobs.onIdle();
    const fromLive = await publishedTo([...FOLLOWERS, 'bo', 'mara'], () => delivery.postPublished(post.id, 'update'));
    assert.deepEqual([...fromLive.reached].sort(), ['mara', 'sam'], 'the author and the live follower; bo does not follow');
    assert.equal(fromLive.result, 2);
    // Every follower live as well: five followers ≤ seven live, so the followers are read.
    const more = await Promise.all((['ines', 'pat', 'rex', 'remi'] as const).map((who) => openStream(port, world.actors[who].token)));
    await liveAccounts(7);
    const fromFollowers = await publishedTo([...FOLLOWERS, 'bo', 'mara'], () => delivery.postPublished(post.id, 'update'));
    assert.deepEqual([...fromFollowers.reached].sort(), ['ines', 'mara', 'pat', 'remi', 'rex', 'sam']);
    for (const s of [...streams, ...more]) s.close();
  });

  test('nobody live: a post costs no publish at all', async () => {
    await liveAccounts(0);
    const post = await postPhotos(world, 'mara', 'into the void');
    await world.app.services.jobs.onIdle();
    assert.equal(await world.app.services.delivery.postPublished(post.id, 'update'), 0);
  });
});

describe('one load per process, the viewer part per recipient', () => {
  test('delivering a post to n viewers costs the shared part once plus the viewer part n times', async () => {
    const { hydrator, database } = world.app.services;
    const post = await postPhotos(world, 'mara', 'shared once', { photos: 2 });
    // Its fan-out job's statements are not the measured work's.
    await world.app.services.jobs.onIdle();
    const viewers = FOLLOWERS.map((who) => ({ accountId: world.actors[who].id, role: 'user' as const }));
    const shared = await hydrator.loadSharedPosts([post.id]);
    const { queries: perViewer } = await countQueries(database.kysely, () => hydrator.viewerPart(viewers[0], shared));
    const { queries: sharedPart } = await countQueries(database.kysely, () => hydrator.loadSharedPosts([post.id]));
    const deliver = (n: number) =>
      countQueries(database.kysely, async () => {
        const cache = new SharedPostCache(hydrator);
        const seen = await Promise.all(viewers.slice(0, n).map(async (v) => hydrator.forViewer(v, await cache.get(post.id, ''), [post.id])));
        assert.ok(seen.every((p) => p.length === 1 && p[0].status.id === post.id), 'every follower sees the post');
      });
    const [two, five] = [await deliver(2), await deliver(5)];
    assert.equal(two.queries, sharedPart + 2 * perViewer);
    assert.equal(five.queries, sharedPart + 5 * perViewer);
    assert.ok(perViewer <= 2, `the viewer part is the context and the marks (${perViewer} queries)`);
  });

  test('after the first event, each event costs a stream its shared and viewer parts only: no filter or home-sources query', async () => {
    const stream = await openStream(port, world.actors.ines.token);
    const first = await postPhotos(world, 'mara', 'warm the connection');
    await world.app.services.jobs.onIdle();
    await stream.frame(isUpdateOf(first.id));
    const second = await postPhotos(world, 'mara', 'measured');
    await world.app.services.jobs.onIdle();
    await stream.frame(isUpdateOf(second.id));
    const viewer = { accountId: world.actors.ines.id, role: 'user' as const };
    const { hydrator, database, pubsub } = world.app.services;
    const shared = await hydrator.loadSharedPosts([second.id]);
    const { queries: perViewer } = await countQueries(database.kysely, () => hydrator.viewerPart(viewer, shared));
    const { queries: sharedPart } = await countQueries(database.kysely, () => hydrator.loadSharedPosts([second.id]));
    // The message the sender publishes, for a version the process has not loaded yet.
    const { queries } = await countQueries(database.kysely, async () => {
      pubsub.publish(userChannel(viewer.accountId), { kind: 'post', event: 'status.update', id: second.id, rev: 'measured' });
      await stream.frame((f) => f.event === 'status.update' && JSON.parse(f.payload!).id === second.id);
    });
    assert.equal(queries, sharedPart + perViewer);
    stream.close();
  });
});

describe('a connection reloads what the viewer changes', () => {
  test('a filter made while the stream is open hides the next matching post', async () => {
    const stream = await openStream(port, world.actors.sam.token);
    const before = await postPhotos(world, 'mara', 'spoilers ahead');
    await world.app.services.jobs.onIdle();
    await stream.frame(isUpdateOf(before.id), 'the post before the filter');
    const filter = await world.post('sam', '/api/v2/filters', { title: 'No spoilers', context: ['home'], filter_action: 'hide', keywords_attributes: [{ keyword: 'spoilers' }] });
    assert.equal(filter.status, 200);
    const hidden = await postPhotos(world, 'mara', 'more spoilers');
    const shown = await postPhotos(world, 'mara', 'just cake');
    await world.app.services.jobs.onIdle();
    await stream.frame(isUpdateOf(shown.id), 'the post after');
    assert.equal(stream.frames.filter(isUpdateOf(hidden.id)).length, 0, 'the hidden post never arrived');
    stream.close();
  });

  test('a hashtag followed while the stream is open brings its public posts to the user stream', async () => {
    const stream = await openStream(port, world.actors.bo.token);
    assert.equal((await world.post('bo', '/api/v1/tags/comet/follow')).status, 200);
    const tagged = await postPhotos(world, 'mara', 'look up #comet');
    await world.app.services.jobs.onIdle();
    const frame = await stream.frame(isUpdateOf(tagged.id), 'the tagged post on bo’s user stream');
    assert.deepEqual(frame.stream, ['user']);
    stream.close();
  });
});

describe('presence', () => {
  test('in one process: an account is live while one of its connections lasts', async () => {
    const presence = new InProcessPresence();
    const endA = presence.connect('1');
    const endB = presence.connect('1');
    presence.connect('2');
    assert.equal(await presence.count(), 2);
    endA();
    endA();
    assert.deepEqual([...(await presence.among(['1', '2', '3']))].sort(), ['1', '2']);
    endB();
    assert.deepEqual([...(await presence.among(['1', '2', '3']))], ['2']);
  });

  test('across processes on Redis: a mark made by one is seen by another, in batches', async () => {
    const prefix = uniqueRedisPrefix('presence');
    const a = new RedisPresence(openRedis(TEST_REDIS_URL, 'presence-test-a'), prefix);
    const b = new RedisPresence(openRedis(TEST_REDIS_URL, 'presence-test-b'), prefix);
    try {
      const ids = Array.from({ length: 1203 }, (_, i) => String(100000 + i));
      for (const id of ids) a.connect(id);
      // Marks are written as connections open; the count reads them on another connection.
      for (let i = 0; i < 50 && (await b.count()) < ids.length; i++) await new Promise((r) => setTimeout(r, 20));
      assert.equal(await b.count(), ids.length);
      assert.deepEqual([...(await b.among(['100000', '101202', '999']))].sort(), ['100000', '101202']);
      const batches: string[][] = [];
      for await (const batch of b.all()) batches.push(batch);
      assert.ok(batches.length >= 2 && batches.every((x) => x.length <= 1000), 'in batches of at most 1,000');
      assert.deepEqual([...new Set(batches.flat())].sort(), ids, 'every live account, each at least once');
    } finally {
      await a.close();
      await b.close();
      await deleteRedisPrefix(prefix);
    }
  });
});
