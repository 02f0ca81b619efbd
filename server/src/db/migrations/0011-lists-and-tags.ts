import type { Kysely } from 'kysely';

/**
 * Lists (an owner's named groups of accounts they follow, each a timeline of its own), the
 * hashtags an account follows (their public posts join its home feed) and the hashtags it
 * features on its profile.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('lists')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('title', 'text', (c) => c.notNull())
    /** 'followed', 'list' or 'none': stored and returned; timelines show posts, never comments. */
    .addColumn('replies_policy', 'text', (c) => c.notNull().defaultTo('list'))
    /** 1: the members' posts leave the owner's home feed. */
    .addColumn('exclusive', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('lists_account').on('lists').columns(['account_id', 'id']).execute();

  await db.schema
    .createTable('list_accounts')
    .addColumn('list_id', 'text', (c) => c.notNull().references('lists.id').onDelete('cascade'))
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    /** Time-ordered, for paging the members in the order they were added. */
    .addColumn('id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('list_accounts_pk', ['list_id', 'account_id'])
    .execute();
  await db.schema.createIndex('list_accounts_list').on('list_accounts').columns(['list_id', 'id']).execute();
  await db.schema.createIndex('list_accounts_account').on('list_accounts').columns(['account_id', 'list_id']).execute();

  for (const table of ['followed_tags', 'featured_tags']) {
    await db.schema
      .createTable(table)
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
      /** Lower-cased hashtag without '#', as in status_tags.tag. */
      .addColumn('tag', 'text', (c) => c.notNull())
      /** The spelling the account used. */
      .addColumn('display', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addUniqueConstraint(`${table}_pair`, ['account_id', 'tag'])
      .execute();
  }
}
