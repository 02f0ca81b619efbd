import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Services } from '../../services.ts';
import { TREND_LIMITS } from '../../domain/trends/trend-service.ts';
import { intish, parseInput, z } from '../input.ts';
import { presentTag } from './presenters/tag.presenter.ts';
import { presentStatus } from './presenters/status.presenter.ts';

// Built once: zod compiles a schema on its first use, which is costly to repeat per request.
const trendQuery = z.object({ limit: intish(1, 1000).optional(), offset: intish(0, 1_000_000).optional() }).passthrough();

type Bounds = { defaultLimit: number; maxLimit: number };

/** `limit` (clamped to the endpoint's maximum, as Mastodon does) and `offset` (past TREND_LIMITS.maxOffset: an empty page). */
function parseTrendPaging(query: unknown, bounds: Bounds): { limit: number; offset: number } {
  const q = parseInput(trendQuery, query);
  return { limit: Math.min(q.limit ?? bounds.defaultLimit, bounds.maxLimit), offset: q.offset ?? 0 };
}

/** Mastodon's Link header for offset paging: `next` when the page was full, `prev` after the first. */
function setOffsetLinks(request: FastifyRequest, reply: FastifyReply, publicUrl: string, paging: { limit: number; offset: number }, ranked: number): void {
  const url = new URL(request.url, publicUrl);
  const link = (offset: number) => {
    const params = new URLSearchParams(url.searchParams);
    params.set('offset', String(offset));
    return `<${publicUrl}${url.pathname}?${params.toString()}>`;
  };
  const parts: string[] = [];
  if (ranked >= paging.limit && paging.offset + paging.limit <= TREND_LIMITS.maxOffset) parts.push(`${link(paging.offset + paging.limit)}; rel="next"`);
  if (paging.offset > 0) parts.push(`${link(Math.max(0, paging.offset - paging.limit))}; rel="prev"`);
  if (parts.length) reply.header('Link', parts.join(', '));
}

/** Trends: tags and posts by recent engagement (domain/trends), links always empty. Anyone may read them. */
export function registerTrendRoutes(app: FastifyInstance, services: Services): void {
  const ctx = { ...services.config, mediaUrls: services.mediaUrls };

  const tags = async (request: FastifyRequest, reply: FastifyReply) => {
    const paging = parseTrendPaging(request.query, TREND_LIMITS.tags);
    if (paging.offset > TREND_LIMITS.maxOffset) return [];
    const page = await services.trends.tagPage(request.viewer, paging.limit, paging.offset);
    setOffsetLinks(request, reply, services.config.publicUrl, paging, page.ranked);
    return page.items.map((t) => presentTag(ctx, t));
  };
  // `/api/v1/trends` is the older name of the tag trends.
  app.get('/api/v1/trends/tags', { config: { auth: 'optional', scope: 'read:statuses' } }, tags);
  app.get('/api/v1/trends', { config: { auth: 'optional', scope: 'read:statuses' } }, tags);

  app.get('/api/v1/trends/statuses', { config: { auth: 'optional', scope: 'read:statuses' } }, async (request, reply) => {
    const paging = parseTrendPaging(request.query, TREND_LIMITS.statuses);
    if (paging.offset > TREND_LIMITS.maxOffset) return [];
    const page = await services.trends.statusPage(request.viewer, paging.limit, paging.offset);
    setOffsetLinks(request, reply, services.config.publicUrl, paging, page.ranked);
    return page.items.map((p) => presentStatus(ctx, p));
  });

  // Glimpse has no link previews, so no link trends.
  app.get('/api/v1/trends/links', { config: { auth: 'none' } }, async (request) => {
    parseTrendPaging(request.query, TREND_LIMITS.links);
    return [];
  });
}
