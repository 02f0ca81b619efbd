import type { FastifyInstance, FastifyRequest } from 'fastify';
import formBody from '@fastify/formbody';
import multipart, { type MultipartFile, type MultipartValue } from '@fastify/multipart';
import qs from 'qs';

/** An uploaded file after multipart parsing, held in memory within the upload limit. */
export interface UploadedFile {
  filename: string;
  mimetype: string;
  data: Buffer;
}

export const MAX_UPLOAD_BYTES = 16 * 1024 * 1024;

// Mastodon clients send arrays as `media_ids[]=1&media_ids[]=2` and hashes as `source[note]=`.
const QS_OPTIONS: qs.IParseOptions = { depth: 3, arrayLimit: 100, parameterLimit: 1000 };

export function parseQueryString(query: string): Record<string, unknown> {
  return qs.parse(query, QS_OPTIONS) as Record<string, unknown>;
}

/**
 * Bodies as Mastodon accepts them: JSON (Fastify's own parser), form-urlencoded and
 * multipart. Multipart fields become the same nested object a form would give; files stay
 * files, read into memory only up to the upload limit.
 */
export async function registerBodyParsers(app: FastifyInstance): Promise<void> {
  await app.register(formBody, { parser: (body) => parseQueryString(body), bodyLimit: 1024 * 1024 });
  await app.register(multipart, {
    attachFieldsToBody: true,
    limits: { fileSize: MAX_UPLOAD_BYTES, files: 2, fields: 200, fieldSize: 64 * 1024, parts: 210 },
    throwFileSizeLimit: true,
  });
  app.addHook('preValidation', async (request: FastifyRequest) => {
    if (!request.isMultipart()) return;
    request.body = await normaliseMultipart(request.body as Record<string, unknown>);
  });
}

async function normaliseMultipart(body: Record<string, unknown>): Promise<Record<string, unknown>> {
  const pairs: string[] = [];
  const files: Record<string, UploadedFile> = {};
  for (const [key, raw] of Object.entries(body ?? {})) {
    const parts = Array.isArray(raw) ? raw : [raw];
    for (const part of parts as Array<MultipartFile | MultipartValue>) {
      if (part && (part as MultipartFile).type === 'file') {
        const file = part as MultipartFile;
        files[key] = { filename: file.filename, mimetype: file.mimetype, data: await file.toBuffer() };
      } else if (part && (part as MultipartValue).type === 'field') {
        pairs.push(`${encodeURIComponent(key)}=${encodeURIComponent(String((part as MultipartValue).value))}`);
      }
    }
  }
  return { ...parseQueryString(pairs.join('&')), ...files };
}

export function isUploadedFile(value: unknown): value is UploadedFile {
  return typeof value === 'object' && value !== null && Buffer.isBuffer((value as UploadedFile).data);
}
