import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Services } from '../../services.ts';
import { COMMENT_POLICIES, POST_LIMITS } from '../../domain/posts/post.ts';
import type { HydratedPost } from '../../domain/posts/post-hydrator.ts';
import { MEDIA_LIMITS } from '../../domain/media/media.ts';
import { unprocessable } from '../../errors.ts';
import { boolish, idParam, parseInput, stringList, text, z } from '../input.ts';
import { parsePaging, setLinkHeader } from '../paging.ts';
import { requireViewer } from '../route-config.ts';
import { presentAccount } from './presenters/account.presenter.ts';
import { presentStatus, renderStatusContent } from './presenters/status.presenter.ts';
import { countableLength } from '../../domain/posts/caption.ts';
import { scheduleStatus } from './scheduled-statuses.route.ts';
import { postInputOf } from './status-input.ts';

const number01 = z.preprocess((v) => (typeof v === 'string' ? Number(v) : v), z.number().min(0).max(1));

const photoTagsSchema = z
  .array(z.object({ media_id: text(32), account_id: text(32), x: number01, y: number01 }))
  .max(MEDIA_LIMITS.tagsPerPhoto * POST_LIMITS.photos);

/** A caption, counted as Mastodon counts it (links 23 characters each); the raw bound only caps the request. */
const caption = z
  .string()
  .max(POST_LIMITS.captionRaw, `is too long (maximum is ${POST_LIMITS.caption} characters)`)
  .refine((t) => countableLength(t) <= POST_LIMITS.caption, `is too long (maximum is ${POST_LIMITS.caption} characters)`);

const common = {
  status: caption.optional(),
  media_ids: stringList(POST_LIMITS.photos, 32).optional(),
  sensitive: boolish.optional(),
  spoiler_text: text(POST_LIMITS.spoiler).optional(),
  language: z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$/, 'is not a language code').optional().nullable(),
  comment_policy: z.enum(COMMENT_POLICIES).optional(),
  hide_like_count: boolish.optional(),
  media_tags: photoTagsSchema.optional(),
};

const createSchema = z
  .object({
    ...common,
    in_reply_to_id: text(32).optional().nullable(),
    visibility: z.enum(['public', 'unlisted', 'private', 'direct']).optional(),
    poll: z.unknown().optional(),
    quoted_status_id: z.unknown().optional(),
    scheduled_at: z.unknown().optional(),
  })
  .passthrough();

const editSchema = z
  .object({
    ...common,
    media_attributes: z
      .array(z.object({ id: text(32), description: text(MEDIA_LIMITS.description).optional(), focus: text(40).optional() }).passthrough())
      .max(POST_LIMITS.photos)
      .optional(),
  })
  .passthrough();

const photoTags = (tags: z.infer<typeof photoTagsSchema> | undefined) =>
  tags?.map((t) => ({ mediaId: t.media_id, accountId: t.account_id, x: t.x, y: t.y }));

/** DELETE /api/v1/statuses/:id?delete_media=true */
const deleteQuery = z.object({ delete_media: boolish.optional() });

