import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services.ts';
import { SUGGESTION_LIMITS, type SuggestionSource } from '../../domain/suggestions/suggestion-service.ts';
import { intish, parseInput, z } from '../input.ts';
import { requireViewer } from '../route-config.ts';
import { presentAccount } from './presenters/account.presenter.ts';

// Built once: zod compiles a schema on its first use, which is costly to repeat per request.
const listQuery = z.object({ limit: intish(1, 1000).optional() }).passthrough();
const accountParam = z.object({ account_id: z.string().max(32) });

/** The deprecated single `source` Mastodon still sends beside `sources`. */
const LEGACY_SOURCE: Record<SuggestionSource, 'past_interactions' | 'global'> = {
  friends_of_friends: 'past_interactions',
  most_followed: 'global',
};

/** Follow suggestions (domain/suggestions): v2 with their sources, v1 as plain accounts, and dismissing one. */
export function registerSuggestionRoutes(app: FastifyInstance, services: Services): void {
  const ctx = services.config;
  const limitOf = (query: unknown) => Math.min(parseInput(listQuery, query).limit ?? SUGGESTION_LIMITS.defaultLimit, SUGGESTION_LIMITS.maxLimit);

  app.get('/api/v2/suggestions', { config: { auth: 'user', scope: 'read' } }, async (request) => {
    const views = await services.suggestions.list(requireViewer(request.viewer), limitOf(request.query));
    return views.map((v) => ({ source: LEGACY_SOURCE[v.source], sources: [v.source], account: presentAccount(ctx, v.account) }));
  });

  app.get('/api/v1/suggestions', { config: { auth: 'user', scope: 'read' } }, async (request) => {
    const views = await services.suggestions.list(requireViewer(request.viewer), limitOf(request.query));
    return views.map((v) => presentAccount(ctx, v.account));
  });

  // Mastodon asks only `read` here; a write is stored, so Glimpse asks a write scope, as for every write.
  app.delete('/api/v1/suggestions/:account_id', { config: { auth: 'user', scope: 'write:follows' } }, async (request) => {
    const { account_id } = parseInput(accountParam, request.params);
    await services.suggestions.dismiss(requireViewer(request.viewer), account_id);
    return {};
  });
}
