import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services.ts';
import { idParam, parseInput, text, z } from '../input.ts';
import { parsePaging, setLinkHeader } from '../paging.ts';
import { requireViewer } from '../route-config.ts';
import { presentFeaturedTag, presentTag } from './presenters/tag.presenter.ts';

// Schemas are built once: zod compiles each on first use, which is costly per request.
// A hashtag is at most 100 characters (caption.ts); the service answers 404 for anything else.
const nameParam = z.object({ name: text(101) });
const featureSchema = z.object({ name: text(101) }).passthrough();

/** Hashtags: the Tag entity, following them, and featuring them on one's profile. */
export function registerTagRoutes(app: FastifyInstance, services: Services): void {
  const ctx = services.config;

  app.get('/api/v1/tags/:name', { config: { auth: 'optional', scope: 'read:statuses' } }, async (request) => {
    const { name } = parseInput(nameParam, request.params);
    return presentTag(ctx, await services.tags.show(request.viewer, name));
  });

  for (const action of ['follow', 'unfollow'] as const) {
    app.post(`/api/v1/tags/:name/${action}`, { config: { auth: 'user', scope: 'write:follows' } }, async (request) => {
      const { name } = parseInput(nameParam, request.params);
      const viewer = requireViewer(request.viewer);
      return presentTag(ctx, await (action === 'follow' ? services.tags.follow(viewer, name) : services.tags.unfollow(viewer, name)));
    });
  }

  app.get('/api/v1/followed_tags', { config: { auth: 'user', scope: 'read:follows' } }, async (request, reply) => {
    const paging = parsePaging(request.query, 100, 200);
    const page = await services.tags.followed(requireViewer(request.viewer), paging);
    setLinkHeader(request, reply, services.config.publicUrl, page.ids, paging.limit);
    return page.views.map((v) => presentTag(ctx, v));
  });

  app.get('/api/v1/featured_tags', { config: { auth: 'user', scope: 'read:accounts' } }, async (request) =>
    (await services.tags.ownFeatured(requireViewer(request.viewer))).map((f) => presentFeaturedTag(ctx, f)),
  );

  app.post('/api/v1/featured_tags', { config: { auth: 'user', scope: 'write:accounts' } }, async (request) => {
    const { name } = parseInput(featureSchema, request.body);
    return presentFeaturedTag(ctx, await services.tags.feature(requireViewer(request.viewer), name));
  });

  app.delete('/api/v1/featured_tags/:id', { config: { auth: 'user', scope: 'write:accounts' } }, async (request) => {
    const { id } = parseInput(idParam, request.params);
    await services.tags.unfeature(requireViewer(request.viewer), id);
    return {};
  });

  app.get('/api/v1/featured_tags/suggestions', { config: { auth: 'user', scope: 'read:accounts' } }, async (request) =>
    (await services.tags.suggestions(requireViewer(request.viewer))).map((v) => presentTag(ctx, v)),
  );

  app.get('/api/v1/accounts/:id/featured_tags', { config: { auth: 'optional', scope: 'read:accounts' } }, async (request) => {
    const { id } = parseInput(idParam, request.params);
    return (await services.tags.featuredOf(request.viewer, id)).map((f) => presentFeaturedTag(ctx, f));
  });
}
