import type { Kysely } from 'kysely';
import type { Database } from '../schema.ts';
import { dialectOf } from './dialect-of.ts';

/**
 * Locks these media rows for the rest of the transaction before a conditional DELETE re-checks
 * them: on PostgreSQL a concurrent insert referencing one (its foreign-key check holds a
 * key-share lock) then commits first and the re-check sees it, instead of the DELETE's cascade
 * taking the new row. SQLite has one writer, so nothing can interleave: no statement.
 */
export async function lockMediaRows(trx: Kysely<Database>, ids: readonly string[]): Promise<void> {
  if (dialectOf(trx) !== 'postgres' || ids.length === 0) return;
  await trx.selectFrom('media').select('id').where('id', 'in', [...ids]).orderBy('id').forUpdate().execute();
}
