import type { Kysely } from 'kysely';
import { BACKGROUND_STATEMENT as BACKGROUND } from '../../src/db/statement-count.ts';

/** Every statement a request makes, transactions included (server/src/db/statement-count.ts). */
export { countStatements } from '../../src/db/statement-count.ts';

/**
 * Counts the statements `run` sends through the database handle's query executor (every
 * query a repository builds from it, outside transactions), so a test can prove a read costs
 * a fixed number of queries. The statements the app's background work sends meanwhile
 * (BACKGROUND) are left out, so the count is the measured work's alone even on a busy
 * PostgreSQL run, where a job poll can land inside the measured window.
 */
export async function countQueries<T>(db: Kysely<any>, run: () => Promise<T>): Promise<{ result: T; queries: number }> {
  const executor = db.getExecutor() as unknown as { executeQuery: (query: { sql: string }, ...rest: unknown[]) => Promise<unknown> };
  const original = executor.executeQuery;
  let queries = 0;
  executor.executeQuery = function (this: unknown, query, ...rest) {
    if (!BACKGROUND.test(query.sql)) queries++;
    return original.call(this, query, ...rest);
  };
  try {
    return { result: await run(), queries };
  } finally {
    executor.executeQuery = original;
  }
}

/** The same count as countQueries (kept for the tests that name it). */
export const countOwnQueries = countQueries;
