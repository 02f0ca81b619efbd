import { type Kysely, sql } from 'kysely';

/**
 * Direct messages as Mastodon's conversations:
 * - statuses.conversation_id: the conversation a direct message belongs to (null for every
 *   other status, and for direct photo posts written before this migration);
 * - statuses.story_id: the story a message answers (a story reply or reaction), kept when the
 *   story expires or is deleted (it is then presented as expired);
 * - conversations: one per participant set (or thread); `participants_key` is the sorted,
 *   comma-joined ids of everyone in it, sender included (at most 21 ids);
 * - account_conversations: each participant's state: the newest message they may see, unread,
 *   removed (hidden until a new message arrives). Paged by last_status_id, as on Mastodon.
 * Direct statuses are messages and no longer count in accounts.statuses_count: the counter is
 * moved by the direct posts each account had.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('statuses').addColumn('conversation_id', 'text').execute();
  await db.schema.alterTable('statuses').addColumn('story_id', 'text').execute();
  await db.schema.createIndex('statuses_conversation').on('statuses').columns(['conversation_id', 'id']).execute();

  await db.schema
    .createTable('conversations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('participants_key', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('conversations_participants').on('conversations').columns(['participants_key', 'id']).execute();

  await db.schema
    .createTable('account_conversations')
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('conversation_id', 'text', (c) => c.notNull().references('conversations.id').onDelete('cascade'))
    /** Null only for a moment inside the transaction that deletes the last message. */
    .addColumn('last_status_id', 'text')
    .addColumn('unread', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('removed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('account_conversations_pk', ['account_id', 'conversation_id'])
    .execute();
  await db.schema.createIndex('account_conversations_page').on('account_conversations').columns(['account_id', 'removed', 'last_status_id']).execute();

  await sql`UPDATE accounts SET statuses_count = statuses_count - (
    SELECT count(*) FROM statuses s WHERE s.account_id = accounts.id AND s.post_id IS NULL AND s.visibility = 'direct')
    WHERE id IN (SELECT account_id FROM statuses WHERE post_id IS NULL AND visibility = 'direct')`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Glimpse migrations only move forward');
}
