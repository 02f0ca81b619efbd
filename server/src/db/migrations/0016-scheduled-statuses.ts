import type { Kysely } from 'kysely';

/**
 * Scheduled statuses (Mastodon's `scheduled_at`): what to post and when, kept in the database
 * so a restart loses none. A row is 'scheduled' until the publisher claims it (in the same
 * transaction that writes the post, so it is published once) and becomes 'published' with
 * its status's id, or 'failed' with the reason when it can never be published.
 *
 * `media.scheduled_status_id` reserves an upload for the scheduled status that will carry it:
 * it cannot be attached anywhere else meanwhile (access/media-policy.ts).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('scheduled_statuses')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('scheduled_at', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull().defaultTo('scheduled'))
    .addColumn('text', 'text', (c) => c.notNull())
    /** JSON array of media ids, in carousel order. */
    .addColumn('media_ids', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('sensitive', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('spoiler_text', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('visibility', 'text', (c) => c.notNull())
    .addColumn('in_reply_to_id', 'text')
    .addColumn('language', 'text')
    .addColumn('comment_policy', 'text')
    .addColumn('hide_like_count', 'integer', (c) => c.notNull().defaultTo(0))
    /** JSON array of photo tags ({ mediaId, accountId, x, y }). */
    .addColumn('photo_tags', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('idempotency', 'text')
    .addColumn('application_id', 'text')
    .addColumn('status_id', 'text')
    .addColumn('error', 'text')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .addUniqueConstraint('scheduled_statuses_idempotency', ['account_id', 'idempotency'])
    .execute();
  // An account's list (by id) and its limits (total and per day, by scheduled_at).
  await db.schema.createIndex('scheduled_statuses_account').on('scheduled_statuses').columns(['account_id', 'state', 'id']).execute();
  await db.schema.createIndex('scheduled_statuses_account_day').on('scheduled_statuses').columns(['account_id', 'state', 'scheduled_at']).execute();
  // The publisher's scan for due rows.
  await db.schema.createIndex('scheduled_statuses_due').on('scheduled_statuses').columns(['state', 'scheduled_at', 'id']).execute();

  await db.schema.alterTable('media').addColumn('scheduled_status_id', 'text').execute();
  await db.schema.createIndex('media_scheduled_status').on('media').column('scheduled_status_id').execute();
}

export async function down(): Promise<void> {
  throw new Error('Glimpse migrations only move forward');
}
