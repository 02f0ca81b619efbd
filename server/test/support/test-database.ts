import crypto from 'node:crypto';
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

export async function openTestDatabase(options: { file?: string } = {}): Promise<TestDatabase> {
  if (TEST_DB === 'postgres') {
    const schema = `t_${crypto.randomBytes(6).toString('hex')}`;
    const handle = await openDatabase({ databaseUrl: TEST_POSTGRES_URL, dataDir: '', postgres: { schema, poolSize: 4 } });
    return {
      handle,
      url: TEST_POSTGRES_URL,
      async dispose() {
        await handle.close();
        await dropPostgresSchema(TEST_POSTGRES_URL, schema);
      },
    };
  }
  const file = options.file ?? ':memory:';
  const handle = await openDatabase({ databaseUrl: file, dataDir: '' });
  return { handle, url: file, dispose: () => handle.close() };
}
