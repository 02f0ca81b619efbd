/**
 * The durability test: the real server (started as `npm start` starts it) takes mixed writes —
 * photo uploads and posts, replies, likes, follows — from several concurrent writers and is
 * SIGKILLed at a random moment, round after round. After each restart:
 *  - every write answered 2xx is present;
 *  - nothing answered with an error is applied, even partly;
 *  - writes left without an answer are either whole or absent: every stored counter matches
 *    the rows it counts (checkCounters, the check of `npm run admin -- admin integrity`), every
 *    idempotency key points to its post, every post with media has it, and uploads interrupted
 *    mid-processing finish;
 *  - the database passes its integrity check (DatabaseHandle.integrityCheck()).
 * Also reported, not failed on (a server issue, see the report): posts answered 2xx whose
 * fan-out into followers' home feeds was lost with the process (the feed job is in memory).
 *
 *   node --import tsx bench/src/durability.ts --db sqlite|postgres [--rounds 10]
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { type DbKind, type DbTarget, dropTarget, freshTarget, openHandle } from './db.ts';
import { type Manifest, generate } from './generate.ts';
import { makePhotos } from './photos.ts';
import { Prng } from './prng.ts';
import { ROOT, type ServerProcess, startServer } from './server-process.ts';
import type { SizeSpec } from './sizes.ts';
import { checkCounters, describeMismatch } from '../../server/src/domain/integrity/integrity-check.ts';

const DURABILITY_SIZE: SizeSpec = {
  name: 'tiny',
  accounts: 40,
  edges: 200,
  posts: 60,
  stories: 0,
  celebrityPosts: 5,
  midFollowers: 10,
  fanoutThreshold: 1000,
  tokens: 40,
  load: { seconds: 1, connections: 1, stormComments: 0, uploads: 0, reachSample: 5, listProbeRate: 1 },
};

type Outcome = 'ok' | 'error' | 'unknown';

interface Op {
  round: number;
  kind: 'upload' | 'post' | 'reply' | 'like' | 'follow';
  account: string;
  outcome: Outcome;
  status?: number;
  /** post/reply: the unique text; upload: the media id answered; like: status id; follow: target. */
  key: string;
  idempotencyKey?: string;
  mediaId?: string;
  inReplyTo?: string;
  id?: string;
}

export interface DurabilityReport {
  db: DbKind;
  rounds: number;
  ops: Record<Outcome, number>;
  byKind: Record<string, number>;
  failures: string[];
  /** Posts answered 2xx that some follower's home feed lacks after the restart. */
  lostFanouts: number;
  seconds: number;
}

export interface DurabilityOptions {
  db: DbKind;
  rounds?: number;
  dataDir?: string;
  /** PostgreSQL database name; dropped at the end. */
  database?: string;
  seed?: string;
  writers?: number;
  log?: (line: string) => void;
}

