import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services.ts';
import { STORY_FONTS, STORY_LIMITS, type Overlay } from '../../domain/stories/story.ts';
import { idParam, intish, parseInput, stringList, text, z } from '../input.ts';
import { requireViewer } from '../route-config.ts';
import { setLinkHeader } from '../paging.ts';
import { presentAccount } from '../mastodon/presenters/account.presenter.ts';
import { presentHighlight, presentStory, presentTrayEntry } from './presenters/story.presenter.ts';

// Schemas are built once: zod compiles each on first use, which is costly per request.
const limitMaxIdQuery = z.object({ limit: intish(1, 80).optional(), max_id: text(32).optional() });
const limitBeforeQuery = z.object({ limit: intish(1, 200).optional(), before: text(40).optional() });
const textBody = z.object({ text: text(STORY_LIMITS.reply).refine((t) => t.trim() !== '', "can't be blank") });
const limitOffsetQuery = z.object({ limit: intish(1, 200).optional(), offset: intish(0, 100000).optional() });
const accountIdsBody = z.object({ account_ids: stringList(STORY_LIMITS.closeFriendsPerRequest, 32) });
const accountIdParams = z.object({ account_id: text(32) });

const unit = z.preprocess((v) => (typeof v === 'string' ? Number(v) : v), z.number().min(0, 'must be on the picture (0..1)').max(1, 'must be on the picture (0..1)'));
const rotation = z.number().min(-360).max(360).optional();
const scale = z.number().min(0.1).max(10).optional();
const colour = z.string().regex(/^#[0-9a-fA-F]{6}([0-9a-fA-F]{2})?$|^transparent$/, 'must be a #rrggbb colour').optional();

const overlaySchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('text'),
    text: text(STORY_LIMITS.text).min(1, "can't be blank"),
    x: unit,
    y: unit,
    rotation,
    scale,
    color: colour,
    background: colour,
    outline: colour,
    font: z.enum(STORY_FONTS).optional(),
    align: z.enum(['left', 'center', 'right']).optional(),
  }),
  z.object({ type: z.literal('mention'), account_id: text(32), x: unit, y: unit, rotation, scale }),
]);

const createSchema = z.object({
  media_id: text(32).optional(),
  duration_ms: intish(STORY_LIMITS.minDurationMs, STORY_LIMITS.maxDurationMs).optional(),
  audience: z.enum(['followers', 'close_friends']).default('followers'),
  overlays: z.array(overlaySchema).max(STORY_LIMITS.overlays, `has too many items (maximum is ${STORY_LIMITS.overlays})`).default([]),
  reshare_of_id: text(32).optional(),
});

// Emoji, including ZWJ sequences and skin tones, but not words.
const emojiSchema = z.string().min(1).max(STORY_LIMITS.emoji).regex(/^[\p{Extended_Pictographic}\p{Emoji_Component}\u200d\ufe0f]+$/u, 'must be an emoji');
const emojiBody = z.object({ emoji: emojiSchema });

const highlightSchema = z.object({
  title: text(STORY_LIMITS.highlightTitle).optional(),
  story_ids: stringList(STORY_LIMITS.highlightStories, 32).optional(),
  cover_story_id: text(32).nullable().optional(),
  position: intish(0, 1000).optional(),
});

