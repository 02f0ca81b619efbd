/**
 * `npm run bench -- --size smoke|standard|large --db sqlite|postgres`
 *
 * Generates the data, measures the baselines (hello, sharp-loop, push-fanout) and then the
 * real server, started as `npm start` starts it, under load from separate processes. Prints one
 * table (metric, value, baseline, ratio, target, pass) and writes the same as JSON to
 * bench/results/<date>-<size>-<db>.json.
 *
 * Flags: --reuse (keep data a previous run generated for the same size and database; the
 * earlier runs' comments and posts stay in it), --dir DIR (data directory), --out FILE,
 * --cpu-prof (the server writes a CPU profile to DIR/profiles when it stops; summarise it with
 * bench/src/profile-summary.ts), --seed S, --table FILE (print a results file's table again),
 * --nodes N (with --db postgres, N ≥ 2: after the single-process run, the same data served by N
 * GLIMPSE_ROLE=web processes and a GLIMPSE_ROLE=worker through Redis, the home feed, the story
 * tray and the comment storm measured again with the load spread over the web processes, and
 * rows comparing 1 and N processes).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import { loadConfig } from '../../server/src/config.ts';
import path from 'node:path';
import { fork, spawn } from 'node:child_process';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { type DbKind, type DbTarget, existingTarget, freshTarget, openHandle } from './db.ts';
import { BENCH_PASSWORD, type Manifest, defaultDataDir, generate, readManifest } from './generate.ts';
import { type WebClientResult, measureWebClient, webClientRows } from './web-client.ts';
import { type Cluster, startCluster } from './multi-process.ts';
import { HIDDEN_WORD, type HttpResult, type ReachResult, type StormResult, type Task, type UploadResult } from './load-worker.ts';
import { makePhotos } from './photos.ts';
import { pushFanout } from './push-fanout.ts';
import { ROOT, type ServerProcess, startServer } from './server-process.ts';
import { type SizeSpec, sizeFor } from './sizes.ts';
import { type UploadMemoryResult, measureUploadMemory, paddedPhoto } from './upload-memory.ts';
import { type StatementCounts, countStatementsOn } from './statement-counts.ts';

export interface Row {
  metric: string;
  value: number | string | null;
  unit: string;
  baseline: number | string | null;
  /** Unit of the baseline when it differs from the value's (hello's req/s, say). */
  baselineUnit?: string;
  ratio: number | null;
  target: string;
  pass: boolean | null;
  note?: string;
}

export interface BenchResult {
  date: string;
  size: string;
  db: DbKind;
  /** Web processes of the multi-process configuration (--nodes); absent for one process only. */
  nodes?: number;
  machine: { cpus: number; cpuModel: string; memoryGiB: number; node: string; platform: string };
  data: Manifest['counts'] & { generateSeconds: number; reused: boolean };
  rows: Row[];
  raw: Record<string, unknown>;
  file?: string;
}

export interface BenchOptions {
  size: SizeSpec;
  db: DbKind;
  dataDir?: string;
  reuse?: boolean;
  cpuProf?: boolean;
  /** Where the JSON goes; undefined writes bench/results/<date>-<size>-<db>.json; null writes none. */
  out?: string | null;
  seed?: string;
  /** PostgreSQL database name (default glimpse_bench_<size>, one per size). */
  database?: string;
  /**
   * N ≥ 2 (PostgreSQL only): after the single-process run, N web processes and a worker are
   * measured too (home feed and story tray saturation, comment storm). Default 1.
   */
  nodes?: number;
  log?: (line: string) => void;
}

interface Worker<T> {
  done: Promise<T>;
  stop(): void;
}

export function startWorker<T>(task: Task): Worker<T> {
  const child = fork(path.join(ROOT, 'bench/src/load-worker.ts'), [], { cwd: ROOT, execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const done = new Promise<T>((resolve, reject) => {
    child.once('message', (m: { ok: boolean; result?: T; error?: string }) => (m.ok ? resolve(m.result as T) : reject(new Error(m.error))));
    child.once('exit', (code) => reject(new Error(`the load worker exited (${code}) without a result`)));
  });
  child.send(task);
  return { done, stop: () => (child.connected ? void child.send('stop') : undefined) };
}

export const runTask = <T>(task: Task) => startWorker<T>(task).done;

/** Runs `fn` against the bare-Fastify baseline: `hello`, or page-from-memory when `pageFile` is given. */
async function withHello<T>(fn: (url: string) => Promise<T>, pageFile?: string): Promise<T> {
  const env = { ...process.env, PORT: '0', ...(pageFile ? { PAGE_FILE: pageFile } : {}) };
  const child = fork(path.join(ROOT, 'bench/src/hello-server.ts'), [], { cwd: ROOT, execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'inherit', 'ipc'], env });
  try {
    const port = await new Promise<number>((resolve, reject) => {
      child.once('message', (m: { port: number }) => resolve(m.port));
      child.once('exit', (code) => reject(new Error(`hello server exited ${code}`)));
    });
    return await fn(`http://127.0.0.1:${port}`);
  } finally {
    child.kill('SIGTERM');
  }
}

function sharpLoop(count: number, files: string[]): Promise<{ photos: number; seconds: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'bench/src/sharp-loop.ts'), String(count), ...files], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('exit', (code) => {
      const last = out.trim().split('\n').pop() ?? '';
      code === 0 ? resolve(JSON.parse(last)) : reject(new Error(`sharp-loop exited ${code}`));
    });
  });
}

