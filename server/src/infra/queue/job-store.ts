import crypto from 'node:crypto';
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Clock } from '../../clock.ts';
import type { Database } from '../../db/schema.ts';

export type JobState = 'queued' | 'running' | 'failed';

/** A row a worker (or the BullMQ relay) has claimed: leased to it until it finishes or the lease runs out. */
export interface ClaimedJob {
  id: string;
  name: string;
  payload: string;
  /** This attempt's number (1 for the first run). */
  attempts: number;
  maxAttempts: number;
}

export interface FailedJob {
  id: string;
  name: string;
  attempts: number;
  error: string;
  payload: string;
  failedAt: string;
}

/** Two int4 keys name the advisory lock a PostgreSQL transaction holds while its jobs are uncommitted. */
const WAKE_LOCK_CLASS = 0x676c6a62; // "gljb"

function wakeKey(id: string): number {
  let h = 0;
  for (let i = 0; i < id.length; i++) h = (Math.imul(h, 31) + id.charCodeAt(i)) | 0;
  return h;
}

let jobSequence = 0;

/**
 * A job's id: the millisecond it was queued, this process's sequence and random digits, so ids
 * sort by time (in queueing order within a process) and never collide across processes,
 * without taking ids from the statuses' generator.
 */
function jobId(ms: number): string {
  jobSequence = (jobSequence + 1) % 1_000_000;
  return `${String(ms).padStart(13, '0')}-${String(jobSequence).padStart(6, '0')}-${crypto.randomBytes(3).toString('hex')}`;
}

const ERROR_LENGTH = 4000;

function errorText(error: Error): string {
  return (error.stack ?? `${error.name}: ${error.message}`).slice(0, ERROR_LENGTH);
}

/**
 * The `jobs` table (migration 0019): the outbox rows and, on the embedded default, the queue
 * itself. Every claim is one statement: on PostgreSQL the candidates are picked with
 * `FOR UPDATE SKIP LOCKED`, so workers of several processes never take the same row; on SQLite
 * the single writer makes the `UPDATE … WHERE state …` claim atomic on its own.
 *
 * The worker's own statements (claim, finish, renew) go through an executor of their own, not
 * the one requests use: they are background work, never part of a request's cost.
 */
export class JobStore {
  private readonly own: Kysely<Database>;

  constructor(
    db: Kysely<Database>,
    readonly dialect: 'sqlite' | 'postgres',
    private readonly clock: Clock,
  ) {
    this.own = db.withoutPlugins();
  }

  /**
   * Records a job in the caller's transaction (or on its own, given the database), or, given
   * `onlyIf`, only when that condition holds there (one INSERT … SELECT … WHERE either way). On
   * PostgreSQL the transaction also takes an advisory lock named after the job, held until it
   * commits or rolls back, so `waitForCommit` can wait for exactly that moment.
   */
  async insert(trx: Kysely<Database>, name: string, payload: unknown, maxAttempts: number, delayMs = 0, onlyIf?: RawBuilder<unknown>): Promise<{ id: string; key: number; inserted: boolean }> {
    const now = this.clock.now();
    const id = jobId(now.getTime());
    const nowIso = now.toISOString();
    const runAt = new Date(now.getTime() + Math.max(0, delayMs)).toISOString();
    const json = JSON.stringify(payload ?? null);
    const key = wakeKey(id);
    const condition = onlyIf ?? sql`1 = 1`;
    const row = sql`${id}, ${name}, ${json}, 'queued', 0, CAST(${maxAttempts} AS integer), ${runAt}, NULL, NULL, ${nowIso}, ${nowIso}`;
    const columns = sql`jobs (id, name, payload, state, attempts, max_attempts, run_at, locked_by, last_error, created_at, updated_at)`;
    const result =
      this.dialect === 'postgres' && trx.isTransaction
        ? await sql`WITH wake AS (SELECT pg_advisory_xact_lock(${WAKE_LOCK_CLASS}::int4, ${key}::int4))
            INSERT INTO ${columns} SELECT ${row} FROM wake WHERE ${condition}`.execute(trx)
        : await sql`INSERT INTO ${columns} SELECT ${row} WHERE ${condition}`.execute(trx);
    return { id, key, inserted: Number(result.numAffectedRows ?? 0) > 0 };
  }

