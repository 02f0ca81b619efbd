import crypto from 'node:crypto';
import pg from 'pg';
import { openDatabase, type DatabaseHandle } from '../../src/db/database.ts';
import { dropPostgresSchema } from '../../src/db/dialect/postgres.ts';

/**
 * The database a test file runs on, chosen by GLIMPSE_TEST_DB (sqlite, the default, or
 * postgres). On PostgreSQL each test world gets a schema of its own, dropped afterwards, so
 * test files run in parallel without seeing each other's rows.
 */
export const TEST_DB = (process.env.GLIMPSE_TEST_DB ?? 'sqlite') as 'sqlite' | 'postgres';
export const TEST_POSTGRES_URL = process.env.GLIMPSE_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestDatabase {
  handle: DatabaseHandle;
  /** The URL a separate server process would use to reach the same data. */
  url: string;
  dispose(): Promise<void>;
}

/**
 * Creating (migrating) and dropping test schemas take turns across test processes. Kysely's
 * migrator introspects the tables of every schema, and a schema dropped by another process in
 * the middle of that makes it fail with "schema ... does not exist".
 */
const SCHEMA_LOCK = 0x61_6c_69_6d; // any constant shared by the test processes
export async function withSchemaLock<T>(run: () => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [SCHEMA_LOCK]);
    return await run();
  } finally {
    await client.end(); // ending the session releases the lock
  }
}

export async function openTestDatabase(options: { file?: string; retried?: boolean; sqliteReadWorkers?: number } = {}): Promise<TestDatabase> {
  if (TEST_DB === 'postgres') {
    const schema = `t_${crypto.randomBytes(6).toString('hex')}`;
    let handle: DatabaseHandle;
    try {
      handle = await withSchemaLock(() => openDatabase({ databaseUrl: TEST_POSTGRES_URL, dataDir: '', postgres: { schema, poolSize: 4 } }));
    } catch (error) {
      // Seen once under heavy parallel load: the migration did not see the new schema yet. One
      // retry on a fresh schema; a second failure is real.
      if (options.retried || !/does not exist/.test(String((error as Error).message))) throw error;
      return openTestDatabase({ ...options, retried: true });
    }
    return {
      handle,
      url: TEST_POSTGRES_URL,
      async dispose() {
        await handle.close();
        await withSchemaLock(() => dropPostgresSchema(TEST_POSTGRES_URL, schema));
      },
    };
  }
  const file = options.file ?? ':memory:';
  const handle = await openDatabase({ databaseUrl: file, dataDir: '', sqliteReadWorkers: options.sqliteReadWorkers });
  return { handle, url: file, dispose: () => handle.close() };
}
