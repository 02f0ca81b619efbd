import type { Kysely } from 'kysely';

/**
 * Account deletion by its owner (domain/accounts/account-deletion.ts).
 * - `account_deletions`: one row per account whose owner asked for deletion. `due_at` ends the
 *   grace period (log-in before it cancels: the row goes); `started_at` is set by the one sweep
 *   that claims the row (several processes may sweep), `completed_at` when every chunk is done.
 *   The row stays afterwards, with the account's tombstone (its accounts row, emptied), which
 *   keeps the username reserved.
 * - An index for the sweep: requests due and not claimed yet, by due time.
 * - `relation_imports`: a CSV of follows, blocks or mutes being imported
 *   (domain/portability/relation-import.ts): its rows (JSON), how far the jobs got, and what they
 *   skipped.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('account_deletions')
    .addColumn('account_id', 'text', (c) => c.primaryKey().references('accounts.id').onDelete('cascade'))
    .addColumn('requested_at', 'text', (c) => c.notNull())
    .addColumn('due_at', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text')
    .addColumn('completed_at', 'text')
    .execute();
  await db.schema.createIndex('account_deletions_due').on('account_deletions').columns(['started_at', 'due_at']).execute();
  await db.schema
    .createTable('relation_imports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('mode', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('rows', 'text', (c) => c.notNull())
    .addColumn('total_items', 'integer', (c) => c.notNull())
    .addColumn('processed_items', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('imported_items', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('skipped', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('removal_cursor', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .execute();
  await db.schema.createIndex('relation_imports_account').on('relation_imports').columns(['account_id', 'id']).execute();
}

export async function down(): Promise<void> {
  throw new Error('Glimpse migrations only move forward');
}
