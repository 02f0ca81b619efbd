import crypto from 'node:crypto';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { S3Client } from '@aws-sdk/client-s3';
import type { StorageConfig } from '../../config.ts';
import { AppError } from '../../errors.ts';
import { LocalDiskStorage, assertSafeSegment } from './local-disk-storage.ts';
import type { MediaStorage, StoredFile } from './media-storage.ts';

export type S3StorageConfig = Extract<StorageConfig, { kind: 's3' }>;

/** The storage GLIMPSE_STORAGE selects: local disk (the default) or an S3-compatible bucket. */
export function mediaStorageFor(storage: StorageConfig, dataDir: string): MediaStorage {
  return storage.kind === 's3' ? new S3Storage(storage, dataDir) : new LocalDiskStorage(dataDir);
}

type Sdk = typeof import('@aws-sdk/client-s3');

/** Attempts at streaming one received upload to the bucket. */
const PUT_FILE_ATTEMPTS = 3;

/**
 * The bucket could not be reached or refused a request (network, 5xx, credentials): the
 * request that needed it answers 503, never a 500; the SDK's error is kept as the cause.
 */
export class StorageUnavailableError extends AppError {
  constructor(cause: unknown) {
    super(503, 'Media storage is unavailable, try again in a moment');
    this.cause = cause;
  }
}

/**
 * Media in an S3-compatible bucket, as objects `<key>/<name>` (the same two safe segments as on
 * local disk). A put is durable when it resolves: S3 answers a PutObject only once the object
 * is stored. Uploads are still received on local disk (`<dataDir>/media/.incoming/`, bounded
 * and typed by the HTTP layer as today) and `putFile` streams the received file to the bucket
 * with its known length (one PutObject of at most 16 MiB, so no multipart), then removes it.
 *
 * Files are served through the app (`GET /media/...` streams `stream()`), so the bucket stays
 * private and every access check applies as on local disk (docs/architecture.md, Media).
 *
 * The SDK is loaded on first use, so the embedded default never loads it.
 */
export class S3Storage implements MediaStorage {
  readonly incomingDir: string;
  private client?: Promise<{ sdk: Sdk; s3: S3Client }>;

  constructor(
    private readonly config: S3StorageConfig,
    dataDir: string,
  ) {
    this.incomingDir = path.join(path.resolve(dataDir), 'media', '.incoming');
  }

  private connect(): Promise<{ sdk: Sdk; s3: S3Client }> {
    this.client ??= import('@aws-sdk/client-s3').then((sdk) => ({
      sdk,
      s3: new sdk.S3Client({
        region: this.config.region,
        ...(this.config.endpoint ? { endpoint: this.config.endpoint } : {}),
        forcePathStyle: this.config.forcePathStyle,
        credentials: { accessKeyId: this.config.accessKeyId, secretAccessKey: this.config.secretAccessKey },
        // Checksums only where S3 requires them: many S3-compatible stores do not accept the
        // SDK's default trailing checksums (aws-chunked bodies).
        requestChecksumCalculation: 'WHEN_REQUIRED',
        responseChecksumValidation: 'WHEN_REQUIRED',
        // Failures reach the caller as StorageUnavailableError; the SDK prints nothing itself.
        logger: { debug() {}, info() {}, warn() {}, error() {} },
      }),
    }));
    return this.client;
  }

  /** Closes the client's connections (tests; a process that ends need not). */
  async close(): Promise<void> {
    if (!this.client) return;
    (await this.client).s3.destroy();
    this.client = undefined;
  }

  private objectKey(key: string, name: string): string {
    assertSafeSegment('key', key);
    assertSafeSegment('name', name);
    return `${key}/${name}`;
  }

  async put(key: string, name: string, data: Buffer): Promise<void> {
    const Key = this.objectKey(key, name);
    const { sdk, s3 } = await this.connect();
    await s3.send(new sdk.PutObjectCommand({ Bucket: this.config.bucket, Key, Body: data, ContentLength: data.length })).catch(unavailable);
  }

  async incomingFile(): Promise<string> {
    await fsp.mkdir(this.incomingDir, { recursive: true });
    return path.join(this.incomingDir, `upload-${crypto.randomBytes(12).toString('hex')}`);
  }

