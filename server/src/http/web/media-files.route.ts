import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services.ts';
import { mediaFileAccess } from '../../access/media-policy.ts';
import { text, z } from '../input.ts';

const paramsSchema = z.object({ key: text(64), file: text(64) });
const querySchema = z.object({ exp: text(16).optional(), sig: text(128).optional() }).passthrough();

const PUBLIC_CACHE = 'public, max-age=31536000, immutable';

/**
 * The stored sizes of images: `/media/<storage key>/<size>.<jpg|webp>`. Only re-encoded sizes
 * of ready media are ever served (the original is never); a URL with `exp` and `sig` must carry
 * a valid signature, one without may reach only media public by policy (media-policy.ts).
 * Missing, hidden and badly signed all answer the same 404.
 */
export function registerMediaFileRoutes(app: FastifyInstance, services: Services): void {
  app.get('/media/:key/:file', { config: { auth: 'none' } }, async (request, reply) => {
    const notFound = () => reply.status(404).header('Cache-Control', 'no-store').send({ error: 'Record not found' });
    const params = paramsSchema.safeParse(request.params);
    const query = querySchema.safeParse(request.query ?? {});
    if (!params.success || !query.success) return notFound();
    const { key, file } = params.data;
    const { exp, sig } = query.data;

    const found = await services.media.findServable(key, file);
    if (!found) {
      // A custom emoji's image: public, like the instance's emoji list (admin emoji add).
      const emoji = exp === undefined && sig === undefined ? await services.customEmojis.findServable(key, file) : undefined;
      const stored = emoji ? await services.mediaStorage.stream(emoji.storage_key, emoji.file) : undefined;
      if (!stored) return notFound();
      return reply
        .status(200)
        .header('Content-Type', 'image/webp')
        .header('Content-Length', String(stored.size))
        .header('X-Content-Type-Options', 'nosniff')
        .header('Cache-Control', PUBLIC_CACHE)
        .header('Content-Disposition', 'inline')
        .send(stored.stream);
    }
    const path = services.mediaUrls.path(found.media, found.variant);
    const signature = exp === undefined && sig === undefined ? 'absent' : services.mediaUrls.isValidSignature(path, exp, sig) ? 'valid' : 'invalid';
    const access = mediaFileAccess(found.facts, signature);
    if (access === 'deny') return notFound();

    const stored = await services.mediaStorage.stream(found.media.storage_key, found.storageName);
    if (!stored) return notFound();
    let cacheControl = PUBLIC_CACHE;
    if (access === 'private') {
      // Cached by this client only, and no longer than the signature lives.
      const left = Math.max(0, Math.floor(Number(exp) - services.clock.now().getTime() / 1000));
      cacheControl = `private, max-age=${Math.min(3600, left)}`;
    }
    return reply
      .status(200)
      .header('Content-Type', found.variant.format === 'jpeg' ? 'image/jpeg' : 'image/webp')
      .header('Content-Length', String(stored.size))
      .header('X-Content-Type-Options', 'nosniff')
      .header('Cache-Control', cacheControl)
      .header('Content-Disposition', 'inline')
      .send(stored.stream);
  });
}
