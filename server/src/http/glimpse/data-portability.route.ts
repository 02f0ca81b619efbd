import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Services } from '../../services.ts';
import { AppError, forbidden, unprocessable } from '../../errors.ts';
import { hasScope } from '../../domain/auth/scopes.ts';
import { EXPORT_FILE_NAMES, exportRelations } from '../../domain/portability/relation-export.ts';
import { MAX_IMPORT_BYTES, type RelationKind } from '../../domain/portability/relations-csv.ts';
import { parseInput, z } from '../input.ts';
import { requireViewer } from '../route-config.ts';

const EXPORTS: Array<{ path: string; kind: RelationKind; scope: string }> = [
  { path: 'following.csv', kind: 'following', scope: 'read:follows' },
  { path: 'blocks.csv', kind: 'blocking', scope: 'read:blocks' },
  { path: 'mutes.csv', kind: 'muting', scope: 'read:mutes' },
];
const WRITE_SCOPE: Record<RelationKind, string> = { following: 'write:follows', blocking: 'write:blocks', muting: 'write:mutes' };

const importFields = z.object({
  type: z.enum(['following', 'blocking', 'muting']),
  mode: z.enum(['merge', 'overwrite']).optional().default('merge'),
});

/** The text fields and the one `file` of an import's multipart body, the file at most MAX_IMPORT_BYTES. */
async function readImportBody(request: FastifyRequest): Promise<{ fields: Record<string, string>; file: Buffer | undefined }> {
  if (!request.isMultipart()) throw unprocessable('Validation failed: send the file as multipart/form-data, in the field "file"');
  const fields: Record<string, string> = {};
  let file: Buffer | undefined;
  try {
    for await (const part of request.parts({ limits: { files: 1, fileSize: MAX_IMPORT_BYTES, fields: 10, fieldSize: 1024 } })) {
      if (part.type === 'file') {
        if (part.fieldname === 'file' && !file) file = await part.toBuffer();
        else await part.toBuffer();
      } else if (typeof part.value === 'string') fields[part.fieldname] = part.value;
    }
  } catch (error) {
    if (error instanceof AppError) throw error;
    const code = (error as { code?: string })?.code;
    if (code === 'FST_REQ_FILE_TOO_LARGE') throw new AppError(413, `File is too large (maximum is ${MAX_IMPORT_BYTES / 1024 / 1024} MiB)`);
    if (code === 'FST_FILES_LIMIT' || code === 'FST_FIELDS_LIMIT' || code === 'FST_PARTS_LIMIT') throw unprocessable('Validation failed: too many parts (one file, "type" and "mode")');
    throw new AppError(400, 'Malformed multipart body');
  }
  return { fields, file };
}

/**
 * Moving between servers: follows, blocks and mutes out as Mastodon's CSV files, and in from
 * them (domain/portability). An import answers 202 with its status at once; durable jobs do the
 * work, and GET /imports/:id shows how far they got and which rows were skipped.
 */
export function registerDataPortabilityRoutes(app: FastifyInstance, services: Services): void {
  for (const { path, kind, scope } of EXPORTS) {
    app.get(`/api/glimpse/v1/exports/${path}`, { config: { auth: 'user', scope } }, async (request, reply) => {
      const viewer = requireViewer(request.viewer);
      const csv = await exportRelations(services.database.kysely, viewer.accountId, kind, services.config.domain);
      reply.header('content-type', 'text/csv; charset=utf-8');
      reply.header('content-disposition', `attachment; filename="${EXPORT_FILE_NAMES[kind]}"`);
      reply.header('cache-control', 'private, no-store');
      return csv;
    });
  }

  // `uploads` keeps the shared multipart reader (images only) away: this route reads its own CSV.
  app.post('/api/glimpse/v1/imports', { config: { auth: 'user', scope: 'write:follows', uploads: ['file'] } }, async (request, reply) => {
    const viewer = requireViewer(request.viewer);
    const { fields, file } = await readImportBody(request);
    const input = parseInput(importFields, fields);
    if (!hasScope(request.principal?.scopes ?? [], WRITE_SCOPE[input.type])) throw forbidden('This action is outside the authorized scopes');
    if (!file) throw unprocessable('Validation failed: file is missing');
    const text = new TextDecoder('utf-8', { fatal: false }).decode(file);
    const status = await services.relationImports.start(viewer, input.type, input.mode, text);
    reply.status(202);
    return status;
  });

  app.get('/api/glimpse/v1/imports/:id', { config: { auth: 'user', scope: 'read:follows' } }, async (request) => {
    const { id } = parseInput(z.object({ id: z.string().max(40) }), request.params);
    return services.relationImports.get(requireViewer(request.viewer), id);
  });

  // "Download your data" (domain/portability/data-archive.ts).
  app.post('/api/glimpse/v1/archives', { config: { auth: 'user', scope: 'write:accounts' } }, async (request, reply) => {
    const archive = await services.dataArchives.request(requireViewer(request.viewer));
    reply.status(202);
    return archive;
  });

  app.get('/api/glimpse/v1/archives', { config: { auth: 'user', scope: 'read:accounts' } }, async (request) => services.dataArchives.list(requireViewer(request.viewer)));

  app.get('/api/glimpse/v1/archives/:id/download', { config: { auth: 'user', scope: 'read:accounts' } }, async (request, reply) => {
    const { id } = parseInput(z.object({ id: z.string().max(40) }), request.params);
    const file = await services.dataArchives.download(requireViewer(request.viewer), id);
    reply.header('content-type', 'application/gzip');
    reply.header('content-length', String(file.size));
    reply.header('content-disposition', `attachment; filename="${file.filename}"`);
    reply.header('cache-control', 'private, no-store');
    return reply.send(file.stream);
  });
}
