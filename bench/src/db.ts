import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { openDatabase, type DatabaseHandle } from '../../server/src/db/database.ts';

/**
 * Where the benchmark's data lives, reachable the same way by the generator, the checks and
 * the server process: SQLite is GLIMPSE_DATA_DIR/glimpse.sqlite (the server's default file);
 * PostgreSQL is a dedicated database, dropped and created again for every run.
 */
export type DbKind = 'sqlite' | 'postgres';

export interface DbTarget {
  kind: DbKind;
  dataDir: string;
  /** GLIMPSE_DATABASE_URL for the server: empty for SQLite (the file in dataDir). */
  databaseUrl: string;
  /** The SQLite file, when kind is sqlite. */
  file?: string;
  /** The PostgreSQL database name, when kind is postgres. */
  database?: string;
}

/** Any database on the PostgreSQL server the benchmark uses; its database part is replaced. */
export const BENCH_POSTGRES_URL = process.env.GLIMPSE_BENCH_POSTGRES_URL ?? process.env.GLIMPSE_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export function postgresUrlFor(database: string, base = BENCH_POSTGRES_URL): string {
  const url = new URL(base);
  url.pathname = `/${database}`;
  return url.toString();
}

function checkName(name: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`bad database name ${name}`);
  return name;
}

async function withAdmin<T>(base: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: postgresUrlFor('postgres', base), connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Empties the target: deletes the SQLite file (and its WAL), or drops and creates the database. */
export async function freshTarget(kind: DbKind, dataDir: string, options: { database?: string; postgresUrl?: string } = {}): Promise<DbTarget> {
  fs.mkdirSync(dataDir, { recursive: true });
  if (kind === 'sqlite') {
    const file = path.join(dataDir, 'glimpse.sqlite');
    for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
    return { kind, dataDir, databaseUrl: '', file };
  }
  const database = checkName(options.database ?? 'glimpse_bench');
  const base = options.postgresUrl ?? BENCH_POSTGRES_URL;
  await withAdmin(base, async (client) => {
    await client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${database}`);
  });
  return { kind, dataDir, databaseUrl: postgresUrlFor(database, base), database };
}

/** The same target, without emptying it (the data a previous generation left). */
export function existingTarget(kind: DbKind, dataDir: string, options: { database?: string; postgresUrl?: string } = {}): DbTarget {
  if (kind === 'sqlite') return { kind, dataDir, databaseUrl: '', file: path.join(dataDir, 'glimpse.sqlite') };
  const database = checkName(options.database ?? 'glimpse_bench');
  return { kind, dataDir, databaseUrl: postgresUrlFor(database, options.postgresUrl ?? BENCH_POSTGRES_URL), database };
}

export async function dropTarget(target: DbTarget, postgresUrl = BENCH_POSTGRES_URL): Promise<void> {
  if (target.kind === 'postgres' && target.database) {
    const database = target.database;
    await withAdmin(postgresUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`));
  }
}

/** The server's own database handle (migrates on open), as `npm start` would open it. */
export function openHandle(target: DbTarget): Promise<DatabaseHandle> {
  return openDatabase({ databaseUrl: target.databaseUrl, dataDir: target.dataDir, postgres: { poolSize: 4 } });
}

export type ColumnType = 'text' | 'int' | 'real';

/**
 * Bulk writes into the server's tables, in transactions: multi-row VALUES on SQLite (bounded
 * by its 32,766-variable limit), UNNEST of one array per column on PostgreSQL (a handful of
 * parameters per statement, whatever the row count).
 */
export interface BulkWriter {
  kind: DbKind;
  begin(): Promise<void>;
  commit(): Promise<void>;
  insert(table: string, columns: ReadonlyArray<readonly [string, ColumnType]>, rows: unknown[][]): Promise<void>;
  /** One statement with `?` placeholders (rewritten to $n on PostgreSQL); answers rows changed. */
  run(sqlText: string, params?: unknown[]): Promise<number>;
  all<T = Record<string, unknown>>(sqlText: string, params?: unknown[]): Promise<T[]>;
  /**
   * Drops the table's secondary indexes (not those backing a primary key or unique
   * constraint) and answers the statements that create them again: building an index once
   * after a load is much faster than keeping it up to date row by row.
   */
  dropIndexes(table: string): Promise<string[]>;
  /**
   * Drops the table's triggers (the content and relations versions, migrations 0023 and 0024) and
   * answers the statements that create them again. Generated rows are written as they stand, with
   * every version at 0; the triggers only matter to the changes the server makes afterwards.
   */
  dropTriggers(table: string): Promise<string[]>;
  close(): Promise<void>;
}

const SQLITE_MAX_VARIABLES = 32_766;

class SqliteBulk implements BulkWriter {
  readonly kind = 'sqlite' as const;
  private readonly db: BetterSqlite3.Database;
  private readonly statements = new Map<string, BetterSqlite3.Statement>();

