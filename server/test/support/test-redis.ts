import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';

/**
 * The Redis the tests talk to (running on these machines; .ci/run starts it when it is down).
 * Tests never skip without it: a missing Redis fails them with this address in the error.
 * Each test takes its own key prefix, so tests share one Redis without seeing each other.
 */
export const TEST_REDIS_URL = process.env.GLIMPSE_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export function uniqueRedisPrefix(label: string): string {
  return `glimpse-test:${label}:${randomUUID().slice(0, 8)}:`;
}

/** Deletes every key under a test's prefix (SCAN, never KEYS). */
export async function deleteRedisPrefix(prefix: string): Promise<void> {
  const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
