import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler } from 'kysely';
import type { Database } from '../schema.ts';
import type { DatabaseHandle } from '../database.ts';
import { StatementObserver } from '../statement-observer.ts';
import { ReadWriteSqliteDriver } from './sqlite-driver.ts';
import { statementCache } from './statement-cache.ts';
import { SqliteReadPool } from './sqlite-read-pool.ts';

/**
 * SQLite through better-sqlite3: WAL for concurrent readers, synchronous=FULL so an answered
 * write survives a crash. The bundled build may silently keep NORMAL once a WAL exists, so the
 * setting is read back and start-up fails if it did not take.
 */
export function openSqlite(file: string, options: { readWorkers?: number } = {}): DatabaseHandle {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new BetterSqlite3(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const synchronous = sqlite.pragma('synchronous', { simple: true });
  if (synchronous !== 2) {
    sqlite.close();
    throw new Error(`SQLite refused synchronous=FULL (read back ${String(synchronous)}); refusing to start`);
  }
  const journal = sqlite.pragma('journal_mode', { simple: true });
  if (file !== ':memory:' && journal !== 'wal') {
    sqlite.close();
    throw new Error(`SQLite refused WAL journal mode (read back ${String(journal)}); refusing to start`);
  }
  // Kysely's driver prepares every statement on each execution; the same few hundred SQL
  // strings repeat, so prepared statements are kept and reused (about an eighth of CPU saved).
  const write = statementCache(sqlite);
  // Reads outside transactions get a connection of their own (WAL lets it read the last
  // committed state while a write transaction is open); see sqlite-driver.ts.
  let reader: BetterSqlite3.Database | undefined;
  if (file !== ':memory:') {
    reader = new BetterSqlite3(file, { readonly: true });
    reader.pragma('busy_timeout = 5000');
  }
  const read = reader ? statementCache(reader) : undefined;
  // And, when asked, read connections on worker threads that run those reads off the event loop.
  const pool = reader && (options.readWorkers ?? 0) > 0 ? new SqliteReadPool(file, options.readWorkers!) : undefined;
  const statements = new StatementObserver();
  const kysely = new Kysely<Database>({
    log: statements.log,
    dialect: {
      createAdapter: () => new ReadWriteSqliteAdapter(),
      createDriver: () =>
        new ReadWriteSqliteDriver(write, read, pool, async () => {
          await pool?.close();
          reader?.close();
          sqlite.close();
        }),
      createIntrospector: (db) => new SqliteIntrospector(db),
      createQueryCompiler: () => new SqliteQueryCompiler(),
    },
  });
  return {
    kysely,
    dialect: 'sqlite',
    statements,
    ...(pool ? { readWorkerStats: () => ({ workers: pool.size, answered: pool.answered }) } : {}),
    async integrityCheck() {
      const rows = sqlite.pragma('integrity_check') as Array<{ integrity_check: string }>;
      return rows.map((r) => r.integrity_check).join('; ');
    },
    async close() {
      await kysely.destroy();
    },
  };
}

/**
 * Kysely (since 0.29) hands out one connection at a time when the adapter says the database
 * has only one, which would queue every read behind an open transaction again. The driver
 * routes statements itself (sqlite-driver.ts), so it says it has several.
 */
class ReadWriteSqliteAdapter extends SqliteAdapter {
  override get supportsMultipleConnections(): boolean {
    return true;
  }
}
