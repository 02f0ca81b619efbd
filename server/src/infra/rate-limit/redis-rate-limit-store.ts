import type { Redis } from 'ioredis';
import { AppError } from '../../errors.ts';
import type { RateLimitStore } from './rate-limit-store.ts';

/**
 * INCR, and PEXPIRE on the window's first use, in one script (atomic on the server): every
 * process counting the same key spends one budget. A key left without an expiry (a crash
 * between the two cannot happen in a script, but a key written by hand could) gets one.
 */
const HIT = `
local count = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if count == 1 or ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {count, ttl}
`;

/** Fixed windows in Redis (GLIMPSE_REDIS_URL), keys under `<prefix>rate:`; Redis's clock times them. */
export class RedisRateLimitStore implements RateLimitStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {
    redis.defineCommand('glimpseRateHit', { numberOfKeys: 1, lua: HIT });
    // ioredis reconnects by itself; while it cannot, limited requests answer 503 (hit) and the
    // pub/sub connection to the same Redis logs the failure.
    redis.on('error', () => {});
  }

  async hit(key: string, windowMs: number): Promise<{ count: number; resetInMs: number }> {
    let result: [number, number];
    try {
      result = (await (this.redis as Redis & { glimpseRateHit(key: string, windowMs: number): Promise<[number, number]> }).glimpseRateHit(`${this.prefix}rate:${key}`, Math.max(1, Math.ceil(windowMs)))) as [number, number];
    } catch {
      // Without its store a limit cannot be kept: the request is refused as unavailable, never a 500.
      throw new AppError(503, 'Service temporarily unavailable');
    }
    return { count: Number(result[0]), resetInMs: Math.max(0, Number(result[1])) };
  }

  async close(): Promise<void> {
    if (this.redis.status === 'ready') await this.redis.quit().catch(() => undefined);
    this.redis.disconnect();
  }
}
