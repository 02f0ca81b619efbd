import type { Kysely } from 'kysely';
import type { DatabaseHandle } from '../../src/db/database.ts';

/** The app's own background statements (the job queue's polls, the id-node and scheduled-status timers, upload leases). */
const BACKGROUND = /\bjobs\b|node_leases|advisory|scheduled_statuses|lease_until/i;

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

/** Transaction control, which each database sends its own way (SQLite's never reaches the log). */
const TRANSACTION_CONTROL = /^\s*(begin|commit|rollback|savepoint|release)\b/i;

/**
 * Counts every statement `run` makes the database run, inside transactions too (through the
 * handle's statement observer), leaving out transaction control and the app's background
 * statements. This is the measure of what a write costs.
 */
export async function countStatements<T>(
  handle: DatabaseHandle,
  run: () => Promise<T>,
): Promise<{ result: T; statements: number; sql: string[] }> {
  const sql: string[] = [];
  const stop = handle.statements.listen((text) => {
    if (!TRANSACTION_CONTROL.test(text) && !BACKGROUND.test(text)) sql.push(text);
  });
  try {
    const result = await run();
    return { result, statements: sql.length, sql };
  } finally {
    stop();
  }
}
