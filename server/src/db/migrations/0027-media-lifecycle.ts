import type { Kysely } from 'kysely';

/**
 * The media lifecycle (domain/media/media-lifecycle.ts).
 * - `media.remove_after`: when an upload no row points at may be removed (row and files). Null:
 *   24 hours after `created_at` (an upload never attached). A deleted post's photos get the
 *   deletion time plus 24 hours (Mastodon's delete-and-redraft reuses them), a deleted story's
 *   photo the deletion time.
 * - Indexes for the sweep's "does anything still point at it" probes: stories, avatars and
 *   headers by media id, and the unattached uploads by age.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('media').addColumn('remove_after', 'text').execute();
  await db.schema.createIndex('stories_media').on('stories').column('media_id').execute();
  await db.schema.createIndex('accounts_avatar_media').on('accounts').column('avatar_media_id').execute();
  await db.schema.createIndex('accounts_header_media').on('accounts').column('header_media_id').execute();
  await db.schema.createIndex('media_unattached').on('media').columns(['status_id', 'created_at']).execute();
}

export async function down(): Promise<void> {
  throw new Error('Glimpse migrations only move forward');
}
