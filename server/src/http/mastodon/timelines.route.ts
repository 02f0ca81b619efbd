import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Services } from '../../services.ts';
import type { TimelinePage } from '../../domain/feeds/feed-service.ts';
import type { FilterContext } from '../../domain/filters/filter.ts';
import { boolish, idParam, parseInput, text, z } from '../input.ts';
import { parsePaging, setLinkHeader } from '../paging.ts';
import { requireViewer } from '../route-config.ts';
import { StatusJson } from './presenters/status-json.ts';

// Schemas are built once: zod compiles each on first use, which is costly per request.
const hashtagParams = z.object({ hashtag: text(100) });

const flags = z
  .object({
    local: boolish.optional(),
    remote: boolish.optional(),
    only_media: boolish.optional(),
    exclude_replies: boolish.optional(),
    exclude_reblogs: boolish.optional(),
    pinned: boolish.optional(),
    tagged: text(100).optional(),
  })
  .passthrough();

export function registerTimelineRoutes(app: FastifyInstance, services: Services): void {
  const statuses = new StatusJson({ ...services.config, mediaUrls: services.mediaUrls }, { statuses: services.caches.statusJson, accounts: services.caches.accountJson });
  /**
   * With a filter context, the viewer's filters mark what they match, and a hide filter's match
   * is left out. The page is sent as JSON text made from kept parts (status-json.ts).
   */
  const send = async (request: FastifyRequest, reply: FastifyReply, page: TimelinePage, limit: number, filterContext?: FilterContext) => {
    setLinkHeader(request, reply, services.config.publicUrl, page.ids, limit);
    const posts = filterContext ? await services.filters.apply(request.viewer, filterContext, page.posts) : page.posts;
    return reply.type('application/json; charset=utf-8').send(statuses.list(posts));
  };

  app.get('/api/v1/timelines/home', { config: { auth: 'user', scope: 'read:statuses' } }, async (request, reply) => {
    const paging = parsePaging(request.query, 20, 40);
    return send(request, reply, await services.feeds.home(requireViewer(request.viewer), paging), paging.limit, 'home');
  });

  app.get('/api/v1/timelines/public', { config: { auth: 'optional', scope: 'read:statuses' } }, async (request, reply) => {
    const paging = parsePaging(request.query, 20, 40);
    const q = parseInput(flags, request.query);
    if (q.remote) return [];
    return send(request, reply, await services.feeds.publicTimeline(request.viewer, paging, q.only_media ?? false), paging.limit, 'public');
  });

  app.get('/api/v1/timelines/tag/:hashtag', { config: { auth: 'optional', scope: 'read:statuses' } }, async (request, reply) => {
    const { hashtag } = parseInput(hashtagParams, request.params);
    const paging = parsePaging(request.query, 20, 40);
    return send(request, reply, await services.feeds.tag(request.viewer, hashtag.replace(/^#/, ''), paging), paging.limit, 'public');
  });

  app.get('/api/v1/bookmarks', { config: { auth: 'user', scope: 'read:bookmarks' } }, async (request, reply) => {
    const paging = parsePaging(request.query, 20, 40);
    return send(request, reply, await services.feeds.bookmarks(requireViewer(request.viewer), paging), paging.limit);
  });

  app.get('/api/v1/favourites', { config: { auth: 'user', scope: 'read:favourites' } }, async (request, reply) => {
    const paging = parsePaging(request.query, 20, 40);
    return send(request, reply, await services.feeds.favourites(requireViewer(request.viewer), paging), paging.limit);
  });

  app.get('/api/v1/accounts/:id/statuses', { config: { auth: 'optional', scope: 'read:statuses' } }, async (request, reply) => {
    const { id } = parseInput(idParam, request.params);
    const paging = parsePaging(request.query, 20, 40);
    const q = parseInput(flags, request.query);
    const page = await services.feeds.account(request.viewer, id, paging, {
      onlyMedia: q.only_media ?? false,
      excludeReplies: q.exclude_replies ?? false,
      pinned: q.pinned ?? false,
    });
    return send(request, reply, page, paging.limit, 'account');
  });
}
