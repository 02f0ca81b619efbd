/**
 * A piece of upkeep run at start and then every `intervalMs` (0: only at start): scheduled
 * statuses coming due, uploads and accounts past their time. The timer is unref'd, so it never
 * keeps the process alive, and runs never overlap in one process (a tick during a run awaits
 * that run). Durability is the rows' business, not the timer's: what came due while the
 * process was down is found by the first run; across processes each task's own claim (a
 * conditional UPDATE or DELETE) keeps the work single.
 */
export class PeriodicTask {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;
  /** Where a failed run is reported (`<name> failed`); app.ts points it at the log. */
  onError: (message: string, error: unknown) => void = () => {};

  constructor(
    private readonly name: string,
    private readonly run: () => Promise<unknown>,
    private readonly intervalMs: number,
  ) {}

  /** Starts a run now (in the background: serving never waits for a backlog), then periodically. */
  start(): void {
    this.stopped = false;
    void this.tick();
    if (this.intervalMs > 0) {
      this.timer = setInterval(() => void this.tick(), this.intervalMs);
      this.timer.unref();
    }
  }

  /** One run, unless one is already going (then that one is awaited). */
  tick(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    this.running ??= this.run()
      .then(() => undefined)
      .catch((error: unknown) => this.onError(`${this.name} failed`, error))
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }

  /** Resolves when no run is going (tests wait for the run at start with it). */
  async idle(): Promise<void> {
    await this.running;
  }

  /** No new runs; waits for the current one to finish. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
