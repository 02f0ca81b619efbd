import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createWorld, type World } from '../support/world.ts';
import { postPhotos } from '../support/photos.ts';
import { listen } from '../support/two-apps.ts';
import { openStreamAt } from '../support/stream-client.ts';
import { TEST_DB } from '../support/test-database.ts';

const TOKEN = 'metrics-token-for-tests';

/** The value of the one sample of `name` carrying every one of these labels (any order), or undefined. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of text.split('\n')) {
    const m = /^([a-z_]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = Object.fromEntries([...(m[2] ?? '').matchAll(/([a-z_]+)="([^"]*)"/g)].map((p) => [p[1], p[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) return Number(m[3]);
  }
  return undefined;
}

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

describe('GET /metrics: requests, media, streams, the database and the process', () => {
  let world: World;
  before(async () => {
    world = await createWorld({ config: { metricsToken: TOKEN }, accounts: ['mara', 'ines'] });
  });
  after(() => world.close());

  const scrape = async () => {
    const res = await world.app.http.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } });
    assert.equal(res.statusCode, 200);
    return res.body;
  };

  test('counts requests by route pattern and status, never by path, with a latency histogram', async () => {
    const post = await postPhotos(world, 'mara', 'seen twice');
    await world.get('ines', `/api/v1/statuses/${post.id}`);
    await world.get('ines', `/api/v1/statuses/${post.id}`);
    await world.get('ines', '/api/v1/statuses/1700000000000000');
    await world.get('ines', '/api/v1/no/such/endpoint');
    const text = await scrape();
    const route = '/api/v1/statuses/:id';
    assert.ok((sample(text, 'glimpse_http_requests_total', { method: 'GET', route, status: '200' }) ?? 0) >= 2);
    assert.equal(sample(text, 'glimpse_http_requests_total', { method: 'GET', route, status: '404' }), 1);
    assert.ok((sample(text, 'glimpse_http_requests_total', { method: 'GET', route: 'unmatched', status: '404' }) ?? 0) >= 1);
    assert.doesNotMatch(text, new RegExp(post.id), 'no series is labelled with a path');
    assert.doesNotMatch(text, /no\/such\/endpoint/);
    assert.ok((sample(text, 'glimpse_http_request_duration_seconds_count', { method: 'GET', route }) ?? 0) >= 3);
    assert.ok(sample(text, 'glimpse_http_request_duration_seconds_bucket', { method: 'GET', route, le: '+Inf' })! >= 3);
    // The process's own collectors come with the token.
    assert.match(text, /^process_resident_memory_bytes \d+/m);
    assert.match(text, /^nodejs_eventloop_lag_p99_seconds /m);
  });

  test('times media processing and reports the database pool', async () => {
    const before = sample(await scrape(), 'glimpse_media_processing_seconds_count', { outcome: 'ok' }) ?? 0;
    await postPhotos(world, 'mara', 'processed', { photos: 2 });
    const text = await scrape();
    assert.equal(sample(text, 'glimpse_media_processing_seconds_count', { outcome: 'ok' }), before + 2);
    assert.equal(sample(text, 'glimpse_queue_jobs', { queue: 'media', state: 'waiting' }), 0);
    if (TEST_DB === 'postgres') {
      assert.ok((sample(text, 'glimpse_db_pool_connections', { state: 'open' }) ?? 0) >= 1);
      assert.ok((sample(text, 'glimpse_db_pool_connections', { state: 'waiting' }) ?? -1) >= 0);
    } else {
      assert.equal(sample(text, 'glimpse_db_pool_connections', { state: 'open' }), undefined, 'SQLite has no pool');
    }
  });

  test('counts open streams while they are open', async () => {
    const port = await listen(world.app);
    const open = async () => sample(await scrape(), 'glimpse_streams_open', { transport: 'websocket' });
    const settled = async (want: number) => {
      for (let i = 0; i < 200 && (await open()) !== want; i++) await new Promise((resolve) => setTimeout(resolve, 25));
      return open();
    };
    assert.equal(await open(), 0);
    const stream = await openStreamAt(`http://127.0.0.1:${port}`, world.actors.ines.token);
    assert.equal(await settled(1), 1);
    stream.close();
    assert.equal(await settled(0), 0);
  });
});

describe('GET /metrics: durable jobs by queue and state', () => {
  let world: World;
  before(async () => {
    world = await createWorld({ config: { metricsToken: TOKEN }, accounts: ['mara', 'ines'] });
  });
  after(() => world.close());

  test('reports the jobs waiting where they are kept', async () => {
    await world.app.services.jobs.stop();
    await world.post('ines', `/api/v1/accounts/${world.actors.mara.id}/follow`);
    const res = await world.app.http.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } });
    const queued = res.body.split('\n').filter((l) => l.startsWith('glimpse_jobs{') && l.includes('state="queued"'));
    assert.ok(queued.length >= 1, res.body);
    assert.ok(queued.every((l) => Number(l.split(' ').pop()) >= 1));
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
