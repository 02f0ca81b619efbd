import crypto from 'node:crypto';
import { Queue, Worker, type Job, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { openRedis } from '../redis/redis-connection.ts';
import {
  asError,
  CommitWaker,
  DEFAULT_MAX_ATTEMPTS,
  defaultFailureReporter,
  type DurableJobDefinition,
  type DurableJobQueue,
  type EnqueueOptions,
  type JobCount,
  type JobFailure,
  type JobFailureReporter,
  type JobsAdmin,
  runAttempt,
} from './durable-job-queue.ts';
import type { FailedJob, JobStore } from './job-store.ts';

export interface BullJobQueueOptions {
  redisUrl: string;
  /** GLIMPSE_REDIS_PREFIX; BullMQ's keys live under `<prefix>bull:`. */
  redisPrefix: string;
  /** Whether this process runs BullMQ workers (role `all` or `worker`); a `web` process only enqueues. */
  runWorkers: boolean;
  /** Jobs of one queue running at once in this process (default 2). */
  concurrency?: number;
  timeoutMs?: number;
  maxAttempts?: number;
  /** The relay's fallback poll for rows another process committed (default 5 s). */
  pollMs?: number;
  /** First retry delay; BullMQ doubles it each attempt (default 5 s). */
  backoffDelayMs?: number;
}

export function bullPrefix(redisPrefix: string): string {
  return `${redisPrefix}bull`;
}

/**
 * Jobs on BullMQ (GLIMPSE_REDIS_URL). The outbox row is still written in the change's
 * transaction; a relay (in every process, so a `web` process's rows move even if it dies)
 * claims committed rows, adds them to the BullMQ queue named after the job with the row's id as
 * BullMQ's job id (a row relayed twice is added once), and deletes them. One queue per job
 * name; attempts with exponential backoff; completed jobs removed after an hour; failed jobs
 * kept (BullMQ's failed set is the dead-letter state: `admin jobs retry|discard`).
 */
export class BullJobQueue implements DurableJobQueue {
  onError: JobFailureReporter = defaultFailureReporter;
  readonly relayId = `relay-${crypto.randomBytes(9).toString('base64url')}`;
  private readonly definitions = new Map<string, DurableJobDefinition<any>>();
  private readonly queues = new Map<string, Queue>();
  private readonly workers: Worker[] = [];
  private readonly connections: Redis[] = [];
  private readonly waker: CommitWaker;
  private readonly concurrency: number;
  private readonly timeoutMs: number;
  private readonly maxAttempts: number;
  private readonly pollMs: number;
  private readonly backoffDelayMs: number;
  private started = false;
  private stopped = false;
  private relaying: Promise<void> | undefined;
  private again = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly listeners = new Set<() => void>();
  /** Jobs (queue:id) this process's workers took and have not yet reported failed or completed. */
  private readonly running = new Set<string>();

  constructor(
    private readonly store: JobStore,
    private readonly options: BullJobQueueOptions,
  ) {
    this.concurrency = Math.max(1, options.concurrency ?? 2);
    this.timeoutMs = options.timeoutMs ?? 60_000;
    this.maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
    this.pollMs = options.pollMs ?? 5_000;
    this.backoffDelayMs = options.backoffDelayMs ?? 5_000;
    this.waker = new CommitWaker(store, () => this.wakeRelay(), (error) => this.reportInternal(error));
  }

  define<P>(name: string, definition: DurableJobDefinition<P>): void {
    if (this.definitions.has(name)) throw new Error(`job ${name} is already defined`);
    this.definitions.set(name, definition);
    if (this.started && !this.stopped) this.attach(name, definition);
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
    this.connections.push(openRedis(this.options.redisUrl, 'jobs', { forBlockingCommands: true }));
    for (const [name, definition] of this.definitions) this.attach(name, definition);
    this.timer = setInterval(() => this.wakeRelay(), this.pollMs);
    this.timer.unref();
    this.wakeRelay();
  }

  /** The job's BullMQ queue and, in a process that runs jobs, its worker. */
  private attach(name: string, definition: DurableJobDefinition<any>): void {
    const prefix = bullPrefix(this.options.redisPrefix);
    this.queues.set(name, new Queue(name, { connection: this.connections[0], prefix }));
    if (!this.options.runWorkers) return;
    const workerConnection = openRedis(this.options.redisUrl, `jobs-worker:${name}`, { forBlockingCommands: true });
    this.connections.push(workerConnection);
    const worker = new Worker(
      name,
      async (job: Job) => {
        this.running.add(`${name}:${job.id}`);
        const error = await runAttempt(definition, { name, payload: JSON.stringify(job.data ?? null) }, new AbortController(), definition.timeoutMs ?? this.timeoutMs);
        if (error) throw error;
      },
      // A worker that dies (SIGKILL) stops renewing its job locks: the job is found stalled and
      // runs again within about 15 s (the lock, then a stall check), not BullMQ's default 30+30 s.
      // Jobs are idempotent, so a live worker losing a lock under load costs a repeat, not a loss.
      { connection: workerConnection, prefix, concurrency: this.concurrency, lockDuration: 10_000, stalledInterval: 5_000, maxStalledCount: 3 },
    );
    worker.on('failed', (job, error) => {
      if (job) this.running.delete(`${name}:${job.id}`);
      this.notify();
      if (!job) return this.reportInternal(asError(error));
      const maxAttempts = job.opts.attempts ?? 1;
      const final = job.attemptsMade >= maxAttempts;
      this.report({ id: String(job.id), name, attempt: job.attemptsMade, maxAttempts, final, error: asError(error) });
      if (final && definition.onFailure) {
        Promise.resolve()
          .then(() => definition.onFailure!(job.data, asError(error)))
          .catch((failure) => this.reportInternal(asError(failure)));
      }
    });
    worker.on('completed', (job) => {
      this.running.delete(`${name}:${job.id}`);
      this.notify();
    });
    worker.on('error', (error) => this.reportInternal(asError(error)));
    this.workers.push(worker);
  }

  async stop(options: { graceMs?: number } = {}): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearInterval(this.timer);
    await this.waker.stop();
    await this.relaying;
    const grace = options.graceMs ?? 30_000;
    await Promise.race([
      Promise.allSettled(this.workers.map((w) => w.close())),
      new Promise<void>((resolve) => setTimeout(resolve, grace).unref()),
    ]);
    // Past the grace period: jobs still active stay in BullMQ and are taken again once stalled.
    await Promise.allSettled(this.workers.map((w) => w.close(true)));
    await Promise.allSettled([...this.queues.values()].map((q) => q.close()));
    for (const c of this.connections) c.disconnect();
    this.notify();
  }

  /**
   * No committed outbox row left here, and no BullMQ job of these queues waiting or active
   * (delayed ones, retries after a backoff, are not due yet).
   */
  async onIdle(): Promise<void> {
    if (!this.started || this.stopped) return;
    for (;;) {
      await this.relayNow();
      let busy: number;
      try {
        busy = await this.busy();
      } catch (error) {
        // Redis unreachable: reported, and nothing here to wait for.
        this.reportInternal(asError(error));
        return;
      }
      // BullMQ counts a job failed or completed in Redis before this process's worker has
      // reported it: idle also waits for the jobs this process ran to be reported.
      if (!this.relaying && !this.again && busy === 0 && this.running.size === 0) return;
      // Woken by this process's workers and relay; a short bound covers workers elsewhere.
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          this.listeners.delete(done);
          resolve();
        };
        const timer = setTimeout(done, 25);
        this.listeners.add(done);
      });
      if (this.stopped) return;
    }
  }

  private async busy(): Promise<number> {
    let n = 0;
    for (const queue of this.queues.values()) {
      const counts = await queue.getJobCounts('waiting', 'active', 'prioritized', 'waiting-children');
      n += Object.values(counts).reduce((a, b) => a + Number(b), 0);
    }
    return n;
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }

  private relayNow(): Promise<void> {
    this.wakeRelay();
    return this.relaying ?? Promise.resolve();
  }

  private wakeRelay(): void {
    if (!this.started || this.stopped) return;
    if (this.relaying) {
      this.again = true;
      return;
    }
    this.relaying = this.relay().finally(() => {
      this.relaying = undefined;
      const rerun = this.again && !this.stopped;
      this.again = false;
      if (rerun) this.wakeRelay();
      this.notify();
    });
  }

  /** Moves committed outbox rows into BullMQ, a batch at a time. */
  private async relay(): Promise<void> {
    const names = [...this.definitions.keys()];
    for (;;) {
      if (this.stopped) return;
      let claimed;
      try {
        claimed = await this.store.claim(this.relayId, names, 100, 60_000);
      } catch (error) {
        if (!this.stopped) this.reportInternal(asError(error));
        return;
      }
      if (claimed.length === 0) return;
      try {
        const byName = new Map<string, typeof claimed>();
        for (const job of claimed) byName.set(job.name, [...(byName.get(job.name) ?? []), job]);
        for (const [name, jobs] of byName) {
          await this.queues.get(name)!.addBulk(
            jobs.map((job) => ({
              name,
              data: JSON.parse(job.payload),
              opts: {
                // BullMQ refuses custom ids that look like integers.
                jobId: `outbox-${job.id}`,
                attempts: job.maxAttempts,
                backoff: { type: 'exponential', delay: this.backoffDelayMs },
                removeOnComplete: { age: 3600, count: 10_000 },
                removeOnFail: false,
              } satisfies JobsOptions,
            })),
          );
        }
        await this.store.completeMany(this.relayId, claimed);
      } catch (error) {
        this.reportInternal(asError(error));
        // Redis unreachable: the rows go back to the outbox and are tried again later.
        await this.store.release(this.relayId, claimed, 5_000).catch((e) => this.reportInternal(asError(e)));
        return;
      }
      if (claimed.length < 100) return;
    }
  }

  private report(failure: JobFailure): void {
    try {
      this.onError(failure);
    } catch {
      defaultFailureReporter(failure);
    }
  }

  private reportInternal(error: Error): void {
    this.report({ id: '-', name: 'jobs', attempt: 0, maxAttempts: 0, final: false, error });
  }
}

