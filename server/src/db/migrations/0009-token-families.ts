import { type Kysely, sql } from 'kysely';

/**
 * `authorization_code_hash` is a token's family: every token refreshed from one grant carries
 * it, so a replayed code or a reused rotated refresh token revokes the whole chain. Tokens
 * issued before 0005 have none; each such token that can still be refreshed starts a family of
 * its own here, which the tokens refreshed from it inherit.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`UPDATE access_tokens SET authorization_code_hash = 'family:' || id
            WHERE authorization_code_hash IS NULL AND refresh_token_hash IS NOT NULL`.execute(db);
}
