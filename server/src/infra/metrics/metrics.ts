import { Gauge, Registry } from 'prom-client';
import type { CacheStats } from '../cache/versioned-cache.ts';

/** Anything whose hit rate is worth watching (infra/cache/versioned-cache.ts). */
export interface MeasuredCache {
  stats(): CacheStats;
}

/**
 * The process's Prometheus metrics (prom-client), on a registry of its own so that several apps
 * in one process (tests) never share or double-register a metric. Values are read when scraped.
 * Served at GET /metrics behind GLIMPSE_METRICS_TOKEN (http/metrics.route.ts).
 */
export function createMetrics(caches: Record<string, MeasuredCache>): Registry {
  const registry = new Registry();
  const gauge = (name: string, help: string, read: (s: CacheStats) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ['cache'],
      registers: [registry],
      collect() {
        for (const [cache, c] of Object.entries(caches)) this.set({ cache }, read(c.stats()));
      },
    });
  gauge('glimpse_cache_hits', 'Lookups answered from memory since the process started', (s) => s.hits);
  gauge('glimpse_cache_misses', 'Lookups that read the database since the process started', (s) => s.misses);
  gauge('glimpse_cache_entries', 'Entries held now', (s) => s.size);
  gauge('glimpse_cache_capacity', 'Entries the cache may hold (0: turned off)', (s) => s.capacity);
  return registry;
}
