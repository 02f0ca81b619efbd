import type { Kysely } from 'kysely';

/**
 * Discovery:
 * - follow suggestions a viewer dismissed (`DELETE /api/v1/suggestions/:account_id`), kept so
 *   the account is never suggested to them again;
 * - the instance's custom emojis, added and removed by `admin emoji` from the command line;
 *   each image is re-encoded once and stored through the media storage under a random key,
 *   served as /media/<storage_key>/<file> like every stored image;
 * - an index for the "most followed" suggestions (accounts by follower count).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('suggestion_dismissals')
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('target_account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('suggestion_dismissals_pk', ['account_id', 'target_account_id'])
    .execute();

  await db.schema
    .createTable('custom_emojis')
    .addColumn('id', 'text', (c) => c.primaryKey())
    /** As the admin typed it: 2–32 characters of [A-Za-z0-9_]; `:shortcode:` in text. */
    .addColumn('shortcode', 'text', (c) => c.notNull())
    /** Lower-cased: the unique key, so shortcodes differing only in case collide. */
    .addColumn('shortcode_lower', 'text', (c) => c.notNull().unique())
    /** 256 random bits (base64url), the folder in the media storage. */
    .addColumn('storage_key', 'text', (c) => c.notNull().unique())
    /** The stored file's name inside the folder, e.g. emoji128.webp. */
    .addColumn('file', 'text', (c) => c.notNull())
    .addColumn('width', 'integer', (c) => c.notNull())
    .addColumn('height', 'integer', (c) => c.notNull())
    .addColumn('category', 'text')
    .addColumn('visible_in_picker', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema.createIndex('accounts_followers_count').on('accounts').columns(['followers_count', 'id']).execute();
}

export async function down(): Promise<void> {
  throw new Error('Glimpse migrations only move forward');
}
