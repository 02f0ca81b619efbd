import type BetterSqlite3 from 'better-sqlite3';
import { CompiledQuery, type DatabaseConnection, type Driver, type QueryResult } from 'kysely';
import type { SqliteReadPool } from './sqlite-read-pool.ts';
import type { StatementSource } from './statement-cache.ts';

/**
 * A Kysely driver for better-sqlite3 with one write connection and, for a database file, one
 * read connection. Kysely's own SQLite driver has a single connection behind a mutex, so every
 * read waits while any transaction is open, and a storm of comments committing in groups would
 * hold up every page. Here:
 * - a transaction takes the write connection (through a mutex) from BEGIN to COMMIT/ROLLBACK,
 *   and all its statements run there;
 * - a statement outside a transaction that only reads (better-sqlite3's `readonly`) runs on the
 *   read connection at once, seeing the last committed state (WAL snapshots), never a
 *   transaction's uncommitted rows; with read workers (sqlite-read-pool.ts) it runs on one of
 *   theirs, off the event loop, with the same snapshot rule;
 * - any other statement waits for the write connection, as before.
 * An in-memory database cannot be opened twice, so there everything goes through the mutex.
 */
export class ReadWriteSqliteDriver implements Driver {
  private readonly writeLock = new Mutex();

  constructor(
    private readonly write: StatementSource,
    private readonly read: StatementSource | undefined,
    private readonly pool: SqliteReadPool | undefined,
    private readonly onDestroy: () => Promise<void>,
  ) {}

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    return new RoutedConnection(this.write, this.read, this.pool, this.writeLock);
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    const routed = connection as RoutedConnection;
    await this.writeLock.lock();
    routed.inTransaction = true;
    try {
      runOn(this.write, CompiledQuery.raw('begin'));
    } catch (error) {
      routed.inTransaction = false;
      this.writeLock.unlock();
      throw error;
    }
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await this.end(connection as RoutedConnection, 'commit');
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await this.end(connection as RoutedConnection, 'rollback');
  }

  private async end(routed: RoutedConnection, statement: 'commit' | 'rollback'): Promise<void> {
    try {
      runOn(this.write, CompiledQuery.raw(statement));
    } finally {
      routed.inTransaction = false;
      this.writeLock.unlock();
    }
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    // A transaction always ends in commit or rollback; this only guards against a leak.
    const routed = connection as RoutedConnection;
    if (routed.inTransaction) {
      routed.inTransaction = false;
      this.writeLock.unlock();
    }
  }

  async destroy(): Promise<void> {
    await this.onDestroy();
  }
}


class RoutedConnection implements DatabaseConnection {
  inTransaction = false;

  constructor(
    private readonly write: StatementSource,
    private readonly read: StatementSource | undefined,
    private readonly pool: SqliteReadPool | undefined,
    private readonly writeLock: Mutex,
  ) {}

  async executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    if (this.inTransaction) return runOn(this.write, compiledQuery) as QueryResult<R>;
    const stmt = this.read && prepareOrNothing(this.read, compiledQuery.sql);
    if (stmt && stmt.readonly) {
      // Prepared here only to learn that it reads; a read worker runs it when there are any.
      if (this.pool) return { rows: (await this.pool.all(compiledQuery.sql, compiledQuery.parameters)) as R[] };
      return { rows: stmt.all(compiledQuery.parameters as unknown[]) as R[] };
    }
    await this.writeLock.lock();
    try {
      return runOn(this.write, compiledQuery) as QueryResult<R>;
    } finally {
      this.writeLock.unlock();
    }
  }

  // Kysely's interface asks for it; nothing here streams.
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('Streaming queries are not used with SQLite');
  }
}

/** A statement the read connection cannot prepare (it writes, say) goes to the write connection. */
function prepareOrNothing(source: StatementSource, sql: string): BetterSqlite3.Statement | undefined {
  try {
    return source.prepare(sql);
  } catch {
    return undefined;
  }
}

function runOn(source: StatementSource, compiledQuery: CompiledQuery): QueryResult<unknown> {
  const stmt = source.prepare(compiledQuery.sql);
  const parameters = compiledQuery.parameters as unknown[];
  if (stmt.reader) return { rows: stmt.all(parameters) };
  const { changes, lastInsertRowid } = stmt.run(parameters);
  return {
    numAffectedRows: changes !== undefined && changes !== null ? BigInt(changes) : undefined,
    insertId: lastInsertRowid !== undefined && lastInsertRowid !== null ? BigInt(lastInsertRowid) : undefined,
    rows: [],
  };
}

/** Waiters are served in arrival order. */
class Mutex {
  private locked = false;
  private readonly waiters: Array<() => void> = [];

  async lock(): Promise<void> {
    if (!this.locked) {
      this.locked = true;
      return;
    }
    await new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  unlock(): void {
    const next = this.waiters.shift();
    if (next) next();
    else this.locked = false;
  }
}
