import type { Kysely } from 'kysely';

/**
 * What the Mastodon profile and status endpoints keep beyond the follow graph:
 * - profile fields, as a JSON array on the account row (at most four), so every page that
 *   loads accounts already has them;
 * - private notes one account keeps about another (read only by their author);
 * - endorsements (accounts one features on one's profile);
 * - muted threads: a post (and every comment under it) or one comment thread whose
 *   notifications the account no longer wants;
 * - the viewer's likes paged by the like, newest first;
 * - when each instance text (rules, terms …) was last set.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('accounts').addColumn('fields', 'text', (c) => c.notNull().defaultTo('[]')).execute();

  await db.schema
    .createTable('account_notes')
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('target_account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('comment', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('account_notes_pk', ['account_id', 'target_account_id'])
    .execute();

  await db.schema
    .createTable('endorsements')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('target_account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('endorsements_pair', ['account_id', 'target_account_id'])
    .execute();
  await db.schema.createIndex('endorsements_source').on('endorsements').columns(['account_id', 'id']).execute();

  await db.schema
    .createTable('thread_mutes')
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    /** The muted post's id, or the top-level comment's id for one comment thread. */
    .addColumn('thread_key', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('thread_mutes_pk', ['account_id', 'thread_key'])
    .execute();

  await db.schema.createIndex('favourites_account').on('favourites').columns(['account_id', 'id']).execute();

  await db.schema.alterTable('instance_settings').addColumn('updated_at', 'text').execute();
}

export async function down(): Promise<void> {
  throw new Error('Glimpse migrations only move forward');
}