/** Stories, the tray, views, replies, reactions, close friends and highlights (API.md, "Stories"). */
export function registerStoryRoutes(app: FastifyInstance, services: Services): void {
  const ctx = { ...services.config, mediaUrls: services.mediaUrls };
  const base = '/api/glimpse/v1';

  app.post(`${base}/stories`, { config: { auth: 'user', scope: 'write:statuses' } }, async (request) => {
    const input = parseInput(createSchema, request.body);
    const story = await services.stories.create(requireViewer(request.viewer), {
      mediaId: input.media_id,
      durationMs: input.duration_ms,
      audience: input.audience,
      overlays: input.overlays as Overlay[],
      reshareOfId: input.reshare_of_id,
    });
    return presentStory(ctx, story);
  });

  app.get(`${base}/stories/tray`, { config: { auth: 'user', scope: 'read:statuses' } }, async (request) => {
    const entries = await services.stories.tray(requireViewer(request.viewer));
    return entries.map((e) => presentTrayEntry(ctx, e));
  });

  // The author's archive of expired stories (GET /stories/archive?max_id=&limit=), newest first.
  app.get(`${base}/stories/archive`, { config: { auth: 'user', scope: 'read:statuses' } }, async (request, reply) => {
    const q = parseInput(limitMaxIdQuery, request.query);
    const limit = q.limit ?? 20;
    const stories = await services.stories.archive(requireViewer(request.viewer), limit, q.max_id);
    setLinkHeader(request, reply, services.config.publicUrl, stories.map((s) => s.story.id), limit);
    return stories.map((s) => presentStory(ctx, s));
  });

  app.get(`${base}/stories/replies`, { config: { auth: 'user', scope: 'read:notifications' } }, async (request) => {
    const q = parseInput(limitMaxIdQuery, request.query);
    const rows = await services.stories.replies(requireViewer(request.viewer), q.limit ?? 40, q.max_id);
    return rows.map(({ reply, account }) => ({ id: reply.id, story_id: reply.story_id, text: reply.text, created_at: reply.created_at, account: presentAccount(services.config, account) }));
  });

  app.get(`${base}/accounts/:id/stories`, { config: { auth: 'optional', scope: 'read:statuses' } }, async (request) => {
    const { id } = parseInput(idParam, request.params);
    return (await services.stories.ofAccount(request.viewer, id)).map((s) => presentStory(ctx, s));
  });

  app.get(`${base}/stories/:id`, { config: { auth: 'optional', scope: 'read:statuses' } }, async (request) => {
    const { id } = parseInput(idParam, request.params);
    return presentStory(ctx, await services.stories.get(request.viewer, id));
  });

  app.delete(`${base}/stories/:id`, { config: { auth: 'user', scope: 'write:statuses' } }, async (request) => {
    const { id } = parseInput(idParam, request.params);
    await services.stories.delete(requireViewer(request.viewer), id);
    return {};
  });

  app.post(`${base}/stories/:id/seen`, { config: { auth: 'user', scope: 'write:statuses' } }, async (request) => {
    const { id } = parseInput(idParam, request.params);
    return presentStory(ctx, await services.stories.markSeen(requireViewer(request.viewer), id));
  });

  app.get(`${base}/stories/:id/viewers`, { config: { auth: 'user', scope: 'read:statuses' } }, async (request) => {
    const { id } = parseInput(idParam, request.params);
    const q = parseInput(limitBeforeQuery, request.query);
    const rows = await services.stories.viewers(requireViewer(request.viewer), id, q.limit ?? 100, q.before);
    return rows.map((r) => ({ account: presentAccount(services.config, r.account), viewed_at: r.viewedAt }));
  });

  app.post(`${base}/stories/:id/replies`, { config: { auth: 'user', scope: 'write:statuses' } }, async (request) => {
    const { id } = parseInput(idParam, request.params);
    const body = parseInput(textBody, request.body);
    const reply = await services.stories.reply(requireViewer(request.viewer), id, body.text);
    // The sender is never told whether the author's hidden words caught it.
    return { id: reply.id, story_id: id, text: body.text };
  });

  app.post(`${base}/stories/:id/reactions`, { config: { auth: 'user', scope: 'write:statuses' } }, async (request) => {
    const { id } = parseInput(idParam, request.params);
    const body = parseInput(emojiBody, request.body);
    const reaction = await services.stories.react(requireViewer(request.viewer), id, body.emoji);
    return { id: reaction.id, story_id: id, emoji: body.emoji };
  });

  app.get(`${base}/close_friends`, { config: { auth: 'user', scope: 'read:follows' } }, async (request) => {
    const q = parseInput(limitOffsetQuery, request.query);
    return (await services.stories.closeFriends(requireViewer(request.viewer), q.limit ?? 200, q.offset ?? 0)).map((a) => presentAccount(services.config, a));
  });

  app.post(`${base}/close_friends`, { config: { auth: 'user', scope: 'write:follows' } }, async (request) => {
    const body = parseInput(accountIdsBody, request.body);
    return (await services.stories.addCloseFriends(requireViewer(request.viewer), body.account_ids)).map((a) => presentAccount(services.config, a));
  });

  app.delete(`${base}/close_friends/:account_id`, { config: { auth: 'user', scope: 'write:follows' } }, async (request) => {
    const { account_id } = parseInput(accountIdParams, request.params);
    await services.stories.removeCloseFriend(requireViewer(request.viewer), account_id);
    return {};
  });

  app.get(`${base}/accounts/:id/highlights`, { config: { auth: 'optional', scope: 'read:statuses' } }, async (request) => {
    const { id } = parseInput(idParam, request.params);
    return (await services.stories.highlights(request.viewer, id)).map((h) => presentHighlight(ctx, h));
  });

  app.post(`${base}/highlights`, { config: { auth: 'user', scope: 'write:statuses' } }, async (request) => {
    const body = parseInput(highlightSchema.extend({ title: text(STORY_LIMITS.highlightTitle), story_ids: stringList(STORY_LIMITS.highlightStories, 32) }), request.body);
    const saved = await services.stories.saveHighlight(requireViewer(request.viewer), undefined, { title: body.title, storyIds: body.story_ids, coverStoryId: body.cover_story_id, position: body.position });
    return presentHighlight(ctx, saved);
  });

  app.put(`${base}/highlights/:id`, { config: { auth: 'user', scope: 'write:statuses' } }, async (request) => {
    const { id } = parseInput(idParam, request.params);
    const body = parseInput(highlightSchema, request.body);
    const saved = await services.stories.saveHighlight(requireViewer(request.viewer), id, { title: body.title, storyIds: body.story_ids, coverStoryId: body.cover_story_id, position: body.position });
    return presentHighlight(ctx, saved);
  });

  app.delete(`${base}/highlights/:id`, { config: { auth: 'user', scope: 'write:statuses' } }, async (request) => {
    const { id } = parseInput(idParam, request.params);
    await services.stories.deleteHighlight(requireViewer(request.viewer), id);
    return {};
  });
}
