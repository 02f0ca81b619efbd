import path from 'node:path';
import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';
import { openSqlite } from './dialect/sqlite.ts';
import { openPostgres, type PostgresOptions } from './dialect/postgres.ts';
import { migrateToLatest, pendingMigrations } from './migrate.ts';
import type { StatementObserver } from './statement-observer.ts';

export type DialectName = 'sqlite' | 'postgres';

export interface DatabaseHandle {
  kysely: Kysely<Database>;
  dialect: DialectName;
  /** Every statement run, transactions included (statement-observer.ts). */
  statements: StatementObserver;
  /** SQLite with read workers: how many, and the statements they answered so far. */
  readWorkerStats?(): { workers: number; answered: number };
  /** 'ok' when the database finds nothing wrong with itself. */
  integrityCheck(): Promise<string>;
  /** PostgreSQL: the pool's connections, open, idle and requests waiting for one (GET /metrics). */
  poolStats?(): { total: number; idle: number; waiting: number };
  /** Migrations of this code the database has not run (GET /readyz). Set by openDatabase. */
  pendingMigrations?(): Promise<string[]>;
  close(): Promise<void>;
}

export type Db = Kysely<Database>;

export interface OpenDatabaseOptions {
  databaseUrl: string;
  dataDir: string;
  postgres?: PostgresOptions;
  /** SQLite only: read connections on worker threads (GLIMPSE_SQLITE_READ_WORKERS); 0 reads on the main thread. */
  sqliteReadWorkers?: number;
  migrate?: boolean;
}

/** A postgres:// URL selects PostgreSQL; otherwise the embedded SQLite file in the data dir. */
export async function openDatabase(options: OpenDatabaseOptions): Promise<DatabaseHandle> {
  const url = options.databaseUrl;
  const handle = /^postgres(ql)?:\/\//.test(url)
    ? await openPostgres(url, options.postgres)
    : openSqlite(url === ':memory:' ? ':memory:' : url || path.join(options.dataDir, 'glimpse.sqlite'), { readWorkers: options.sqliteReadWorkers });
  const schema = handle.dialect === 'postgres' ? options.postgres?.schema : undefined;
  if (options.migrate !== false) await migrateToLatest(handle.kysely, schema);
  handle.pendingMigrations = () => pendingMigrations(handle.kysely, schema);
  return handle;
}
