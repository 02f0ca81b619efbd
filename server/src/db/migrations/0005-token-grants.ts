import type { Kysely } from 'kysely';

/**
 * The authorization code a token (and every token refreshed from it) was issued for, so a
 * replayed code revokes them all (RFC 6749 §4.1.2: a code used twice means it was stolen).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('access_tokens').addColumn('authorization_code_hash', 'text').execute();
  await db.schema.createIndex('access_tokens_authorization_code').on('access_tokens').column('authorization_code_hash').execute();
}
