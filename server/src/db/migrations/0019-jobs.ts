import type { Kysely } from 'kysely';

/**
 * The job outbox (infra/queue/): a job is a row written in the same transaction as the change
 * that causes it, so a crash between the commit and the work loses nothing.
 * - state: `queued` (waiting, or waiting for its next attempt), `running` (claimed by a worker
 *   until `run_at`, its lease, which the worker renews while it runs), `failed` (attempts used
 *   up; kept, with the error, for `admin jobs retry|discard`). Done jobs are deleted.
 * - run_at: when the row may next be claimed (ISO-8601 on the writer's clock): for a queued job
 *   when it is due (after a backoff), for a running one when its lease runs out.
 * With Redis (BullMQ) the same rows are the outbox the relay moves into BullMQ's queues.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('jobs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    /** JSON. */
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('max_attempts', 'integer', (c) => c.notNull())
    .addColumn('run_at', 'text', (c) => c.notNull())
    /** The worker holding the lease (a random token per process). */
    .addColumn('locked_by', 'text')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('jobs_claim').on('jobs').columns(['state', 'run_at']).execute();
}

export async function down(): Promise<void> {
  throw new Error('Glimpse migrations only move forward');
}
