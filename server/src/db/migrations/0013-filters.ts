import type { Kysely } from 'kysely';

/**
 * Mastodon filters (v2, with v1 mapped onto them as one filter with one keyword): an account's
 * named groups of keywords and statuses, each applied in some contexts (home, notifications,
 * public, thread, account) with an action (warn, hide, blur), until it expires.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('filters')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('title', 'text', (c) => c.notNull())
    /** The contexts, comma-separated in a fixed order (e.g. 'home,public'); never empty. */
    .addColumn('context', 'text', (c) => c.notNull())
    /** 'warn', 'hide' or 'blur'. */
    .addColumn('action', 'text', (c) => c.notNull().defaultTo('warn'))
    /** ISO-8601; null: never expires. */
    .addColumn('expires_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('filters_account').on('filters').columns(['account_id', 'id']).execute();

  await db.schema
    .createTable('filter_keywords')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('filter_id', 'text', (c) => c.notNull().references('filters.id').onDelete('cascade'))
    .addColumn('keyword', 'text', (c) => c.notNull())
    .addColumn('whole_word', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('filter_keywords_filter').on('filter_keywords').columns(['filter_id', 'id']).execute();

  await db.schema
    .createTable('filter_statuses')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('filter_id', 'text', (c) => c.notNull().references('filters.id').onDelete('cascade'))
    .addColumn('status_id', 'text', (c) => c.notNull().references('statuses.id').onDelete('cascade'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('filter_statuses_pair', ['filter_id', 'status_id'])
    .execute();
  // A status's deletion cascades here, and a page's statuses are looked up by id.
  await db.schema.createIndex('filter_statuses_status').on('filter_statuses').columns(['status_id']).execute();
}

export async function down(): Promise<void> {
  throw new Error('Glimpse migrations only move forward');
}
