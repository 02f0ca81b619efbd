import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { CacheStats } from '../cache/versioned-cache.ts';
import type { JobsAdmin } from '../queue/durable-job-queue.ts';
import type { JobQueue } from '../queue/job-queue.ts';
import type { DatabaseHandle } from '../../db/database.ts';

/** Anything whose hit rate is worth watching (infra/cache/versioned-cache.ts). */
export interface MeasuredCache {
  stats(): CacheStats;
}

/** What the metrics read when scraped. */
export interface MetricsSources {
  caches: Record<string, MeasuredCache>;
  /** The durable jobs, counted by queue and state where they are kept (table or Redis), so every process reports the same. */
  jobsAdmin: JobsAdmin;
  /** This process's in-memory queues (the media queue). */
  queues: Record<string, JobQueue>;
  database: DatabaseHandle;
  /** The process-wide collectors (CPU, memory, event-loop delay, GC). Off in tests that build many apps in one process. */
  processMetrics: boolean;
}

/** Seconds; from a cached page (about 1 ms) to a slow upload or a stalled database. */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const MEDIA_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 15, 30, 60];

/**
 * The process's Prometheus metrics (prom-client), on a registry of its own so that several apps
 * in one process (tests) never share or double-register a metric. Served at GET /metrics behind
 * GLIMPSE_METRICS_TOKEN (http/metrics.route.ts). Counters and histograms are kept as things
 * happen (requests, media jobs, job failures, streams); gauges are read when scraped.
 *
 * Requests are labelled by the route's pattern (`/api/v1/statuses/:id`), never by the path, so
 * the number of series stays bounded whatever clients send; a request no route matched is
 * `unmatched`.
 */
export class Metrics {
  readonly registry = new Registry();
  private readonly requests: Counter<'method' | 'route' | 'status'>;
  private readonly latency: Histogram<'method' | 'route'>;
  private readonly mediaProcessing: Histogram<'outcome'>;
  private readonly jobFailures: Counter<'job' | 'final'>;
  private readonly streams: Gauge<'transport'>;

  constructor(sources: MetricsSources) {
    const registers = [this.registry];
    this.requests = new Counter({ name: 'glimpse_http_requests_total', help: 'HTTP requests answered, by route pattern and status', labelNames: ['method', 'route', 'status'], registers });
    this.latency = new Histogram({ name: 'glimpse_http_request_duration_seconds', help: 'Time from a request received to its answer sent, by route pattern', labelNames: ['method', 'route'], buckets: LATENCY_BUCKETS, registers });
    this.mediaProcessing = new Histogram({ name: 'glimpse_media_processing_seconds', help: 'Time an upload took to process into its stored sizes, in this process', labelNames: ['outcome'], buckets: MEDIA_BUCKETS, registers });
    this.jobFailures = new Counter({ name: 'glimpse_job_failures_total', help: 'Failed attempts of durable jobs in this process; final: no attempt left', labelNames: ['job', 'final'], registers });
    this.streams = new Gauge({ name: 'glimpse_streams_open', help: 'Streaming connections open on this process', labelNames: ['transport'], registers });
    this.streams.set({ transport: 'websocket' }, 0);
    this.streams.set({ transport: 'sse' }, 0);

    new Gauge({
      name: 'glimpse_jobs',
      help: 'Durable jobs by queue and state, as kept in the jobs table or Redis (the same on every process)',
      labelNames: ['queue', 'state'],
      registers,
      async collect() {
        this.reset();
        for (const c of await sources.jobsAdmin.counts()) this.set({ queue: c.queue, state: c.state }, c.count);
      },
    });
    new Gauge({
      name: 'glimpse_queue_jobs',
      help: "Jobs of this process's in-memory queues, running or waiting",
      labelNames: ['queue', 'state'],
      registers,
      collect() {
        for (const [queue, q] of Object.entries(sources.queues)) {
          const s = q.stats();
          this.set({ queue, state: 'running' }, s.running);
          this.set({ queue, state: 'waiting' }, s.waiting);
        }
      },
    });
    const { database } = sources;
    new Gauge({
      name: 'glimpse_db_pool_connections',
      help: 'PostgreSQL pool: connections open and idle, and queries waiting for one; SQLite: read worker threads',
      labelNames: ['state'],
      registers,
      collect() {
        const pool = database.poolStats?.();
        if (pool) {
          this.set({ state: 'open' }, pool.total);
          this.set({ state: 'idle' }, pool.idle);
          this.set({ state: 'waiting' }, pool.waiting);
        }
        const readers = database.readWorkerStats?.();
        if (readers) this.set({ state: 'read_workers' }, readers.workers);
      },
    });
    const cacheGauge = (name: string, help: string, read: (s: CacheStats) => number) =>
      new Gauge({
        name,
        help,
        labelNames: ['cache'],
        registers,
        collect() {
          for (const [cache, c] of Object.entries(sources.caches)) this.set({ cache }, read(c.stats()));
        },
      });
    cacheGauge('glimpse_cache_hits', 'Lookups answered from memory since the process started', (s) => s.hits);
    cacheGauge('glimpse_cache_misses', 'Lookups that read the database since the process started', (s) => s.misses);
    cacheGauge('glimpse_cache_entries', 'Entries held now', (s) => s.size);
    cacheGauge('glimpse_cache_capacity', 'Entries the cache may hold (0: turned off)', (s) => s.capacity);

    if (sources.processMetrics) collectDefaultMetrics({ register: this.registry });
  }

  /** One answered request: its route pattern (undefined when no route matched), status and time. */
  requestAnswered(method: string, route: string | undefined, status: number, seconds: number): void {
    const labels = { method, route: route ?? 'unmatched' };
    this.requests.inc({ ...labels, status: String(status) });
    this.latency.observe(labels, seconds);
  }

  mediaProcessed(seconds: number, outcome: 'ok' | 'error'): void {
    this.mediaProcessing.observe({ outcome }, seconds);
  }

  jobFailed(job: string, final: boolean): void {
    this.jobFailures.inc({ job, final: String(final) });
  }

  /** A stream opened; the function returned marks it closed (once). */
  streamOpened(transport: 'websocket' | 'sse'): () => void {
    this.streams.inc({ transport });
    let closed = false;
    return () => {
      if (closed) return;
      closed = true;
      this.streams.dec({ transport });
    };
  }
}
