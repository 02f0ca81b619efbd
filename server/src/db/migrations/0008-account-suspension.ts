import { type Kysely, sql } from 'kysely';

/**
 * A suspended account (and everything it wrote) answers 404 to everyone but admins. The
 * moment is kept on the account row, beside `locked`, so every query that already joins
 * accounts can filter on it; nothing is deleted, and unsuspending clears it.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('accounts').addColumn('suspended_at', 'text').execute();
  // Holds only suspended accounts: lists and counts exclude them with one short read of it.
  await db.schema.createIndex('accounts_suspended').on('accounts').column('id').where(sql.ref('suspended_at'), 'is not', null).execute();
}
