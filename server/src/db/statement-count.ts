import type { DatabaseHandle } from './database.ts';

/** The app's own background statements (the job queue's polls, the id-node and scheduled-status timers, upload leases). */
export const BACKGROUND_STATEMENT = /\bjobs\b|node_leases|advisory|scheduled_statuses|lease_until/i;

/** Transaction control, which each database sends its own way (SQLite's never reaches the log). */
const TRANSACTION_CONTROL = /^\s*(begin|commit|rollback|savepoint|release)\b/i;

/**
 * Counts every statement `run` makes the database run, inside transactions too (through the
 * handle's statement observer), leaving out transaction control and the app's background
 * statements (BACKGROUND_STATEMENT), so the count is the measured work's alone even when a job
 * poll lands inside the window. This is the measure of what a request costs, used by the tests
 * and by the benchmark's statement rows.
 */
export async function countStatements<T>(
  handle: DatabaseHandle,
  run: () => Promise<T>,
): Promise<{ result: T; statements: number; sql: string[] }> {
  const sql: string[] = [];
  const stop = handle.statements.listen((text) => {
    if (!TRANSACTION_CONTROL.test(text) && !BACKGROUND_STATEMENT.test(text)) sql.push(text);
  });
  try {
    const result = await run();
    return { result, statements: sql.length, sql };
  } finally {
    stop();
  }
}
