import type { Kysely } from 'kysely';

/**
 * Id nodes leased by the running servers (db/ids.ts, db/node-lease.ts): one row per node
 * taken, with the process holding it (a random token) and until when. A process renews its
 * lease while it runs; a node whose lease expired may be taken by another, in one atomic
 * insert-or-update, so two processes never hold the same node at once.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('node_leases')
    .addColumn('node', 'integer', (c) => c.primaryKey())
    .addColumn('holder', 'text', (c) => c.notNull())
    /** ISO-8601, on the holder's clock. */
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('acquired_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('Glimpse migrations only move forward');
}
