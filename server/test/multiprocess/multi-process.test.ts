import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import sharp from 'sharp';
import { Redis } from 'ioredis';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { IDS_PER_MS_PER_NODE, UNLEASED_ID_NODE } from '../../src/db/ids.ts';
import { processHolder } from '../../src/infra/process-holder.ts';
import { sessionChannel, userChannel } from '../../src/infra/pubsub/pub-sub.ts';
import { ROOT, type GlimpseProcess, startGlimpse } from '../support/processes.ts';
import { openStreamAt } from '../support/stream-client.ts';
import { TEST_POSTGRES_URL } from '../support/test-database.ts';
import { TEST_REDIS_URL, deleteRedisPrefix, uniqueRedisPrefix } from '../support/test-redis.ts';
import { startTestS3, type TestS3 } from '../support/test-s3.ts';
import { makeJpeg, multipartWithFile } from '../support/photos.ts';

/**
 * Glimpse as several operating-system processes, started as production starts them
 * (`node --import tsx server/src/main.ts serve`, configured only through the environment): two
 * `web` processes, A and B, and one `worker`, on one PostgreSQL database (made for this run),
 * one Redis prefix and one S3-compatible bucket (s3rver, started here). Everything is done
 * through the processes' HTTP and streaming APIs, except seeding 10,000 followers (bulk SQL)
 * and reading what the processes wrote (PostgreSQL, Redis, the bucket).
 */

const RUN = crypto.randomBytes(4).toString('hex');
const LOGS = path.join(ROOT, '.tmp', 'multiprocess', RUN);
const DATABASE = `glimpse_mp_${RUN}`;
const FOLLOWERS = 10_000;
/** Log-in attempts per address per 5 minutes, on every process. */
const LOGIN_LIMIT = 4;

