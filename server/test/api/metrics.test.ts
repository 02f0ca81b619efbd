import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createWorld, type World } from '../support/world.ts';
import { postPhotos } from '../support/photos.ts';

const TOKEN = 'metrics-token-for-tests';

const hits = (text: string, cache: string) => Number(new RegExp(`^glimpse_cache_hits\\{cache="${cache}"\\} (\\d+)$`, 'm').exec(text)?.[1]);

describe('GET /metrics', () => {
  let world: World;
  before(async () => {
    world = await createWorld({ config: { metricsToken: TOKEN }, accounts: ['mara', 'ines'] });
  });
  after(() => world.close());

  const scrape = (authorization?: string) => world.app.http.inject({ method: 'GET', url: '/metrics', headers: authorization ? { authorization } : {} });

  test('answers the same 404 as a missing page without the token or with a wrong one', async () => {
    const missing = await world.get(undefined, '/api/v1/statuses/1700000000000000');
    for (const authorization of [undefined, 'Bearer wrong', `Bearer ${TOKEN}x`, TOKEN]) {
      const res = await scrape(authorization);
      assert.equal(res.statusCode, 404, String(authorization));
      assert.deepEqual(res.json(), missing.body);
    }
    // A user's API token is not the metrics token.
    assert.equal((await scrape(`Bearer ${world.actors.mara.token}`)).statusCode, 404);
  });

  test('with the token, answers Prometheus text whose cache counters follow the reads', async () => {
    await world.post('ines', `/api/v1/accounts/${world.actors.mara.id}/follow`);
    const post = await postPhotos(world, 'mara', 'counted');
    await world.app.services.jobs.onIdle();
    const first = await scrape(`Bearer ${TOKEN}`);
    assert.equal(first.statusCode, 200);
    assert.match(String(first.headers['content-type']), /^text\/plain/);
    assert.match(first.body, /^# TYPE glimpse_cache_hits gauge$/m);
    assert.match(first.body, /^glimpse_cache_capacity\{cache="post_content"\} \d+$/m);
    const before = hits(first.body, 'post_content');
    await world.get('ines', `/api/v1/statuses/${post.id}`);
    await world.get('ines', `/api/v1/statuses/${post.id}`);
    const after = hits((await scrape(`Bearer ${TOKEN}`)).body, 'post_content');
    assert.ok(after >= before + 2, `${before} → ${after}`);
  });
});

describe('GET /metrics without GLIMPSE_METRICS_TOKEN', () => {
  let world: World;
  before(async () => {
    world = await createWorld({ accounts: ['mara'] });
  });
  after(() => world.close());

  test('answers 404 whatever is sent', async () => {
    for (const authorization of [undefined, 'Bearer ', 'Bearer anything']) {
      const res = await world.app.http.inject({ method: 'GET', url: '/metrics', headers: authorization ? { authorization } : {} });
      assert.equal(res.statusCode, 404);
      assert.deepEqual(res.json(), { error: 'Record not found' });
    }
  });
});
