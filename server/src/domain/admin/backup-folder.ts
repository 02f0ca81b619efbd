import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../../config.ts';

/**
 * What `backup` writes and `restore` reads: a folder holding `manifest.json`, the SQLite
 * database as `glimpse.sqlite` (SQLite only), the media files under `media/` (local storage
 * only) and the server secret as `secret` (when it is kept in the data folder).
 * `manifest.json` is written last, so a folder without one is not a complete backup.
 */
export const MANIFEST_FILE = 'manifest.json';
export const DATABASE_FILE = 'glimpse.sqlite';
export const MEDIA_FOLDER = 'media';
export const SECRET_FILE = 'secret';

export interface BackupManifest {
  format: 'glimpse-backup';
  formatVersion: 1;
  /** The Glimpse version that wrote it. */
  glimpseVersion: string;
  createdAt: string;
  database: {
    dialect: 'sqlite' | 'postgres';
    /** SQLite: the database is in the backup (`glimpse.sqlite`); PostgreSQL: it is not (pg_dump). */
    included: boolean;
    bytes: number;
    /** The migrations the database had run, in order; the last is its schema level. */
    migrations: string[];
    migrationLevel: string;
  };
  media: {
    storage: 'local' | 's3';
    /** Local storage: the files are in `media/`; S3: the bucket is not copied. */
    included: boolean;
    files: number;
    bytes: number;
  };
  /** The data folder's `secret` file is in the backup (absent when GLIMPSE_SECRET is set). */
  secret: boolean;
}

export function glimpseVersion(): string {
  try {
    const file = path.join(import.meta.dirname, '../../../../package.json');
    return String((JSON.parse(fs.readFileSync(file, 'utf8')) as { version?: unknown }).version ?? 'unknown');
  } catch {
    return 'unknown';
  }
}

/** The SQLite file the settings name: GLIMPSE_DATABASE_URL when it is a path, else `<dataDir>/glimpse.sqlite`. */
export function sqliteFileOf(config: Config): string {
  return config.databaseUrl ? path.resolve(config.databaseUrl) : path.join(config.dataDir, DATABASE_FILE);
}

export function isPostgres(config: Config): boolean {
  return /^postgres(ql)?:\/\//.test(config.databaseUrl);
}

/** True when `dir` does not exist or holds nothing. */
export async function isEmptyOrMissing(dir: string): Promise<boolean> {
  try {
    return (await fsp.readdir(dir)).length === 0;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return true;
    throw error;
  }
}

/**
 * The media files under `root`, as paths relative to it: `<key>/<name>`. Names starting with a
 * dot are never media (`.incoming/` uploads being received, `.tmp-*` half-written files).
 */
export async function listMediaFiles(root: string): Promise<Array<{ relative: string; bytes: number }>> {
  const found: Array<{ relative: string; bytes: number }> = [];
  let keys: fs.Dirent[];
  try {
    keys = await fsp.readdir(root, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return found;
    throw error;
  }
  for (const key of keys) {
    if (!key.isDirectory() || key.name.startsWith('.')) continue;
    let names: fs.Dirent[];
    try {
      names = await fsp.readdir(path.join(root, key.name), { withFileTypes: true });
    } catch (error) {
      // Removed meanwhile (a post deleted while the backup runs).
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw error;
    }
    for (const name of names) {
      if (!name.isFile() || name.name.startsWith('.')) continue;
      const stat = await fsp.stat(path.join(root, key.name, name.name)).catch(() => undefined);
      if (stat) found.push({ relative: `${key.name}/${name.name}`, bytes: stat.size });
    }
  }
  return found;
}

/**
 * Copies the media files under `from` to `to`, each fsynced (and its folder), a few at a
 * time. A file that is gone by the time it is copied (removed meanwhile) is skipped. Answers
 * what was copied.
 */
export async function copyMediaFiles(from: string, to: string): Promise<{ files: number; bytes: number; skipped: number }> {
  const files = await listMediaFiles(from);
  const folders = new Set<string>();
  let copied = 0;
  let bytes = 0;
  let skipped = 0;
  let next = 0;
  const worker = async () => {
    while (next < files.length) {
      const file = files[next++];
      const target = path.join(to, file.relative);
      const folder = path.dirname(target);
      if (!folders.has(folder)) {
        await fsp.mkdir(folder, { recursive: true });
        folders.add(folder);
      }
      try {
        await fsp.copyFile(path.join(from, file.relative), target, fs.constants.COPYFILE_EXCL);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
          skipped += 1;
          continue;
        }
        throw error;
      }
      await fsyncPath(target);
      // Read before adding: `bytes += await …` would add to the value read before the await.
      const { size } = await fsp.stat(target);
      copied += 1;
      bytes += size;
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  for (const folder of folders) await fsyncPath(folder).catch(() => undefined);
  if (folders.size > 0) await fsyncPath(to).catch(() => undefined);
  return { files: copied, bytes, skipped };
}

/** Copies one file durably: to a temporary name beside the target, fsynced, renamed, folder fsynced. */
export async function copyFileDurably(from: string, to: string, mode?: number): Promise<void> {
  const temp = `${to}.partial`;
  await fsp.copyFile(from, temp);
  if (mode !== undefined) await fsp.chmod(temp, mode);
  await fsyncPath(temp);
  await fsp.rename(temp, to);
  await fsyncPath(path.dirname(to)).catch(() => undefined);
}

/** Writes text durably (temporary file, fsync, rename, folder fsync). */
export async function writeFileDurably(file: string, text: string, mode = 0o644): Promise<void> {
  const temp = `${file}.partial`;
  const handle = await fsp.open(temp, 'w', mode);
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await fsp.rename(temp, file);
  await fsyncPath(path.dirname(file)).catch(() => undefined);
}

export async function fsyncPath(file: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await fsp.open(file, fs.constants.O_RDONLY);
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Reads and checks a backup's manifest; throws a one-line reason when it is not one. */
export async function readManifest(dir: string): Promise<BackupManifest> {
  let text: string;
  try {
    text = await fsp.readFile(path.join(dir, MANIFEST_FILE), 'utf8');
  } catch {
    throw new Error(`${dir} holds no ${MANIFEST_FILE}: not a complete Glimpse backup`);
  }
  let manifest: BackupManifest;
  try {
    manifest = JSON.parse(text) as BackupManifest;
  } catch {
    throw new Error(`${path.join(dir, MANIFEST_FILE)} is not JSON`);
  }
  if (manifest?.format !== 'glimpse-backup' || manifest.formatVersion !== 1 || !manifest.database || !Array.isArray(manifest.database.migrations) || !manifest.media) {
    throw new Error(`${path.join(dir, MANIFEST_FILE)} is not a Glimpse backup manifest (format 1)`);
  }
  return manifest;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}
