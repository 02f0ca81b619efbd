import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { RedisPubSub } from '../../src/infra/pubsub/redis-pub-sub.ts';
import { openRedis } from '../../src/infra/redis/redis-connection.ts';
import type { StreamMessage } from '../../src/infra/pubsub/pub-sub.ts';
import { TEST_REDIS_URL, uniqueRedisPrefix } from '../support/test-redis.ts';
import { openStream, subscriptionsSettled, twoApps, type TwoApps } from '../support/two-apps.ts';
import { postPhotos } from '../support/photos.ts';

/**
 * Pub/sub over Redis (GLIMPSE_REDIS_URL): two apps on one database and one Redis prefix, as two
 * processes behind a load balancer, and the adapter's own contract.
 */
describe('two apps on one Redis prefix', () => {
  let apps: TwoApps;
  before(async () => {
    apps = await twoApps('pubsub', { accounts: ['mara', 'ines', 'sam'] });
    assert.equal((await apps.world.post('ines', `/api/v1/accounts/${apps.world.actors.mara.id}/follow`)).status, 200);
  });
  after(() => apps.close());

  test('a post created through app A reaches a follower\'s user stream held by app B', async () => {
    const ines = await openStream(apps.portB, apps.world.actors.ines.token);
    await subscriptionsSettled(apps.b);
    const post = await postPhotos(apps.world, 'mara', 'from process A');
    const frame = await ines.frame((f) => f.event === 'update' && JSON.parse(f.payload!).id === post.id, 'the post on B');
    assert.deepEqual(frame.stream, ['user']);
    assert.equal(JSON.parse(frame.payload!).content.includes('from process A'), true);
    ines.close();
  });

  test('a follow notification made through app B reaches a stream held by app A', async () => {
    const mara = await openStream(apps.portA, apps.world.actors.mara.token);
    await subscriptionsSettled(apps.a);
    const res = await apps.b.http.inject({ method: 'POST', url: `/api/v1/accounts/${apps.world.actors.mara.id}/follow`, headers: { authorization: `Bearer ${apps.world.actors.sam.token}` } });
    assert.equal(res.statusCode, 200);
    const frame = await mara.frame((f) => f.event === 'notification' && JSON.parse(f.payload!).account.username === 'sam', 'the notification on A');
    assert.equal(JSON.parse(frame.payload!).type, 'follow');
    mara.close();
  });
});

describe('RedisPubSub', () => {
  let probe: Redis;
  before(() => {
    probe = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
  });
  after(() => probe.disconnect());

  const pubsubOn = (prefix: string) => new RedisPubSub(openRedis(TEST_REDIS_URL, 'test-pub'), openRedis(TEST_REDIS_URL, 'test-sub'), prefix);
  /** How many Redis connections subscribe to the channel (PUBSUB NUMSUB). */
  const subscribers = async (channel: string) => Number(((await probe.call('PUBSUB', 'NUMSUB', channel)) as [string, number])[1]);

  test('one Redis subscription per channel, whatever the local listeners; the last one leaving unsubscribes', async () => {
    const prefix = uniqueRedisPrefix('numsub');
    const pubsub = pubsubOn(prefix);
    try {
      const first = pubsub.subscribe('user:1', () => {});
      const second = pubsub.subscribe('user:1', () => {});
      await pubsub.settled();
      assert.equal(await subscribers(`${prefix}user:1`), 1);
      first();
      await pubsub.settled();
      assert.equal(await subscribers(`${prefix}user:1`), 1, 'a listener is left');
      second();
      await pubsub.settled();
      assert.equal(await subscribers(`${prefix}user:1`), 0);
    } finally {
      await pubsub.close();
    }
  });

  test('a message reaches every local listener of its channel, as JSON, and no other channel or prefix', async () => {
    const prefix = uniqueRedisPrefix('fanout');
    const publisher = pubsubOn(prefix);
    const receiver = pubsubOn(prefix);
    const elsewhere = pubsubOn(uniqueRedisPrefix('fanout-other'));
    try {
      const got: Array<[string, StreamMessage]> = [];
      let done!: () => void;
      const finished = new Promise<void>((resolve) => (done = resolve));
      receiver.subscribe('user:1', (m) => got.push(['one', m]));
      receiver.subscribe('user:1', (m) => got.push(['two', m]));
      receiver.subscribe('user:2', (m) => got.push(['user:2', m]));
      elsewhere.subscribe('user:1', (m) => got.push(['other prefix', m]));
      // Published last: once it arrives, everything published before it has.
      receiver.subscribe('sentinel', () => done());
      await Promise.all([receiver.settled(), elsewhere.settled()]);
      publisher.publish('user:1', { kind: 'notification', id: '42' });
      publisher.publish('sentinel', { kind: 'notification', id: '0' });
      await finished;
      assert.deepEqual(got, [
        ['one', { kind: 'notification', id: '42' }],
        ['two', { kind: 'notification', id: '42' }],
      ]);
    } finally {
      await Promise.all([publisher.close(), receiver.close(), elsewhere.close()]);
    }
  });
});
