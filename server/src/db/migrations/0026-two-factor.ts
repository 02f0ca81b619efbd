import type { Kysely } from 'kysely';

/**
 * Two-factor log-in (TOTP, RFC 6238). One credential per account: the secret, sealed with a key
 * derived from the instance secret (domain/auth/two-factor-service.ts), never stored readable.
 * `confirmed_at` is null while an enrolment waits for its first valid code; the credential
 * counts only once it is set. `last_used_step` is the newest 30-second time step a code was
 * accepted for, so an accepted code cannot be used again. Recovery codes are stored as
 * SHA-256 hashes only, and each is used once (`used_at`).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('two_factor_credentials')
    .addColumn('account_id', 'text', (c) => c.primaryKey().references('accounts.id').onDelete('cascade'))
    .addColumn('sealed_secret', 'text', (c) => c.notNull())
    .addColumn('confirmed_at', 'text')
    .addColumn('last_used_step', 'integer')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('two_factor_recovery_codes')
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('code_hash', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('two_factor_recovery_codes_pk', ['account_id', 'code_hash'])
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('Glimpse migrations only move forward');
}
