import crypto from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { MediaStorage, StoredFile } from './media-storage.ts';

/**
 * Keys and names are ours (a random storage key, a variant name such as `w1080.jpg`), never a
 * user's file name, so this pattern is a guard, not a sanitiser: anything else is refused,
 * and `.`/`..` (or a hidden `.tmp-*` file) can never be a path segment.
 */
const SAFE_SEGMENT = /^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,127}$/;

export function assertSafeSegment(kind: 'key' | 'name', value: string): void {
  if (!SAFE_SEGMENT.test(value) || value.includes('..')) throw new Error(`unsafe media storage ${kind}: ${JSON.stringify(value)}`);
}

/**
 * Media on local disk under `<dataDir>/media/<key>/<name>`. A put is durable when it resolves:
 * the bytes go to a temporary file in the same folder, which is fsynced, renamed over the
 * final name and then the folder itself is fsynced (so the rename survives a crash too). A
 * crash before the rename leaves only a `.tmp-*` file that is never served.
 *
 * Uploads are received into `<dataDir>/media/.incoming/` (the same file system, so storing one
 * is a rename; a dot name is never a storage key, so nothing there is ever served).
 */
export class LocalDiskStorage implements MediaStorage {
  readonly root: string;
  readonly incomingDir: string;

  constructor(dataDir: string) {
    this.root = path.join(path.resolve(dataDir), 'media');
    this.incomingDir = path.join(this.root, '.incoming');
  }

  private folder(key: string): string {
    assertSafeSegment('key', key);
    return path.join(this.root, key);
  }

  private file(key: string, name: string): string {
    assertSafeSegment('name', name);
    return path.join(this.folder(key), name);
  }

  /** Creates a key's folder; a new one is an entry in media/ (and media/ one in dataDir): made durable too. */
  private async makeFolder(folder: string): Promise<void> {
    const created = await fsp.mkdir(folder, { recursive: true });
    if (created) await fsyncDirectory(path.dirname(folder)).catch(() => undefined);
  }

  async put(key: string, name: string, data: Buffer): Promise<void> {
    const target = this.file(key, name);
    const folder = path.dirname(target);
    await this.makeFolder(folder);
    const temp = path.join(folder, `.tmp-${crypto.randomBytes(8).toString('hex')}`);
    const handle = await fsp.open(temp, 'wx', 0o640);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } catch (error) {
      await handle.close().catch(() => undefined);
      await fsp.rm(temp, { force: true });
      throw error;
    }
    await handle.close();
    try {
      await fsp.rename(temp, target);
    } catch (error) {
      await fsp.rm(temp, { force: true });
      throw error;
    }
    await fsyncDirectory(folder);
  }

  async incomingFile(): Promise<string> {
    await fsp.mkdir(this.incomingDir, { recursive: true });
    return path.join(this.incomingDir, `upload-${crypto.randomBytes(12).toString('hex')}`);
  }

  /** fsync the received file, rename it into place, fsync the folder; on failure it stays for the caller to remove. */
  async putFile(key: string, name: string, file: string): Promise<void> {
    if (path.dirname(path.resolve(file)) !== this.incomingDir) throw new Error(`not a received upload: ${JSON.stringify(file)}`);
    const target = this.file(key, name);
    const folder = path.dirname(target);
    await this.makeFolder(folder);
    const handle = await fsp.open(file, 'r+');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fsp.rename(file, target);
    await fsyncDirectory(folder);
  }

  async removeStaleIncoming(ageMs: number): Promise<number> {
    let names: string[];
    try {
      names = await fsp.readdir(this.incomingDir);
    } catch (error) {
      if (isMissing(error)) return 0;
      throw error;
    }
    let removed = 0;
    for (const name of names) {
      const file = path.join(this.incomingDir, name);
      const stat = await fsp.stat(file).catch(() => undefined);
      if (!stat || Date.now() - stat.mtimeMs < ageMs) continue;
      await fsp.rm(file, { force: true });
      removed += 1;
    }
    return removed;
  }

  async read(key: string, name: string): Promise<Buffer | undefined> {
    try {
      return await fsp.readFile(this.file(key, name));
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  async stream(key: string, name: string): Promise<{ stream: Readable; size: number } | undefined> {
    const file = this.file(key, name);
    let handle: fsp.FileHandle;
    try {
      handle = await fsp.open(file, 'r');
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
    const stat = await handle.stat();
    if (!stat.isFile()) {
      await handle.close();
      return undefined;
    }
    // The stream owns the handle and closes it when done or destroyed.
    return { stream: handle.createReadStream({ autoClose: true }), size: stat.size };
  }

  async exists(key: string, name: string): Promise<boolean> {
    const stat = await fsp.stat(this.file(key, name)).catch(() => undefined);
    return stat?.isFile() ?? false;
  }

  async remove(key: string, name?: string): Promise<void> {
    if (name === undefined) {
      await fsp.rm(this.folder(key), { recursive: true, force: true });
      await fsyncDirectory(this.root).catch(() => undefined);
      return;
    }
    await fsp.rm(this.file(key, name), { force: true });
  }

  async *list(): AsyncIterable<StoredFile> {
    let keys: fs.Dirent[];
    try {
      keys = await fsp.readdir(this.root, { withFileTypes: true });
    } catch (error) {
      if (isMissing(error)) return;
      throw error;
    }
    for (const key of keys) {
      // `.incoming` and anything else that is not a storage key is never media.
      if (!key.isDirectory() || !SAFE_SEGMENT.test(key.name)) continue;
      const names = await fsp.readdir(path.join(this.root, key.name), { withFileTypes: true }).catch(() => [] as fs.Dirent[]);
      for (const name of names) {
        if (!name.isFile() || !SAFE_SEGMENT.test(name.name)) continue;
        const stat = await fsp.stat(path.join(this.root, key.name, name.name)).catch(() => undefined);
        if (stat) yield { key: key.name, name: name.name, bytes: stat.size };
      }
    }
  }
}

async function fsyncDirectory(dir: string): Promise<void> {
  // Directories can be opened read-only and fsynced on Linux and macOS; Windows refuses, and
  // there the rename is as durable as the platform makes it.
  if (process.platform === 'win32') return;
  const handle = await fsp.open(dir, fs.constants.O_RDONLY);
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}