function databaseUrl(name: string): string {
  const url = new URL(TEST_POSTGRES_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

async function admin<T>(run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: TEST_POSTGRES_URL, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

interface Answer<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

/** One HTTP request to a process; JSON bodies are parsed. */
async function call<T = any>(base: string, method: string, url: string, options: { token?: string; json?: unknown; body?: Buffer; contentType?: string } = {}): Promise<Answer<T>> {
  const headers: Record<string, string> = {};
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: BodyInit | undefined;
  if (options.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.json);
  } else if (options.body) {
    headers['content-type'] = options.contentType ?? 'application/octet-stream';
    body = new Uint8Array(options.body);
  }
  const res = await fetch(`${base}${url}`, { method, headers, body, signal: AbortSignal.timeout(30_000) });
  const text = await res.text();
  let parsed: unknown = text;
  if ((res.headers.get('content-type') ?? '').includes('json')) parsed = text ? JSON.parse(text) : undefined;
  return { status: res.status, body: parsed as T, headers: res.headers };
}

/** Polls `read` until `done` holds; the guard only turns a hang into a failure. */
async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string, guardMs = 30_000, everyMs = 100): Promise<T> {
  const guard = Date.now() + guardMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > guard) throw new Error(`gave up waiting for ${what}; last seen: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** Log folders of earlier runs older than a day go (each run keeps its own, for reading after a failure). */
function pruneOldLogs(): void {
  const parent = path.dirname(LOGS);
  if (!fs.existsSync(parent)) return;
  for (const entry of fs.readdirSync(parent)) {
    const folder = path.join(parent, entry);
    if (Date.now() - fs.statSync(folder).mtimeMs > 86_400_000) fs.rmSync(folder, { recursive: true, force: true });
  }
}

interface Account {
  id: string;
  username: string;
  token: string;
}

describe('two web processes and a worker on PostgreSQL, Redis and S3', () => {
  let s3: TestS3;
  let db: pg.Pool;
  let redis: Redis;
  let tmp: string;
  let prefix: string;
  let env: Record<string, string>;
  let a: GlimpseProcess;
  let b: GlimpseProcess;
  let worker: GlimpseProcess;
  const workerDataDir = () => path.join(tmp, 'worker');
  let oauthApp: { client_id: string; client_secret: string };
  let appToken: string;
  let databaseCreated = false;

  const startWorker = () => startGlimpse({ name: 'worker', role: 'worker', env, dataDir: workerDataDir(), logFile: path.join(LOGS, 'worker.log') });

  async function register(username: string): Promise<Account> {
    const res = await call(a.url, 'POST', '/api/v1/accounts', {
      token: appToken,
      json: { username, email: `${username}@multi.test`, password: `${username}-password-1`, agreement: true },
    });
    assert.equal(res.status, 200, `registering ${username}: ${JSON.stringify(res.body)}`);
    const token = res.body.access_token as string;
    const me = await call(a.url, 'GET', '/api/v1/accounts/verify_credentials', { token });
    assert.equal(me.status, 200);
    return { id: me.body.id, username, token };
  }

  /**
   * Resolves once the process holding the account's new stream has its Redis subscriptions in
   * effect: the account's own channel (its posts, notifications) and its session channel
   * (revocations). Only that process holds streams of the account, so one subscriber each is it.
   */
  async function subscribed(account: Account) {
    for (const channel of [userChannel(account.id), sessionChannel(account.id)]) {
      await eventually(
        async () => Number(((await redis.pubsub('NUMSUB', `${prefix}${channel}`)) as [string, number])[1]),
        (n) => n >= 1,
        `the stream of ${account.username} to be subscribed to ${channel} in Redis`,
        10_000,
        20,
      );
    }
  }

  /** A photo uploaded through `through` (POST /api/v1/media answers once a worker has processed it). */
  async function uploadPhoto(through: GlimpseProcess, account: Account, color = '#d14'): Promise<string> {
    const { body, contentType } = multipartWithFile('file', { data: await makeJpeg(64, 48, color), filename: 'photo.jpg', type: 'image/jpeg' });
    const res = await call(through.url, 'POST', '/api/v1/media', { token: account.token, body, contentType });
    assert.equal(res.status, 200, `upload through ${through.name}: ${JSON.stringify(res.body)}`);
    return res.body.id as string;
  }

  /** A photo post (Glimpse posts need a photo) made through `through`; answers the status. */
  async function photoPost(through: GlimpseProcess, account: Account, text: string, mediaId?: string) {
    const media = mediaId ?? (await uploadPhoto(through, account));
    const res = await call(through.url, 'POST', '/api/v1/statuses', { token: account.token, json: { status: text, media_ids: [media], visibility: 'public' } });
    assert.equal(res.status, 200, `posting through ${through.name}: ${JSON.stringify(res.body)}`);
    return res.body as { id: string; content: string };
  }

  before(async () => {
    pruneOldLogs();
    fs.mkdirSync(LOGS, { recursive: true });
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-multiprocess-'));
    prefix = uniqueRedisPrefix('multiprocess');
    redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
    await admin((client) => client.query(`CREATE DATABASE ${DATABASE}`));
    databaseCreated = true;
    db = new pg.Pool({ connectionString: databaseUrl(DATABASE), max: 4 });
    s3 = await startTestS3();
    env = {
      GLIMPSE_DATABASE_URL: databaseUrl(DATABASE),
      GLIMPSE_REDIS_URL: TEST_REDIS_URL,
      GLIMPSE_REDIS_PREFIX: prefix,
      GLIMPSE_SECRET: crypto.randomBytes(24).toString('base64url'),
      GLIMPSE_STORAGE: 's3',
      GLIMPSE_S3_ENDPOINT: s3.storage.endpoint,
      GLIMPSE_S3_BUCKET: s3.bucket,
      GLIMPSE_S3_REGION: s3.storage.region,
      GLIMPSE_S3_ACCESS_KEY_ID: s3.storage.accessKeyId,
      GLIMPSE_S3_SECRET_ACCESS_KEY: s3.storage.secretAccessKey,
      GLIMPSE_S3_FORCE_PATH_STYLE: 'true',
      // Above the seeded 10,000 followers: that account's posts are pushed (fanned out).
      GLIMPSE_FANOUT_THRESHOLD: String(2 * FOLLOWERS),
      GLIMPSE_RATE_LIMITS: 'on',
      GLIMPSE_RATE_LIMIT_LOGIN: String(LOGIN_LIMIT),
      // Every request here comes from 127.0.0.1: only the log-in limit is under test.
      GLIMPSE_RATE_LIMIT_REGISTRATION: '0',
      GLIMPSE_RATE_LIMIT_API: '0',
      GLIMPSE_RATE_LIMIT_ANONYMOUS: '0',
      GLIMPSE_LOG_LEVEL: 'info',
    };
    // A first: it migrates the new database; then B and the worker together.
    a = await startGlimpse({ name: 'web-a', role: 'web', env, dataDir: path.join(tmp, 'web-a'), logFile: path.join(LOGS, 'web-a.log') });
    [b, worker] = await Promise.all([
      startGlimpse({ name: 'web-b', role: 'web', env, dataDir: path.join(tmp, 'web-b'), logFile: path.join(LOGS, 'web-b.log') }),
      startWorker(),
    ]);

    const created = await call(a.url, 'POST', '/api/v1/apps', { json: { client_name: 'multi-process suite', redirect_uris: 'https://client.example/callback', scopes: 'read write follow push' } });
    assert.equal(created.status, 200, JSON.stringify(created.body));
    oauthApp = created.body;
    const token = await call(a.url, 'POST', '/oauth/token', {
      json: { grant_type: 'client_credentials', client_id: oauthApp.client_id, client_secret: oauthApp.client_secret, scope: 'read write follow push' },
    });
    assert.equal(token.status, 200, JSON.stringify(token.body));
    appToken = token.body.access_token;
  });

  after(async () => {
    const processes = [a, b, worker].filter((p): p is GlimpseProcess => p !== undefined);
    await Promise.allSettled(processes.map((p) => p.stop()));
    await db?.end().catch(() => undefined);
    redis?.disconnect();
    await s3?.stop().catch(() => undefined);
    if (databaseCreated) await admin((client) => client.query(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`));
    if (prefix) await deleteRedisPrefix(prefix);
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('the worker serves no HTTP on the PORT it is given', async () => {
    assert.equal(worker.exit, undefined, 'the worker is running');
    await assert.rejects(fetch(`${worker.url}/api/v1/instance`, { signal: AbortSignal.timeout(5000) }), (error: Error & { cause?: { code?: string } }) => error.cause?.code === 'ECONNREFUSED');
  });

  it('a post made through A reaches a follower\'s stream held by B, and their home feed read through B', async () => {
    const author = await register('pia');
    const follower = await register('fred');
    const follow = await call(a.url, 'POST', `/api/v1/accounts/${author.id}/follow`, { token: follower.token });
    assert.equal(follow.status, 200, JSON.stringify(follow.body));
    assert.equal(follow.body.following, true);

    const stream = await openStreamAt(b.url, follower.token);
    await subscribed(follower);
    const photo = await uploadPhoto(a, author);
    const posted = await photoPost(a, author, 'made through A', photo);

    const frame = await stream.frame((f) => f.event === 'update' && JSON.parse(f.payload!).id === posted.id, 'the post on the follower\'s stream on B');
    assert.deepEqual(frame.stream, ['user']);
    assert.equal(JSON.parse(frame.payload!).account.id, author.id);
    stream.close();

    // The author is under the fan-out threshold: the post reaches the home feed by the worker's fan-out.
    const home = await eventually(
      () => call<Array<{ id: string; content: string }>>(b.url, 'GET', '/api/v1/timelines/home', { token: follower.token }),
      (res) => res.status !== 200 || res.body.some((s) => s.id === posted.id),
      'the post in the follower\'s home feed read through B',
    );
    assert.equal(home.status, 200);
    assert.match(home.body.find((s) => s.id === posted.id)!.content, /made through A/);
  });

  it('a photo uploaded through A is processed by the worker and served by B', async () => {
    const owner = await register('ulla');
    const jpeg = await sharp({ create: { width: 900, height: 600, channels: 3, background: '#4a7', noise: { type: 'gaussian', mean: 120, sigma: 30 } } }).jpeg().toBuffer();
    const { body, contentType } = multipartWithFile('file', { data: jpeg, filename: 'photo.jpg', type: 'image/jpeg' });
    const uploaded = await call(a.url, 'POST', '/api/v2/media', { token: owner.token, body, contentType });
    assert.ok(uploaded.status === 200 || uploaded.status === 202, `upload answered ${uploaded.status} ${JSON.stringify(uploaded.body)}`);
    const id = uploaded.body.id as string;

    const ready = await eventually(
      () => call(b.url, 'GET', `/api/v1/media/${id}`, { token: owner.token }),
      (res) => res.status !== 206,
      'the upload to be processed',
      60_000,
    );
    assert.equal(ready.status, 200, JSON.stringify(ready.body));
    const row = (await db.query('SELECT state, storage_key, lease_holder FROM media WHERE id = $1', [id])).rows[0];
    assert.equal(row.state, 'ready');
    // The attempt that committed was the worker's (web processes store uploads, never process them).
    assert.equal(row.lease_holder, processHolder(workerDataDir()), 'processed by the worker');
    const keys = await s3.keys(`${row.storage_key}/`);
    assert.ok(keys.includes(`${row.storage_key}/w1080.jpg`), `the sizes are in the bucket: ${keys.join(', ')}`);

    const url = new URL(ready.body.url as string);
    assert.equal(url.origin, b.url, 'B hands out its own URL');
    const served = await fetch(url, { signal: AbortSignal.timeout(30_000) });
    assert.equal(served.status, 200);
    assert.equal(served.headers.get('content-type'), 'image/jpeg');
    const bytes = Buffer.from(await served.arrayBuffer());
    const name = url.pathname.split('/').pop()!;
    const stored = await s3.client.send(new GetObjectCommand({ Bucket: s3.bucket, Key: `${row.storage_key}/${name}` }));
    assert.deepEqual(bytes, Buffer.from(await stored.Body!.transformToByteArray()), 'B serves the bytes the worker stored');
    const meta = await sharp(bytes).metadata();
    assert.equal(meta.format, 'jpeg');
    assert.equal((meta.width! / meta.height!).toFixed(2), (900 / 600).toFixed(2));
  });

  it('the log-in limit is one budget per address across A and B', async () => {
    await register('lina');
    const logIn = (through: GlimpseProcess, login: string, password: string) =>
      call(through.url, 'POST', '/api/glimpse/v1/session', { json: { login, password } });
    // The budget spent alternately through A and B, each attempt a different name.
    for (let i = 0; i < LOGIN_LIMIT; i++) {
      const through = i % 2 ? b : a;
      const res = await logIn(through, `nobody${i}`, 'wrong-password');
      assert.equal(res.status, 401, `attempt ${i + 1} of ${LOGIN_LIMIT}, through ${through.name}: ${JSON.stringify(res.body)}`);
    }
    for (const through of [a, b]) {
      const refused = await logIn(through, 'lina', 'lina-password-1');
      assert.equal(refused.status, 429, `the right password through ${through.name}, over the budget: ${JSON.stringify(refused.body)}`);
      assert.deepEqual(refused.body, { error: 'Too many requests' });
      assert.ok(Number(refused.headers.get('retry-after')) > 0, 'says when to come back');
    }
  });

  it('ids stay unique under concurrent uploads and posts through A and B', async () => {
    const writers = await Promise.all(['ida', 'ivo', 'ike', 'isa', 'ian', 'ines'].map((name) => register(name)));
    // Within the per-account bound of uploads still processing (10, counted across processes:
    // a web process answers before the worker is done).
    const PER_WRITER_PER_PROCESS = 5;
    const jobs = writers.flatMap((writer) => [a, b].flatMap((through) => Array.from({ length: PER_WRITER_PER_PROCESS }, () => ({ writer, through }))));
    const mediaIds = await Promise.all(jobs.map(({ writer, through }, i) => uploadPhoto(through, writer, ['#d14', '#1d4', '#14d', '#dd4'][i % 4])));
    assert.equal(new Set(mediaIds).size, mediaIds.length, 'every upload got its own id');

    const posts = await Promise.all(jobs.map(({ writer, through }, i) => photoPost(through, writer, `concurrent ${through.name} ${i}`, mediaIds[i]).then((post) => ({ post, text: `concurrent ${through.name} ${i}` }))));
    const ids = posts.map(({ post }) => post.id);
    assert.equal(new Set(ids).size, ids.length, 'every post got its own id');
    const rows = (await db.query('SELECT s.id, s.text, m.id AS media_id FROM statuses s JOIN media m ON m.status_id = s.id WHERE s.id = ANY($1::text[])', [ids])).rows as Array<{ id: string; text: string; media_id: string }>;
    assert.equal(rows.length, ids.length, 'every id is a stored post with its photo');
    const byId = new Map(rows.map((r) => [r.id, r]));
    posts.forEach(({ post, text }, i) => {
      assert.equal(byId.get(post.id)?.text, text, 'each id holds the post it was answered for');
      assert.equal(byId.get(post.id)?.media_id, mediaIds[i], 'and that post\'s photo');
    });
  });

  it('revoking a token through A closes its stream on B; another account\'s stream on B stays open', async () => {
    const target = await register('rhea');
    const other = await register('sol');
    const friend = await register('tam');
    const revoked = await openStreamAt(b.url, target.token);
    const staying = await openStreamAt(b.url, other.token);
    await subscribed(target);
    await subscribed(other);

    const res = await call(a.url, 'POST', '/oauth/revoke', { json: { client_id: oauthApp.client_id, client_secret: oauthApp.client_secret, token: target.token } });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(await revoked.closed(), 4001);
    assert.equal((await call(b.url, 'GET', '/api/v1/accounts/verify_credentials', { token: target.token })).status, 401, 'B refuses the token too');

    // An event after the revocation still reaches the other account's stream on B.
    assert.equal((await call(a.url, 'POST', `/api/v1/accounts/${other.id}/follow`, { token: friend.token })).status, 200);
    await staying.frame((f) => f.event === 'notification' && JSON.parse(f.payload!).account.id === friend.id, 'a notification after the revocation');
    assert.ok(staying.isOpen);
    staying.close();
  });

  it('a SIGKILL of the worker during the fan-out to 10,000 followers loses no feed entry once a worker runs again', async (t) => {
    const author = await register('cele');
    await seedFollowers(author.id);
    const photo = await uploadPhoto(a, author);
    const statusId = (await photoPost(a, author, 'to ten thousand', photo)).id;

    // The worker is killed as soon as it has taken this post's fan-out job (BullMQ's active list).
    const queue = `${prefix}bull:feed.fan-out`;
    const jobId = await eventually(
      async () => {
        for (const id of await redis.lrange(`${queue}:active`, 0, -1)) {
          const data = await redis.hget(`${queue}:${id}`, 'data');
          if (data && JSON.parse(data).statusId === statusId) return id;
        }
        return undefined;
      },
      (id) => id !== undefined,
      'the worker to take the fan-out job',
      30_000,
      2,
    );
    const killed = await worker.kill();
    assert.equal(killed.signal, 'SIGKILL');
    // Interrupted: the job was neither completed nor failed when its worker died.
    assert.ok((await redis.lrange(`${queue}:active`, 0, -1)).includes(jobId!), 'the job was still running when the worker was killed');
    t.diagnostic(`followers without the post right after the kill: ${await missingFeedRows(author.id, statusId)} of ${FOLLOWERS}`);

    const restarted = Date.now();
    worker = await startWorker();
    // Done once a worker has run the job to the end again (BullMQ takes a dead worker's job back once its lock expires).
    await eventually(async () => redis.zscore(`${queue}:completed`, jobId!), (score) => score !== null, 'the fan-out job to be completed by the new worker', 150_000, 250);
    t.diagnostic(`the job was completed ${((Date.now() - restarted) / 1000).toFixed(1)} s after the new worker started`);
    assert.equal(await missingFeedRows(author.id, statusId), 0, 'every follower has the post in their home feed');
    const count = await db.query('SELECT count(*)::int AS n FROM home_feed WHERE status_id = $1', [statusId]);
    assert.equal(count.rows[0].n, FOLLOWERS, 'one row per follower');
  });

  /** 10,000 accounts following `authorId`, written in bulk, with consistent counters. */
  async function seedFollowers(authorId: string): Promise<void> {
    // Ids of a past instant under the node no server leases (db/ids.ts), one millisecond each.
    const base = Date.UTC(2025, 0, 1);
    const low = UNLEASED_ID_NODE * IDS_PER_MS_PER_NODE;
    const at = new Date(base).toISOString();
    const client = await db.connect();
    try {
      await client.query('BEGIN');
      await client.query(
        `INSERT INTO accounts (id, username, username_lower, display_name, note, locked, discoverable, followers_count, following_count, statuses_count, created_at, updated_at)
         SELECT ((($1::bigint + g) * 1000) + $2)::text, 'fan' || g, 'fan' || g, '', '', 0, 1, 0, 1, 0, $3, $3 FROM generate_series(1, $4::int) AS g`,
        [base, low, at, FOLLOWERS],
      );
      await client.query(
        `INSERT INTO users (account_id, email, email_lower, password_hash, role, approved, disabled, registration_reason, created_at, password_changed_at)
         SELECT ((($1::bigint + g) * 1000) + $2)::text, 'fan' || g || '@multi.test', 'fan' || g || '@multi.test', 'x', 'user', 1, 0, '', $3, $3 FROM generate_series(1, $4::int) AS g`,
        [base, low, at, FOLLOWERS],
      );
      await client.query(
        `INSERT INTO follows (id, account_id, target_account_id, created_at)
         SELECT ((($1::bigint + $4::int + g) * 1000) + $2)::text, ((($1::bigint + g) * 1000) + $2)::text, $5, $3 FROM generate_series(1, $4::int) AS g`,
        [base, low, at, FOLLOWERS, authorId],
      );
      await client.query('UPDATE accounts SET followers_count = followers_count + $1 WHERE id = $2', [FOLLOWERS, authorId]);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    } finally {
      client.release();
    }
  }

  /** Followers of the author whose home feed lacks the post. */
  async function missingFeedRows(authorId: string, statusId: string): Promise<number> {
    const res = await db.query(
      `SELECT count(*)::int AS n FROM follows f
       WHERE f.target_account_id = $1 AND NOT EXISTS (SELECT 1 FROM home_feed h WHERE h.account_id = f.account_id AND h.status_id = $2)`,
      [authorId, statusId],
    );
    return res.rows[0].n as number;
  }
});