/** POST /api/v2/media (processed in the background: 202, then polled until it is ready). */
async function uploadV2(url: string, token: string, file: string): Promise<string> {
  const form = new FormData();
  form.append('file', new Blob([fs.readFileSync(file)], { type: 'image/jpeg' }), 'photo.jpg');
  const res = await fetch(`${url}/api/v2/media`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
  const body = (await res.json()) as { id?: string };
  if ((res.status !== 200 && res.status !== 202) || !body.id) throw new Error(`upload failed: ${res.status} ${JSON.stringify(body)}`);
  for (let status = res.status; status !== 200; ) {
    await new Promise((r) => setTimeout(r, 25));
    const poll = await fetch(`${url}/api/v1/media/${body.id}`, { headers: { authorization: `Bearer ${token}` } });
    await poll.arrayBuffer();
    status = poll.status;
    if (status !== 200 && status !== 206) throw new Error(`media ${body.id} failed: ${status}`);
  }
  return body.id;
}

async function uploadOne(url: string, token: string, file: string): Promise<string> {
  const form = new FormData();
  form.append('file', new Blob([fs.readFileSync(file)], { type: 'image/jpeg' }), 'photo.jpg');
  const res = await fetch(`${url}/api/v1/media`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
  const body = (await res.json()) as { id?: string };
  if (res.status !== 200 || !body.id) throw new Error(`upload failed: ${res.status} ${JSON.stringify(body)}`);
  return body.id;
}

/** The one line that refuses --nodes N without PostgreSQL, or undefined. */
export function nodesProblem(nodes: number, db: DbKind): string | undefined {
  if (!Number.isInteger(nodes) || nodes < 1) return `--nodes must be a whole number ≥ 1, got ${nodes}`;
  if (nodes >= 2 && db !== 'postgres') return `--nodes ${nodes} needs --db postgres: several processes cannot share the embedded SQLite database`;
  return undefined;
}

/** The comments of the storm's post and its sharded counters, as the database has them afterwards. */
async function stormCheck(target: DbTarget, stormPost: string) {
  const check = await openHandle(target);
  let stormRows = 0;
  let counterTotal = 0;
  let counterHidden = 0;
  let hiddenRows = 0;
  let folds = 0;
  try {
    // Comments of the post (post_id = the post; every storm comment is top-level).
    const count = await check.kysely
      .selectFrom('statuses')
      .select([sql<number>`count(*)`.as('n'), sql<number>`coalesce(sum(case when hidden_reason is not null then 1 else 0 end), 0)`.as('hidden')])
      .where('post_id', '=', stormPost)
      .executeTakeFirst();
    stormRows = Number(count?.n ?? 0);
    hiddenRows = Number(count?.hidden ?? 0);
    // The exact count is the sum of the post's sharded comment counters.
    const counted = await check.kysely
      .selectFrom('comment_counts')
      .select([sql<number>`coalesce(sum(total), 0)`.as('n'), sql<number>`coalesce(sum(hidden), 0)`.as('hidden')])
      .where('post_id', '=', stormPost)
      .executeTakeFirst();
    counterTotal = Number(counted?.n ?? 0);
    counterHidden = Number(counted?.hidden ?? 0);
    const f = await check.kysely.selectFrom('comment_folds').select(sql<number>`count(*)`.as('n')).where('post_id', '=', stormPost).executeTakeFirst();
    folds = Number(f?.n ?? 0);
  } finally {
    await check.close();
  }
  return { stormRows, counterTotal, counterHidden, hiddenRows, folds };
}

/** Sets the celebrity's hidden words (the storm's moderation). */
async function setHiddenWords(url: string, token: string): Promise<void> {
  const hw = await fetch(`${url}/api/glimpse/v1/hidden_words`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ use_default_list: true, words: [HIDDEN_WORD] }),
  });
  if (!hw.ok) throw new Error(`setting hidden words failed: ${hw.status} ${await hw.text()}`);
}

/** Warnings and errors (pino level ≥ 40) a process logged: how many, and the first few. */
function logProblems(file: string): { warnings: number; errors: number; first: string[] } {
  let warnings = 0;
  let errors = 0;
  const first: string[] = [];
  let text = '';
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return { warnings, errors, first };
  }
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    let level = 50; // a line that is not pino's JSON (a stack trace on stderr) counts as an error
    let msg = line;
    try {
      const entry = JSON.parse(line) as { level?: number; msg?: string; err?: { message?: string } };
      level = entry.level ?? 30;
      msg = `${entry.msg ?? ''}${entry.err?.message ? `: ${entry.err.message}` : ''}`;
    } catch {
      // kept as it is
    }
    if (level < 40) continue;
    if (level >= 50) errors += 1;
    else warnings += 1;
    if (first.length < 5) first.push(msg.slice(0, 300));
  }
  return { warnings, errors, first };
}

const round = (x: number, digits = 1) => (Number.isFinite(x) ? Math.round(x * 10 ** digits) / 10 ** digits : x);
const ratio = (a: number, b: number) => (b > 0 && Number.isFinite(a) ? round(a / b, 3) : null);