export function registerStatusRoutes(app: FastifyInstance, services: Services): void {
  const ctx = { ...services.config, mediaUrls: services.mediaUrls };
  const present = (post: HydratedPost) => presentStatus(ctx, post);

  app.post('/api/v1/statuses', { config: { auth: 'user', scope: 'write:statuses' } }, async (request: FastifyRequest) => {
    const input = parseInput(createSchema, request.body);
    if (input.poll !== undefined) throw unprocessable('Validation failed: Polls are not supported');
    // Quote posts are refused by design (README's compatibility table), never silently dropped.
    if (input.quoted_status_id !== undefined && input.quoted_status_id !== null && input.quoted_status_id !== '') throw unprocessable('Validation failed: Quote posts are not supported');
    if (input.scheduled_at !== undefined && input.scheduled_at !== null && input.scheduled_at !== '') return scheduleStatus(services, request, input);
    const post = await services.posts.create(requireViewer(request.viewer), postInputOf(request, input));
    return present(post);
  });

  app.get('/api/v1/statuses/:id', { config: { auth: 'optional', scope: 'read:statuses' } }, async (request) => {
    const { id } = parseInput(idParam, request.params);
    // Asked for by id, it is shown even when a hide filter matches; `filtered` says which did.
    const [post] = await services.filters.apply(request.viewer, 'thread', [await services.posts.get(request.viewer, id)], { hide: false });
    return present(post);
  });

  app.put('/api/v1/statuses/:id', { config: { auth: 'user', scope: 'write:statuses' } }, async (request) => {
    const { id } = parseInput(idParam, request.params);
    const input = parseInput(editSchema, request.body);
    const post = await services.posts.edit(requireViewer(request.viewer), id, {
      text: input.status,
      mediaIds: input.media_ids,
      sensitive: input.sensitive,
      spoilerText: input.spoiler_text,
      language: input.language ?? undefined,
      commentPolicy: input.comment_policy,
      hideLikeCount: input.hide_like_count,
      photoTags: photoTags(input.media_tags),
      mediaDescriptions: input.media_attributes?.flatMap((a) => (a.description !== undefined ? [{ id: a.id, description: a.description }] : [])),
    });
    return present(post);
  });

  app.delete('/api/v1/statuses/:id', { config: { auth: 'user', scope: 'write:statuses' } }, async (request) => {
    const { id } = parseInput(idParam, request.params);
    // Mastodon's `delete_media` (query or body): the photos go at once instead of after 24 hours.
    const body = request.body && typeof request.body === 'object' ? request.body : {};
    const { delete_media } = parseInput(deleteQuery, { ...body, ...(request.query as object) });
    const post = await services.posts.delete(requireViewer(request.viewer), id, { deleteMedia: delete_media === true });
    return { ...present(post), text: post.status.text };
  });

  app.get('/api/v1/statuses/:id/context', { config: { auth: 'optional', scope: 'read:statuses' } }, async (request) => {
    const { id } = parseInput(idParam, request.params);
    const { ancestors, descendants } = await services.posts.context(request.viewer, id);
    const [shownAncestors, shownDescendants] = await services.filters.applyEach(request.viewer, 'thread', [ancestors, descendants]);
    return { ancestors: shownAncestors.map(present), descendants: shownDescendants.map(present) };
  });

  app.get('/api/v1/statuses/:id/history', { config: { auth: 'optional', scope: 'read:statuses' } }, async (request) => {
    const { id } = parseInput(idParam, request.params);
    const { post, edits } = await services.posts.history(request.viewer, id);
    const current = present(post);
    // Older versions are HTML made by the same renderer as Status.content: never stored text.
    const versions = edits.map((e) => ({ content: renderStatusContent(ctx, post, e.text), spoiler_text: e.spoiler_text, sensitive: Boolean(e.sensitive), created_at: e.created_at, account: current.account, media_attachments: current.media_attachments, emojis: [] }));
    return [...versions, { content: current.content, spoiler_text: current.spoiler_text, sensitive: current.sensitive, created_at: post.status.edited_at ?? post.status.created_at, account: current.account, media_attachments: current.media_attachments, emojis: [] }];
  });

  app.get('/api/v1/statuses/:id/source', { config: { auth: 'user', scope: 'read:statuses' } }, async (request) => {
    const { id } = parseInput(idParam, request.params);
    const post = await services.posts.get(request.viewer, id);
    return { id, text: post.canManage ? post.status.text : '', spoiler_text: post.status.spoiler_text };
  });

  app.get('/api/v1/statuses/:id/favourited_by', { config: { auth: 'optional', scope: 'read:accounts' } }, async (request, reply) => {
    const { id } = parseInput(idParam, request.params);
    const paging = parsePaging(request.query, 40, 80);
    const page = await services.posts.favouritedBy(request.viewer, id, paging);
    setLinkHeader(request, reply, services.config.publicUrl, page.edges.map((e) => e.id), paging.limit);
    return page.accounts.map((a) => presentAccount(services.config, a!));
  });

  app.get('/api/v1/statuses/:id/reblogged_by', { config: { auth: 'optional', scope: 'read:accounts' } }, async (request) => {
    const { id } = parseInput(idParam, request.params);
    await services.posts.get(request.viewer, id);
    return [];
  });

  const actions: Array<[string, string, (viewer: ReturnType<typeof requireViewer>, id: string) => Promise<HydratedPost>]> = [
    ['favourite', 'write:favourites', (v, id) => services.posts.favourite(v, id)],
    ['unfavourite', 'write:favourites', (v, id) => services.posts.unfavourite(v, id)],
    ['bookmark', 'write:bookmarks', (v, id) => services.posts.setMark(v, id, 'bookmarks', true)],
    ['unbookmark', 'write:bookmarks', (v, id) => services.posts.setMark(v, id, 'bookmarks', false)],
    ['pin', 'write:accounts', (v, id) => services.posts.setMark(v, id, 'pinned_statuses', true)],
    ['unpin', 'write:accounts', (v, id) => services.posts.setMark(v, id, 'pinned_statuses', false)],
    ['mute', 'write:mutes', (v, id) => services.posts.setThreadMute(v, id, true)],
    ['unmute', 'write:mutes', (v, id) => services.posts.setThreadMute(v, id, false)],
  ];
  for (const [action, scope, run] of actions) {
    app.post(`/api/v1/statuses/:id/${action}`, { config: { auth: 'user', scope } }, async (request) => {
      const { id } = parseInput(idParam, request.params);
      return present(await run(requireViewer(request.viewer), id));
    });
  }
  for (const action of ['reblog', 'unreblog']) {
    app.post(`/api/v1/statuses/:id/${action}`, { config: { auth: 'user', scope: 'write:statuses' } }, async (request) => {
      const { id } = parseInput(idParam, request.params);
      await services.posts.get(request.viewer, id);
      throw unprocessable('Validation failed: Reblogs are not supported on Glimpse');
    });
  }
}
