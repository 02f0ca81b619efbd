import type { Clock } from '../../clock.ts';
import type { ScheduledStatusService } from './scheduled-status-service.ts';

/**
 * Runs `publishDue` at start and then every `intervalMs` on the injectable clock's time (an
 * unref'd timer: it never keeps the process alive). Durability comes from the rows, not from
 * this timer: whatever was due while the process was down is published by the first run.
 * Runs never overlap in one process; across processes the claim keeps publication single.
 */
export class ScheduledPublisher {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly service: ScheduledStatusService,
    private readonly clock: Clock,
    /** 0 runs only at start. */
    private readonly intervalMs: number,
  ) {}

  /**
   * Starts publishing what is due now (in the background: serving does not wait for a backlog
   * left by a long stop), then keeps doing so periodically.
   */
  start(): void {
    this.stopped = false;
    void this.tick();
    if (this.intervalMs > 0) {
      this.timer = setInterval(() => void this.tick(), this.intervalMs);
      this.timer.unref();
    }
  }

  /** Resolves when no run is going (tests wait for the run at start with it). */
  async idle(): Promise<void> {
    await this.running;
  }

  /** One run, unless one is already going (then that one is awaited). */
  tick(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    this.running ??= this.service
      .publishDue(this.clock.now())
      .then(() => undefined)
      .catch((error) => this.service.log.error('scheduled statuses: publishing run failed', error))
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }

  /** No new runs; waits for the current one to finish. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
