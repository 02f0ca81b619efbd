import type { RateLimitStore } from './rate-limit-store.ts';

/** The embedded default: counts in this process, on the given clock (tests move it). */
export class MemoryRateLimitStore implements RateLimitStore {
  private readonly windows = new Map<string, { start: number; windowMs: number; count: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  async hit(key: string, windowMs: number): Promise<{ count: number; resetInMs: number }> {
    const t = this.now();
    let w = this.windows.get(key);
    if (!w || t - w.start >= w.windowMs) {
      if (this.windows.size > 100_000) this.sweep(t);
      w = { start: t, windowMs, count: 0 };
      this.windows.set(key, w);
    }
    w.count += 1;
    return { count: w.count, resetInMs: Math.max(0, w.windowMs - (t - w.start)) };
  }

  async close(): Promise<void> {
    this.windows.clear();
  }

  /** Ended windows go, so a flood of keys cannot grow the map for ever. */
  private sweep(t: number): void {
    for (const [key, w] of this.windows) if (t - w.start >= w.windowMs) this.windows.delete(key);
  }
}
