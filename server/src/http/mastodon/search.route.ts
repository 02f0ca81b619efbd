import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services.ts';
import { LIMITS } from '../../domain/accounts/account.ts';
import { boolish, intish, parseInput, text, z } from '../input.ts';
import { presentAccount } from './presenters/account.presenter.ts';

const searchSchema = z
  .object({
    q: text(LIMITS.searchQuery),
    type: z.enum(['accounts', 'hashtags', 'statuses']).optional(),
    resolve: boolish.optional(),
    following: boolish.optional(),
    limit: intish(1, 40).optional(),
    offset: intish(0, 10000).optional(),
  })
  .passthrough();

/**
 * GET /api/v2/search: accounts (by name, hidden ones left out) and hashtags (by prefix).
 * Full-text search of posts is not offered, as on Mastodon without a search server.
 */
export function registerSearchRoutes(app: FastifyInstance, services: Services): void {
  app.get('/api/v2/search', { config: { auth: 'optional', scope: 'read:search' } }, async (request) => {
    const q = parseInput(searchSchema, request.query);
    const limit = q.limit ?? 20;
    const offset = q.offset ?? 0;
    const wants = (t: string) => q.type === undefined || q.type === t;
    const accounts = wants('accounts') ? await services.accounts.search(request.viewer, q.q, limit, offset) : [];
    const tags = wants('hashtags') ? await services.feeds.searchHashtags(q.q.replace(/^#/, ''), limit, offset) : [];
    return {
      accounts: accounts.map((a) => presentAccount(services.config, a)),
      statuses: [],
      hashtags: tags.map((t) => ({ name: t.display, url: `${services.config.publicUrl}/tags/${encodeURIComponent(t.tag)}`, history: [], following: false })),
    };
  });
}
