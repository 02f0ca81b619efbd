import crypto from 'node:crypto';
import type { Kysely, RawBuilder } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { type JobContext, JobTimeoutError } from './job-queue.ts';
import type { ClaimedJob, FailedJob, JobState, JobStore } from './job-store.ts';

/**
 * Durable background jobs (an outbox). A job is a row of the `jobs` table written in the SAME
 * transaction as the change that causes it (`enqueue(name, payload, { trx })`), so a crash
 * between the commit and the work loses nothing, and a rolled-back change leaves no job.
 *
 * Two adapters implement it (services.ts picks one):
 * - `DatabaseJobQueue` (the embedded default, no Redis): this process claims the rows and runs
 *   them, with leases, retries with backoff and a `failed` state.
 * - `BullJobQueue` (GLIMPSE_REDIS_URL): a relay moves committed rows into BullMQ queues; BullMQ
 *   workers run them in `all` and `worker` processes.
 *
 * A job may run more than once (a retry after a failure, a lease that ran out while its process
 * was dying): every handler must be idempotent.
 */
export interface DurableJobDefinition<P> {
  handler(payload: P, context: JobContext): Promise<void>;
  /** Milliseconds before an attempt counts as failed (default 60 s). */
  timeoutMs?: number;
  /** Attempts before the job is left `failed` (default 5). */
  maxAttempts?: number;
  /** Called once when the last attempt has failed. */
  onFailure?(payload: P, error: Error): Promise<void> | void;
}

export interface EnqueueOptions {
  /** The transaction of the change causing the job (or the database, for a job caused by nothing else). */
  trx: Kysely<Database>;
  /** Run no earlier than this many milliseconds from now. */
  delayMs?: number;
  /**
   * Recorded only if this SQL condition holds in the transaction (evaluated by the job's own
   * INSERT, so it costs no statement): a job that would find nothing to do is never written,
   * claimed and deleted. Nobody is woken when it is not recorded.
   */
  onlyIf?: RawBuilder<unknown>;
}

/** One failed attempt (`final`: no attempt is left; the job is now `failed`). */
export interface JobFailure {
  id: string;
  name: string;
  attempt: number;
  maxAttempts: number;
  final: boolean;
  error: Error;
}

export type JobFailureReporter = (failure: JobFailure) => void;

export interface JobCount {
  /** The queue: the job's name. */
  queue: string;
  state: string;
  count: number;
}

/** What `npm run admin -- jobs` works with. */
export interface JobsAdmin {
  counts(): Promise<JobCount[]>;
  /**
   * When the longest-waiting job due now became due, or undefined: the jobs table's own work
   * (embedded), or its rows not yet relayed to Redis (BullMQ). Readiness reads it (GET /readyz).
   */
  oldestDue(now: Date): Promise<string | undefined>;
  failed(limit?: number): Promise<FailedJob[]>;
  retry(id: string | 'all'): Promise<number>;
  discard(id: string | 'all'): Promise<number>;
}

export interface DurableJobQueue {
  define<P>(name: string, definition: DurableJobDefinition<P>): void;
  /** Records the job in `options.trx`; it runs once that transaction has committed. */
  enqueue<P>(name: string, payload: P, options: EnqueueOptions): Promise<void>;
  /** Begins working jobs (and relaying them, with BullMQ). */
  start(): void;
  /** Stops claiming; running jobs finish (bounded by graceMs), the rest are given back. */
  stop(options?: { graceMs?: number }): Promise<void>;
  /** Resolves when this process sees no job due and none running (tests use it instead of sleeping). */
  onIdle(): Promise<void>;
  /** Where failed attempts are reported; app.ts points it at the log. */
  onError: JobFailureReporter;
}

export const DEFAULT_MAX_ATTEMPTS = 5;

/** Exponential backoff after attempt `n` (1-based): 5 s, 20 s, 80 s, 320 s … at most an hour. */
export function backoffMs(attempt: number): number {
  return Math.min(60 * 60_000, 5_000 * 4 ** Math.max(0, attempt - 1));
}

export function asError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}

export function defaultFailureReporter(failure: JobFailure): void {
  process.stderr.write(`job ${failure.name} ${failure.id} attempt ${failure.attempt}/${failure.maxAttempts} failed${failure.final ? ' (no attempt left)' : ''}: ${failure.error.stack ?? failure.error.message}\n`);
}

/**
 * Runs `run` once the transaction that wrote a job has committed, with no polling:
 * - outside a transaction, and on SQLite, at once: SQLite has one writer, and the claim is a
 *   write, so it waits for the enqueuing transaction to end and then sees its rows;
 * - in a PostgreSQL transaction, when that transaction ends: it holds an advisory lock named
 *   after the job (JobStore.insert), and one waiter at a time takes it (JobStore.waitForCommit).
 */
export class CommitWaker {
  private chain: Promise<void> = Promise.resolve();
  private waiting = 0;
  private stopped = false;

  constructor(
    private readonly store: JobStore,
    private readonly run: () => void,
    private readonly report: (error: Error) => void,
  ) {}

