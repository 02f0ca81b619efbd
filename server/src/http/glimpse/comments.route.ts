import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services.ts';
import { COMMENT_POLICIES } from '../../domain/posts/post.ts';
import { boolish, idParam, intish, parseInput, text, z } from '../input.ts';
import { requireViewer } from '../route-config.ts';
import { presentStatus } from '../mastodon/presenters/status.presenter.ts';
import { parsePaging, setLinkHeader } from '../paging.ts';
import { presentCommentItem, presentSimilar } from './presenters/comment.presenter.ts';

// Schemas are built once: zod compiles each on first use, which is costly per request.
const idCommentIdParams = z.object({ id: text(32), comment_id: text(32) });
const limitMaxIdQuery = z.object({ limit: intish(1, 80).optional(), max_id: text(32).optional() });
const idQuery = z.object({ id: z.preprocess((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]), z.array(text(32)).max(100)) }).passthrough();
const defaultCommentPolicyBody = z.object({ default_comment_policy: z.enum(COMMENT_POLICIES) });

const clusterParams = z.object({ id: text(32), cluster_id: text(400) });
const clusterActionBody = z
  .object({
    max_id: z.string().regex(/^\d{1,20}$/, 'must be an id').optional(),
    comment: z.string().max(1000).optional(),
    category: z.enum(['spam', 'legal', 'violation', 'other']).optional(),
  })
  .default({});

const listSchema = z.object({
  sort: z.enum(['top', 'newest']).default('top'),
  limit: intish(1, 80).optional(),
  cursor: text(200).optional(),
});