export async function runBenchmark(options: BenchOptions): Promise<BenchResult> {
  const log = options.log ?? ((line: string) => console.log(line));
  const nodes = options.nodes ?? 1;
  const refused = nodesProblem(nodes, options.db);
  if (refused) throw new Error(refused);
  const size = options.size;
  const dataDir = options.dataDir ?? defaultDataDir(size.name, options.db);
  const load = size.load;
  /** How long an HTTP load phase runs: `seconds`, or a fixed number of requests when the size says so. */
  const phase = (seconds: number) => (load.requests ? { amount: load.requests } : { duration: seconds });
  const phaseLength = load.requests ? `${load.requests} requests` : `${load.seconds} s`;
  const raw: Record<string, unknown> = {};
  const rows: Row[] = [];
  const started = Date.now();

  // 1. Data.
  let target: DbTarget;
  let reused = false;
  let manifest: Manifest | undefined;
  // A PostgreSQL database per size: a smoke run must not replace the large data a later --reuse expects.
  const database = options.database ?? `glimpse_bench_${size.name}`;
  if (options.reuse && fs.existsSync(path.join(dataDir, 'manifest.json'))) {
    const m = readManifest(dataDir);
    // Data of an older generator (no stories, posts without the comment columns) or old enough
    // that its stories are expiring is generated again.
    const ageHours = (Date.now() - Date.parse(m.generatedAt)) / 3_600_000;
    const compatible = m.counts.storyViews !== undefined && m.counts.stories === size.stories && ageHours < 4;
    if (!compatible) log(`not reusing ${dataDir}: ${m.counts.storyViews === undefined ? 'made by an older generator (no stories)' : `generated ${ageHours.toFixed(1)} h ago, its stories are expiring`}`);
    if (m.size === size.name && m.db === options.db && compatible) {
      target = existingTarget(options.db, dataDir, { database });
      manifest = m;
      reused = true;
      log(`reusing the ${size.name} data in ${dataDir} (generated ${m.generatedAt})`);
    }
  }
  if (!manifest) {
    target = await freshTarget(options.db, dataDir, { database });
    manifest = await generate({ size, target, seed: options.seed, log });
  }
  target = target!;
  const tokens = manifest.tokens.map((t) => t.token);
  const threshold = manifest.fanoutThreshold;

  // 2. Baselines that need no server: push-fanout on the same data, sharp-loop on the photos.
  log('baseline push-fanout (one insert per follower, Mastodon-style)');
  const handle = await openHandle(target);
  let pushMid, pushAll;
  try {
    pushMid = await pushFanout(handle, manifest.mid.id);
    pushAll = await pushFanout(handle, manifest.celebrity.id);
  } finally {
    await handle.close();
  }
  raw.pushFanout = { mid: pushMid, celebrity: pushAll };
  log(`  ${pushMid.followers} followers: ${pushMid.seconds.toFixed(2)} s; ${pushAll.followers} followers: ${pushAll.seconds.toFixed(2)} s`);

  const [pw, ph] = size.name === 'tiny' ? [1600, 1200] : [4000, 3000];
  const photos = await makePhotos(path.join(ROOT, '.tmp', 'bench-photos'), 3, pw, ph);
  log(`baseline sharp-loop (${load.uploads} photos of ${pw}×${ph})`);
  const loop = await sharpLoop(load.uploads, photos);
  const loopRate = loop.photos / loop.seconds;
  raw.sharpLoop = { ...loop, photosPerSecond: loopRate };
  log(`  ${loopRate.toFixed(2)} photos/s`);

  log(`baseline hello (${load.connections} connections, ${phaseLength})`);
  const hello = await withHello(async (url) => {
    await runTask<HttpResult>({ type: 'http', url, path: '/', connections: load.connections, ...phase(Math.max(1, load.seconds / 3)) });
    return runTask<HttpResult>({ type: 'http', url, path: '/', connections: load.connections, ...phase(load.seconds) });
  });
  raw.hello = hello;
  log(`  ${Math.round(hello.rps)} req/s`);

  // 3. The server. First with its caches turned off (GLIMPSE_POST_CACHE_SIZE=0, GLIMPSE_FILTER_CACHE_SIZE=0), for the home
  // feed only, so their effect is seen on the same data before anything else changed it.
  const pageFile = path.join(dataDir, 'home-page.json');
  {
    const uncached = await startServer({ target, fanoutThreshold: threshold, logFile: path.join(dataDir, 'server-uncached.log'), env: { GLIMPSE_POST_CACHE_SIZE: '0', GLIMPSE_FILTER_CACHE_SIZE: '0', GLIMPSE_RELATIONS_CACHE_SIZE: '0', GLIMPSE_TRAY_CACHE_SIZE: '0' } });
    try {
      const readPath = '/api/v1/timelines/home?limit=20';
      const feedTokens = tokens.slice(1);
      await runTask<HttpResult>({ type: 'http', url: uncached.url, path: readPath, tokens: feedTokens, connections: load.connections, ...phase(Math.max(1, load.seconds / 2)) });
      log(`home feed, caches off: saturation (${load.connections} connections, ${phaseLength})`);
      const saturation = await runTask<HttpResult>({ type: 'http', url: uncached.url, path: readPath, tokens: feedTokens, connections: load.connections, ...phase(load.seconds) });
      log(`  ${Math.round(saturation.rps)} req/s (p50 ${saturation.p50} ms, p99 ${saturation.p99} ms, non-2xx ${saturation.non2xx})`);
      raw.homeFeedUncached = saturation;
      // The story tray the same way, for the tray cache's effect.
      const trayPath = '/api/glimpse/v1/stories/tray';
      await runTask<HttpResult>({ type: 'http', url: uncached.url, path: trayPath, tokens: feedTokens, connections: load.connections, ...phase(Math.max(1, load.seconds / 2)) });
      log(`story tray, caches off: saturation (${load.connections} connections, ${phaseLength})`);
      const traySaturation = await runTask<HttpResult>({ type: 'http', url: uncached.url, path: trayPath, tokens: feedTokens, connections: load.connections, ...phase(load.seconds) });
      log(`  ${Math.round(traySaturation.rps)} req/s (p50 ${traySaturation.p50} ms, p99 ${traySaturation.p99} ms, non-2xx ${traySaturation.non2xx})`);
      raw.storyTrayUncached = traySaturation;
      // One real page (the first viewer's), kept for the page-from-memory baseline.
      const answer = await fetch(new URL(readPath, uncached.url), { headers: { authorization: `Bearer ${feedTokens[0]}` } });
      if (!answer.ok) throw new Error(`the home feed answered ${answer.status}`);
      fs.writeFileSync(pageFile, Buffer.from(await answer.arrayBuffer()));
    } finally {
      await uncached.stop();
    }
  }
  // SQLite reads on the event loop (GLIMPSE_SQLITE_READ_WORKERS=0) against the default (read
  // workers): the two ends of the choice, home feed and story tray, on the same data.
  if (options.db === 'sqlite') {
    const mainThread = await startServer({ target, fanoutThreshold: threshold, logFile: path.join(dataDir, 'server-main-thread-reads.log'), env: { GLIMPSE_SQLITE_READ_WORKERS: '0' } });
    try {
      const feedTokens = tokens.slice(1);
      const out: Record<string, HttpResult> = {};
      for (const [name, readPath] of [['homeFeed', '/api/v1/timelines/home?limit=20'], ['storyTray', '/api/glimpse/v1/stories/tray']] as const) {
        await runTask<HttpResult>({ type: 'http', url: mainThread.url, path: readPath, tokens: feedTokens, connections: load.connections, ...phase(Math.max(1, load.seconds / 2)) });
        out[name] = await runTask<HttpResult>({ type: 'http', url: mainThread.url, path: readPath, tokens: feedTokens, connections: load.connections, ...phase(load.seconds) });
        log(`${name}, reads on the event loop: ${Math.round(out[name].rps)} req/s (p99 ${out[name].p99} ms, non-2xx ${out[name].non2xx})`);
      }
      raw.mainThreadReads = out;
    } finally {
      await mainThread.stop();
    }
  }
  log(`baseline page-from-memory (one home-feed page of ${fs.statSync(pageFile).size} bytes, ${load.connections} connections, ${phaseLength})`);
  raw.pageFromMemory = {
    bytes: fs.statSync(pageFile).size,
    ...(await withHello(async (url) => {
      await runTask<HttpResult>({ type: 'http', url, path: '/', connections: load.connections, ...phase(Math.max(1, load.seconds / 3)) });
      return runTask<HttpResult>({ type: 'http', url, path: '/', connections: load.connections, ...phase(load.seconds) });
    }, pageFile)),
  };
  log(`  ${Math.round((raw.pageFromMemory as HttpResult).rps)} req/s`);

  const profileDir = path.join(dataDir, 'profiles');
  const metricsToken = crypto.randomBytes(16).toString('hex');
  const server: ServerProcess = await startServer({
    target,
    fanoutThreshold: threshold,
    logFile: path.join(dataDir, 'server.log'),
    nodeFlags: options.cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [],
    env: { GLIMPSE_METRICS_TOKEN: metricsToken },
  });
  log(`server started at ${server.url} (pid ${server.pid})`);
  let peakRss: number | undefined;
  try {
    const feedTokens = tokens.slice(1); // everyone but the celebrity follows the celebrity
    // A read endpoint: warmed up, saturated, then paced (open loop) at 50% and 80% of that rate.
    const measureRead = async (label: string, readPath: string) => {
      await runTask<HttpResult>({ type: 'http', url: server.url, path: readPath, tokens: feedTokens, connections: load.connections, ...phase(Math.max(1, load.seconds / 2)) });
      log(`${label}: saturation (${load.connections} connections, ${phaseLength})`);
      const before = await cacheStats(server.url, metricsToken);
      const saturation = await runTask<HttpResult>({ type: 'http', url: server.url, path: readPath, tokens: feedTokens, connections: load.connections, ...phase(load.seconds) });
      const caches = hitRates(before, await cacheStats(server.url, metricsToken));
      log(`  ${Math.round(saturation.rps)} req/s (p50 ${saturation.p50} ms, p99 ${saturation.p99} ms, non-2xx ${saturation.non2xx}, errors ${saturation.errors}); cache hits: ${describeHitRates(caches)}`);
      const paced = async (share: number) => {
        const rate = Math.max(1, Math.round(saturation.rps * share));
        const r = await runTask<HttpResult>({ type: 'http', url: server.url, path: readPath, tokens: feedTokens, connections: load.connections, ...phase(load.seconds), overallRate: rate });
        log(`  at ${Math.round(share * 100)}% (${rate} req/s): p50 ${r.p50} ms, p99 ${r.p99} ms`);
        return { rate, ...r };
      };
      return { saturation, caches, at50: await paced(0.5), at80: await paced(0.8) };
    };
    raw.homeFeed = await measureRead('home feed', '/api/v1/timelines/home?limit=20');
    // The story tray, the same way: every token holder follows the celebrity, who has stories.
    raw.storyTray = await measureRead('story tray', '/api/glimpse/v1/stories/tray');

    // Celebrity reach: the 1k-follower account (pushed by the fan-out job) and the celebrity
    // (pulled at read time); the clock starts when the POST is sent.
    log('celebrity reach');
    const midTokens = manifest.midFollowerTokens.map((i) => tokens[i]).slice(0, load.reachSample);
    const midMedia = await uploadOne(server.url, tokens[1], photos[0]);
    const reachMid = await runTask<ReachResult>({ type: 'reach', url: server.url, authorToken: tokens[1], mediaId: midMedia, followerTokens: midTokens, timeoutMs: 30_000 });
    log(`  ${manifest.mid.followers} followers: ${reachMid.reachMs.toFixed(0)} ms (POST ${reachMid.postMs.toFixed(0)} ms, ${reachMid.seen} of ${midTokens.length} sampled followers saw it)`);
    const celebMedia = await uploadOne(server.url, tokens[0], photos[1]);
    const celebSample = tokens.slice(2).filter((_, i) => i % Math.max(1, Math.floor((tokens.length - 2) / load.reachSample)) === 0).slice(0, load.reachSample);
    const reachAll = await runTask<ReachResult>({ type: 'reach', url: server.url, authorToken: tokens[0], mediaId: celebMedia, followerTokens: celebSample, timeoutMs: 30_000 });
    log(`  ${manifest.celebrity.followers} followers: ${reachAll.reachMs.toFixed(0)} ms (POST ${reachAll.postMs.toFixed(0)} ms, ${reachAll.seen} of ${celebSample.length} sampled followers saw it)`);
    // The celebrity's story: a photo through POST /api/v2/media, then POST /api/glimpse/v1/stories;
    // the clock starts at the story's POST and stops when the last sampled follower's tray shows it.
    const storyMedia = await uploadV2(server.url, tokens[0], photos[2]);
    const reachStory = await runTask<ReachResult>({ type: 'reach', kind: 'story', url: server.url, authorToken: tokens[0], authorId: manifest.celebrity.id, mediaId: storyMedia, followerTokens: celebSample, timeoutMs: 30_000 });
    log(`  story, ${manifest.celebrity.followers} followers: ${reachStory.reachMs.toFixed(0)} ms (POST ${reachStory.postMs.toFixed(0)} ms, ${reachStory.seen} of ${celebSample.length} sampled trays showed it)`);
    raw.reach = {
      mid: { followers: manifest.mid.followers, sample: midTokens.length, ...reachMid },
      celebrity: { followers: manifest.celebrity.followers, sample: celebSample.length, ...reachAll },
      celebrityStory: { followers: manifest.celebrity.followers, sample: celebSample.length, ...reachStory },
    };

    // Comment storm on the celebrity's new post, with the comment list probed meanwhile.
    const stormPost = reachAll.statusId;
    const listPath = `/api/glimpse/v1/statuses/${stormPost}/comments?sort=top`;
    // The celebrity hides comments with her hidden word (a tenth of the distinct ones carry it).
    await setHiddenWords(server.url, tokens[0]);
    log(`comment storm: ${load.stormComments} comments on ${stormPost} (90% "Not Ines" variants), 5% retried with the same Idempotency-Key; hidden word "${HIDDEN_WORD}"`);
    const probe = startWorker<HttpResult>({ type: 'http', url: server.url, path: listPath, tokens, connections: 4, overallRate: load.listProbeRate });
    const storm = await runTask<StormResult>({ type: 'storm', url: server.url, postId: stormPost, tokens: tokens.slice(1), amount: load.stormComments, connections: load.connections, retryFraction: 0.05, seed: 42, runId: Date.now().toString(36) });
    probe.stop();
    const listDuring = await probe.done;
    log(`  ${Math.round(storm.rps)} accepted/s, p99 ${storm.p99} ms, ${storm.ok} answered 2xx (${storm.retries} retries), list p99 during ${listDuring.p99} ms`);
    const listIdle = await runTask<HttpResult>({ type: 'http', url: server.url, path: listPath, tokens, connections: 4, overallRate: load.listProbeRate, ...phase(Math.max(3, load.seconds)) });
    log(`  list p99 idle ${listIdle.p99} ms`);
    const { stormRows, counterTotal, counterHidden, hiddenRows, folds } = await stormCheck(target, stormPost);
    const exact = stormRows === storm.distinctIds && stormRows === storm.keysAccepted && storm.keysWithSeveralIds === 0 && counterTotal === stormRows;
    log(`  comments (post_id = post): ${stormRows} (${hiddenRows} hidden, ${folds} folds); sum of comment_counts.total: ${counterTotal} (hidden ${counterHidden}); distinct ids answered: ${storm.distinctIds}; keys accepted: ${storm.keysAccepted} → ${exact ? 'exact' : 'MISMATCH'}`);
    raw.storm = { ...storm, rows: stormRows, counterTotal, counterHidden, hiddenRows, folds, exact, listDuring, listIdle };

    // Uploads, with the server's event-loop delay meanwhile.
    log(`uploads: ${load.uploads} photos through POST /api/v2/media`);
    await server.eventLoop(); // resets the histogram
    const upload = await runTask<UploadResult>({ type: 'uploads', url: server.url, tokens: tokens.slice(2, 2 + load.uploads), files: photos, count: load.uploads, concurrency: 4 });
    const eventLoop = await server.eventLoop();
    log(`  ${upload.photosPerSecond.toFixed(2)} photos/s (${upload.ready} ready, ${upload.failed} failed, ${upload.rejected} rejected); event-loop delay p99 ${eventLoop?.p99} ms`);
    raw.uploads = { ...upload, eventLoop };

    // Memory under a burst of the largest uploads, one per account (the peak is reset first, so
    // the overall peak is read before).
    peakRss = server.peakRssMiB();
    const padded = paddedPhoto(photos[0], path.dirname(photos[0]));
    const parallelUploads = load.parallelUploads ?? 20;
    log(`upload memory: ${parallelUploads} parallel uploads of 16 MiB through POST /api/v2/media`);
    const memory = await measureUploadMemory(server, tokens.slice(2, 2 + parallelUploads), padded);
    log(`  RSS ${memory.idleRssMiB?.toFixed(0)} MiB before, peak ${memory.peakRssMiB?.toFixed(0)} MiB (${memory.peakFrom}); answers ${JSON.stringify(memory.statusCodes)}, ${memory.ready} processed`);
    raw.uploadMemory = memory;
    peakRss = Math.max(peakRss ?? 0, memory.peakRssMiB ?? 0) || undefined;
    raw.peakRssMiB = peakRss;

    // The web client as a visitor meets it: initial JS and first paint (skipped if unbuilt).
    const webDist = process.env.GLIMPSE_WEB_DIST ? path.resolve(process.env.GLIMPSE_WEB_DIST) : path.join(ROOT, 'web/dist');
    if (fs.existsSync(path.join(webDist, 'index.html'))) {
      log('web client: initial JavaScript and first paint in Chromium (the celebrity\'s profile signed out, her home feed signed in)');
      raw.webClient = await measureWebClient(webDist, server.url, { username: manifest.celebrity.username, password: BENCH_PASSWORD }, size.name === 'tiny' ? 1 : 5);
    } else {
      log(`web client: not built in ${webDist}, its rows are skipped`);
    }
  } finally {
    await server.stop();
  }

  // 3a. The statements of one home page and one comment, counted in this process on this data.
  {
    const counts = await countStatementsOn(target, threshold, tokens.slice(1, 21), manifest.celebrity.id);
    log(`statements: home page warm median ${counts.homeWarm.median}, max ${counts.homeWarm.max}; cold median ${counts.homeCold.median}, max ${counts.homeCold.max} (${counts.viewers} viewers); new comment ${counts.comment}`);
    raw.statements = counts;
  }

  // 3b. The same instance as several processes (--nodes N): N web processes and a worker.
  if (nodes >= 2) raw.multiProcess = await measureMultiProcess({ nodes, target, threshold, dataDir, tokens, photos, manifest, size, phase, phaseLength, log });

  // 4. The table.
  const h = raw.hello as HttpResult;
  const feed = raw.homeFeed as ReadLoad;
  const feedUncached = { saturation: raw.homeFeedUncached as HttpResult };
  const page = raw.pageFromMemory as HttpResult & { bytes: number };
  const statements = raw.statements as StatementCounts;
  const tray = raw.storyTray as ReadLoad;
  const reach = raw.reach as { mid: ReachResult & { followers: number }; celebrity: ReachResult & { followers: number }; celebrityStory: ReachResult & { followers: number } };
  const storm = raw.storm as StormResult & { rows: number; counterTotal: number; hiddenRows: number; folds: number; exact: boolean; listDuring: HttpResult; listIdle: HttpResult };
  const uploads = raw.uploads as UploadResult & { eventLoop?: { p99: number } };
  const memory = raw.uploadMemory as UploadMemoryResult;
  rows.push(
    { metric: 'baseline: hello', value: round(h.rps, 0), unit: 'req/s', baseline: null, ratio: null, target: '', pass: null },
    { metric: 'baseline: page-from-memory', value: round(page.rps, 0), unit: 'req/s', baseline: null, ratio: null, target: '', pass: null, note: `one real home-feed page of 20 posts (${page.bytes} bytes), sent from memory by a bare Fastify route` },
    { metric: 'baseline: sharp-loop', value: round(loopRate, 2), unit: 'photos/s', baseline: null, ratio: null, target: '', pass: null },
    { metric: `baseline: push-fanout, ${pushMid.followers} followers`, value: round(pushMid.seconds, 3), unit: 's', baseline: null, ratio: null, target: '', pass: null },
    { metric: `baseline: push-fanout, ${pushAll.followers} followers`, value: round(pushAll.seconds, 3), unit: 's', baseline: null, ratio: null, target: '', pass: null },
    ...readRows('home feed', feed, h.rps, options.db === 'sqlite' ? 0.1 : 0.06),
    {
      metric: 'home feed: saturation against page-from-memory',
      value: round(feed.saturation.rps, 0),
      unit: 'req/s',
      baseline: round(page.rps, 0),
      baselineUnit: 'req/s',
      ratio: ratio(feed.saturation.rps, page.rps),
      target: '',
      pass: null,
      note: 'the same saturation run, against the ceiling for a page of this size',
    },
    {
      metric: 'home feed: bytes per page',
      value: feed.saturation.bytesPerAnswer,
      unit: 'B',
      baseline: null,
      ratio: null,
      target: '',
      pass: null,
      note: `the mean answer of the saturation run (20 posts a page); the page-from-memory page is ${page.bytes} B`,
    },
    {
      metric: 'home feed: saturation, caches off',
      value: round(feedUncached.saturation.rps, 0),
      unit: 'req/s',
      baseline: round(feed.saturation.rps, 0),
      ratio: ratio(feedUncached.saturation.rps, feed.saturation.rps),
      target: '',
      pass: null,
      note: `GLIMPSE_POST_CACHE_SIZE, GLIMPSE_FILTER_CACHE_SIZE, GLIMPSE_RELATIONS_CACHE_SIZE and GLIMPSE_TRAY_CACHE_SIZE 0, against the cached run above (cache hits there: ${describeHitRates(feed.caches)}); ${ratio(feedUncached.saturation.rps, h.rps)} × hello`,
    },
    ...(raw.storyTrayUncached
      ? [
          {
            metric: 'story tray: saturation, caches off',
            value: round((raw.storyTrayUncached as HttpResult).rps, 0),
            unit: 'req/s',
            baseline: round(tray.saturation.rps, 0),
            baselineUnit: 'req/s',
            ratio: ratio((raw.storyTrayUncached as HttpResult).rps, tray.saturation.rps),
            target: '',
            pass: null,
            note: `every cache off (GLIMPSE_POST, FILTER, RELATIONS and TRAY_CACHE_SIZE 0), against the cached run below (cache hits there: ${describeHitRates(tray.caches)}); ${ratio((raw.storyTrayUncached as HttpResult).rps, h.rps)} × hello`,
          } satisfies Row,
        ]
      : []),
    ...(raw.mainThreadReads
      ? (['homeFeed', 'storyTray'] as const).map((name) => {
          const onLoop = (raw.mainThreadReads as Record<string, HttpResult>)[name];
          const withWorkers = (name === 'homeFeed' ? feed : tray).saturation;
          return {
            metric: `${name === 'homeFeed' ? 'home feed' : 'story tray'}: saturation, SQLite reads on the event loop`,
            value: round(onLoop.rps, 0),
            unit: 'req/s',
            baseline: round(withWorkers.rps, 0),
            baselineUnit: 'req/s',
            ratio: ratio(onLoop.rps, withWorkers.rps),
            target: '',
            pass: null,
            note: `GLIMPSE_SQLITE_READ_WORKERS=0, against the default (${loadConfig({}).sqliteReadWorkers} read worker(s)) above; ${ratio(onLoop.rps, h.rps)} × hello`,
          } satisfies Row;
        })
      : []),
    {
      metric: 'home feed: statements per page, warm caches (the most of any viewer)',
      value: statements.homeWarm.max,
      unit: '',
      baseline: statements.homeCold.max,
      ratio: null,
      target: '≤ 6',
      pass: statements.homeWarm.max <= 6,
      note: `${statements.viewers} viewers, counted in-process on this data: warm median ${statements.homeWarm.median}; baseline: cold caches (median ${statements.homeCold.median}); a page the kept feed rows do not fill reads the followed accounts (2 more)`,
    },
    { metric: 'statements per new comment', value: statements.comment, unit: '', baseline: null, ratio: null, target: '≤ 12', pass: statements.comment <= 12, note: "a comment on the celebrity's newest post, counted in-process" },
    ...readRows('story tray', tray, h.rps, 0.25),
    { metric: `celebrity reach: ${reach.mid.followers} followers (pushed)`, value: round(reach.mid.reachMs / 1000, 3), unit: 's', baseline: round(pushMid.seconds, 3), ratio: ratio(reach.mid.reachMs / 1000, pushMid.seconds), target: '', pass: null, note: `${reach.mid.seen}/${reach.mid.seen + reach.mid.missing} sampled followers saw it` },
    reachRow(`celebrity reach: all ${reach.celebrity.followers} followers (pulled)`, reach.celebrity, reach.mid, 'sampled followers saw it'),
    reachRow(
      `celebrity reach: story in ${reach.celebrityStory.followers} followers' trays`,
      reach.celebrityStory,
      reach.mid,
      "sampled followers' trays showed it; the clock starts at POST /api/glimpse/v1/stories (the photo uploaded before)",
    ),
    { metric: `celebrity reach vs push-fanout (${pushAll.followers} followers)`, value: round(reach.celebrity.reachMs / 1000, 3), unit: 's', baseline: round(pushAll.seconds, 3), ratio: ratio(reach.celebrity.reachMs / 1000, pushAll.seconds), target: '', pass: null },
    { metric: `comment storm: accepted (${storm.sent} sent, ${storm.retries} retries)`, value: round(storm.rps, 0), unit: 'comments/s', baseline: round(h.rps, 0), baselineUnit: 'req/s', ratio: ratio(storm.rps, h.rps), target: '≥ 0.04 × hello', pass: storm.rps >= 0.04 * h.rps, note: `90% "Not Ines" variants; moderated (hidden words), folded, sharded counters: ${storm.hiddenRows} hidden, ${storm.folds} folds` },
    { metric: 'comment storm: POST p99', value: storm.p99, unit: 'ms', baseline: null, ratio: null, target: '≤ 100 ms', pass: storm.p99 <= 100 },
    { metric: 'comment storm: exact count', value: `${storm.rows} rows / ${storm.counterTotal} counted / ${storm.keysAccepted} accepted keys`, unit: '', baseline: null, ratio: null, target: 'nothing lost or doubled', pass: storm.exact },
    { metric: 'comment list p99 during storm (vs idle)', value: storm.listDuring.p99, unit: 'ms', baseline: storm.listIdle.p99, ratio: ratio(storm.listDuring.p99, storm.listIdle.p99), target: '≤ 3 × idle', pass: storm.listDuring.p99 <= 3 * storm.listIdle.p99, note: 'GET /api/glimpse/v1/statuses/:id/comments?sort=top' },
    { metric: 'uploads: photos processed', value: round(uploads.photosPerSecond, 2), unit: 'photos/s', baseline: round(loopRate, 2), ratio: ratio(uploads.photosPerSecond, loopRate), target: '≥ 0.7 × sharp-loop', pass: uploads.ready === uploads.count && uploads.photosPerSecond >= 0.7 * loopRate },
    { metric: 'uploads: event-loop delay p99', value: uploads.eventLoop?.p99 ?? null, unit: 'ms', baseline: null, ratio: null, target: '≤ 20 ms', pass: uploads.eventLoop ? uploads.eventLoop.p99 <= 20 : null },
    { metric: 'server RSS before the upload burst (idle)', value: memory.idleRssMiB === undefined ? null : round(memory.idleRssMiB, 0), unit: 'MiB', baseline: null, ratio: null, target: '', pass: null },
    {
      metric: `server peak RSS, ${memory.uploads} parallel 16 MiB uploads`,
      value: memory.peakRssMiB === undefined ? null : round(memory.peakRssMiB, 0),
      unit: 'MiB',
      baseline: memory.idleRssMiB === undefined ? null : round(memory.idleRssMiB, 0),
      ratio: memory.peakRssMiB === undefined || memory.idleRssMiB === undefined ? null : ratio(memory.peakRssMiB, memory.idleRssMiB),
      target: '',
      pass: null,
      note: `peak from ${memory.peakFrom}, until every upload was processed; answers ${JSON.stringify(memory.statusCodes)}, ${memory.ready} processed`,
    },
    { metric: 'server peak RSS', value: peakRss === undefined ? null : round(peakRss, 0), unit: 'MiB', baseline: null, ratio: null, target: '', pass: null },
  );
  if (raw.webClient) rows.push(...webClientRows(raw.webClient as WebClientResult));
  if (raw.multiProcess) rows.push(...multiProcessRows(raw.multiProcess as MultiProcessResult, { feed, tray, storm, helloRps: h.rps }));

  const result: BenchResult = {
    date: new Date().toISOString(),
    size: size.name,
    db: options.db,
    ...(nodes >= 2 ? { nodes } : {}),
    machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? '', memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, platform: `${os.platform()} ${os.release()}` },
    data: { ...manifest.counts, generateSeconds: round(manifest.generateSeconds, 1), reused },
    rows,
    raw,
  };
  if (options.out !== null) {
    const file = options.out ?? path.join(ROOT, 'bench/results', `${result.date.slice(0, 10)}-${size.name}-${options.db}${nodes >= 2 ? `-${nodes}-nodes` : ''}.json`);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
    result.file = file;
  }
  log(`\n${formatTable(result)}`);
  log(`(${((Date.now() - started) / 1000).toFixed(0)} s${result.file ? `; written to ${path.relative(ROOT, result.file)}` : ''})`);
  return result;
}

