import { spawn } from 'node:child_process';
import path from 'node:path';
import { sql } from 'kysely';
import type { World } from './world.ts';
import { TEST_DB, TEST_POSTGRES_URL, withSchemaLock } from './test-database.ts';

const ROOT = path.resolve(import.meta.dirname, '../../..');

/** `npm run admin -- admin <args>`, as a separate process reading its database from the environment. */
function runAdmin(env: Record<string, string>, args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts', 'admin', ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out }));
  });
}

/**
 * The admin command line run against a world's own database: on SQLite the world must live in
 * `<dataDir>/glimpse.sqlite` (createWorld's `databaseFile`), on PostgreSQL the command reaches
 * the world's schema through the URL's connection options.
 */
export async function adminCommand(world: World, dataDir: string, ...args: string[]): Promise<{ code: number | null; out: string }> {
  if (TEST_DB === 'sqlite') return runAdmin({ GLIMPSE_DATA_DIR: dataDir, GLIMPSE_DATABASE_URL: '' }, args);
  const schema = (await sql<{ s: string }>`SELECT current_schema() AS s`.execute(world.db.handle.kysely)).rows[0].s;
  const env = { GLIMPSE_DATA_DIR: dataDir, GLIMPSE_DATABASE_URL: `${TEST_POSTGRES_URL}?options=${encodeURIComponent(`-c search_path=${schema}`)}` };
  // Opening migrates, which reads the catalogue: it takes turns with the other test processes
  // creating and dropping schemas, as test worlds do.
  return withSchemaLock(() => runAdmin(env, args));
}
