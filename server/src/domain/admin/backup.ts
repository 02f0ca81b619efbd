import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { sql } from 'kysely';
import type { Config } from '../../config.ts';
import { openDatabase } from '../../db/database.ts';
import {
  type BackupManifest,
  DATABASE_FILE,
  MANIFEST_FILE,
  MEDIA_FOLDER,
  SECRET_FILE,
  copyFileDurably,
  copyMediaFiles,
  formatBytes,
  fsyncPath,
  glimpseVersion,
  isEmptyOrMissing,
  isPostgres,
  sqliteFileOf,
  writeFileDurably,
} from './backup-folder.ts';

export type Say = (line: string) => void;

/**
 * `npm run admin -- backup DIR`: a consistent copy of a running instance into an empty (or new)
 * folder, while the server keeps serving and writing.
 *
 * - SQLite: the database is copied with SQLite's online backup API from a connection of this
 *   process. The copy is made in one step, that is in one read transaction: in WAL mode the
 *   server's writes go on meanwhile, and the copy is the database as it was when that
 *   transaction began, every answered write before it included (writes are answered after
 *   their commit, synchronous=FULL). The copy is checked (`integrity_check`) and made a single
 *   self-contained file (rollback journal), then its migration level is read from it.
 * - PostgreSQL: the database is not dumped (pg_dump does that, README "Backups"); its migration
 *   level is read and recorded.
 * - Media: on local storage every file under `<dataDir>/media` is copied, after the database
 *   (a file is stored before its row commits, so every file of a row in the copy already exists
 *   then); on S3 the bucket is not copied, and the output says how to back it up.
 * - The server secret kept in the data folder, when there is one.
 * - `manifest.json` last: version, time, migration level, file counts and sizes.
 *
 * Exit codes: 0 done, 1 refused or failed (the message says why).
 */
export async function backup(config: Config, dir: string, say: Say): Promise<number> {
  const target = path.resolve(dir);
  const mediaRoot = path.join(config.dataDir, MEDIA_FOLDER);
  if (!(await isEmptyOrMissing(target))) {
    say(`backup refused: ${target} is not empty (give a new or empty folder)`);
    return 1;
  }
  if (target === config.dataDir || isInside(target, mediaRoot)) {
    say(`backup refused: ${target} is inside the data folder's media (${mediaRoot})`);
    return 1;
  }
  const postgres = isPostgres(config);
  const sqliteFile = sqliteFileOf(config);
  if (!postgres && !fs.existsSync(sqliteFile)) {
    say(`backup refused: there is no database at ${sqliteFile} (check GLIMPSE_DATA_DIR)`);
    return 1;
  }
  await fsp.mkdir(target, { recursive: true });
  const createdAt = new Date().toISOString();

  const database = postgres ? await postgresLevel(config) : await copySqlite(sqliteFile, path.join(target, DATABASE_FILE));
  if (postgres) {
    say(`database: PostgreSQL, NOT dumped by this command (migration level ${database.migrationLevel}).`);
    say('  Dump it with pg_dump, e.g.: pg_dump --format=custom --file=glimpse.dump "$GLIMPSE_DATABASE_URL"');
    say('  and restore it with pg_restore (README, "Backups").');
  } else {
    say(`database: SQLite, ${formatBytes(database.bytes)}, migration level ${database.migrationLevel}, integrity ok`);
  }

  let media: BackupManifest['media'];
  if (config.storage.kind === 's3') {
    media = { storage: 's3', included: false, files: 0, bytes: 0 };
    const where = config.storage.endpoint ? ` at ${config.storage.endpoint}` : '';
    say(`media: S3 bucket "${config.storage.bucket}"${where}, NOT copied by this command.`);
    say(`  Back the bucket up with the store's own tools, e.g. \`aws s3 sync s3://${config.storage.bucket} ./media\``);
    say('  or `rclone sync`, or turn on the bucket\'s versioning or replication.');
  } else {
    const copied = await copyMediaFiles(mediaRoot, path.join(target, MEDIA_FOLDER));
    media = { storage: 'local', included: true, files: copied.files, bytes: copied.bytes };
    say(`media: ${copied.files} files, ${formatBytes(copied.bytes)} copied${copied.skipped ? ` (${copied.skipped} removed meanwhile, skipped)` : ''}`);
  }

  let secret = false;
  const secretFile = path.join(config.dataDir, SECRET_FILE);
  if (config.secret) {
    say('secret: GLIMPSE_SECRET is set in the environment: keep it with this backup');
  } else if (fs.existsSync(secretFile)) {
    await copyFileDurably(secretFile, path.join(target, SECRET_FILE), 0o600);
    secret = true;
    say('secret: copied (keep this backup as private as the server)');
  }

  const manifest: BackupManifest = {
    format: 'glimpse-backup',
    formatVersion: 1,
    glimpseVersion: glimpseVersion(),
    createdAt,
    database: { dialect: postgres ? 'postgres' : 'sqlite', included: !postgres, ...database },
    media,
    secret,
  };
  await writeFileDurably(path.join(target, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
  say(`backup written to ${target}`);
  return 0;
}

function isInside(child: string, parent: string): boolean {
  const relative = path.relative(parent, child);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/**
 * The online backup API, in one step (all pages at once, so one read transaction: a copy of
 * one moment, however busy the writers are), into a temporary file that is then checked,
 * switched to a rollback journal (one self-contained file), fsynced and renamed into place.
 */
async function copySqlite(source: string, target: string): Promise<{ bytes: number; migrations: string[]; migrationLevel: string }> {
  const partial = `${target}.partial`;
  const live = new BetterSqlite3(source, { fileMustExist: true });
  try {
    live.pragma('busy_timeout = 5000');
    // The first step (0 pages) learns the page count; the progress answer makes the next one copy every page.
    await live.backup(partial, { progress: () => 0x7fffffff });
  } finally {
    live.close();
  }
  const copy = new BetterSqlite3(partial, { fileMustExist: true });
  let migrations: string[];
  try {
    copy.pragma('journal_mode = DELETE');
    const check = (copy.pragma('integrity_check') as Array<{ integrity_check: string }>).map((r) => r.integrity_check).join('; ');
    if (check !== 'ok') throw new Error(`the copy of the database failed its integrity check: ${check}`);
    migrations = migrationsIn(copy);
  } finally {
    copy.close();
  }
  await fsyncPath(partial);
  await fsp.rename(partial, target);
  await fsyncPath(path.dirname(target)).catch(() => undefined);
  return { bytes: (await fsp.stat(target)).size, migrations, migrationLevel: migrations.at(-1) ?? 'none' };
}

function migrationsIn(db: BetterSqlite3.Database): string[] {
  const table = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'kysely_migration'").get();
  if (!table) return [];
  return (db.prepare('SELECT name FROM kysely_migration ORDER BY name').all() as Array<{ name: string }>).map((r) => r.name);
}

/** PostgreSQL: the migrations the database has run and its size; nothing is changed (no migration). */
async function postgresLevel(config: Config): Promise<{ bytes: number; migrations: string[]; migrationLevel: string }> {
  const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, migrate: false, postgres: { poolSize: 1 } });
  try {
    const rows = await sql<{ name: string }>`SELECT name FROM kysely_migration ORDER BY name`.execute(db.kysely);
    const size = await sql<{ bytes: string }>`SELECT pg_database_size(current_database())::text AS bytes`.execute(db.kysely);
    const migrations = rows.rows.map((r) => r.name);
    return { bytes: Number(size.rows[0]?.bytes ?? 0), migrations, migrationLevel: migrations.at(-1) ?? 'none' };
  } finally {
    await db.close();
  }
}