  afterCommit(trx: Kysely<Database>, key: number): void {
    if (this.stopped) return;
    if (this.store.dialect !== 'postgres' || !trx.isTransaction) {
      setImmediate(this.run);
      return;
    }
    this.waiting += 1;
    this.chain = this.chain.then(async () => {
      try {
        if (!this.stopped) await this.store.waitForCommit(key);
      } catch (error) {
        if (!this.stopped) this.report(asError(error));
      } finally {
        this.waiting -= 1;
      }
      if (!this.stopped) this.run();
    });
  }

  /** Waiters in flight end (each with the transaction it waits for). */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.chain;
  }

  get pending(): number {
    return this.waiting;
  }
}

export interface DatabaseJobQueueOptions {
  /** Jobs running at once in this process (default 2). */
  concurrency?: number;
  timeoutMs?: number;
  maxAttempts?: number;
  /** How long a claimed job stays leased without renewal (default 30 s; renewed every third of it while it runs). */
  leaseMs?: number;
  /** The fallback poll (default 5 s): jobs another process queued, retries whose backoff ended, leases that ran out. */
  pollMs?: number;
  backoff?(attempt: number): number;
  /**
   * This process as a lease holder (infra/process-holder.ts). At start, running jobs leased by
   * an earlier process of the same holder (it died: SIGKILL, power loss) are claimable at once
   * instead of after their lease runs out.
   */
  holder?: string;
}

interface Running {
  job: ClaimedJob;
  controller: AbortController;
}

/**
 * The embedded default: the `jobs` table is the queue, and this process works it. A claimed
 * row is leased (`run_at` is the lease's end while `running`); a process that dies leaves its
 * rows to be claimed again once their leases run out. A failed attempt is queued again after an
 * exponential backoff; after the last one the row stays `failed` with its error.
 */
export class DatabaseJobQueue implements DurableJobQueue {
  onError: JobFailureReporter = defaultFailureReporter;
  readonly workerId: string;
  private readonly holder: string | undefined;
  private takingOver: Promise<void> | undefined;
  private readonly definitions = new Map<string, DurableJobDefinition<any>>();
  private readonly running = new Map<string, Running>();
  private readonly waker: CommitWaker;
  private readonly concurrency: number;
  private readonly timeoutMs: number;
  private readonly maxAttempts: number;
  private readonly leaseMs: number;
  private readonly pollMs: number;
  private readonly backoff: (attempt: number) => number;
  private started = false;
  private stopped = false;
  private pumping: Promise<void> | undefined;
  private again = false;
  private idleWaiters: Array<() => void> = [];
  private timers: NodeJS.Timeout[] = [];

  constructor(
    private readonly store: JobStore,
    options: DatabaseJobQueueOptions = {},
  ) {
    this.concurrency = Math.max(1, options.concurrency ?? 2);
    this.timeoutMs = options.timeoutMs ?? 60_000;
    this.maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
    this.leaseMs = options.leaseMs ?? 30_000;
    this.pollMs = options.pollMs ?? 5_000;
    this.backoff = options.backoff ?? backoffMs;
    this.holder = options.holder;
    this.workerId = `${options.holder ? `${options.holder}.` : ''}${crypto.randomBytes(9).toString('base64url')}`;
    this.waker = new CommitWaker(store, () => this.wake(), (error) => this.reportInternal(error));
  }

  define<P>(name: string, definition: DurableJobDefinition<P>): void {
    if (this.definitions.has(name)) throw new Error(`job ${name} is already defined`);
    this.definitions.set(name, definition);
  }

  async enqueue<P>(name: string, payload: P, options: EnqueueOptions): Promise<void> {
    const definition = this.definitions.get(name);
    if (!definition) throw new Error(`no job named ${name}`);
    const { key, inserted } = await this.store.insert(options.trx, name, payload, definition.maxAttempts ?? this.maxAttempts, options.delayMs, options.onlyIf);
    if (inserted) this.waker.afterCommit(options.trx, key);
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    const poll = setInterval(() => this.wake(), this.pollMs);
    const renew = setInterval(() => void this.renewLeases(), Math.max(1, Math.floor(this.leaseMs / 3)));
    poll.unref();
    renew.unref();
    this.timers.push(poll, renew);
    this.wake();
    if (this.holder) {
      this.takingOver = this.store.expireLeasesOf(this.holder, this.workerId).then(
        () => this.wake(),
        (error) => this.reportInternal(asError(error)),
      );
    }
  }

