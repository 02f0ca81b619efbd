/**
 * An in-process queue: named jobs with handlers, run in this process with bounded concurrency,
 * a bounded backlog and a timeout per job. Nothing here survives a restart, so only work that
 * keeps its own state in the database uses it: image processing (media rows stay 'processing'
 * and are queued again at start). Every other job is durable: durable-job-queue.ts.
 */
export interface JobContext {
  /** Aborted when the job times out or the queue stops; long handlers should check it. */
  signal: AbortSignal;
}

export interface JobDefinition<P> {
  handler(payload: P, context: JobContext): Promise<void>;
  /** Milliseconds before the job counts as failed and its slot is given back. */
  timeoutMs?: number;
  /**
   * Called once when the handler throws or times out. After a timeout the handler may still be
   * running; it must not commit results once `signal.aborted` (conditional updates help).
   */
  onFailure?(payload: P, error: Error): Promise<void> | void;
}

export interface JobQueueStats {
  running: number;
  waiting: number;
  completed: number;
  failed: number;
}

export interface JobQueue {
  define<P>(name: string, definition: JobDefinition<P>): void;
  /** Adds a job; throws QueueFullError when the backlog is full, QueueStoppedError after stop(). */
  enqueue<P>(name: string, payload: P): void;
  /** Whether `count` more jobs would be accepted right now. */
  hasCapacity(count?: number): boolean;
  /** Begins running jobs; jobs enqueued before start wait until then. */
  start(): void;
  /** Refuses new jobs, drops the waiting ones and waits (bounded) for the running ones. */
  stop(options?: { graceMs?: number }): Promise<void>;
  /** Resolves when nothing is running or waiting (tests use it instead of sleeping). */
  onIdle(): Promise<void>;
  stats(): JobQueueStats;
}

export class QueueFullError extends Error {
  constructor(readonly queue: string) {
    super(`the ${queue} queue is full`);
    this.name = 'QueueFullError';
  }
}

export class QueueStoppedError extends Error {
  constructor(readonly queue: string) {
    super(`the ${queue} queue is stopped`);
    this.name = 'QueueStoppedError';
  }
}

export class JobTimeoutError extends Error {
  constructor(readonly job: string, readonly timeoutMs: number) {
    super(`job ${job} timed out after ${timeoutMs} ms`);
    this.name = 'JobTimeoutError';
  }
}

export interface InProcessJobQueueOptions {
  /** A name for messages and logs. */
  name?: string;
  /** Jobs running at once (default 2). */
  concurrency?: number;
  /** Jobs allowed to wait behind the running ones before enqueue refuses (default 100). */
  maxWaiting?: number;
  /** Per-job timeout unless the definition sets one (default 60 s). */
  timeoutMs?: number;
  /** Where failures are reported; defaults to nowhere (the handlers record their own state). */
  onError?(job: string, error: Error): void;
}

interface PendingJob {
  name: string;
  payload: unknown;
}

export class InProcessJobQueue implements JobQueue {
  readonly name: string;
  readonly concurrency: number;
  readonly maxWaiting: number;
  private readonly timeoutMs: number;
  private readonly onError: (job: string, error: Error) => void;
  private readonly definitions = new Map<string, JobDefinition<any>>();
  private readonly waiting: PendingJob[] = [];
  private readonly active = new Set<Promise<void>>();
  private readonly controllers = new Set<AbortController>();
  private idleWaiters: Array<() => void> = [];
  private started = false;
  private stopped = false;
  private completed = 0;
  private failed = 0;

  constructor(options: InProcessJobQueueOptions = {}) {
    this.name = options.name ?? 'jobs';
    this.concurrency = Math.max(1, options.concurrency ?? 2);
    this.maxWaiting = Math.max(0, options.maxWaiting ?? 100);
    this.timeoutMs = options.timeoutMs ?? 60_000;
    this.onError = options.onError ?? (() => undefined);
  }

  define<P>(name: string, definition: JobDefinition<P>): void {
    if (this.definitions.has(name)) throw new Error(`job ${name} is already defined`);
    this.definitions.set(name, definition);
  }

  enqueue<P>(name: string, payload: P): void {
    if (this.stopped) throw new QueueStoppedError(this.name);
    if (!this.definitions.has(name)) throw new Error(`no job named ${name}`);
    if (!this.hasCapacity()) throw new QueueFullError(this.name);
    this.waiting.push({ name, payload });
    this.pump();
  }

  hasCapacity(count = 1): boolean {
    if (this.stopped) return false;
    // Free running slots absorb jobs at once; beyond them the backlog bound applies.
    const freeSlots = this.started ? Math.max(0, this.concurrency - this.active.size) : 0;
    return this.waiting.length + count <= this.maxWaiting + freeSlots;
  }

  start(): void {
    if (this.stopped) throw new QueueStoppedError(this.name);
    this.started = true;
    this.pump();
  }

  async stop(options: { graceMs?: number } = {}): Promise<void> {
    this.stopped = true;
    this.waiting.length = 0;
    const grace = options.graceMs ?? 30_000;
    if (this.active.size > 0) {
      let timer: NodeJS.Timeout | undefined;
      const expired = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, grace);
        timer.unref?.();
      });
      await Promise.race([Promise.allSettled([...this.active]), expired]);
      clearTimeout(timer);
      // Whatever is still running past the grace period is told to give up.
      for (const controller of this.controllers) controller.abort(new QueueStoppedError(this.name));
    }
    this.settleIdle();
  }

  onIdle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  stats(): JobQueueStats {
    return { running: this.active.size, waiting: this.waiting.length, completed: this.completed, failed: this.failed };
  }

  private isIdle(): boolean {
    return this.active.size === 0 && (this.waiting.length === 0 || !this.started || this.stopped);
  }

  private settleIdle(): void {
    if (!this.isIdle()) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  private pump(): void {
    while (this.started && !this.stopped && this.active.size < this.concurrency && this.waiting.length > 0) {
      const job = this.waiting.shift()!;
      const run: Promise<void> = this.run(job).finally(() => {
        this.active.delete(run);
        this.pump();
        this.settleIdle();
      });
      this.active.add(run);
    }
    this.settleIdle();
  }

  private async run(job: PendingJob): Promise<void> {
    const definition = this.definitions.get(job.name)!;
    const timeoutMs = definition.timeoutMs ?? this.timeoutMs;
    const controller = new AbortController();
    this.controllers.add(controller);
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
      await Promise.race([Promise.resolve().then(() => definition.handler(job.payload, { signal: controller.signal })), timeout]);
      this.completed += 1;
    } catch (caught) {
      this.failed += 1;
      const error = caught instanceof Error ? caught : new Error(String(caught));
      this.onError(job.name, error);
      if (definition.onFailure) {
        try {
          await definition.onFailure(job.payload, error);
        } catch (failure) {
          this.onError(job.name, failure instanceof Error ? failure : new Error(String(failure)));
        }
      }
    } finally {
      clearTimeout(timer);
      this.controllers.delete(controller);
    }
  }
}