type StormCheck = Awaited<ReturnType<typeof stormCheck>>;

export interface MultiProcessResult {
  nodes: number;
  redisPrefix: string;
  redisKeysDeleted: number;
  processes: Array<{ role: 'web' | 'worker'; url?: string; pid: number; logFile: string; peakRssMiB?: number; warnings: number; errors: number; firstProblems: string[] }>;
  homeFeed: { saturation: HttpResult; cpuSeconds: PhaseCpu };
  storyTray: { saturation: HttpResult; cpuSeconds: PhaseCpu };
  /** The storm's post: its photo uploaded through one web process and processed by the worker. */
  stormPost: { id: string; mediaMs: number };
  storm: StormResult & { rows: number; counterTotal: number; counterHidden: number; hiddenRows: number; folds: number; exact: boolean; listDuring: HttpResult; cpuSeconds: PhaseCpu };
}

/** CPU seconds each process used during a measured phase: the web processes in order, then the worker. */
type PhaseCpu = { web: Array<number | null>; worker: number | null };

interface MultiProcessContext {
  nodes: number;
  target: DbTarget;
  threshold: number;
  dataDir: string;
  tokens: string[];
  photos: string[];
  manifest: Manifest;
  size: SizeSpec;
  phase: (seconds: number) => { amount: number } | { duration: number };
  phaseLength: string;
  log: (line: string) => void;
}

