import type { Config } from './config.ts';
import { openRedis } from './infra/redis/redis-connection.ts';

/**
 * Settings that cannot work together, refused before `serve` builds anything, each with one
 * line saying what to change. Several processes share an instance whenever GLIMPSE_ROLE is not
 * `all` or GLIMPSE_REDIS_URL is set (Redis is what carries one process's events, limits and
 * jobs to the others); they need PostgreSQL (an SQLite file has one writer process), Redis
 * (or a web process's posts reach no worker and no other stream) and one GLIMPSE_SECRET (or a
 * cookie or signed media URL from one process fails on another).
 *
 * GLIMPSE_REDIS_URL with SQLite is refused, even with role `all`: Redis is only for several
 * processes, and several processes cannot share SQLite. The embedded default needs neither.
 */
export function configurationProblem(config: Config): string | undefined {
  const sqlite = !config.databaseUrl;
  if (config.role !== 'all' && !config.redisUrl) {
    return `GLIMPSE_ROLE=${config.role} needs GLIMPSE_REDIS_URL: web and worker processes reach each other through Redis (or use GLIMPSE_ROLE=all for a single process)`;
  }
  if (config.role !== 'all' && sqlite) {
    return `GLIMPSE_ROLE=${config.role} needs PostgreSQL (GLIMPSE_DATABASE_URL): several processes cannot share the embedded SQLite database`;
  }
  if (config.redisUrl && sqlite) {
    return 'GLIMPSE_REDIS_URL is for running several processes, which need PostgreSQL (GLIMPSE_DATABASE_URL): the embedded SQLite database serves one process; unset GLIMPSE_REDIS_URL or set GLIMPSE_DATABASE_URL';
  }
  if ((config.role !== 'all' || config.redisUrl) && !config.secret) {
    return 'several processes need one GLIMPSE_SECRET, the same in each (otherwise cookies and signed media URLs of one process fail on the others)';
  }
  return undefined;
}

/** Redis answers PING within `timeoutMs`, or the one line saying it does not. */
export async function redisProblem(url: string, timeoutMs = 5000): Promise<string | undefined> {
  let shown: string;
  try {
    const u = new URL(url);
    shown = `${u.protocol}//${u.host}`;
  } catch {
    return `GLIMPSE_REDIS_URL is not a URL (redis://host:port)`;
  }
  const redis = openRedis(url, 'startup-check');
  // Connection errors are answered below; without a listener ioredis would also print them.
  let lastError = '';
  redis.on('error', (err: Error) => (lastError = err.message));
  let timer: NodeJS.Timeout | undefined;
  try {
    const answer = await Promise.race([
      redis.ping(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(lastError || `no answer in ${timeoutMs / 1000} s`)), timeoutMs);
      }),
    ]);
    return answer === 'PONG' ? undefined : `Redis at ${shown} (GLIMPSE_REDIS_URL) answered PING with "${answer}"`;
  } catch (err) {
    return `Redis at ${shown} (GLIMPSE_REDIS_URL) does not answer PING: ${lastError || (err as Error).message}`;
  } finally {
    clearTimeout(timer);
    redis.disconnect();
  }
}

/** The first problem, if any: the settings, then whether Redis answers. */
export async function startupProblem(config: Config): Promise<string | undefined> {
  return configurationProblem(config) ?? (config.redisUrl ? await redisProblem(config.redisUrl) : undefined);
}
