// A read connection on a thread of its own (sqlite-read-pool.ts): it answers the statements the
// main thread found to be read-only, so their time in SQLite is spent off the event loop.
import { parentPort, workerData } from 'node:worker_threads';
import BetterSqlite3 from 'better-sqlite3';
import { statementCache } from './statement-cache.ts';

export interface ReadRequest {
  id: number;
  sql: string;
  parameters: unknown[];
}

export type ReadAnswer = { id: number; rows: unknown[] } | { id: number; error: { message: string; code?: string } };

const { file } = workerData as { file: string };
const connection = new BetterSqlite3(file, { readonly: true });
connection.pragma('busy_timeout = 5000');
const statements = statementCache(connection);

parentPort!.on('message', (request: ReadRequest) => {
  try {
    parentPort!.postMessage({ id: request.id, rows: statements.prepare(request.sql).all(request.parameters) } satisfies ReadAnswer);
  } catch (error) {
    const { message, code } = error as { message?: string; code?: string };
    parentPort!.postMessage({ id: request.id, error: { message: String(message ?? error), code } } satisfies ReadAnswer);
  }
});