/** Comments and moderation (API.md, "Comments and moderation"). */
export function registerCommentRoutes(app: FastifyInstance, services: Services): void {
  const ctx = { ...services.config, mediaUrls: services.mediaUrls };
  const base = '/api/glimpse/v1';

  app.get(`${base}/statuses/:id/comments`, { config: { auth: 'optional', scope: 'read:statuses' } }, async (request) => {
    const { id } = parseInput(idParam, request.params);
    const q = parseInput(listSchema, request.query);
    const page = await services.comments.list(request.viewer, id, { sort: q.sort, cursor: q.cursor, limit: q.limit ?? 20 });
    // `similar` is the first page's alone: the storms, folded out of the pages.
    return { items: page.items.map((item) => presentCommentItem(ctx, item)), next_cursor: page.nextCursor, similar: page.clusters ? presentSimilar(page.clusters) : null };
  });

  app.get(`${base}/statuses/:id/clusters/:cluster_id/comments`, { config: { auth: 'optional', scope: 'read:statuses' } }, async (request, reply) => {
    const { id, cluster_id } = parseInput(clusterParams, request.params);
    const paging = parsePaging(request.query, 40, 80);
    const page = await services.comments.clusterComments(request.viewer, id, cluster_id, { maxId: paging.maxId, limit: paging.limit });
    setLinkHeader(request, reply, services.config.publicUrl, page.ids, paging.limit);
    return page.items.map((p) => presentStatus(ctx, p));
  });

  for (const action of ['hide', 'restrict', 'report'] as const) {
    app.post(`${base}/statuses/:id/clusters/:cluster_id/${action}`, { config: { auth: 'user', scope: action === 'restrict' ? 'write:blocks' : action === 'report' ? 'write:reports' : 'write:statuses' } }, async (request) => {
      const { id, cluster_id } = parseInput(clusterParams, request.params);
      const body = parseInput(clusterActionBody, request.body ?? {});
      const done = await services.comments.clusterAction(requireViewer(request.viewer), id, cluster_id, action, { maxId: body.max_id, comment: body.comment, category: body.category });
      return { comments: done.comments, accounts: done.accounts, next_max_id: done.nextMaxId };
    });
  }

  app.get(`${base}/comments/:id/replies`, { config: { auth: 'optional', scope: 'read:statuses' } }, async (request) => {
    const { id } = parseInput(idParam, request.params);
    const q = parseInput(listSchema.omit({ sort: true }), request.query);
    const page = await services.comments.replies(request.viewer, id, { cursor: q.cursor, limit: q.limit ?? 20 });
    return { items: page.items.map((p) => presentStatus(ctx, p)), next_cursor: page.nextCursor };
  });

  for (const action of ['pin', 'unpin'] as const) {
    app.post(`${base}/statuses/:id/comments/:comment_id/${action}`, { config: { auth: 'user', scope: 'write:statuses' } }, async (request) => {
      const { id, comment_id } = parseInput(idCommentIdParams, request.params);
      return presentStatus(ctx, await services.comments.pin(requireViewer(request.viewer), id, comment_id, action === 'pin'));
    });
  }

  app.get(`${base}/statuses/:id/hidden_comments`, { config: { auth: 'user', scope: 'read:statuses' } }, async (request) => {
    const { id } = parseInput(idParam, request.params);
    const q = parseInput(limitMaxIdQuery, request.query);
    const rows = await services.comments.hidden(requireViewer(request.viewer), id, q.limit ?? 40, q.max_id);
    return rows.map((p) => presentStatus(ctx, p));
  });

  app.post(`${base}/comments/:id/unhide`, { config: { auth: 'user', scope: 'write:statuses' } }, async (request) => {
    const { id } = parseInput(idParam, request.params);
    return presentStatus(ctx, await services.comments.unhide(requireViewer(request.viewer), id));
  });

  app.get(`${base}/statuses/:id/reactions_digest`, { config: { auth: 'user', scope: 'read:statuses' } }, async (request) => {
    const { id } = parseInput(idParam, request.params);
    const digest = await services.comments.digest(requireViewer(request.viewer), id);
    return {
      ...digest,
      representative: {
        supportive: digest.representative.supportive.map((p) => presentStatus(ctx, p)),
        critical: digest.representative.critical.map((p) => presentStatus(ctx, p)),
        question: digest.representative.question.map((p) => presentStatus(ctx, p)),
      },
    };
  });

  for (const action of ['restrict', 'unrestrict'] as const) {
    app.post(`${base}/accounts/:id/${action}`, { config: { auth: 'user', scope: 'write:blocks' } }, async (request) => {
      const { id } = parseInput(idParam, request.params);
      await services.moderation.setRestricted(requireViewer(request.viewer), id, action === 'restrict');
      return { id, restricting: action === 'restrict' };
    });
  }

  app.get(`${base}/restrictions`, { config: { auth: 'user', scope: 'read:blocks' } }, async (request) => {
    const q = parseInput(idQuery, request.query);
    const restricted = await services.moderation.restrictedAmong(requireViewer(request.viewer), q.id);
    return q.id.map((id) => ({ id, restricting: restricted.has(id) }));
  });

  app.get(`${base}/hidden_words`, { config: { auth: 'user', scope: 'read:filters' } }, async (request) => services.moderation.hiddenWords(requireViewer(request.viewer)));

  app.put(`${base}/hidden_words`, { config: { auth: 'user', scope: 'write:filters' } }, async (request) => {
    const body = parseInput(
      z.object({
        use_default_list: boolish.default(false),
        // Bounds checked with a clear message by the service; this stops absurd bodies early.
        words: z.array(z.string().max(1000)).max(5000).default([]),
      }),
      request.body,
    );
    return services.moderation.setHiddenWords(requireViewer(request.viewer), body.use_default_list, body.words);
  });

  app.get(`${base}/settings`, { config: { auth: 'user', scope: 'read:accounts' } }, async (request) => services.moderation.settings(requireViewer(request.viewer)));

  app.patch(`${base}/settings`, { config: { auth: 'user', scope: 'write:accounts' } }, async (request) => {
    const body = parseInput(defaultCommentPolicyBody, request.body);
    return services.moderation.saveSettings(requireViewer(request.viewer), body.default_comment_policy);
  });
}
