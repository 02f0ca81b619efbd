import pg from 'pg';
import { Kysely, PostgresDialect, sql } from 'kysely';
import type { Database } from '../schema.ts';
import type { DatabaseHandle } from '../database.ts';
import { StatementObserver } from '../statement-observer.ts';

export interface PostgresOptions {
  /** Put every table in this schema (tests give each run its own). */
  schema?: string;
  poolSize?: number;
}

/** PostgreSQL through pg, with synchronous_commit on so an answered write is durable. */
export async function openPostgres(url: string, options: PostgresOptions = {}): Promise<DatabaseHandle> {
  const schema = options.schema;
  if (schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`bad schema name ${schema}`);
  const settings = ['-c synchronous_commit=on'];
  if (schema) settings.push(`-c search_path=${schema}`);
  const pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 10, options: settings.join(' ') });
  if (schema) {
    const client = await pool.connect();
    try {
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    } finally {
      client.release();
    }
  }
  const statements = new StatementObserver();
  const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), log: statements.log });
  const check = await sql<{ synchronous_commit: string }>`SHOW synchronous_commit`.execute(kysely);
  if (check.rows[0]?.synchronous_commit !== 'on') {
    await kysely.destroy();
    throw new Error('PostgreSQL synchronous_commit is not on; refusing to start');
  }
  return {
    kysely,
    dialect: 'postgres',
    statements,
    poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    async integrityCheck() {
      // PostgreSQL checks pages itself; a trivial query proves the database answers.
      await sql`SELECT 1`.execute(kysely);
      return 'ok';
    },
    async close() {
      await kysely.destroy();
    },
  };
}

/** Drops a schema made by openPostgres({ schema }); used by tests to clean up. */
export async function dropPostgresSchema(url: string, schema: string): Promise<void> {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`bad schema name ${schema}`);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await client.end();
  }
}
