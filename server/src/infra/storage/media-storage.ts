import type { Readable } from 'node:stream';

/**
 * Where image bytes live. Local disk is the default (local-disk-storage.ts); an S3-compatible
 * bucket is s3-storage.ts (GLIMPSE_STORAGE=s3, chosen by `mediaStorageFor`).
 *
 * Uploads arrive as files: the HTTP layer streams each one into a fresh path from
 * `incomingFile()` (on local disk, always: an S3 adapter gives a local temporary folder too)
 * and, once the file is checked, `putFile` stores it and takes it away (local disk renames it
 * into place; the S3 adapter streams it to the bucket with its length and deletes it).
 */
export interface MediaStorage {
  /** Stores the bytes durably: when this resolves, they survive a crash (written, fsynced, renamed). */
  put(key: string, name: string, data: Buffer): Promise<void>;
  /** A fresh path, on local disk, to receive an upload into; never served. The caller removes it if it is not stored. */
  incomingFile(): Promise<string>;
  /** Stores a file received at an `incomingFile()` path as durably as `put`; the file is gone from there afterwards. */
  putFile(key: string, name: string, file: string): Promise<void>;
  /** Removes received files older than `ageMs` (left by a crash mid-upload). Returns how many. */
  removeStaleIncoming(ageMs: number): Promise<number>;
  /** The bytes, or undefined if missing. */
  read(key: string, name: string): Promise<Buffer | undefined>;
  /** A stream for serving, or undefined if missing. */
  stream(key: string, name: string): Promise<{ stream: Readable; size: number } | undefined>;
  /** Whether the file is stored (a HEAD on S3). */
  exists(key: string, name: string): Promise<boolean>;
  remove(key: string, name?: string): Promise<void>;
  /** Every stored file, `<key>/<name>` with its size, in no set order (`admin media`); never uploads being received or half-written files. */
  list(): AsyncIterable<StoredFile>;
}

export interface StoredFile {
  key: string;
  name: string;
  bytes: number;
}
