import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import type { Config } from '../../config.ts';
import { knownMigrations } from '../../db/migrate.ts';
import {
  DATABASE_FILE,
  MEDIA_FOLDER,
  SECRET_FILE,
  copyFileDurably,
  copyMediaFiles,
  formatBytes,
  isEmptyOrMissing,
  isPostgres,
  readManifest,
  sqliteFileOf,
} from './backup-folder.ts';
import type { Say } from './backup.ts';

/**
 * `npm run admin -- restore DIR`: a backup made by `backup` into an empty (or new) data folder
 * (GLIMPSE_DATA_DIR), for a server to start on. Refused, with nothing written:
 * - a data folder that holds anything (or an existing SQLite file where GLIMPSE_DATABASE_URL
 *   points), so a running instance is never overwritten;
 * - a backup whose database ran a migration this code does not have (made by a newer Glimpse:
 *   upgrade first); an older one is fine, the server migrates it at start;
 * - a backup without its database (made on PostgreSQL) for an instance on SQLite, and one with a
 *   SQLite database for an instance on PostgreSQL;
 * - media files for an instance whose media are in S3 (copy them to the bucket instead).
 *
 * On PostgreSQL the database is restored with pg_restore (README, "Backups"); this restores the
 * media and the secret.
 */
export async function restore(config: Config, dir: string, say: Say): Promise<number> {
  const source = path.resolve(dir);
  let manifest;
  try {
    manifest = await readManifest(source);
  } catch (error) {
    say(`restore refused: ${(error as Error).message}`);
    return 1;
  }
  const known = new Set(knownMigrations());
  const unknown = manifest.database.migrations.filter((name) => !known.has(name));
  if (unknown.length > 0) {
    say(`restore refused: the backup's database is at migration ${manifest.database.migrationLevel}, newer than this code (it does not know ${unknown.join(', ')}); upgrade Glimpse to ${manifest.glimpseVersion} or later first`);
    return 1;
  }
  const postgres = isPostgres(config);
  if (manifest.database.dialect === 'sqlite' && postgres) {
    say('restore refused: the backup holds a SQLite database, but GLIMPSE_DATABASE_URL names PostgreSQL (unset it to restore the embedded database)');
    return 1;
  }
  if (manifest.database.dialect === 'postgres' && !postgres) {
    say('restore refused: the backup was made on PostgreSQL and holds no database (restore the pg_dump with pg_restore, and set GLIMPSE_DATABASE_URL)');
    return 1;
  }
  if (manifest.media.included && config.storage.kind === 's3') {
    say(`restore refused: the backup holds media files for local storage, but GLIMPSE_STORAGE=s3 (copy ${path.join(source, MEDIA_FOLDER)} to the bucket, e.g. \`aws s3 sync ${path.join(source, MEDIA_FOLDER)} s3://${config.storage.bucket}\`, and restore with GLIMPSE_STORAGE unset for the database only)`);
    return 1;
  }
  if (!(await isEmptyOrMissing(config.dataDir))) {
    say(`restore refused: the data folder ${config.dataDir} is not empty (GLIMPSE_DATA_DIR must name a new or empty folder)`);
    return 1;
  }
  const sqliteFile = sqliteFileOf(config);
  if (!postgres && fs.existsSync(sqliteFile)) {
    say(`restore refused: there is already a database at ${sqliteFile}`);
    return 1;
  }

  await fsp.mkdir(config.dataDir, { recursive: true });
  if (manifest.database.included) {
    const from = path.join(source, DATABASE_FILE);
    const check = integrityOf(from);
    if (check !== 'ok') {
      say(`restore refused: the backup's database failed its integrity check: ${check}`);
      return 1;
    }
    await fsp.mkdir(path.dirname(sqliteFile), { recursive: true });
    await copyFileDurably(from, sqliteFile, 0o640);
    say(`database: SQLite, ${formatBytes(fs.statSync(sqliteFile).size)}, migration level ${manifest.database.migrationLevel} (the server migrates it to this code's level at start)`);
  } else {
    say(`database: PostgreSQL, not in the backup: restore its pg_dump with pg_restore (README, "Backups"); it must be at migration ${manifest.database.migrationLevel}`);
  }
  if (manifest.media.included) {
    const copied = await copyMediaFiles(path.join(source, MEDIA_FOLDER), path.join(config.dataDir, MEDIA_FOLDER));
    say(`media: ${copied.files} files, ${formatBytes(copied.bytes)} restored${copied.files !== manifest.media.files ? ` (the manifest lists ${manifest.media.files})` : ''}`);
  } else {
    say(`media: in the S3 bucket, not in the backup; restore the bucket with the store's own tools`);
  }
  if (manifest.secret) {
    if (config.secret) say('secret: GLIMPSE_SECRET is set, so the backup\'s secret file is not used; restored anyway');
    await copyFileDurably(path.join(source, SECRET_FILE), path.join(config.dataDir, SECRET_FILE), 0o600);
  }
  say(`restored ${source} (made ${manifest.createdAt} by Glimpse ${manifest.glimpseVersion}) into ${config.dataDir}`);
  return 0;
}

function integrityOf(file: string): string {
  let db: BetterSqlite3.Database;
  try {
    db = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
  } catch (error) {
    return (error as Error).message;
  }
  try {
    return (db.pragma('integrity_check') as Array<{ integrity_check: string }>).map((r) => r.integrity_check).join('; ');
  } finally {
    db.close();
  }
}
