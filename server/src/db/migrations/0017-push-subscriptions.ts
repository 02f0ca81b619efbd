import type { Kysely } from 'kysely';

/**
 * Web Push (Mastodon's /api/v1/push/subscription): one subscription per access token. The
 * token's id is the key, so subscribing again replaces it; the row goes with its token when
 * the token is revoked (auth's TokenRepository deletes it) and with the account.
 * The instance's VAPID key pair is one row of `instance_settings` (key `vapid_keys`), written
 * once by whichever process needs it first.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('push_subscriptions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('access_token_id', 'text', (c) => c.notNull().unique().references('access_tokens.id').onDelete('cascade'))
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('endpoint', 'text', (c) => c.notNull())
    /** The browser's P-256 public key and auth secret, base64url without padding. */
    .addColumn('key_p256dh', 'text', (c) => c.notNull())
    .addColumn('key_auth', 'text', (c) => c.notNull())
    /** 1: RFC 8291 aes128gcm; 0: the legacy aesgcm draft Mastodon used before 4.4. */
    .addColumn('standard', 'integer', (c) => c.notNull())
    /** JSON object of alert name → boolean (Mastodon's names: mention, admin.sign_up …). */
    .addColumn('alerts', 'text', (c) => c.notNull())
    .addColumn('policy', 'text', (c) => c.notNull())
    /** The subscribing access token, sealed with a key derived from the instance secret (the payload carries it, as on Mastodon). */
    .addColumn('sealed_access_token', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('push_subscriptions_account').on('push_subscriptions').columns(['account_id']).execute();
}

export async function down(): Promise<void> {
  throw new Error('Glimpse migrations only move forward');
}
