import { type Kysely, PostgresAdapter } from 'kysely';
import type { DialectName } from '../database.ts';

/** Which database a Kysely instance talks to, for the code (migrations) that holds no DatabaseHandle. */
export function dialectOf(db: Kysely<any>): DialectName {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}