  /** Streams the received file to the bucket with its length, then removes it; on failure it stays for the caller to remove. */
  async putFile(key: string, name: string, file: string): Promise<void> {
    if (path.dirname(path.resolve(file)) !== this.incomingDir) throw new Error(`not a received upload: ${JSON.stringify(file)}`);
    const Key = this.objectKey(key, name);
    const { sdk, s3 } = await this.connect();
    // The SDK cannot retry a streamed body, so a failed attempt streams the file again.
    for (let attempt = 1; ; attempt += 1) {
      const handle = await fsp.open(file, 'r');
      try {
        const { size } = await handle.stat();
        const body = handle.createReadStream({ autoClose: false });
        await s3.send(new sdk.PutObjectCommand({ Bucket: this.config.bucket, Key, Body: body, ContentLength: size }));
        break;
      } catch (error) {
        if (attempt >= PUT_FILE_ATTEMPTS) unavailable(error);
      } finally {
        await handle.close();
      }
    }
    await fsp.rm(file, { force: true });
  }

  async removeStaleIncoming(ageMs: number): Promise<number> {
    let names: string[];
    try {
      names = await fsp.readdir(this.incomingDir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException)?.code === 'ENOENT') return 0;
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
    const found = await this.stream(key, name);
    if (!found) return undefined;
    const chunks: Buffer[] = [];
    try {
      for await (const chunk of found.stream) chunks.push(chunk as Buffer);
    } catch (error) {
      unavailable(error);
    }
    return Buffer.concat(chunks);
  }

  async stream(key: string, name: string): Promise<{ stream: Readable; size: number } | undefined> {
    const Key = this.objectKey(key, name);
    const { sdk, s3 } = await this.connect();
    try {
      const answer = await s3.send(new sdk.GetObjectCommand({ Bucket: this.config.bucket, Key }));
      if (!(answer.Body instanceof Readable)) throw new Error('S3 GetObject answered without a stream body');
      return { stream: answer.Body, size: Number(answer.ContentLength ?? 0) };
    } catch (error) {
      if (isMissing(error)) return undefined;
      return unavailable(error);
    }
  }

  async exists(key: string, name: string): Promise<boolean> {
    const Key = this.objectKey(key, name);
    const { sdk, s3 } = await this.connect();
    try {
      await s3.send(new sdk.HeadObjectCommand({ Bucket: this.config.bucket, Key }));
      return true;
    } catch (error) {
      if (isMissing(error)) return false;
      return unavailable(error);
    }
  }

  async remove(key: string, name?: string): Promise<void> {
    const { sdk, s3 } = await this.connect();
    if (name !== undefined) {
      await s3.send(new sdk.DeleteObjectCommand({ Bucket: this.config.bucket, Key: this.objectKey(key, name) })).catch(unavailable);
      return;
    }
    assertSafeSegment('key', key);
    // A key's objects: a handful of sizes, listed and deleted one by one (DeleteObject is
    // supported by every S3-compatible store; DeleteObjects needs checksums some lack).
    let token: string | undefined;
    do {
      const page = await s3.send(new sdk.ListObjectsV2Command({ Bucket: this.config.bucket, Prefix: `${key}/`, ContinuationToken: token })).catch(unavailable);
      for (const object of page.Contents ?? []) {
        if (object.Key) await s3.send(new sdk.DeleteObjectCommand({ Bucket: this.config.bucket, Key: object.Key })).catch(unavailable);
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  /** Every object of the bucket named like ours (`<key>/<name>`), a page of 1,000 at a time. */
  async *list(): AsyncIterable<StoredFile> {
    const { sdk, s3 } = await this.connect();
    let token: string | undefined;
    do {
      const page = await s3.send(new sdk.ListObjectsV2Command({ Bucket: this.config.bucket, ContinuationToken: token })).catch(unavailable);
      for (const object of page.Contents ?? []) {
        const [key, name, ...rest] = (object.Key ?? '').split('/');
        if (!key || !name || rest.length > 0) continue;
        yield { key, name, bytes: object.Size ?? 0 };
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }
}

function unavailable(error: unknown): never {
  throw new StorageUnavailableError(error);
}

function isMissing(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e?.name === 'NoSuchKey' || e?.name === 'NotFound' || e?.$metadata?.httpStatusCode === 404;
}
