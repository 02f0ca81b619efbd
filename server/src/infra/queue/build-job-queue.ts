import type { Clock } from '../../clock.ts';
import type { Config } from '../../config.ts';
import type { DatabaseHandle } from '../../db/database.ts';
import { BullJobQueue } from './bullmq-job-queue.ts';
import { DatabaseJobQueue, databaseJobsAdmin, type DurableJobQueue, type JobsAdmin } from './durable-job-queue.ts';
import { JobStore } from './job-store.ts';
import { processHolder } from '../process-holder.ts';

/**
 * The job queue the settings ask for: without GLIMPSE_REDIS_URL the `jobs` table worked in
 * this process (the embedded default, nothing to set up); with it, BullMQ, with workers in
 * `all` and `worker` processes. Either way the outbox rows are written in the change's
 * transaction. The admin view here covers the table; `admin jobs` adds BullMQ's queues itself.
 */
export function buildJobQueue(config: Config, database: DatabaseHandle, clock: Clock): { queue: DurableJobQueue; admin: JobsAdmin; store: JobStore } {
  const store = new JobStore(database.kysely, database.dialect, clock);
  const queue: DurableJobQueue = config.redisUrl
    ? new BullJobQueue(store, { redisUrl: config.redisUrl, redisPrefix: config.redisPrefix, runWorkers: config.role !== 'web', concurrency: 2 })
    : new DatabaseJobQueue(store, { concurrency: 2, holder: processHolder(config.dataDir) });
  return { queue, admin: databaseJobsAdmin(store), store };
}