/**
 * The multi-process configuration on the single-process run's data: the read saturations
 * (warmed up the same way) and the comment storm (on a new photo post of the celebrity's, the
 * list probed meanwhile as in the single run), the load generator's connections spread over
 * the web processes.
 */
async function measureMultiProcess(c: MultiProcessContext): Promise<MultiProcessResult> {
  const { nodes, tokens, size, phase, phaseLength, log } = c;
  const load = size.load;
  const started = Date.now();
  log(`${nodes} processes with GLIMPSE_ROLE=web and one with GLIMPSE_ROLE=worker (Redis, PostgreSQL ${c.target.database}, one media folder)`);
  const cluster: Cluster = await startCluster({ target: c.target, nodes, fanoutThreshold: c.threshold, dir: path.join(c.dataDir, 'nodes'), mediaDir: path.join(c.dataDir, 'media') });
  const urls = cluster.urls;
  log(`  web at ${urls.join(', ')} (pids ${cluster.web.map((w) => w.pid).join(', ')}), worker pid ${cluster.worker.pid}; Redis prefix ${cluster.redisPrefix}`);
  let result: Omit<MultiProcessResult, 'redisKeysDeleted' | 'processes'> | undefined;
  let failure: unknown;
  // Where the CPU went during a phase (is the worker busy while the web processes serve reads?).
  const cpuNow = () => ({ web: cluster.web.map((w) => w.cpuSeconds()), worker: cluster.worker.cpuSeconds() });
  const cpuSince = (before: ReturnType<typeof cpuNow>): PhaseCpu => {
    const after = cpuNow();
    const delta = (a: number | undefined, b: number | undefined) => (a === undefined || b === undefined ? null : round(a - b, 2));
    return { web: after.web.map((a, i) => delta(a, before.web[i])), worker: delta(after.worker, before.worker) };
  };
  const showCpu = (c: PhaseCpu) => `CPU s: web ${c.web.join(' + ')}, worker ${c.worker}`;
  try {
    const feedTokens = tokens.slice(1);
    const saturate = async (label: string, readPath: string) => {
      await runTask<HttpResult>({ type: 'http', url: urls[0], urls, path: readPath, tokens: feedTokens, connections: load.connections, ...phase(Math.max(1, load.seconds / 2)) });
      log(`${label}, ${nodes} processes: saturation (${load.connections} connections over ${nodes} processes, ${phaseLength})`);
      const before = cpuNow();
      const saturation = await runTask<HttpResult>({ type: 'http', url: urls[0], urls, path: readPath, tokens: feedTokens, connections: load.connections, ...phase(load.seconds) });
      const cpuSeconds = cpuSince(before);
      log(`  ${Math.round(saturation.rps)} req/s (p50 ${saturation.p50} ms, p99 ${saturation.p99} ms, non-2xx ${saturation.non2xx}, errors ${saturation.errors}; ${showCpu(cpuSeconds)} in ${saturation.seconds} s)`);
      return { saturation, cpuSeconds };
    };
    const homeFeed = await saturate('home feed', '/api/v1/timelines/home?limit=20');
    const storyTray = await saturate('story tray', '/api/glimpse/v1/stories/tray');

    // The storm's post: the photo through the first web process (stored in the shared media
    // folder, processed by the worker), the post through the last one.
    const mediaStarted = performance.now();
    const mediaId = await uploadV2(urls[0], tokens[0], c.photos[1]);
    const mediaMs = performance.now() - mediaStarted;
    const posted = await fetch(`${urls[urls.length - 1]}/api/v1/statuses`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[0]}` },
      body: JSON.stringify({ status: 'Another photo for everyone', media_ids: [mediaId] }),
    });
    const post = (await posted.json()) as { id?: string };
    if (!posted.ok || !post.id) throw new Error(`posting through ${urls[urls.length - 1]} failed: ${posted.status} ${JSON.stringify(post)}`);
    const stormPost = post.id;
    await setHiddenWords(urls[0], tokens[0]);
    log(`comment storm, ${nodes} processes: ${load.stormComments} comments on ${stormPost} (photo processed by the worker in ${mediaMs.toFixed(0)} ms), ${load.connections} connections over ${nodes} processes`);
    const listPath = `/api/glimpse/v1/statuses/${stormPost}/comments?sort=top`;
    const probe = startWorker<HttpResult>({ type: 'http', url: urls[0], urls, path: listPath, tokens, connections: 4, overallRate: load.listProbeRate });
    const stormCpu = cpuNow();
    const storm = await runTask<StormResult>({ type: 'storm', url: urls[0], urls, postId: stormPost, tokens: tokens.slice(1), amount: load.stormComments, connections: load.connections, retryFraction: 0.05, seed: 42, runId: `n${nodes}-${Date.now().toString(36)}` });
    const cpuSeconds = cpuSince(stormCpu);
    probe.stop();
    const listDuring = await probe.done;
    const checked: StormCheck = await stormCheck(c.target, stormPost);
    const exact = checked.stormRows === storm.distinctIds && checked.stormRows === storm.keysAccepted && storm.keysWithSeveralIds === 0 && checked.counterTotal === checked.stormRows;
    log(`  ${Math.round(storm.rps)} accepted/s, p99 ${storm.p99} ms, ${storm.ok} answered 2xx, non-2xx ${storm.non2xx}, errors ${storm.errors} (${storm.retries} retries); ${checked.stormRows} rows, ${checked.counterTotal} counted, ${storm.keysAccepted} keys accepted → ${exact ? 'exact' : 'MISMATCH'}; ${showCpu(cpuSeconds)} in ${round(storm.seconds, 0)} s`);
    result = {
      nodes,
      redisPrefix: cluster.redisPrefix,
      homeFeed,
      storyTray,
      stormPost: { id: stormPost, mediaMs },
      storm: { ...storm, rows: checked.stormRows, counterTotal: checked.counterTotal, counterHidden: checked.counterHidden, hiddenRows: checked.hiddenRows, folds: checked.folds, exact, listDuring, cpuSeconds },
    };
  } catch (error) {
    failure = error;
  }
  const peaks = [...cluster.web, cluster.worker].map((p) => p.peakRssMiB());
  const { redisKeysDeleted } = await cluster.stop();
  const processes = [...cluster.web.map((w) => ({ role: 'web' as const, url: w.url, p: w })), { role: 'worker' as const, url: undefined, p: cluster.worker }].map(({ role, url, p }, i) => {
    const problems = logProblems(p.logFile);
    return { role, ...(url ? { url } : {}), pid: p.pid, logFile: p.logFile, peakRssMiB: peaks[i], warnings: problems.warnings, errors: problems.errors, firstProblems: problems.first };
  });
  for (const p of processes) {
    if (p.warnings || p.errors) log(`  ${p.role} ${p.pid} logged ${p.errors} errors and ${p.warnings} warnings (${path.relative(ROOT, p.logFile)}); first: ${p.firstProblems.join(' | ')}`);
  }
  log(`  stopped; ${redisKeysDeleted} Redis keys under ${cluster.redisPrefix} deleted (${((Date.now() - started) / 1000).toFixed(0)} s with ${nodes} processes)`);
  if (failure || !result) throw failure;
  return { ...result, redisKeysDeleted, processes };
}

/**
 * Rows comparing 1 and N processes: the single-process run's figures (as in the rows above),
 * then the N-process ones with the single-process figure as their baseline (ratio N / 1) and
 * their ratio to hello in the note.
 */
function multiProcessRows(m: MultiProcessResult, one: { feed: ReadLoad; tray: ReadLoad; storm: StormResult & { rows: number; counterTotal: number; exact: boolean }; helloRps: number }): Row[] {
  const n = `${m.nodes} processes`;
  const spread = `${m.nodes} × GLIMPSE_ROLE=web + 1 worker, the connections spread over the web processes`;
  const vsHello = (v: number) => `${ratio(v, one.helloRps)}× hello`;
  const read = (label: string, single: HttpResult, multi: HttpResult): Row[] => [
    { metric: `${label}: saturation, 1 process`, value: round(single.rps, 0), unit: 'req/s', baseline: round(one.helloRps, 0), baselineUnit: 'req/s', ratio: ratio(single.rps, one.helloRps), target: '', pass: null, note: 'the single-process run above' },
    { metric: `${label}: saturation, ${n}`, value: round(multi.rps, 0), unit: 'req/s', baseline: round(single.rps, 0), ratio: ratio(multi.rps, single.rps), target: '', pass: null, note: `${vsHello(multi.rps)}; ${spread}; non-2xx ${multi.non2xx}, errors ${multi.errors}` },
  ];
  // Refused requests (a 5xx) are not lost comments (the client was told), but they are shown.
  const exactValue = (s: StormResult & { rows: number; counterTotal: number }) =>
    `${s.rows} rows / ${s.counterTotal} counted / ${s.keysAccepted} accepted keys${s.non2xx || s.errors ? `; ${s.non2xx + s.errors} of ${s.sent} requests refused or failed ${JSON.stringify(s.statusCodes)}` : ''}`;
  return [
    ...read('home feed', one.feed.saturation, m.homeFeed.saturation),
    ...read('story tray', one.tray.saturation, m.storyTray.saturation),
    { metric: 'comment storm: accepted, 1 process', value: round(one.storm.rps, 0), unit: 'comments/s', baseline: round(one.helloRps, 0), baselineUnit: 'req/s', ratio: ratio(one.storm.rps, one.helloRps), target: '', pass: null, note: 'the single-process run above' },
    { metric: `comment storm: accepted, ${n}`, value: round(m.storm.rps, 0), unit: 'comments/s', baseline: round(one.storm.rps, 0), ratio: ratio(m.storm.rps, one.storm.rps), target: '', pass: null, note: `${vsHello(m.storm.rps)}; ${m.storm.sent} sent, ${m.storm.retries} retries, ${m.storm.ok} answered 2xx; ${spread}` },
    { metric: 'comment storm: POST p99, 1 process', value: one.storm.p99, unit: 'ms', baseline: null, ratio: null, target: '', pass: null },
    { metric: `comment storm: POST p99, ${n}`, value: m.storm.p99, unit: 'ms', baseline: one.storm.p99, ratio: ratio(m.storm.p99, one.storm.p99), target: '', pass: null },
    { metric: 'comment storm: exact count, 1 process', value: exactValue(one.storm), unit: '', baseline: null, ratio: null, target: 'nothing lost or doubled', pass: one.storm.exact },
    { metric: `comment storm: exact count, ${n}`, value: exactValue(m.storm), unit: '', baseline: null, ratio: null, target: 'nothing lost or doubled', pass: m.storm.exact, note: `${m.storm.hiddenRows} hidden, ${m.storm.folds} folds` },
  ];
}

function show(v: number | string | null, unit: string): string {
  if (v === null) return '—';
  if (typeof v === 'string') return v;
  return unit ? `${v.toLocaleString('en')} ${unit}` : String(v);
}

/** The result as a Markdown table (it reads as a plain-text one too). */
type ReadLoad = { saturation: HttpResult; caches?: HitRates; at50: HttpResult & { rate: number }; at80: HttpResult & { rate: number } };

type HitRates = Record<string, { hits: number; misses: number }>;

/** The server's cache counters from GET /metrics (glimpse_cache_hits / _misses by cache). */
async function cacheStats(url: string, token: string): Promise<HitRates> {
  const res = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${token}` } });
  if (!res.ok) throw new Error(`GET /metrics answered ${res.status}`);
  const out: HitRates = {};
  for (const m of (await res.text()).matchAll(/^glimpse_cache_(hits|misses)\{cache="([^"]+)"\} (\d+)/gm)) {
    const entry = (out[m[2]] ??= { hits: 0, misses: 0 });
    entry[m[1] as 'hits' | 'misses'] = Number(m[3]);
  }
  return out;
}

