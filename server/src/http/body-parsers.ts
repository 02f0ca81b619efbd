import fs from 'node:fs';
import fsp from 'node:fs/promises';
import { Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import formBody from '@fastify/formbody';
import multipart, { type MultipartFile } from '@fastify/multipart';
import qs from 'qs';
import { AppError, unprocessable } from '../errors.ts';
import { HEAD_BYTES, type UploadReceiver } from '../domain/media/media-service.ts';
import { MEDIA_LIMITS } from '../domain/media/media.ts';

/**
 * A file received from a multipart body: streamed to disk as it arrived, never held in memory.
 * A class, so nothing parsed from JSON or a form can pass for one.
 */
export class UploadedFile {
  constructor(
    readonly path: string,
    readonly size: number,
  ) {}
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The file fields a route takes, read by `receiveUploads`; multipart bodies elsewhere may hold text fields only. */
    uploads?: readonly string[];
  }
}

export const MAX_UPLOAD_BYTES = MEDIA_LIMITS.bytes;

// Mastodon clients send arrays as `media_ids[]=1&media_ids[]=2` and hashes as `source[note]=`.
const QS_OPTIONS: qs.IParseOptions = { depth: 3, arrayLimit: 100, parameterLimit: 1000 };

export function parseQueryString(query: string): Record<string, unknown> {
  return qs.parse(query, QS_OPTIONS) as Record<string, unknown>;
}

/** JSON bodies nest at most this deep: Mastodon's bodies need four or five levels. */
export const MAX_JSON_DEPTH = 32;

/**
 * Fastify's own JSON parser (with its __proto__ and constructor checks) behind a nesting
 * bound: a body nested thousands of levels deep overflows the stack of any code that walks it
 * recursively, so it is refused before it is parsed.
 */
function registerJsonParser(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (nestsDeeperThan(body as string, MAX_JSON_DEPTH)) return done(new AppError(400, `Body nested deeper than ${MAX_JSON_DEPTH} levels`), undefined);
    parseJson(request, body as string, done);
  });
}

