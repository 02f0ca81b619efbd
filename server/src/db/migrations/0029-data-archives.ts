import type { Kysely } from 'kysely';

/**
 * "Download your data" (domain/portability/data-archive.ts): one row per archive asked for.
 * `state` is `pending` until its job has stored the file under `storage_key` (`ready`), or
 * `failed`; `expires_at` ends the download link, after which the sweep removes the file and
 * the row. An account's archives go with it.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('data_archives')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('storage_key', 'text')
    .addColumn('size', 'integer')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('ready_at', 'text')
    .addColumn('expires_at', 'text')
    .execute();
  await db.schema.createIndex('data_archives_account').on('data_archives').columns(['account_id', 'created_at']).execute();
  await db.schema.createIndex('data_archives_expiry').on('data_archives').columns(['expires_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('data_archives').execute();
}