/** Hits and misses between two readings. */
function hitRates(before: HitRates, after: HitRates): HitRates {
  return Object.fromEntries(Object.entries(after).map(([name, a]) => [name, { hits: a.hits - (before[name]?.hits ?? 0), misses: a.misses - (before[name]?.misses ?? 0) }]));
}

function describeHitRates(rates: HitRates | undefined): string {
  if (!rates) return 'not measured';
  return Object.entries(rates)
    .map(([name, r]) => `${name} ${r.hits + r.misses === 0 ? 'unused' : `${((100 * r.hits) / (r.hits + r.misses)).toFixed(1)}%`}`)
    .join(', ');
}

/** The rows of a read endpoint: saturation against hello, then p50/p99 at 50% and 80% of it. */
function readRows(label: string, load: ReadLoad, helloRps: number, targetRatio: number): Row[] {
  const at = (share: string, r: HttpResult & { rate: number }, isTarget: boolean): Row[] => [
    { metric: `${label}: p50 at ${share} (${r.rate} req/s)`, value: r.p50, unit: 'ms', baseline: null, ratio: null, target: '', pass: null },
    { metric: `${label}: p99 at ${share} (${r.rate} req/s)`, value: r.p99, unit: 'ms', baseline: null, ratio: null, target: isTarget ? '≤ 25 ms' : '', pass: isTarget ? r.p99 <= 25 : null },
  ];
  const sat = load.saturation;
  return [
    { metric: `${label}: saturation`, value: round(sat.rps, 0), unit: 'req/s', baseline: round(helloRps, 0), baselineUnit: 'req/s', ratio: ratio(sat.rps, helloRps), target: `≥ ${targetRatio.toFixed(2)} × hello`, pass: sat.non2xx === 0 && sat.rps >= targetRatio * helloRps },
    ...at('50%', load.at50, true),
    ...at('80%', load.at80, false),
  ];
}

