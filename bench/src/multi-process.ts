/**
 * One instance as several processes (`npm run bench -- --db postgres --nodes N`): N with
 * GLIMPSE_ROLE=web (HTTP; they enqueue jobs but work none) and one with GLIMPSE_ROLE=worker (no
 * HTTP; jobs and media), sharing the PostgreSQL database, one Redis under a prefix of this run
 * only, and one GLIMPSE_SECRET. Each has its own port and GLIMPSE_DATA_DIR (so each is its own
 * lease holder, infra/process-holder.ts), whose `media` folder is a link to the one media folder
 * of the benchmark's data directory: an upload a web process stores is there for the worker.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import type { DbTarget } from './db.ts';
import { type ServerProcess, startServer } from './server-process.ts';

export const BENCH_REDIS_URL = process.env.GLIMPSE_BENCH_REDIS_URL ?? process.env.GLIMPSE_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** The msg of the worker's ready line (server/src/cli.ts). */
export const WORKER_READY = 'Glimpse worker is running';

export interface Cluster {
  /** The web processes' base URLs, in order. */
  urls: string[];
  web: ServerProcess[];
  worker: ServerProcess;
  redisPrefix: string;
  /** Stops every process (SIGTERM, together), then deletes the run's Redis keys. */
  stop(): Promise<{ redisKeysDeleted: number }>;
}

export interface ClusterOptions {
  target: DbTarget;
  nodes: number;
  fanoutThreshold?: number;
  /** Where the processes' folders and logs go (`<dir>/web-1`, …, `<dir>/worker`). */
  dir: string;
  /** The shared media folder (the benchmark data directory's `media`). */
  mediaDir: string;
  redisUrl?: string;
}

/** Deletes every key under `prefix` (SCAN, then DEL of each batch); answers how many. */
export async function deleteRedisKeys(redisUrl: string, prefix: string): Promise<number> {
  if (!/^[A-Za-z0-9_:-]+$/.test(prefix)) throw new Error(`refusing to delete keys under the prefix ${JSON.stringify(prefix)}`);
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 2 });
  await redis.connect();
  let deleted = 0;
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) deleted += await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  return deleted;
}

/** A process's own data folder, whose `media` is a link to the shared media folder. */
function processDir(dir: string, name: string, mediaDir: string): string {
  const own = path.join(dir, name);
  fs.rmSync(own, { recursive: true, force: true }); // rm removes the link, not what it points to
  fs.mkdirSync(own, { recursive: true });
  fs.mkdirSync(mediaDir, { recursive: true });
  fs.symlinkSync(path.resolve(mediaDir), path.join(own, 'media'), 'dir');
  return own;
}

/** Starts the worker (which migrates the database, if need be), then the web processes. */
export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  if (options.target.kind !== 'postgres') throw new Error('several processes need PostgreSQL');
  const redisUrl = options.redisUrl ?? BENCH_REDIS_URL;
  const redisPrefix = `glimpse-bench-${Date.now().toString(36)}-${crypto.randomBytes(4).toString('hex')}:`;
  const shared = {
    GLIMPSE_REDIS_URL: redisUrl,
    GLIMPSE_REDIS_PREFIX: redisPrefix,
    GLIMPSE_SECRET: crypto.randomBytes(32).toString('hex'),
  };
  const started: ServerProcess[] = [];
  const stopAll = async () => {
    await Promise.all(started.map((p) => p.stop()));
    return { redisKeysDeleted: await deleteRedisKeys(redisUrl, redisPrefix) };
  };
  try {
    const start = (name: string, env: Record<string, string>, readyLogLine?: string) => {
      // Each run's logs start empty (what they hold is checked afterwards).
      const logFile = path.join(options.dir, `${name}.log`);
      fs.rmSync(logFile, { force: true });
      return startServer({
        target: { ...options.target, dataDir: processDir(options.dir, name, options.mediaDir) },
        fanoutThreshold: options.fanoutThreshold,
        logFile,
        env: { ...shared, ...env },
        readyLogLine,
      }).then((p) => (started.push(p), p));
    };
    // The worker logs its ready line at info (web processes stay at warn, as the single one).
    const worker = await start('worker', { GLIMPSE_ROLE: 'worker', GLIMPSE_LOG_LEVEL: 'info' }, WORKER_READY);
    // The web processes together (the worker has migrated the database; each leases its own node number).
    const settled = await Promise.allSettled(Array.from({ length: options.nodes }, (_, i) => start(`web-${i + 1}`, { GLIMPSE_ROLE: 'web' })));
    const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
    const web = settled.map((r) => (r as PromiseFulfilledResult<ServerProcess>).value);
    return { urls: web.map((w) => w.url), web, worker, redisPrefix, stop: stopAll };
  } catch (error) {
    await stopAll().catch(() => undefined);
    throw error;
  }
}