/** Whether the brackets of a JSON text, outside its strings, nest deeper than `max`. One pass. */
function nestsDeeperThan(json: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < json.length; i++) {
    const c = json.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // a backslash escapes the next character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

/** Bounds of one multipart body: every part, field and file is bounded. */
const MULTIPART_LIMITS = { parts: 210, fields: 200, fieldSize: 64 * 1024, headerPairs: 20, files: 2, fileSize: MAX_UPLOAD_BYTES };
const MAX_FIELD_NAME = 100;
/** The text fields of one multipart body together, as the JSON and form bodies are bounded. */
const MAX_FIELD_BYTES = 1024 * 1024;
const FILE_TOO_LARGE = `File is too large (maximum is ${MAX_UPLOAD_BYTES / 1024 / 1024} MiB)`;

/**
 * Bodies as Mastodon accepts them: JSON (Fastify's own parser), form-urlencoded and
 * multipart. Multipart fields become the same nested object a form would give. Routes that
 * take files (`config.uploads`) read their bodies with `receiveUploads`, after authentication;
 * anywhere else a multipart body may hold text fields only, read before validation as JSON and
 * forms are.
 */
export async function registerBodyParsers(app: FastifyInstance): Promise<void> {
  registerJsonParser(app);
  await app.register(formBody, { parser: (body) => parseQueryString(body), bodyLimit: 1024 * 1024 });
  await app.register(multipart, { limits: MULTIPART_LIMITS, throwFileSizeLimit: true });
  app.addHook('preValidation', async (request: FastifyRequest) => {
    if (!request.isMultipart() || request.routeOptions.config?.uploads) return;
    request.body = await readMultipart(request);
  });
}

/**
 * The body of a route that takes files (its `config.uploads` names the fields). A multipart
 * body is read only once `start()` has given the request an upload slot (it throws 429
 * otherwise): text fields as a form would give them, each named file streamed to a file on disk
 * (at most 16 MiB, its type checked from its first bytes), other files drained unread. `use`
 * gets the body; when it ends, every received file it did not store is removed and the slot is
 * freed, whatever happened (a refusal, an error, a client gone mid-upload). A body that is not
 * multipart is handed over as parsed.
 */
export async function receiveUploads<T>(request: FastifyRequest, start: () => UploadReceiver, use: (body: Record<string, unknown>) => Promise<T>): Promise<T> {
  if (!request.isMultipart()) return use((request.body ?? {}) as Record<string, unknown>);
  const fields = request.routeOptions.config?.uploads ?? [];
  // A body declared larger than its files and fields could be is refused before it is read.
  if (Number(request.headers['content-length']) > fields.length * MAX_UPLOAD_BYTES + MAX_FIELD_BYTES + 64 * 1024) throw new AppError(413, FILE_TOO_LARGE);
  const receiver = start();
  const received: string[] = [];
  try {
    return await use(await readMultipart(request, { fields, receiver, received }));
  } finally {
    await Promise.all(received.map((file) => fsp.rm(file, { force: true })));
    receiver.release();
  }
}

interface FileSink {
  fields: readonly string[];
  receiver: UploadReceiver;
  /** Every path written to, for removal when the request ends. */
  received: string[];
}

/** A multipart body as a form would give it, plus the files `sink` takes; without a sink no file is allowed. */
async function readMultipart(request: FastifyRequest, sink?: FileSink): Promise<Record<string, unknown>> {
  const pairs: string[] = [];
  const files: Record<string, UploadedFile> = {};
  let fieldBytes = 0;
  try {
    for await (const part of request.parts(sink ? {} : { limits: { files: 0 } })) {
      // busboy does not bound multipart field names itself.
      if (part.fieldname.length > MAX_FIELD_NAME) throw unprocessable(`Validation failed: a field name is too long (maximum is ${MAX_FIELD_NAME} characters)`);
      if (part.type === 'file') {
        if (sink?.fields.includes(part.fieldname) && !files[part.fieldname]) files[part.fieldname] = await receiveFile(part, sink);
        else await pipeline(part.file, new Writable({ write: (_chunk, _encoding, done) => done() }));
        continue;
      }
      if (part.valueTruncated) throw unprocessable(`Validation failed: ${part.fieldname} is too long (maximum is ${MULTIPART_LIMITS.fieldSize / 1024} KiB)`);
      const value = typeof part.value === 'string' ? part.value : JSON.stringify(part.value);
      fieldBytes += part.fieldname.length + value.length;
      if (fieldBytes > MAX_FIELD_BYTES) throw new AppError(413, 'Request entity too large');
      pairs.push(`${encodeURIComponent(part.fieldname)}=${encodeURIComponent(value)}`);
    }
  } catch (error) {
    throw multipartError(error, Boolean(sink));
  }
  return { ...parseQueryString(pairs.join('&')), ...files };
}

/**
 * Streams one file part to a new file, counting its bytes and checking its first ones on the
 * way: a file that is not an accepted image is refused once its first 4,100 bytes are in, with
 * at most one chunk of it written.
 */
async function receiveFile(part: MultipartFile, sink: FileSink): Promise<UploadedFile> {
  const { receiver } = sink;
  const file = await receiver.newFile();
  sink.received.push(file);
  let size = 0;
  let head: Buffer[] | undefined = [];
  const checkHead = async () => {
    const bytes = Buffer.concat(head ?? []);
    head = undefined;
    await receiver.checkHead(bytes);
  };
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      size += chunk.length;
      if (size > receiver.maxBytes) return done(new AppError(413, FILE_TOO_LARGE));
      if (!head) return done(null, chunk);
      head.push(chunk);
      if (size < HEAD_BYTES) return done(null, chunk);
      checkHead().then(() => done(null, chunk), done);
    },
    flush(done) {
      if (!head) return done();
      checkHead().then(() => done(), done);
    },
  });
  await pipeline(part.file, counter, fs.createWriteStream(file, { flags: 'wx', mode: 0o640 }));
  if (part.file.truncated) throw new AppError(413, FILE_TOO_LARGE);
  return new UploadedFile(file, size);
}

/** A failure while reading a multipart body, in the Mastodon shape: 413 or 422 for a bound, 400 for a malformed body. */
function multipartError(error: unknown, takesFiles: boolean): unknown {
  if (error instanceof AppError) return error;
  // Disk errors (no space, permissions) are the server's, not the client's: they stay 500s.
  if ((error as NodeJS.ErrnoException)?.syscall) return error;
  switch ((error as { code?: string })?.code) {
    case 'FST_REQ_FILE_TOO_LARGE':
      return new AppError(413, FILE_TOO_LARGE);
    case 'FST_FILES_LIMIT':
      return unprocessable(takesFiles ? `Validation failed: too many files (maximum is ${MULTIPART_LIMITS.files})` : 'Validation failed: this endpoint takes no files');
    case 'FST_FIELDS_LIMIT':
      return unprocessable(`Validation failed: too many fields (maximum is ${MULTIPART_LIMITS.fields})`);
    case 'FST_PARTS_LIMIT':
      return unprocessable(`Validation failed: too many parts (maximum is ${MULTIPART_LIMITS.parts})`);
    case 'FST_INVALID_JSON_FIELD_ERROR':
      return unprocessable('Validation failed: a field labelled JSON is not valid JSON');
    default:
      // No boundary, truncated, malformed part headers, a prototype name, the client gone.
      return new AppError(400, 'Malformed multipart body');
  }
}

export function isUploadedFile(value: unknown): value is UploadedFile {
  return value instanceof UploadedFile;
}