/**
 * `admin jobs` on BullMQ: the queues are found in Redis (`<prefix>bull:<name>:meta`), so the
 * command needs no job definitions. The outbox rows not relayed yet are counted beside them.
 */
export async function bullJobsAdmin(store: JobStore, redisUrl: string, redisPrefix: string): Promise<JobsAdmin & { close(): Promise<void> }> {
  const prefix = bullPrefix(redisPrefix);
  const connection = openRedis(redisUrl, 'jobs-admin', { forBlockingCommands: true });
  const names: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await connection.scan(cursor, 'MATCH', `${prefix}:*:meta`, 'COUNT', 500);
    for (const key of keys) names.push(key.slice(prefix.length + 1, -':meta'.length));
    cursor = next;
  } while (cursor !== '0');
  names.sort();
  const queues = names.map((name) => new Queue(name, { connection, prefix }));
  const failedJobs = async (limit: number): Promise<Array<{ job: Job; queue: Queue }>> => {
    const out: Array<{ job: Job; queue: Queue }> = [];
    for (const queue of queues) for (const job of await queue.getFailed(0, limit - 1)) if (job) out.push({ job, queue });
    return out.slice(0, limit);
  };
  const select = async (id: string | 'all') => (await failedJobs(100_000)).filter((f) => id === 'all' || f.job.id === id);
  return {
    oldestDue: (now) => store.oldestDue(now),
    async counts(): Promise<JobCount[]> {
      const out: JobCount[] = (await store.counts()).map((c) => ({ queue: c.name, state: `outbox-${c.state}`, count: c.count }));
      for (const queue of queues) {
        const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'failed', 'completed');
        for (const [state, count] of Object.entries(counts)) if (Number(count) > 0) out.push({ queue: queue.name, state, count: Number(count) });
      }
      return out;
    },
    async failed(limit = 100): Promise<FailedJob[]> {
      return (await failedJobs(limit)).map(({ job, queue }) => ({
        id: String(job.id),
        name: queue.name,
        attempts: job.attemptsMade,
        error: job.stacktrace?.[job.stacktrace.length - 1] ?? job.failedReason ?? '',
        payload: JSON.stringify(job.data ?? null),
        failedAt: job.finishedOn ? new Date(job.finishedOn).toISOString() : '',
      }));
    },
    async retry(id) {
      const jobs = await select(id);
      for (const { job } of jobs) await job.retry('failed', { resetAttemptsMade: true });
      return jobs.length;
    },
    async discard(id) {
      const jobs = await select(id);
      for (const { job } of jobs) await job.remove();
      return jobs.length;
    },
    async close() {
      await Promise.allSettled(queues.map((q) => q.close()));
      connection.disconnect();
    },
  };
}
