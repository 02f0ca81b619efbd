import { tooManyRequests } from '../errors.ts';

/**
 * A fixed-window counter per key, in this process: per-account limits that the HTTP layer
 * cannot key (it does not know which account, or that a status is a comment). A Redis
 * adapter can implement `take` the same way for several processes.
 */
export class FixedWindowLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly max: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts one use; false when the key is over its limit in the current window. */
  take(key: string): boolean {
    const t = this.now();
    const w = this.windows.get(key);
    if (!w || t - w.start >= this.windowMs) {
      if (this.windows.size > 100_000) this.sweep(t);
      this.windows.set(key, { start: t, count: 1 });
      return true;
    }
    w.count += 1;
    return w.count <= this.max;
  }

  /** Counts one use; over the limit, throws a 429 that says when the window ends. */
  takeOrRefuse(key: string): void {
    if (!this.take(key)) throw tooManyRequests(this.msUntilReset(key));
  }

  /** Milliseconds until the key's current window ends (0 when it has none). */
  msUntilReset(key: string): number {
    const w = this.windows.get(key);
    return w ? Math.max(0, this.windowMs - (this.now() - w.start)) : 0;
  }

  private sweep(t: number): void {
    for (const [key, w] of this.windows) if (t - w.start >= this.windowMs) this.windows.delete(key);
  }
}
