import type { Kysely } from 'kysely';

/**
 * The followers of a hashtag, by tag: a public post with tags reaches the live streams of the
 * accounts following its tags (domain/realtime/stream-delivery.ts), read a batch at a time.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('followed_tags_by_tag').on('followed_tags').columns(['tag', 'account_id']).execute();
}

export async function down(): Promise<void> {
  throw new Error('Glimpse migrations only move forward');
}
