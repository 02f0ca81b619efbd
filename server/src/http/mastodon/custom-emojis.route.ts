import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services.ts';
import { presentCustomEmoji } from './presenters/custom-emoji.presenter.ts';

/**
 * Custom emojis: the list anyone may read, and the cache the presenters read the `emojis`
 * arrays from, refreshed (when older than EMOJI_CACHE_MS) before each API request so
 * presenting never queries. Registered before the other routes (app.ts).
 */
export function registerCustomEmojiRoutes(app: FastifyInstance, services: Services): void {
  app.addHook('onRequest', async (request) => {
    if (request.url.startsWith('/api/')) await services.customEmojis.refreshIfStale();
  });

  app.get('/api/v1/custom_emojis', { config: { auth: 'none' } }, async () =>
    (await services.customEmojis.list()).map((row) => presentCustomEmoji(services.config.publicUrl, row)),
  );
}
