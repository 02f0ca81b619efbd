import { tooManyRequests } from '../../errors.ts';

/**
 * The one rate-limit mechanism: fixed windows counted in a store. Every limit — the general API
 * limit (@fastify/rate-limit, through `fastifyRateLimitStore`), log-in and registration per
 * address, log-in per name, comments and story responses per account — counts here. In one
 * process the store is in memory (on the injectable clock); with GLIMPSE_REDIS_URL it is Redis,
 * so every process spends one budget.
 */
export interface RateLimitStore {
  /**
   * Counts one use of `key` in its current window of `windowMs` (a window starts with the first
   * use after the previous one ended). Answers the uses counted in the window, this one
   * included, and the milliseconds until it ends.
   */
  hit(key: string, windowMs: number): Promise<{ count: number; resetInMs: number }>;
  close(): Promise<void>;
}

/**
 * One named limit: `max` uses per key per `windowMs`, counted in a store. `max` may be read per
 * use (a limit an admin sets: domain/instance/instance-settings.ts); 0 then lets every use through.
 */
export class RateLimit {
  constructor(
    private readonly store: RateLimitStore,
    /** Keeps limits apart in the store: `login-name`, `comment` … */
    private readonly name: string,
    private readonly max: number | (() => Promise<number>),
    private readonly windowMs: number,
  ) {}

  /** Counts one use; answers whether it is within the limit, and when the window ends. */
  async take(key: string): Promise<{ allowed: boolean; resetInMs: number }> {
    const max = typeof this.max === 'number' ? this.max : await this.max();
    if (max <= 0) return { allowed: true, resetInMs: 0 };
    const { count, resetInMs } = await this.store.hit(`${this.name}:${key}`, this.windowMs);
    return { allowed: count <= max, resetInMs };
  }

  /** Counts one use; over the limit, throws a 429 that says when the window ends. */
  async takeOrRefuse(key: string): Promise<void> {
    const { allowed, resetInMs } = await this.take(key);
    if (!allowed) throw tooManyRequests(resetInMs);
  }
}

/**
 * A store as @fastify/rate-limit's `store` option wants it (a class it constructs, with
 * `incr(key, callback, timeWindow)`), over one of ours. `child` (per-route settings) answers
 * the same store: the general limit is one budget across the routes it covers.
 */
export function fastifyRateLimitStore(store: RateLimitStore, namespace: string) {
  return class FastifyRateLimitStore {
    incr(key: string, callback: (error: Error | null, result?: { current: number; ttl: number }) => void, timeWindow: number): void {
      store.hit(`${namespace}:${key}`, timeWindow).then(
        ({ count, resetInMs }) => callback(null, { current: count, ttl: resetInMs }),
        (error: Error) => callback(error),
      );
    }

    child(): this {
      return this;
    }
  };
}
