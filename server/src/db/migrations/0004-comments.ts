import type { Kysely } from 'kysely';

/**
 * Comments at scale: thread columns on statuses, moderation decisions stored at write time,
 * sharded counters for hot posts, folds of near-identical comments, hidden words, restrict,
 * account settings and reports.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const add = (column: string, type: 'text' | 'integer', build?: (c: any) => any) =>
    db.schema.alterTable('statuses').addColumn(column, type, build ?? ((c) => c)).execute();
  /** The post a comment belongs to (null for posts themselves). */
  await add('post_id', 'text');
  /** The top-level comment of the thread (a top-level comment's own id). */
  await add('thread_id', 'text');
  /** Why only its author sees it: 'hidden_words', 'restricted' or 'moderator'; null when shown. */
  await add('hidden_reason', 'text');
  /** The post author approved it: hidden words never hide it again. */
  await add('approved', 'integer', (c) => c.notNull().defaultTo(0));
  await add('fold_key', 'text', (c) => c.notNull().defaultTo(''));
  /** 'supportive', 'critical', 'question' or 'neutral', decided when written. */
  await add('tone', 'text');
  await add('pinned_at', 'text');
  /** Ranking for the "top" sort: likes, replies and the post author's replies. */
  await add('rank_score', 'integer', (c) => c.notNull().defaultTo(0));
  await db.schema.createIndex('statuses_comments_new').on('statuses').columns(['post_id', 'thread_id', 'id']).execute();
  await db.schema.createIndex('statuses_comments_top').on('statuses').columns(['post_id', 'rank_score', 'id']).execute();
  await db.schema.createIndex('statuses_comments_fold').on('statuses').columns(['post_id', 'fold_key', 'id']).execute();
  await db.schema.createIndex('statuses_thread').on('statuses').columns(['thread_id', 'id']).execute();

  // Counters of a post's comments, split over shards so a storm of concurrent comments does
  // not queue on one row; the exact count is the sum of the shards.
  await db.schema
    .createTable('comment_counts')
    .addColumn('post_id', 'text', (c) => c.notNull().references('statuses.id').onDelete('cascade'))
    .addColumn('shard', 'integer', (c) => c.notNull())
    .addColumn('total', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('hidden', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('comment_counts_pk', ['post_id', 'shard'])
    .execute();

  await db.schema
    .createTable('comment_folds')
    .addColumn('post_id', 'text', (c) => c.notNull().references('statuses.id').onDelete('cascade'))
    .addColumn('fold_key', 'text', (c) => c.notNull())
    .addColumn('display_text', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('comment_folds_pk', ['post_id', 'fold_key'])
    .execute();
  await db.schema
    .createTable('comment_fold_counts')
    .addColumn('post_id', 'text', (c) => c.notNull().references('statuses.id').onDelete('cascade'))
    .addColumn('fold_key', 'text', (c) => c.notNull())
    .addColumn('shard', 'integer', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('comment_fold_counts_pk', ['post_id', 'fold_key', 'shard'])
    .execute();

  await db.schema
    .createTable('hidden_words')
    .addColumn('account_id', 'text', (c) => c.primaryKey().references('accounts.id').onDelete('cascade'))
    .addColumn('use_default_list', 'integer', (c) => c.notNull().defaultTo(0))
    /** JSON array of the owner's words, phrases and emoji. */
    .addColumn('words', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('restricts')
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('target_account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('restricts_pk', ['account_id', 'target_account_id'])
    .execute();

  await db.schema
    .createTable('account_settings')
    .addColumn('account_id', 'text', (c) => c.primaryKey().references('accounts.id').onDelete('cascade'))
    .addColumn('default_comment_policy', 'text', (c) => c.notNull().defaultTo('everyone'))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('reports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('target_account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    /** JSON array of reported status ids. */
    .addColumn('status_ids', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('comment', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('category', 'text', (c) => c.notNull().defaultTo('other'))
    .addColumn('forward', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('action_taken', 'text')
    .addColumn('action_taken_at', 'text')
    .addColumn('action_taken_by', 'text')
    .execute();
  await db.schema.createIndex('reports_open').on('reports').columns(['action_taken_at', 'id']).execute();
}

export async function down(): Promise<void> {
  throw new Error('Glimpse migrations only move forward');
}
