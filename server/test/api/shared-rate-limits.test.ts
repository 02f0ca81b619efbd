import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { GlimpseApp } from '../../src/app.ts';
import { loadConfig, type RateLimits } from '../../src/config.ts';
import { RedisRateLimitStore } from '../../src/infra/rate-limit/redis-rate-limit-store.ts';
import { openRedis } from '../../src/infra/redis/redis-connection.ts';
import { TEST_REDIS_URL, deleteRedisPrefix, uniqueRedisPrefix } from '../support/test-redis.ts';
import { twoApps, type TwoApps } from '../support/two-apps.ts';
import { AppError } from '../../src/errors.ts';

/**
 * With GLIMPSE_REDIS_URL every rate limit counts in Redis: two apps on one Redis prefix (two
 * processes behind one load balancer) spend one budget, not one each.
 */
const OFF: RateLimits = { login: 0, registration: 0, api: 0, anonymous: 0, comments: 0, storyResponses: 0, loginAccount: 0 };
const defaults = loadConfig({}).rateLimits;

const logIn = (app: GlimpseApp, login: string, password: string, remoteAddress: string) =>
  app.http.inject({ method: 'POST', url: '/api/glimpse/v1/session', remoteAddress, payload: { login, password } });

function assertRefused(res: { statusCode: number; headers: Record<string, unknown>; json(): unknown }, label: string) {
  assert.equal(res.statusCode, 429, label);
  assert.deepEqual(res.json(), { error: 'Too many requests' }, label);
  assert.ok(Number(res.headers['retry-after']) > 0, `${label}: says when to come back`);
}

describe('two apps on one Redis prefix', () => {
  let apps: TwoApps;
  before(async () => {
    apps = await twoApps('limits', {
      accounts: ['mara', 'ines', 'sam'],
      config: { rateLimitsEnabled: true, rateLimits: { ...defaults, ...OFF, login: 4, loginAccount: 3, api: 4 } },
    });
  });
  after(() => apps.close());

  test('the log-in limit (GLIMPSE_RATE_LIMIT_LOGIN) is one budget per address across A and B', async () => {
    const peer = '198.51.100.7';
    // Four attempts in all, alternating, each a different name (the per-name limit is not reached).
    const names = ['nobody1', 'nobody2', 'nobody3', 'nobody4'];
    for (let i = 0; i < 4; i++) {
      const res = await logIn(i % 2 ? apps.b : apps.a, names[i], 'wrong', peer);
      assert.equal(res.statusCode, 401, `attempt ${i + 1} of 4, through ${i % 2 ? 'B' : 'A'}`);
    }
    assertRefused(await logIn(apps.a, 'ines', 'ines-password', peer), 'the 5th, through A');
    assertRefused(await logIn(apps.b, 'ines', 'ines-password', peer), 'the 6th, through B');
    assert.equal((await logIn(apps.b, 'ines', 'ines-password', '198.51.100.8')).statusCode, 200, 'another address has its own budget');
  });

  test('the per-name log-in limit (GLIMPSE_RATE_LIMIT_LOGIN_ACCOUNT) is one budget across A and B', async () => {
    for (let i = 0; i < 3; i++) assert.equal((await logIn(i % 2 ? apps.b : apps.a, 'mara', `guess-${i}`, `203.0.113.${i + 1}`)).statusCode, 401);
    assertRefused(await logIn(apps.b, 'mara', 'mara-password', '203.0.113.50'), 'the right password, through B, after 3 failures spread over A and B');
  });

  test('the general API limit per account is one budget across A and B', async () => {
    const headers = { authorization: `Bearer ${apps.world.actors.sam.token}` };
    for (let i = 0; i < 4; i++) {
      const res = await (i % 2 ? apps.b : apps.a).http.inject({ method: 'GET', url: '/api/v1/accounts/verify_credentials', headers });
      assert.equal(res.statusCode, 200, `request ${i + 1} of 4`);
    }
    for (const app of [apps.a, apps.b]) assertRefused(await app.http.inject({ method: 'GET', url: '/api/v1/accounts/verify_credentials', headers }), 'over the budget');
  });
});

describe('RedisRateLimitStore', () => {
  test('counts a window atomically across stores on one prefix, with the time left in it; keys live under the prefix', async () => {
    const prefix = uniqueRedisPrefix('store');
    const a = new RedisRateLimitStore(openRedis(TEST_REDIS_URL, 'test-rate-a'), prefix);
    const b = new RedisRateLimitStore(openRedis(TEST_REDIS_URL, 'test-rate-b'), prefix);
    const probe = openRedis(TEST_REDIS_URL, 'test-rate-probe');
    try {
      const hits = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).hit('k', 60_000)));
      assert.deepEqual(hits.map((h) => h.count).sort((x, y) => x - y), Array.from({ length: 20 }, (_, i) => i + 1), 'every use counted once');
      for (const h of hits) assert.ok(h.resetInMs > 0 && h.resetInMs <= 60_000, String(h.resetInMs));
      const ttl = await probe.pttl(`${prefix}rate:k`);
      assert.ok(ttl > 0 && ttl <= 60_000, `the key expires with its window (${ttl})`);
    } finally {
      await Promise.all([a.close(), b.close()]);
      probe.disconnect();
      await deleteRedisPrefix(prefix);
    }
  });
});

test('while Redis does not answer, the Redis store refuses with a 503 error (never a 500, never an unlimited pass)', async () => {
  const store = new RedisRateLimitStore(openRedis('redis://127.0.0.1:1', 'test-rate-down'), uniqueRedisPrefix('down'));
  try {
    await assert.rejects(store.hit('k', 60_000), (err: unknown) => err instanceof AppError && err.status === 503 && err.message === 'Service temporarily unavailable');
  } finally {
    await store.close();
  }
});
