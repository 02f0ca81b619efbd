import { type Kysely, sql } from 'kysely';

/**
 * Mail (GLIMPSE_SMTP_URL): e-mail confirmation, password resets and e-mail changes.
 *
 * - `users.email_confirmed_at`: when the address was confirmed. Null only for an account that
 *   signed up while mail was configured and has not followed its link yet; existing accounts,
 *   and every account made without mail, count as confirmed (set here to their creation time).
 * - `users.unconfirmed_email`: a new address asked for (PUT /api/glimpse/v1/email) and not yet
 *   confirmed; `email` stays the old one until its link is followed.
 * - `mail_tokens`: the single-use links mailed out, stored as SHA-256 hashes only. `purpose`
 *   is `password_reset` or `email_confirmation`; `email` is the address the link was sent to
 *   (for a confirmation, the address it confirms). `used_at` is set when it is used or
 *   superseded; a link counts only while unused and before `expires_at`.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('users').addColumn('email_confirmed_at', 'text').execute();
  await db.schema.alterTable('users').addColumn('unconfirmed_email', 'text').execute();
  await sql`UPDATE users SET email_confirmed_at = created_at`.execute(db);
  await db.schema
    .createTable('mail_tokens')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .execute();
  await db.schema.createIndex('mail_tokens_account_idx').on('mail_tokens').columns(['account_id', 'purpose']).execute();
}

export async function down(): Promise<void> {
  throw new Error('Glimpse migrations only move forward');
}