  /**
   * Resolves once the PostgreSQL transaction that inserted the job with this key has ended
   * (committed or rolled back): its advisory lock is taken and given back at once. Holds one
   * pooled connection meanwhile.
   */
  async waitForCommit(key: number): Promise<void> {
    await this.own.transaction().execute((t) => sql`SELECT pg_advisory_xact_lock_shared(${WAKE_LOCK_CLASS}::int4, ${key}::int4)`.execute(t));
  }

  /**
   * Claims up to `limit` due jobs among `names`: queued ones whose time has come, and running
   * ones whose lease ran out (their process stopped). Each claim counts an attempt and leases
   * the row to `workerId` for `leaseMs`.
   */
  async claim(workerId: string, names: readonly string[], limit: number, leaseMs: number, runningHere: readonly string[] = []): Promise<ClaimedJob[]> {
    if (limit <= 0 || names.length === 0) return [];
    const now = this.clock.now();
    const nowIso = now.toISOString();
    let pick = this.own
      .selectFrom('jobs')
      .select('id')
      .where('state', 'in', ['queued', 'running'])
      .where('run_at', '<=', nowIso)
      .where('name', 'in', [...names])
      // Never a job this process is still running (a test clock moved past its lease).
      .$if(runningHere.length > 0, (q) => q.where('id', 'not in', [...runningHere]))
      .orderBy('run_at')
      .orderBy('id')
      .limit(limit);
    if (this.dialect === 'postgres') pick = pick.forUpdate().skipLocked();
    const rows = await this.own
      .updateTable('jobs')
      .set({ state: 'running', attempts: sql<number>`attempts + 1`, run_at: new Date(now.getTime() + leaseMs).toISOString(), locked_by: workerId, updated_at: nowIso })
      .where('id', 'in', pick)
      .returning(['id', 'name', 'payload', 'attempts', 'max_attempts'])
      .execute();
    return rows
      .map((r) => ({ id: r.id, name: r.name, payload: r.payload, attempts: Number(r.attempts), maxAttempts: Number(r.max_attempts) }))
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  /**
   * The running jobs an earlier process of `holder` leased (workerIds `<holder>.<random>`) are
   * due now: that process is gone, since this one holds its host and data folder.
   */
  async expireLeasesOf(holder: string, exceptWorkerId: string): Promise<void> {
    const prefix = `${holder}.`;
    await this.own
      .updateTable('jobs')
      .set({ run_at: this.clock.now().toISOString() })
      .where('state', '=', 'running')
      .where(sql<boolean>`substr(locked_by, 1, ${prefix.length}) = ${prefix}`)
      .where('locked_by', '<>', exceptWorkerId)
      .execute();
  }

  /** Done: the row goes, if this worker still holds it for this attempt. */
  async complete(workerId: string, job: ClaimedJob): Promise<void> {
    await this.own.deleteFrom('jobs').where('id', '=', job.id).where('locked_by', '=', workerId).where('attempts', '=', job.attempts).execute();
  }

  /** Done for several rows at once (the relay, once BullMQ holds them). */
  async completeMany(workerId: string, jobs: readonly ClaimedJob[]): Promise<void> {
    if (jobs.length === 0) return;
    await this.own.deleteFrom('jobs').where('id', 'in', jobs.map((j) => j.id)).where('locked_by', '=', workerId).execute();
  }

  /** A failed attempt with attempts left: queued again after `delayMs`, keeping the error. */
  async retryLater(workerId: string, job: ClaimedJob, error: Error, delayMs: number): Promise<void> {
    const now = this.clock.now();
    await this.own
      .updateTable('jobs')
      .set({ state: 'queued', run_at: new Date(now.getTime() + delayMs).toISOString(), locked_by: null, last_error: errorText(error), updated_at: now.toISOString() })
      .where('id', '=', job.id)
      .where('locked_by', '=', workerId)
      .where('attempts', '=', job.attempts)
      .execute();
  }

  /** The last attempt failed: the row stays, `failed`, with its error (the dead-letter state). */
  async fail(workerId: string, job: ClaimedJob, error: Error): Promise<void> {
    const now = this.clock.now().toISOString();
    await this.own
      .updateTable('jobs')
      .set({ state: 'failed', locked_by: null, last_error: errorText(error), updated_at: now })
      .where('id', '=', job.id)
      .where('locked_by', '=', workerId)
      .where('attempts', '=', job.attempts)
      .execute();
  }

  /** Gives claimed rows back untouched (a stopping worker, a relay that could not reach Redis). */
  async release(workerId: string, jobs: readonly ClaimedJob[], delayMs = 0): Promise<void> {
    if (jobs.length === 0) return;
    const now = this.clock.now();
    await this.own
      .updateTable('jobs')
      .set({ state: 'queued', attempts: sql<number>`attempts - 1`, run_at: new Date(now.getTime() + delayMs).toISOString(), locked_by: null, updated_at: now.toISOString() })
      .where('id', 'in', jobs.map((j) => j.id))
      .where('locked_by', '=', workerId)
      .where('state', '=', 'running')
      .execute();
  }

  /** Extends the leases of the jobs this worker is running. */
  async renew(workerId: string, ids: readonly string[], leaseMs: number): Promise<void> {
    if (ids.length === 0) return;
    await this.own
      .updateTable('jobs')
      .set({ run_at: new Date(this.clock.now().getTime() + leaseMs).toISOString() })
      .where('id', 'in', [...ids])
      .where('locked_by', '=', workerId)
      .where('state', '=', 'running')
      .execute();
  }

  // ---- the admin command ----

  /** When the longest-waiting job that is due now became due (undefined: none is waiting). */
  async oldestDue(now: Date): Promise<string | undefined> {
    const row = await this.own.selectFrom('jobs').select(sql<string | null>`min(run_at)`.as('due')).where('state', '=', 'queued').where('run_at', '<=', now.toISOString()).executeTakeFirst();
    return row?.due ?? undefined;
  }

  async counts(): Promise<Array<{ name: string; state: JobState; count: number }>> {
    const rows = await this.own.selectFrom('jobs').select(['name', 'state', sql<number>`count(*)`.as('n')]).groupBy(['name', 'state']).orderBy('name').orderBy('state').execute();
    return rows.map((r) => ({ name: r.name, state: r.state, count: Number(r.n) }));
  }

  async failed(limit = 100): Promise<FailedJob[]> {
    const rows = await this.own.selectFrom('jobs').select(['id', 'name', 'attempts', 'last_error', 'payload', 'updated_at']).where('state', '=', 'failed').orderBy('id').limit(limit).execute();
    return rows.map((r) => ({ id: r.id, name: r.name, attempts: Number(r.attempts), error: r.last_error ?? '', payload: r.payload, failedAt: r.updated_at }));
  }

  /** Failed jobs (one, or all) queued again with their attempts reset. Answers how many. */
  async retryFailed(id: string | 'all'): Promise<number> {
    const now = this.clock.now().toISOString();
    // Due at once on any process's clock: the time it was first queued.
    let q = this.own.updateTable('jobs').set({ state: 'queued', attempts: 0, run_at: sql<string>`created_at`, locked_by: null, updated_at: now }).where('state', '=', 'failed');
    if (id !== 'all') q = q.where('id', '=', id);
    return Number((await q.executeTakeFirst()).numUpdatedRows ?? 0);
  }

  /** Failed jobs (one, or all) deleted. Answers how many. */
  async discardFailed(id: string | 'all'): Promise<number> {
    let q = this.own.deleteFrom('jobs').where('state', '=', 'failed');
    if (id !== 'all') q = q.where('id', '=', id);
    return Number((await q.executeTakeFirst()).numDeletedRows ?? 0);
  }
}
