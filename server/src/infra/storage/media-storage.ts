import type { Readable } from 'node:stream';

/**
 * Where image bytes live. Local disk is the default (local-disk-storage.ts); an
 * S3-compatible store can implement the same interface later.
 */
export interface MediaStorage {
  /** Stores the bytes durably: when this resolves, they survive a crash (written, fsynced, renamed). */
  put(key: string, name: string, data: Buffer): Promise<void>;
  /** The bytes, or undefined if missing. */
  read(key: string, name: string): Promise<Buffer | undefined>;
  /** A stream for serving, or undefined if missing. */
  stream(key: string, name: string): Promise<{ stream: Readable; size: number } | undefined>;
  remove(key: string, name?: string): Promise<void>;
}
