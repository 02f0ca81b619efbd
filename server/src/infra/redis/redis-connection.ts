import { Redis } from 'ioredis';

/**
 * One place that opens Redis connections (GLIMPSE_REDIS_URL), so every adapter — pub/sub,
 * queues, rate limits, caches — connects the same way. `purpose` names the connection in
 * Redis's CLIENT LIST. BullMQ needs `maxRetriesPerRequest: null` on the connections it blocks
 * on; a subscriber connection may only subscribe, so adapters open their own for that.
 */
export function openRedis(url: string, purpose: string, options: { forBlockingCommands?: boolean } = {}): Redis {
  return new Redis(url, {
    connectionName: `glimpse:${purpose}`,
    lazyConnect: false,
    enableAutoPipelining: true,
    ...(options.forBlockingCommands ? { maxRetriesPerRequest: null } : { maxRetriesPerRequest: 3 }),
  });
}
