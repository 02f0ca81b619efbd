import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Services } from '../../services.ts';
import type { MediaRow } from '../../domain/media/media.ts';
import { MEDIA_LIMITS } from '../../domain/media/media.ts';
import { AppError, unprocessable } from '../../errors.ts';
import { isUploadedFile, receiveUploads } from '../body-parsers.ts';
import { idParam, parseInput, text, z } from '../input.ts';
import { requireViewer } from '../route-config.ts';
import { presentMediaAttachment } from './presenters/media-attachment.presenter.ts';

const attributesSchema = z
  .object({
    description: text(MEDIA_LIMITS.description).optional(),
    focus: text(64).optional(),
    thumbnail: z.unknown().optional(),
  })
  .passthrough();

/** POST /api/v2/media waits this long before answering 202: most photos are done by then. */
const V2_WAIT_MS = 1000;

/**
 * Mastodon's media endpoints. Uploads are processed in the background (media-service.ts);
 * v2 answers 202 with null URLs while that runs, v1 waits. GET and PUT reach only the caller's
 * own media not yet in a post, as in Mastodon; anything else is 404.
 */
export function registerMediaRoutes(app: FastifyInstance, services: Services): void {
  const present = async (media: MediaRow) =>
    presentMediaAttachment(services.mediaUrls, media, { restricted: await services.media.needsSignedUrls(media) });

  const failed = (media: MediaRow) => new AppError(422, media.error ?? 'Image could not be processed');

  // The body streams to disk once the account has an upload slot; the received file is
  // checked and stored before the slot is freed (the wait for processing holds none).
  const upload = (request: FastifyRequest) => {
    const viewer = requireViewer(request.viewer);
    return receiveUploads(request, () => services.media.uploadReceiver(viewer), async (body) => {
      const input = parseInput(attributesSchema, body);
      if (!isUploadedFile(body.file)) throw unprocessable('Validation failed: File is missing');
      return services.media.upload(viewer, body.file, { description: input.description, focus: input.focus });
    });
  };

  const answer = async (reply: FastifyReply, media: MediaRow | undefined, processingStatus: number) => {
    if (!media) throw new AppError(404, 'Record not found');
    if (media.state === 'failed') throw failed(media);
    reply.status(media.state === 'ready' ? 200 : processingStatus);
    return present(media);
  };

  app.post('/api/v2/media', { config: { auth: 'user', scope: 'write:media', uploads: ['file'] } }, async (request, reply) => {
    const media = await upload(request);
    return answer(reply, await services.media.waitForProcessing(media.id, V2_WAIT_MS), 202);
  });

  app.post('/api/v1/media', { config: { auth: 'user', scope: 'write:media', uploads: ['file'] } }, async (request, reply) => {
    const media = await upload(request);
    return answer(reply, await services.media.waitForProcessing(media.id), 200);
  });

  app.get('/api/v1/media/:id', { config: { auth: 'user', scope: 'write:media' } }, async (request, reply) => {
    const { id } = parseInput(idParam, request.params);
    return answer(reply, await services.media.get(requireViewer(request.viewer), id), 206);
  });

  app.put('/api/v1/media/:id', { config: { auth: 'user', scope: 'write:media' } }, async (request) => {
    const { id } = parseInput(idParam, request.params);
    const input = parseInput(attributesSchema, request.body);
    return present(await services.media.update(requireViewer(request.viewer), id, { description: input.description, focus: input.focus }));
  });
}