export async function runDurability(options: DurabilityOptions): Promise<DurabilityReport> {
  const log = options.log ?? ((line: string) => console.log(line));
  const rounds = options.rounds ?? 10;
  const dataDir = options.dataDir ?? path.join(ROOT, '.tmp', `durability-${options.db}`);
  fs.rmSync(dataDir, { recursive: true, force: true });
  const started = Date.now();
  const rng = new Prng(options.seed ?? 'durability');
  const target: DbTarget = await freshTarget(options.db, dataDir, { database: options.database ?? 'glimpse_durability' });
  const failures: string[] = [];
  const ops: Op[] = [];
  let lostFanouts = 0;
  let server: ServerProcess | undefined;
  try {
    const manifest: Manifest = await generate({ size: DURABILITY_SIZE, target, seed: 'durability', log: () => undefined });
    const [photo] = await makePhotos(path.join(ROOT, '.tmp', 'bench-photos'), 1, 320, 240, 'durability');
    const photoBytes = fs.readFileSync(photo);
    const accounts = manifest.tokens;
    const check = await openHandle(target);
    const existingFollows = new Set((await check.kysely.selectFrom('follows').select(['account_id', 'target_account_id']).execute()).map((r) => `${r.account_id}>${r.target_account_id}`));
    const knownPosts = (await check.kysely.selectFrom('statuses').select('id').execute()).map((r) => r.id);
    await check.close();
    const attemptedLikes = new Set<string>();
    const attemptedFollows = new Set<string>(existingFollows);

    const request = async (op: Op, token: string, method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<any> => {
      try {
        const init: RequestInit = { method, headers: { authorization: `Bearer ${token}`, ...headers }, signal: AbortSignal.timeout(15_000) };
        if (body instanceof FormData) init.body = body;
        else if (body !== undefined) {
          init.body = JSON.stringify(body);
          (init.headers as Record<string, string>)['content-type'] = 'application/json';
        }
        const res = await fetch(`${server!.url}${url}`, init);
        const text = await res.text();
        op.status = res.status;
        op.outcome = res.ok ? 'ok' : 'error';
        try {
          return JSON.parse(text);
        } catch {
          op.outcome = 'unknown'; // a cut-off answer
          return undefined;
        }
      } catch {
        op.outcome = 'unknown';
        return undefined;
      }
    };

    let counter = 0;
    const writer = async (round: number, stop: { killed: boolean }, wrng: Prng) => {
      while (!stop.killed) {
        const me = accounts[wrng.int(accounts.length)];
        const choice = wrng.next();
        const n = counter++;
        const foreignMedia = ops.find((o) => o.kind === 'upload' && o.outcome === 'ok' && o.account !== me.id && o.key);
        if (choice < 0.05 && foreignMedia) {
          // A write the server must refuse whole: a post with another account's photo (422).
          const bad: Op = { round, kind: 'post', account: me.id, outcome: 'unknown', key: `dur bad ${round} ${n}`, idempotencyKey: `dur-bad-${round}-${n}`, mediaId: foreignMedia.key };
          ops.push(bad);
          await request(bad, me.token, 'POST', '/api/v1/statuses', { status: bad.key, media_ids: [foreignMedia.key] }, { 'idempotency-key': bad.idempotencyKey! });
          if (bad.outcome === 'ok') failures.push(`round ${round}: a post with another account's photo was accepted`);
        } else if (choice < 0.3) {
          const upload: Op = { round, kind: 'upload', account: me.id, outcome: 'unknown', key: '' };
          ops.push(upload);
          const form = new FormData();
          form.append('file', new Blob([photoBytes], { type: 'image/jpeg' }), 'photo.jpg');
          const media = await request(upload, me.token, 'POST', '/api/v1/media', form);
          upload.key = media?.id ?? '';
          if (upload.outcome !== 'ok' || stop.killed) continue;
          const post: Op = { round, kind: 'post', account: me.id, outcome: 'unknown', key: `dur post ${round} ${n}`, idempotencyKey: `dur-${round}-${n}`, mediaId: media.id };
          ops.push(post);
          const body = await request(post, me.token, 'POST', '/api/v1/statuses', { status: post.key, media_ids: [media.id] }, { 'idempotency-key': post.idempotencyKey! });
          if (post.outcome === 'ok') {
            post.id = body.id;
            knownPosts.push(body.id);
          }
        } else if (choice < 0.55) {
          const parent = knownPosts[wrng.int(knownPosts.length)];
          const reply: Op = { round, kind: 'reply', account: me.id, outcome: 'unknown', key: `dur reply ${round} ${n}`, inReplyTo: parent };
          ops.push(reply);
          const body = await request(reply, me.token, 'POST', '/api/v1/statuses', { status: reply.key, in_reply_to_id: parent });
          if (reply.outcome === 'ok') reply.id = body.id;
        } else if (choice < 0.8) {
          const status = knownPosts[wrng.int(knownPosts.length)];
          if (attemptedLikes.has(`${me.id}>${status}`)) continue;
          attemptedLikes.add(`${me.id}>${status}`);
          const like: Op = { round, kind: 'like', account: me.id, outcome: 'unknown', key: status };
          ops.push(like);
          await request(like, me.token, 'POST', `/api/v1/statuses/${status}/favourite`);
        } else {
          const other = accounts[wrng.int(accounts.length)];
          if (other.id === me.id || attemptedFollows.has(`${me.id}>${other.id}`)) continue;
          attemptedFollows.add(`${me.id}>${other.id}`);
          const follow: Op = { round, kind: 'follow', account: me.id, outcome: 'unknown', key: other.id };
          ops.push(follow);
          await request(follow, me.token, 'POST', `/api/v1/accounts/${other.id}/follow`);
        }
      }
    };

    const verify = async (label: string) => {
      const fail = (message: string) => failures.push(`${label}: ${message}`);
      const handle = await openHandle(target);
      const db = handle.kysely;
      try {
        // Uploads interrupted mid-processing are queued again at start: wait for them.
        for (let i = 0; i < 100; i++) {
          const processing = await db.selectFrom('media').select(sql<number>`count(*)`.as('n')).where('state', '=', 'processing').executeTakeFirst();
          if (Number(processing?.n ?? 0) === 0) break;
          if (i === 99) fail(`${processing?.n} uploads still processing 10 s after the restart`);
          await new Promise((r) => setTimeout(r, 100));
        }
        for (const op of ops) {
          const what = `${op.kind} by ${op.account} (${op.key}) answered ${op.status ?? 'nothing'}`;
          if (op.kind === 'upload') {
            if (op.outcome !== 'ok') continue;
            const m = await db.selectFrom('media').select(['state']).where('id', '=', op.key).executeTakeFirst();
            if (!m || m.state !== 'ready') fail(`${what}: media ${m ? m.state : 'missing'}`);
          } else if (op.kind === 'post' || op.kind === 'reply') {
            const rows = await db.selectFrom('statuses').select(['id', 'in_reply_to_id', 'has_media']).where('text', '=', op.key).execute();
            if (op.outcome === 'ok' && (rows.length !== 1 || rows[0].id !== op.id)) fail(`${what}: ${rows.length} rows`);
            if (op.outcome === 'error' && rows.length > 0) fail(`${what}: applied anyway`);
            if (op.outcome === 'unknown' && rows.length > 1) fail(`${what}: ${rows.length} rows`);
            if (rows.length === 1 && op.kind === 'post') {
              const media = await db.selectFrom('media').select('id').where('status_id', '=', rows[0].id).execute();
              if (media.length !== 1 || media[0].id !== op.mediaId) fail(`${what}: its photo is not attached`);
              const key = await db.selectFrom('idempotency_keys').select('status_id').where('account_id', '=', op.account).where('key', '=', op.idempotencyKey!).executeTakeFirst();
              if (key?.status_id !== rows[0].id) fail(`${what}: idempotency key missing`);
            }
            if (rows.length === 1 && op.kind === 'reply' && rows[0].in_reply_to_id !== op.inReplyTo) fail(`${what}: wrong parent`);
            if (op.outcome === 'error' && op.kind === 'post') {
              const key = await db.selectFrom('idempotency_keys').select('status_id').where('account_id', '=', op.account).where('key', '=', op.idempotencyKey!).executeTakeFirst();
              if (key) fail(`${what}: idempotency key kept`);
            }
          } else if (op.kind === 'like') {
            const row = await db.selectFrom('favourites').select('id').where('account_id', '=', op.account).where('status_id', '=', op.key).executeTakeFirst();
            if (op.outcome === 'ok' && !row) fail(`${what}: missing`);
            if (op.outcome === 'error' && row) fail(`${what}: applied anyway`);
          } else {
            const row = await db.selectFrom('follows').select('id').where('account_id', '=', op.account).where('target_account_id', '=', op.key).executeTakeFirst();
            if (op.outcome === 'ok' && !row) fail(`${what}: missing`);
            if (op.outcome === 'error' && row) fail(`${what}: applied anyway`);
          }
        }
        // Whole or absent: every counter matches the rows it counts (the admin integrity check).
        for (const m of await checkCounters(db)) fail(`counter out of step: ${describeMismatch(m)}`);
        const mismatched = async (name: string, q: string) => {
          const r = await sql.raw<{ n: number }>(q).execute(db);
          const n = Number(r.rows[0]?.n ?? 0);
          if (n > 0) fail(`${n} rows with ${name}`);
        };
        await mismatched('an idempotency key without its post', 'SELECT count(*) AS n FROM idempotency_keys k WHERE NOT EXISTS (SELECT 1 FROM statuses s WHERE s.id = k.status_id)');
        await mismatched('a photo post without its photo', "SELECT count(*) AS n FROM statuses s WHERE s.has_media = 1 AND NOT EXISTS (SELECT 1 FROM media m WHERE m.status_id = s.id AND m.state = 'ready')");
        // Jobs are durable (an outbox row in the post's transaction; the restarted process takes
        // over its predecessor's leases): once the queue has drained, every answered post is in
        // every follower's home feed, or the round fails.
        for (let i = 0; i < 200; i++) {
          const pending = await db.selectFrom('jobs').select(sql<number>`count(*)`.as('n')).where('state', 'in', ['queued', 'running']).executeTakeFirst();
          if (Number(pending?.n ?? 0) === 0) break;
          if (i === 199) {
            const rows = await db.selectFrom('jobs').select(['name', 'state', 'attempts', 'run_at', 'last_error']).where('state', 'in', ['queued', 'running']).limit(5).execute();
            const shown = rows.map((r) => `${r.name} ${r.state} attempt ${r.attempts} until ${r.run_at}${r.last_error ? `: ${r.last_error.split('\n')[0]}` : ''}`).join('; ');
            fail(`${pending?.n} jobs still queued or running 20 s after the restart (${shown})`);
          }
          await new Promise((r) => setTimeout(r, 100));
        }
        // Follows older than the post only (ids are time-ordered): a later follow backfills just
        // the author's newest posts.
        const lost = await sql.raw<{ n: number }>(
          `SELECT count(*) AS n FROM statuses s JOIN follows f ON f.target_account_id = s.account_id
           WHERE s.text LIKE 'dur post %' AND f.id < s.id AND NOT EXISTS (SELECT 1 FROM home_feed h WHERE h.account_id = f.account_id AND h.status_id = s.id)`,
        ).execute(db);
        lostFanouts = Number(lost.rows[0]?.n ?? 0);
        if (lostFanouts > 0) fail(`${lostFanouts} home-feed entries of answered posts are missing after the jobs drained`);
        const integrity = await handle.integrityCheck();
        if (integrity !== 'ok') fail(`integrity check: ${integrity}`);
      } finally {
        await handle.close();
      }
    };

    for (let round = 1; round <= rounds; round++) {
      server = await startServer({ target, fanoutThreshold: DURABILITY_SIZE.fanoutThreshold, logFile: path.join(dataDir, 'server.log') });
      if (round > 1) await verify(`after restart ${round - 1}`);
      const stop = { killed: false };
      const writers = Array.from({ length: options.writers ?? 6 }, (_, i) => writer(round, stop, rng.fork(`w${round}.${i}`)));
      const delay = 500 + rng.int(2000);
      await new Promise((r) => setTimeout(r, delay));
      await server.kill();
      stop.killed = true;
      await Promise.all(writers);
      const roundOps = ops.filter((o) => o.round === round);
      log(`  round ${round}: SIGKILL after ${delay} ms; ${roundOps.length} writes (${roundOps.filter((o) => o.outcome === 'ok').length} answered 2xx, ${roundOps.filter((o) => o.outcome === 'unknown').length} unanswered)`);
    }
    server = await startServer({ target, fanoutThreshold: DURABILITY_SIZE.fanoutThreshold, logFile: path.join(dataDir, 'server.log') });
    await verify(`after restart ${rounds}`);
    await server.stop();
  } finally {
    await server?.kill();
    if (target.kind === 'postgres') await dropTarget(target);
  }
  const count = (pred: (o: Op) => boolean) => ops.filter(pred).length;
  const report: DurabilityReport = {
    db: options.db,
    rounds,
    ops: { ok: count((o) => o.outcome === 'ok'), error: count((o) => o.outcome === 'error'), unknown: count((o) => o.outcome === 'unknown') },
    byKind: Object.fromEntries(['upload', 'post', 'reply', 'like', 'follow'].map((k) => [k, count((o) => o.kind === k)])),
    failures,
    lostFanouts,
    seconds: (Date.now() - started) / 1000,
  };
  log(`durability on ${options.db}: ${rounds} rounds in ${report.seconds.toFixed(0)} s; writes ${JSON.stringify(report.byKind)}, outcomes ${JSON.stringify(report.ops)}; ${failures.length} failures`);
  for (const f of failures) log(`  FAIL ${f}`);
  return report;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { db: { type: 'string', default: 'sqlite' }, rounds: { type: 'string', default: '10' } } });
  const report = await runDurability({ db: values.db as DbKind, rounds: Number(values.rounds) });
  process.exitCode = report.failures.length ? 1 : 0;
}
