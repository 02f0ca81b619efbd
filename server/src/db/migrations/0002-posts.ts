import type { Kysely } from 'kysely';

/** Media, posts (statuses), mentions, hashtags, photo tags, likes and the home feed. */
export async function up(db: Kysely<any>): Promise<void> {
  /** URL paths of the chosen size of the profile picture and header (set when processed). */
  await db.schema.alterTable('accounts').addColumn('avatar_path', 'text').execute();
  await db.schema.alterTable('accounts').addColumn('header_path', 'text').execute();

  await db.schema
    .createTable('media')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    /** 'attachment', 'avatar' or 'header'. */
    .addColumn('purpose', 'text', (c) => c.notNull().defaultTo('attachment'))
    /** 'processing', 'ready' or 'failed'. */
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('error', 'text')
    /** Random, unguessable folder name of the stored variants. */
    .addColumn('storage_key', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('focus_x', 'real', (c) => c.notNull().defaultTo(0))
    .addColumn('focus_y', 'real', (c) => c.notNull().defaultTo(0))
    .addColumn('width', 'integer')
    .addColumn('height', 'integer')
    .addColumn('blurhash', 'text')
    /** JSON: [{ name, width, height, format }] of the stored variants. */
    .addColumn('variants', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('captured_at', 'text')
    .addColumn('status_id', 'text')
    .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('media_status').on('media').columns(['status_id', 'position']).execute();
  await db.schema.createIndex('media_storage_key').on('media').column('storage_key').unique().execute();
  await db.schema.createIndex('media_account').on('media').columns(['account_id', 'id']).execute();

  await db.schema
    .createTable('statuses')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('text', 'text', (c) => c.notNull().defaultTo(''))
    /** 'public', 'unlisted', 'private' (followers) or 'direct'. */
    .addColumn('visibility', 'text', (c) => c.notNull())
    .addColumn('in_reply_to_id', 'text')
    .addColumn('in_reply_to_account_id', 'text')
    .addColumn('sensitive', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('spoiler_text', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('language', 'text')
    .addColumn('hide_like_count', 'integer', (c) => c.notNull().defaultTo(0))
    /** Who may comment: everyone, followers, following, followers_and_following or nobody. */
    .addColumn('comment_policy', 'text', (c) => c.notNull().defaultTo('everyone'))
    .addColumn('has_media', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('favourites_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('replies_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('edited_at', 'text')
    .execute();
  await db.schema.createIndex('statuses_account').on('statuses').columns(['account_id', 'id']).execute();
  await db.schema.createIndex('statuses_reply').on('statuses').columns(['in_reply_to_id', 'id']).execute();
  await db.schema.createIndex('statuses_public').on('statuses').columns(['visibility', 'id']).execute();

  await db.schema
    .createTable('status_edits')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('status_id', 'text', (c) => c.notNull().references('statuses.id').onDelete('cascade'))
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('spoiler_text', 'text', (c) => c.notNull())
    .addColumn('sensitive', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('status_edits_status').on('status_edits').columns(['status_id', 'id']).execute();

  await db.schema
    .createTable('mentions')
    .addColumn('status_id', 'text', (c) => c.notNull().references('statuses.id').onDelete('cascade'))
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('mentions_pk', ['status_id', 'account_id'])
    .execute();
  await db.schema.createIndex('mentions_account').on('mentions').columns(['account_id', 'status_id']).execute();

  await db.schema
    .createTable('status_tags')
    .addColumn('status_id', 'text', (c) => c.notNull().references('statuses.id').onDelete('cascade'))
    /** Lower-cased hashtag without '#'. */
    .addColumn('tag', 'text', (c) => c.notNull())
    .addColumn('display', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('status_tags_pk', ['status_id', 'tag'])
    .execute();
  await db.schema.createIndex('status_tags_tag').on('status_tags').columns(['tag', 'status_id']).execute();

  await db.schema
    .createTable('media_tags')
    .addColumn('media_id', 'text', (c) => c.notNull().references('media.id').onDelete('cascade'))
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('x', 'real', (c) => c.notNull())
    .addColumn('y', 'real', (c) => c.notNull())
    .addPrimaryKeyConstraint('media_tags_pk', ['media_id', 'account_id'])
    .execute();

  await db.schema
    .createTable('favourites')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('status_id', 'text', (c) => c.notNull().references('statuses.id').onDelete('cascade'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('favourites_pair', ['account_id', 'status_id'])
    .execute();
  await db.schema.createIndex('favourites_status').on('favourites').columns(['status_id', 'id']).execute();

  for (const table of ['bookmarks', 'pinned_statuses']) {
    await db.schema
      .createTable(table)
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
      .addColumn('status_id', 'text', (c) => c.notNull().references('statuses.id').onDelete('cascade'))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addUniqueConstraint(`${table}_pair`, ['account_id', 'status_id'])
      .execute();
  }

  await db.schema
    .createTable('home_feed')
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('status_id', 'text', (c) => c.notNull().references('statuses.id').onDelete('cascade'))
    .addColumn('author_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('home_feed_pk', ['account_id', 'status_id'])
    .execute();
  await db.schema.createIndex('home_feed_author').on('home_feed').columns(['account_id', 'author_id']).execute();

  await db.schema
    .createTable('idempotency_keys')
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('status_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('idempotency_keys_pk', ['account_id', 'key'])
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('Glimpse migrations only move forward');
}