  async stop(options: { graceMs?: number } = {}): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    for (const t of this.timers) clearInterval(t);
    await this.waker.stop();
    await this.pumping;
    const grace = options.graceMs ?? 30_000;
    if (this.running.size > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, grace);
        timer.unref();
        this.idleWaiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
        this.settleIdle();
      });
    }
    // Still running past the grace period: told to give up, and their rows given back now
    // rather than when their leases run out.
    const left = [...this.running.values()];
    for (const r of left) r.controller.abort(new Error('the job queue is stopping'));
    if (left.length) await this.store.release(this.workerId, left.map((r) => r.job)).catch((error) => this.reportInternal(asError(error)));
    this.resolveIdle();
  }

  async onIdle(): Promise<void> {
    if (!this.started || this.stopped) return;
    // The predecessor's leases, taken over at start, count as work to wait for.
    await this.takingOver;
    return new Promise((resolve) => {
      this.idleWaiters.push(resolve);
      // A claim that starts after this call: it sees every transaction committed before it.
      this.wake();
    });
  }

  /** Claims and runs due jobs; called after a commit that enqueued, after each job, and by the poll. */
  private wake(): void {
    if (!this.started || this.stopped) return;
    if (this.pumping) {
      this.again = true;
      return;
    }
    this.pumping = this.pump().finally(() => {
      this.pumping = undefined;
      const rerun = this.again && !this.stopped;
      this.again = false;
      if (rerun) this.wake();
      else this.settleIdle();
    });
  }

  private async pump(): Promise<void> {
    const names = [...this.definitions.keys()];
    try {
      for (;;) {
        const free = this.concurrency - this.running.size;
        if (free <= 0 || this.stopped) return;
        const claimed = await this.store.claim(this.workerId, names, free, this.leaseMs, [...this.running.keys()]);
        for (const job of claimed) this.launch(job);
        if (claimed.length < free) return;
      }
    } catch (error) {
      if (!this.stopped) this.reportInternal(asError(error));
    }
  }

  private launch(job: ClaimedJob): void {
    const controller = new AbortController();
    this.running.set(job.id, { job, controller });
    void this.execute(job, controller).finally(() => {
      this.running.delete(job.id);
      this.wake();
      this.settleIdle();
    });
  }

  private async execute(job: ClaimedJob, controller: AbortController): Promise<void> {
    const definition = this.definitions.get(job.name)!;
    let outcome: Error | undefined;
    if (job.attempts > job.maxAttempts) {
      outcome = new Error(`its lease ran out during attempt ${job.maxAttempts} of ${job.maxAttempts} (the process running it stopped)`);
    } else {
      outcome = await runAttempt(definition, job, controller, definition.timeoutMs ?? this.timeoutMs);
    }
    if (this.stopped && controller.signal.aborted) return; // given back by stop()
    try {
      if (!outcome) {
        await this.store.complete(this.workerId, job);
        return;
      }
      const final = job.attempts >= job.maxAttempts;
      this.report({ id: job.id, name: job.name, attempt: Math.min(job.attempts, job.maxAttempts), maxAttempts: job.maxAttempts, final, error: outcome });
      if (final) {
        await this.store.fail(this.workerId, job, outcome);
        if (definition.onFailure) {
          try {
            await definition.onFailure(parsePayload(job), outcome);
          } catch (error) {
            this.reportInternal(asError(error));
          }
        }
      } else {
        await this.store.retryLater(this.workerId, job, outcome, this.backoff(job.attempts));
      }
    } catch (error) {
      // The row keeps its lease and is claimed again when it runs out.
      this.reportInternal(asError(error));
    }
  }

  private async renewLeases(): Promise<void> {
    if (this.running.size === 0 || this.stopped) return;
    try {
      await this.store.renew(this.workerId, [...this.running.keys()], this.leaseMs);
    } catch (error) {
      this.reportInternal(asError(error));
    }
  }

  private report(failure: JobFailure): void {
    try {
      this.onError(failure);
    } catch {
      defaultFailureReporter(failure);
    }
  }

  /** A failure of the queue itself (the database unreachable): reported under the name `jobs`. */
  private reportInternal(error: Error): void {
    this.report({ id: '-', name: 'jobs', attempt: 0, maxAttempts: 0, final: false, error });
  }

  private settleIdle(): void {
    if (this.pumping || this.again || this.running.size > 0) return;
    this.resolveIdle();
  }

  private resolveIdle(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}

export function parsePayload(job: Pick<ClaimedJob, 'payload'>): any {
  return JSON.parse(job.payload);
}

/** One attempt with its timeout; answers the error, or undefined when it succeeded. */
export async function runAttempt(definition: DurableJobDefinition<any>, job: Pick<ClaimedJob, 'name' | 'payload'>, controller: AbortController, timeoutMs: number): Promise<Error | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new JobTimeoutError(job.name, timeoutMs);
      controller.abort(error);
      reject(error);
    }, timeoutMs);
  });
  try {
    // Promise.race subscribes to the handler too, so a late rejection after a timeout is handled.
    await Promise.race([Promise.resolve().then(() => definition.handler(parsePayload(job), { signal: controller.signal })), timeout]);
    return undefined;
  } catch (error) {
    return asError(error);
  } finally {
    clearTimeout(timer);
  }
}

/** The embedded admin view: the table's rows by job name and state. */
export function databaseJobsAdmin(store: JobStore): JobsAdmin {
  return {
    counts: async () => (await store.counts()).map((c) => ({ queue: c.name, state: c.state as JobState, count: c.count })),
    oldestDue: (now) => store.oldestDue(now),
    failed: (limit) => store.failed(limit),
    retry: (id) => store.retryFailed(id),
    discard: (id) => store.discardFailed(id),
  };
}
