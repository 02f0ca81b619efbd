import type { Kysely } from 'kysely';

/**
 * Counts the statements `run` sends through the database handle's query executor (every
 * query a repository builds from it, outside transactions), so a test can prove a read costs
 * a fixed number of queries.
 */
export async function countQueries<T>(db: Kysely<any>, run: () => Promise<T>): Promise<{ result: T; queries: number }> {
  const executor = db.getExecutor() as unknown as { executeQuery: (...args: unknown[]) => Promise<unknown> };
  const original = executor.executeQuery;
  let queries = 0;
  executor.executeQuery = function (this: unknown, ...args: unknown[]) {
    queries++;
    return original.apply(this, args);
  };
  try {
    const result = await run();
    return { result, queries };
  } finally {
    executor.executeQuery = original;
  }
}