  constructor(file: string) {
    this.db = new BetterSqlite3(file);
    // A fresh file the generator owns alone: durability is not needed until it is done (a
    // failed generation is simply run again), so no journal; WAL again when it closes.
    this.db.pragma('journal_mode = OFF');
    this.db.pragma('synchronous = OFF');
    this.db.pragma('foreign_keys = OFF');
    this.db.pragma('cache_size = -1048576');
    this.db.pragma('temp_store = MEMORY');
  }

  async begin() {
    this.db.exec('BEGIN');
  }

  async commit() {
    this.db.exec('COMMIT');
  }

  private statement(sqlText: string): BetterSqlite3.Statement {
    let stmt = this.statements.get(sqlText);
    if (!stmt) {
      stmt = this.db.prepare(sqlText);
      this.statements.set(sqlText, stmt);
    }
    return stmt;
  }

  async insert(table: string, columns: ReadonlyArray<readonly [string, ColumnType]>, rows: unknown[][]) {
    // better-sqlite3 runs a prepared one-row INSERT in about a microsecond, faster than
    // multi-row VALUES (which would also be bounded by SQLITE_MAX_VARIABLES per statement);
    // the batch's transaction is what makes it bulk.
    if (columns.length > SQLITE_MAX_VARIABLES) throw new Error('too many columns');
    const stmt = this.statement(`INSERT INTO ${table} (${columns.map(([c]) => c).join(', ')}) VALUES (${columns.map(() => '?').join(',')})`);
    for (const row of rows) stmt.run(row);
  }

  async dropIndexes(table: string) {
    const rows = this.db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL").all(table) as Array<{ name: string; sql: string }>;
    for (const r of rows) this.db.exec(`DROP INDEX "${r.name}"`);
    return rows.map((r) => r.sql);
  }

  async dropTriggers(table: string) {
    const rows = this.db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?").all(table) as Array<{ name: string; sql: string }>;
    for (const r of rows) this.db.exec(`DROP TRIGGER "${r.name}"`);
    return rows.map((r) => r.sql);
  }

  async run(sqlText: string, params: unknown[] = []) {
    return this.statement(sqlText).run(params).changes;
  }

  async all<T>(sqlText: string, params: unknown[] = []) {
    return this.statement(sqlText).all(params) as T[];
  }

  async close() {
    this.db.pragma('journal_mode = WAL');
    this.db.close();
  }
}

class PostgresBulk implements BulkWriter {
  readonly kind = 'postgres' as const;
  constructor(private readonly client: pg.Client) {}

  static async open(url: string): Promise<PostgresBulk> {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query('SET synchronous_commit = off');
    return new PostgresBulk(client);
  }

  async begin() {
    await this.client.query('BEGIN');
  }

  async commit() {
    await this.client.query('COMMIT');
  }

  async insert(table: string, columns: ReadonlyArray<readonly [string, ColumnType]>, rows: unknown[][]) {
    const perStatement = 20_000;
    const pgType = (t: ColumnType) => (t === 'int' ? 'bigint[]' : t === 'real' ? 'float8[]' : 'text[]');
    const names = columns.map(([c]) => c).join(', ');
    const unnest = columns.map(([, t], i) => `$${i + 1}::${pgType(t)}`).join(', ');
    const text = `INSERT INTO ${table} (${names}) SELECT * FROM unnest(${unnest})`;
    for (let start = 0; start < rows.length; start += perStatement) {
      const chunk = rows.slice(start, start + perStatement);
      const arrays = columns.map((_, i) => chunk.map((r) => r[i]));
      await this.client.query(text, arrays);
    }
  }

  private static numbered(sqlText: string): string {
    let n = 0;
    return sqlText.replace(/\?/g, () => `$${++n}`);
  }

  async run(sqlText: string, params: unknown[] = []) {
    const r = await this.client.query(PostgresBulk.numbered(sqlText), params);
    return r.rowCount ?? 0;
  }

  async all<T>(sqlText: string, params: unknown[] = []) {
    const r = await this.client.query(PostgresBulk.numbered(sqlText), params);
    return r.rows as T[];
  }

  async dropIndexes(table: string) {
    const r = await this.client.query(
      `SELECT i.indexname, i.indexdef FROM pg_indexes i
       WHERE i.tablename = $1 AND i.schemaname = current_schema()
         AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)`,
      [table],
    );
    for (const row of r.rows) await this.client.query(`DROP INDEX "${row.indexname}"`);
    return r.rows.map((row) => row.indexdef as string);
  }

  async dropTriggers(table: string) {
    const r = await this.client.query(
      `SELECT t.tgname, pg_get_triggerdef(t.oid) AS def FROM pg_trigger t
       JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE c.relname = $1 AND n.nspname = current_schema() AND NOT t.tgisinternal`,
      [table],
    );
    for (const row of r.rows) await this.client.query(`DROP TRIGGER "${row.tgname}" ON ${table}`);
    return r.rows.map((row) => row.def as string);
  }

  async close() {
    await this.client.end();
  }
}

export async function openBulk(target: DbTarget): Promise<BulkWriter> {
  return target.kind === 'sqlite' ? new SqliteBulk(target.file!) : PostgresBulk.open(target.databaseUrl);
}