/** Reach of every sampled follower, against the pushed 1k-follower case: ≤ 1 s and ≤ that + 0.5 s. */
function reachRow(metric: string, r: ReachResult, pushed: ReachResult, seenNote: string): Row {
  return {
    metric,
    value: round(r.reachMs / 1000, 3),
    unit: 's',
    baseline: round(pushed.reachMs / 1000, 3),
    ratio: ratio(r.reachMs, pushed.reachMs),
    target: '≤ 1 s and ≤ 1k case + 0.5 s',
    pass: r.missing === 0 && r.reachMs <= 1000 && r.reachMs <= pushed.reachMs + 500,
    note: `${r.seen}/${r.seen + r.missing} ${seenNote}`,
  };
}

export function formatTable(result: BenchResult): string {
  const lines = [
    `Glimpse benchmark — size ${result.size}, ${result.db}${result.nodes ? ` (also ${result.nodes} web processes + 1 worker)` : ''}, ${result.date.slice(0, 10)}; ${result.machine.cpus} cores, Node ${result.machine.node}`,
    '',
    '| metric | value | baseline | ratio | target | pass |',
    '|---|---|---|---|---|---|',
  ];
  for (const r of result.rows) {
    const pass = r.pass === null ? (typeof r.value === 'string' && r.value === 'not available' ? 'n/a' : '') : r.pass ? 'yes' : 'NO';
    lines.push(`| ${r.metric} | ${show(r.value, r.unit)} | ${show(r.baseline, r.baselineUnit ?? r.unit)} | ${r.ratio === null ? '' : `${r.ratio}×`} | ${r.target} | ${pass} |`);
  }
  return lines.join('\n');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      size: { type: 'string', default: 'smoke' },
      db: { type: 'string', default: 'sqlite' },
      dir: { type: 'string' },
      out: { type: 'string' },
      seed: { type: 'string' },
      reuse: { type: 'boolean', default: false },
      'cpu-prof': { type: 'boolean', default: false },
      table: { type: 'string' },
      nodes: { type: 'string', default: '1' },
    },
  });
  if (values.table) {
    // Prints the table of a results file again.
    console.log(formatTable(JSON.parse(fs.readFileSync(values.table, 'utf8')) as BenchResult));
    process.exit(0);
  }
  const db = values.db as DbKind;
  if (db !== 'sqlite' && db !== 'postgres') throw new Error('--db sqlite|postgres');
  const nodes = Number(values.nodes);
  const refused = /^\d+$/.test(values.nodes!) ? nodesProblem(nodes, db) : `--nodes must be a whole number ≥ 1, got "${values.nodes}"`;
  if (refused) {
    console.error(refused);
    process.exit(2);
  }
  await runBenchmark({ size: sizeFor(values.size!), db, dataDir: values.dir, out: values.out, seed: values.seed, reuse: values.reuse, cpuProf: values['cpu-prof'], ...(nodes >= 2 ? { nodes } : {}) });
}
