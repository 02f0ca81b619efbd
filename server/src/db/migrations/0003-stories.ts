import type { Kysely } from 'kysely';

/** Stories, their mentions, views, replies and reactions; close friends; highlights. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('stories')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('media_id', 'text', (c) => c.notNull().references('media.id').onDelete('cascade'))
    .addColumn('duration_ms', 'integer', (c) => c.notNull())
    /** 'followers' or 'close_friends'. */
    .addColumn('audience', 'text', (c) => c.notNull())
    /** JSON array of overlays (text layers and mention stickers), never burned into the photo. */
    .addColumn('overlays', 'text', (c) => c.notNull())
    .addColumn('reshare_of_id', 'text')
    .addColumn('viewers_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('stories_account').on('stories').columns(['account_id', 'expires_at']).execute();

  await db.schema
    .createTable('story_mentions')
    .addColumn('story_id', 'text', (c) => c.notNull().references('stories.id').onDelete('cascade'))
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('story_mentions_pk', ['story_id', 'account_id'])
    .execute();

  await db.schema
    .createTable('story_views')
    .addColumn('story_id', 'text', (c) => c.notNull().references('stories.id').onDelete('cascade'))
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('viewed_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('story_views_pk', ['story_id', 'account_id'])
    .execute();
  await db.schema.createIndex('story_views_viewer').on('story_views').columns(['account_id', 'story_id']).execute();

  for (const table of ['story_replies', 'story_reactions']) {
    await db.schema
      .createTable(table)
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('story_id', 'text', (c) => c.notNull().references('stories.id').onDelete('cascade'))
      .addColumn('story_author_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
      .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
      .addColumn(table === 'story_replies' ? 'text' : 'emoji', 'text', (c) => c.notNull())
      .addColumn('hidden', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex(`${table}_author`).on(table).columns(['story_author_id', 'id']).execute();
    await db.schema.createIndex(`${table}_story`).on(table).columns(['story_id', 'id']).execute();
  }

  await db.schema
    .createTable('close_friends')
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('friend_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('close_friends_pk', ['account_id', 'friend_id'])
    .execute();
  await db.schema.createIndex('close_friends_friend').on('close_friends').columns(['friend_id', 'account_id']).execute();

  await db.schema
    .createTable('highlights')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('cover_story_id', 'text')
    .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('highlights_account').on('highlights').columns(['account_id', 'position']).execute();

  await db.schema
    .createTable('highlight_items')
    .addColumn('highlight_id', 'text', (c) => c.notNull().references('highlights.id').onDelete('cascade'))
    .addColumn('story_id', 'text', (c) => c.notNull().references('stories.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('highlight_items_pk', ['highlight_id', 'story_id'])
    .execute();
  await db.schema.createIndex('highlight_items_story').on('highlight_items').column('story_id').execute();

  await db.schema.alterTable('notifications').addColumn('story_id', 'text').execute();
}

export async function down(): Promise<void> {
  throw new Error('Glimpse migrations only move forward');
}
