import { sql } from 'kysely';
import type { Clock } from '../../clock.ts';
import type { DatabaseHandle } from '../../db/database.ts';
import type { JobsAdmin } from '../queue/durable-job-queue.ts';
import type { JobQueue } from '../queue/job-queue.ts';

/** A job due longer than this means the workers are not keeping up (or none is running). */
export const JOB_DELAY_LIMIT_MS = 5 * 60_000;
/** Any one check taking longer than this counts as failed: a probe must answer quickly. */
export const CHECK_TIMEOUT_MS = 2_000;

export interface ReadinessSources {
  database: DatabaseHandle;
  jobsAdmin: JobsAdmin;
  /** This process's in-memory queues (media): full ones refuse work. */
  queues: Record<string, JobQueue>;
  /** When Redis is configured: a round trip to it. */
  redis?: () => Promise<unknown>;
  clock: Clock;
}

export interface CheckResult {
  ok: boolean;
  /** Why it failed, in words an operator acts on; never a secret or a connection string. */
  detail?: string;
}

export interface Readiness {
  ready: boolean;
  checks: Record<string, CheckResult>;
}

/**
 * GET /readyz: whether this process should receive traffic. Each check is bounded in time and
 * they run at once, so a stalled database answers "not ready" in about two seconds instead of
 * hanging the probe:
 * - database: a trivial statement answers;
 * - migrations: the database has run every migration this code has (a process started before
 *   `migrate`, or a rolled-back database, is not ready);
 * - jobs: no durable job has been due for more than five minutes, so the queues drain (the
 *   jobs table's own work, or, with Redis, the rows the relay has not moved yet);
 * - queues: this process's media queue has room;
 * - redis, when configured: it answers.
 */
export async function checkReadiness(sources: ReadinessSources): Promise<Readiness> {
  const checks: Array<[string, () => Promise<CheckResult>]> = [
    ['database', async () => {
      await sql`SELECT 1`.execute(sources.database.kysely);
      return { ok: true };
    }],
    ['migrations', async () => {
      const pending = (await sources.database.pendingMigrations?.()) ?? [];
      return pending.length === 0 ? { ok: true } : { ok: false, detail: `${pending.length} migration(s) not run: npm run admin -- migrate` };
    }],
    ['jobs', async () => {
      const now = sources.clock.now();
      const due = await sources.jobsAdmin.oldestDue(now);
      const waitedMs = due === undefined ? 0 : now.getTime() - Date.parse(due);
      return waitedMs <= JOB_DELAY_LIMIT_MS ? { ok: true } : { ok: false, detail: `a job has waited ${Math.round(waitedMs / 1000)} s to run: is a worker running? (npm run admin -- jobs)` };
    }],
    ['queues', async () => {
      const full = Object.entries(sources.queues).filter(([, q]) => !q.hasCapacity()).map(([name]) => name);
      return full.length === 0 ? { ok: true } : { ok: false, detail: `full: ${full.join(', ')}` };
    }],
  ];
  if (sources.redis) {
    const ping = sources.redis;
    checks.push(['redis', async () => {
      await ping();
      return { ok: true };
    }]);
  }
  const results = await Promise.all(checks.map(async ([name, run]) => [name, await bounded(run)] as const));
  return { ready: results.every(([, r]) => r.ok), checks: Object.fromEntries(results) };
}

async function bounded(run: () => Promise<CheckResult>): Promise<CheckResult> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<CheckResult>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, detail: `no answer within ${CHECK_TIMEOUT_MS} ms` }), CHECK_TIMEOUT_MS);
    timer.unref();
  });
  try {
    return await Promise.race([run().catch((error: unknown) => ({ ok: false, detail: describe(error) })), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The error's kind and code, not its message: a driver's message may hold a host or a user name. */
function describe(error: unknown): string {
  const e = error as { code?: unknown; name?: unknown };
  const code = typeof e?.code === 'string' ? ` ${e.code}` : '';
  return `failed (${typeof e?.name === 'string' ? e.name : 'error'}${code})`;
}
