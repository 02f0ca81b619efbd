import type { Clock } from '../../clock.ts';
import type { Db } from '../../db/database.ts';
import { newId } from '../../db/ids.ts';
import { notFound, unprocessable } from '../../errors.ts';
import type { Viewer, ViewerContext } from '../../access/viewer-context.ts';
import { canSeeAccount, shouldNotify } from '../../access/account-policy.ts';
import { type StoryCapabilities, storyCapabilities } from '../../access/capabilities.ts';
import { canAttachMedia } from '../../access/media-policy.ts';
import {
  canMentionInStory,
  canReshareStory,
  canRespondToStory,
  canSeeStoryViewers,
  canViewStory,
} from '../../access/story-policy.ts';
import type { AccountRepository } from '../accounts/account-repository.ts';
import type { AccountRow } from '../accounts/account.ts';
import type { RelationshipRepository } from '../follows/relationship-repository.ts';
import type { MediaRepository } from '../media/media-repository.ts';
import type { MediaRow } from '../media/media.ts';
import type { MediaLifecycle } from '../media/media-lifecycle.ts';
import type { NotificationService } from '../notifications/notification-service.ts';
import type { NotificationRow } from '../notifications/notification.ts';
import type { StoryRepository, TrayRow } from './story-repository.ts';
import type { TrayCache } from './tray-cache.ts';
import type { StoryLink } from '../posts/post-hydrator.ts';
import type { MessageWritten, StoryResponseMessage } from '../conversations/conversation-service.ts';
import { canPreviewAnsweredStory } from '../../access/message-policy.ts';
import { isExpired } from '../../access/story-policy.ts';
import type { RateLimit } from '../../infra/rate-limit/rate-limit-store.ts';
import { type HighlightRow, type Overlay, STORY_LIMITS, type StoryRow, overlaysOf } from './story.ts';

/** A story with what presenting it needs, loaded in batch. */
export interface HydratedStory {
  story: StoryRow;
  author: AccountRow;
  media: MediaRow;
  overlays: Overlay[];
  mentions: AccountRow[];
  seen: boolean;
  /** The story this one reshares, when the viewer may see it. */
  reshareOf?: { story: StoryRow; author: AccountRow };
  isOwn: boolean;
  /** What the viewer may do with it (presented as `glimpse.can`). */
  can: StoryCapabilities;
}

export interface TrayEntry {
  account: AccountRow;
  storiesCount: number;
  unseenCount: number;
  latestAt: string;
  hasCloseFriends: boolean;
}

export interface CreateStoryInput {
  mediaId?: string;
  durationMs?: number;
  audience: 'followers' | 'close_friends';
  overlays: Overlay[];
  reshareOfId?: string;
}

/**
 * Where story replies meet the author's hidden words. The comments feature supplies the real
 * check; until then nothing is hidden.
 */
export interface ReplyModeration {
  isHidden(authorId: string, text: string): Promise<boolean>;
}

export const noReplyModeration: ReplyModeration = { isHidden: async () => false };

/** Where story replies and reactions become direct messages (the conversations feature). */
export interface StoryConversations {
  /** Inside the response's transaction; returns what to announce after it commits. */
  recordStoryResponse(trx: Db, input: StoryResponseMessage): Promise<MessageWritten>;
  announce(written: MessageWritten | undefined): void;
}

/** Stories, the tray, views, replies, reactions, close friends and highlights. */
export class StoryService {
  constructor(
    private readonly db: Db,
    private readonly stories: StoryRepository,
    private readonly accounts: AccountRepository,
    private readonly media: MediaRepository,
    private readonly relationships: RelationshipRepository,
    private readonly notifications: NotificationService,
    private readonly clock: Clock,
    /** Replies and reactions together, per account (GLIMPSE_RATE_LIMIT_STORY_RESPONSES). */
    private readonly responseLimit?: RateLimit,
    private moderation: ReplyModeration = noReplyModeration,
  ) {}

  private conversations?: StoryConversations;

  /** The conversations feature: each reply and reaction is also a message to the author. */
  useConversations(conversations: StoryConversations): void {
    this.conversations = conversations;
  }

  private mediaLifecycle?: Pick<MediaLifecycle, 'storyDeleted'>;
  /** A deleted story's photo is removed (unless a reshare still shows it): domain/media/media-lifecycle.ts. */
  useMediaLifecycle(lifecycle: Pick<MediaLifecycle, 'storyDeleted'>): void {
    this.mediaLifecycle = lifecycle;
  }

  /**
   * The stories some messages answer, in one batch: previewed (their photo) only while live and
   * visible to the viewer (access/message-policy.ts canPreviewAnsweredStory).
   */
  async linksFor(viewer: Viewer | undefined, ids: readonly string[]): Promise<Map<string, StoryLink>> {
    const now = this.clock.now();
    const stories = await this.stories.findByIds(ids);
    const authorIds = [...new Set([...stories.values()].map((s) => s.account_id))];
    const [accounts, ctx, media] = await Promise.all([
      this.accounts.findByIds(authorIds),
      this.relationships.loadViewerContext(viewer, authorIds),
      this.media.findByIds([...stories.values()].map((s) => s.media_id)),
    ]);
    const mediaById = new Map(media.map((m) => [m.id, m]));
    const out = new Map<string, StoryLink>();
    for (const id of ids) {
      const story = stories.get(id);
      const author = story && accounts.get(story.account_id);
      if (!story || !author) {
        out.set(id, { id, expired: true });
        continue;
      }
      const preview = canPreviewAnsweredStory(ctx, story, author, now) ? mediaById.get(story.media_id) : undefined;
      out.set(id, { id, expired: isExpired(story, now), ...(preview ? { preview } : {}) });
    }
    return out;
  }

  /** The comments feature plugs its hidden-words check in here. */
  useReplyModeration(moderation: ReplyModeration): void {
    this.moderation = moderation;
  }

  /**
   * Skeleton → hydrate → rules for stories. A reshare is shown only to those who may also
   * see the original, so a reshare can never widen the original's audience.
   */
  async hydrate(viewer: Viewer | undefined, ids: readonly string[], options: { viaHighlight?: boolean } = {}): Promise<HydratedStory[]> {
    if (ids.length === 0) return [];
    const now = this.clock.now();
    const stories = await this.stories.findByIds(ids);
    const originals = await this.stories.findByIds([...stories.values()].flatMap((s) => (s.reshare_of_id ? [s.reshare_of_id] : [])));
    const all = [...stories.values(), ...originals.values()];
    const [mentions, media] = await Promise.all([this.stories.mentionsFor([...stories.keys()]), this.media.findByIds(all.map((s) => s.media_id))]);
    const [accounts, ctx, seen] = await Promise.all([
      this.accounts.findByIds([...all.map((s) => s.account_id), ...[...mentions.values()].flat()]),
      this.relationships.loadViewerContext(viewer, all.map((s) => s.account_id)),
      viewer ? this.stories.seenBy(viewer.accountId, [...stories.keys()]) : Promise.resolve(new Set<string>()),
    ]);
    const mediaById = new Map(media.map((m) => [m.id, m]));
    const viaHighlight = options.viaHighlight ?? false;
    const out: HydratedStory[] = [];
    for (const id of ids) {
      const story = stories.get(id);
      const author = story && accounts.get(story.account_id);
      const photo = story && mediaById.get(story.media_id);
      if (!story || !author || !photo) continue;
      if (!canViewStory(ctx, story, author, { now, viaHighlight })) continue;
      let reshareOf: HydratedStory['reshareOf'];
      if (story.reshare_of_id) {
        const original = originals.get(story.reshare_of_id);
        const originalAuthor = original && accounts.get(original.account_id);
        if (!original || !originalAuthor || !canViewStory(ctx, original, originalAuthor, { now, viaHighlight: true })) continue;
        reshareOf = { story: original, author: originalAuthor };
      }
      out.push({
        story,
        author,
        media: photo,
        overlays: overlaysOf(story),
        mentions: (mentions.get(id) ?? []).map((m) => accounts.get(m)).filter((a): a is AccountRow => a !== undefined),
        seen: seen.has(id),
        reshareOf,
        isOwn: viewer?.accountId === story.account_id,
        can: storyCapabilities(ctx, story, author, viewer !== undefined && (mentions.get(id) ?? []).includes(viewer.accountId), now),
      });
    }
    return out;
  }

  async get(viewer: Viewer | undefined, id: string): Promise<HydratedStory> {
    const [story] = await this.hydrate(viewer, [id], { viaHighlight: await this.isHighlighted(id) });
    if (!story) throw notFound();
    return story;
  }

  private async isHighlighted(storyId: string): Promise<boolean> {
    const row = await this.db.selectFrom('highlight_items').select('story_id').where('story_id', '=', storyId).executeTakeFirst();
    return row !== undefined;
  }

  async create(viewer: Viewer, input: CreateStoryInput): Promise<HydratedStory> {
    const now = this.clock.now();
    const nowIso = now.toISOString();
    if ((await this.stories.countLive(viewer.accountId, now)) >= STORY_LIMITS.liveStories) {
      throw unprocessable(`Validation failed: You can keep at most ${STORY_LIMITS.liveStories} live stories`);
    }
    let mediaId: string;
    let reshareOf: StoryRow | undefined;
    if (input.reshareOfId) {
      reshareOf = await this.checkReshare(viewer, input.reshareOfId);
      mediaId = reshareOf.media_id;
    } else {
      if (!input.mediaId) throw unprocessable('Validation failed: A story needs a photo');
      mediaId = (await this.ownFreshMedia(viewer, input.mediaId)).id;
    }
    const mentionIds = [...new Set(input.overlays.flatMap((o) => (o.type === 'mention' ? [o.account_id] : [])))];
    const mentioned = await this.accounts.findByIds(mentionIds);
    const authorCtx = await this.relationships.loadViewerContext(viewer, mentionIds);
    for (const id of mentionIds) {
      if (!mentioned.has(id) || !canMentionInStory(authorCtx, id)) throw unprocessable('Validation failed: A mentioned account does not exist');
    }
    const row: StoryRow = {
      id: newId(now.getTime()),
      account_id: viewer.accountId,
      media_id: mediaId,
      duration_ms: input.durationMs ?? STORY_LIMITS.defaultDurationMs,
      audience: input.audience,
      overlays: JSON.stringify(input.overlays),
      reshare_of_id: reshareOf?.id ?? null,
      viewers_count: 0,
      created_at: nowIso,
      expires_at: new Date(now.getTime() + STORY_LIMITS.lifetimeMs).toISOString(),
    };
    const author = (await this.accounts.findById(viewer.accountId))!;
    // Who may be told: only mentioned accounts that may see the story (loaded before the
    // transaction, which on SQLite holds the only connection).
    const audience = await this.relationships.loadAudienceContexts([viewer.accountId], mentionIds);
    const recipients = mentionIds.filter((id) => {
      const ctx = audience.get(id);
      return ctx !== undefined && shouldNotify(ctx, viewer.accountId, canViewStory(ctx, row, author, { now, viaHighlight: false }));
    });
    const sent = await this.db.transaction().execute(async (trx) => {
      await this.stories.insert(row, mentionIds, trx);
      const out: NotificationRow[] = [];
      for (const id of recipients) {
        const n = await this.notifications.notify(trx, 'story_mention', id, viewer.accountId, null, row.id);
        if (n) out.push(n);
      }
      return out;
    });
    for (const n of sent) this.notifications.published(n);
    this.storiesChanged([viewer.accountId]);
    return this.get(viewer, row.id);
  }

  private async checkReshare(viewer: Viewer, originalId: string): Promise<StoryRow> {
    const original = (await this.stories.findByIds([originalId])).get(originalId);
    const author = original && (await this.accounts.findById(original.account_id));
    if (!original || !author) throw notFound();
    const ctx = await this.relationships.loadViewerContext(viewer, [author.id]);
    const now = this.clock.now();
    if (!canViewStory(ctx, original, author, { now, viaHighlight: false })) throw notFound();
    const mentioned = (await this.stories.mentionsFor([originalId])).get(originalId) ?? [];
    if (!canReshareStory(ctx, original, author, mentioned.includes(viewer.accountId), now)) {
      throw unprocessable('Validation failed: This story cannot be added to your story');
    }
    return original;
  }

  private async ownFreshMedia(viewer: Viewer, mediaId: string): Promise<MediaRow> {
    const media = await this.media.findById(mediaId);
    // Another's media, a missing id and a used photo all get the same answer.
    if (!media || !canAttachMedia(viewer, media, { inStory: await this.stories.isMediaUsed(mediaId) })) {
      throw unprocessable('Validation failed: Media is invalid or not yours');
    }
    if (media.state !== 'ready') throw unprocessable('Validation failed: Cannot attach files that have not finished processing. Try again in a moment!');
    return media;
  }

  async delete(viewer: Viewer, id: string): Promise<void> {
    const story = await this.get(viewer, id);
    if (!story.can.delete) throw notFound();
    await this.stories.delete(id);
    this.storiesChanged([viewer.accountId]);
    await this.mediaLifecycle?.storyDeleted(story.story.media_id);
  }

  /**
   * The viewer's own archive: their expired stories, newest first (`max_id` paging). Only the
   * author reads it (it is always the viewer's own); highlights keep showing those they hold.
   */
  async archive(viewer: Viewer, limit: number, maxId?: string): Promise<HydratedStory[]> {
    const ids = await this.stories.archivedIds(viewer.accountId, this.clock.now(), limit, maxId);
    const hydrated = await this.hydrate(viewer, ids);
    const order = new Map(ids.map((id, i) => [id, i]));
    return hydrated.sort((a, b) => order.get(a.story.id)! - order.get(b.story.id)!);
  }

  /** Live stories of one account that the viewer may see, oldest first. */
  async ofAccount(viewer: Viewer | undefined, accountId: string): Promise<HydratedStory[]> {
    const account = await this.accounts.findById(accountId);
    const ctx = await this.relationships.loadViewerContext(viewer, [accountId]);
    if (!account || !canSeeAccount(ctx, account)) throw notFound();
    const ids = await this.stories.liveIdsByAuthors([accountId], this.clock.now());
    return this.hydrate(viewer, ids);
  }

  /**
   * The tray: own stories first, then accounts with unseen stories, then the rest, each group
   * newest first. One skeleton query, one batch of authors and relations, then the policies.
   */
  async tray(viewer: Viewer): Promise<TrayEntry[]> {
    const now = this.clock.now();
    const rows = await this.trayRows(viewer, now);
    if (rows.length === 0) return [];
    const originals = await this.stories.findByIds(rows.flatMap((r) => (r.reshare_of_id ? [r.reshare_of_id] : [])));
    const authorIds = [...rows.map((r) => r.account_id), ...[...originals.values()].map((o) => o.account_id)];
    const [accounts, ctx] = await Promise.all([this.accounts.findByIds(authorIds), this.relationships.loadViewerContext(viewer, authorIds, { cached: true })]);
    const entries = new Map<string, TrayEntry>();
    for (const row of rows) {
      const author = accounts.get(row.account_id);
      // The tray is live stories only, the viewer's own too (kept rows may have expired since).
      if (isExpired(row, now) || !author || !canViewStory(ctx, row, author, { now, viaHighlight: false })) continue;
      if (row.reshare_of_id) {
        const original = originals.get(row.reshare_of_id);
        const originalAuthor = original && accounts.get(original.account_id);
        if (!original || !originalAuthor || !canViewStory(ctx, original, originalAuthor, { now, viaHighlight: true })) continue;
      }
      const entry = entries.get(author.id) ?? { account: author, storiesCount: 0, unseenCount: 0, latestAt: row.created_at, hasCloseFriends: false };
      entry.storiesCount += 1;
      if (!row.seen) entry.unseenCount += 1;
      if (row.created_at > entry.latestAt) entry.latestAt = row.created_at;
      if (row.audience === 'close_friends') entry.hasCloseFriends = true;
      entries.set(author.id, entry);
    }
    const rank = (e: TrayEntry) => (e.account.id === viewer.accountId ? 0 : e.unseenCount > 0 ? 1 : 2);
    return [...entries.values()].sort((a, b) => rank(a) - rank(b) || (a.latestAt < b.latestAt ? 1 : a.latestAt > b.latestAt ? -1 : 0));
  }

  /** The story rows of the viewer's tray: kept ones while nothing they came from changed (tray-cache.ts), else read. */
  private async trayRows(viewer: Viewer, now: Date): Promise<TrayRow[]> {
    const cache = this.trayCache;
    const version = viewer.relationsVersion;
    if (!cache || version === undefined) return this.stories.trayRows(viewer.accountId, now);
    const kept = cache.get(viewer.accountId, version);
    if (kept) return kept;
    const at = cache.begin();
    const [rows, followed] = await Promise.all([this.stories.trayRows(viewer.accountId, now), this.stories.followedIds(viewer.accountId)]);
    cache.set(viewer.accountId, { at, relationsVersion: version, rows, accounts: [viewer.accountId, ...followed] });
    return rows;
  }

  private trayCache?: TrayCache;
  private onTraysChanged?: (accountIds: string[]) => void;
  /**
   * Trays kept in memory (tray-cache.ts); `onChanged` carries each change of stories or views to
   * the other processes (their caches' `changed`), this one's cache is told at once.
   */
  useTrayCache(cache: TrayCache, onChanged?: (accountIds: string[]) => void): void {
    this.trayCache = cache;
    this.onTraysChanged = onChanged;
  }

  /** These accounts' stories changed, or they watched one (here, or on account removal): trays showing them are read afresh. */
  storiesChanged(accountIds: string[]): void {
    this.trayCache?.changed(accountIds);
    this.onTraysChanged?.(accountIds);
  }

  async markSeen(viewer: Viewer, id: string): Promise<HydratedStory> {
    const story = await this.get(viewer, id);
    if (await this.stories.addView(id, viewer.accountId, this.clock.now().toISOString(), !story.isOwn)) this.storiesChanged([viewer.accountId]);
    return this.get(viewer, id);
  }

  /** Who viewed a story: its author only; anyone else gets 404. */
  async viewers(viewer: Viewer, id: string, limit: number, before?: string) {
    const story = await this.get(viewer, id);
    const ctx = await this.relationships.loadViewerContext(viewer, [story.author.id]);
    if (!canSeeStoryViewers(ctx, story.story)) throw notFound();
    const rows = await this.stories.viewersPage(id, viewer.accountId, limit, before);
    const accounts = await this.accounts.findByIds(rows.map((r) => r.account_id));
    return rows.flatMap((r) => {
      const account = accounts.get(r.account_id);
      return account ? [{ account, viewedAt: r.viewed_at }] : [];
    });
  }

  /** The story a reply or reaction goes to; each response counts against the sender's flood limit. */
  private async respondable(viewer: Viewer, id: string): Promise<HydratedStory> {
    const story = await this.get(viewer, id);
    const ctx = await this.relationships.loadViewerContext(viewer, [story.author.id]);
    if (!canRespondToStory(ctx, story.story, story.author, this.clock.now())) throw notFound();
    await this.responseLimit?.takeOrRefuse(`story-response:${viewer.accountId}`);
    return story;
  }

  /** A private reply: only the author receives it; the author's hidden words apply. */
  async reply(viewer: Viewer, id: string, text: string): Promise<{ id: string; hidden: boolean }> {
    const story = await this.respondable(viewer, id);
    const hidden = await this.moderation.isHidden(story.author.id, text);
    const now = this.clock.now();
    const replyId = newId(now.getTime());
    const { notification, message } = await this.db.transaction().execute(async (trx) => {
      await this.stories.insertReply({ id: replyId, story_id: id, story_author_id: story.author.id, account_id: viewer.accountId, text, hidden: hidden ? 1 : 0, created_at: now.toISOString() }, trx);
      const message = await this.conversations?.recordStoryResponse(trx, { id: replyId, senderId: viewer.accountId, storyAuthorId: story.author.id, storyId: id, text, hidden });
      return { notification: hidden ? undefined : await this.notifications.notify(trx, 'story_reply', story.author.id, viewer.accountId, null, id, replyId), message };
    });
    this.notifications.published(notification);
    this.conversations?.announce(message);
    return { id: replyId, hidden };
  }

  async react(viewer: Viewer, id: string, emoji: string): Promise<{ id: string }> {
    const story = await this.respondable(viewer, id);
    const now = this.clock.now();
    const reactionId = newId(now.getTime());
    const { notification, message } = await this.db.transaction().execute(async (trx) => {
      await this.stories.insertReaction({ id: reactionId, story_id: id, story_author_id: story.author.id, account_id: viewer.accountId, emoji, hidden: 0, created_at: now.toISOString() }, trx);
      const message = await this.conversations?.recordStoryResponse(trx, { id: reactionId, senderId: viewer.accountId, storyAuthorId: story.author.id, storyId: id, text: emoji, hidden: false });
      return { notification: await this.notifications.notify(trx, 'story_reaction', story.author.id, viewer.accountId, null, id, reactionId), message };
    });
    this.notifications.published(notification);
    this.conversations?.announce(message);
    return { id: reactionId };
  }

  /** The author's replies inbox. */
  async replies(viewer: Viewer, limit: number, maxId?: string) {
    const rows = await this.stories.repliesFor(viewer.accountId, limit, maxId);
    const accounts = await this.accounts.findByIds(rows.map((r) => r.account_id));
    const ctx = await this.relationships.loadViewerContext(viewer, [...accounts.keys()]);
    return rows.flatMap((r) => {
      const account = accounts.get(r.account_id);
      return account && !ctx.blocking.has(account.id) ? [{ reply: r, account }] : [];
    });
  }

  // Close friends

  async closeFriends(viewer: Viewer, limit: number, offset: number): Promise<AccountRow[]> {
    const ids = await this.stories.closeFriendIds(viewer.accountId, limit, offset);
    const accounts = await this.accounts.findByIds(ids);
    return ids.map((id) => accounts.get(id)).filter((a): a is AccountRow => a !== undefined);
  }

  async addCloseFriends(viewer: Viewer, ids: string[]): Promise<AccountRow[]> {
    const unique = [...new Set(ids)].filter((id) => id !== viewer.accountId);
    const accounts = await this.accounts.findByIds(unique);
    const ctx = await this.relationships.loadViewerContext(viewer, unique);
    for (const id of unique) {
      const account = accounts.get(id);
      if (!account || !canSeeAccount(ctx, account)) throw unprocessable('Validation failed: An account does not exist');
    }
    if ((await this.stories.countCloseFriends(viewer.accountId)) + unique.length > STORY_LIMITS.closeFriends) {
      throw unprocessable(`Validation failed: A close friends list holds at most ${STORY_LIMITS.closeFriends} accounts`);
    }
    await this.stories.addCloseFriends(viewer.accountId, unique, this.clock.now().toISOString());
    return unique.map((id) => accounts.get(id)!);
  }

  async removeCloseFriend(viewer: Viewer, id: string): Promise<void> {
    if (!(await this.stories.removeCloseFriend(viewer.accountId, id))) throw notFound();
  }

  // Highlights

  /** An account's highlights, each with the stories the viewer may see; empty ones are left out. */
  async highlights(viewer: Viewer | undefined, accountId: string): Promise<Array<{ highlight: HighlightRow; stories: HydratedStory[] }>> {
    const account = await this.accounts.findById(accountId);
    const ctx = await this.relationships.loadViewerContext(viewer, [accountId]);
    if (!account || !canSeeAccount(ctx, account)) throw notFound();
    const highlights = await this.stories.highlightsOf(accountId);
    const items = await this.stories.highlightItems(highlights.map((h) => h.id));
    const visible = await this.hydrate(viewer, [...new Set([...items.values()].flat())], { viaHighlight: true });
    const byId = new Map(visible.map((s) => [s.story.id, s]));
    return highlights.flatMap((highlight) => {
      const stories = (items.get(highlight.id) ?? []).flatMap((id) => byId.get(id) ?? []);
      return stories.length ? [{ highlight, stories }] : [];
    });
  }

  async saveHighlight(viewer: Viewer, id: string | undefined, input: { title?: string; storyIds?: string[]; coverStoryId?: string | null; position?: number }) {
    const now = this.clock.now().toISOString();
    const existing = id ? await this.stories.findHighlight(id) : undefined;
    if (id && (!existing || existing.account_id !== viewer.accountId)) throw notFound();
    if (!existing && (await this.stories.highlightsOf(viewer.accountId)).length >= STORY_LIMITS.highlights) {
      throw unprocessable(`Validation failed: At most ${STORY_LIMITS.highlights} highlights`);
    }
    if (input.storyIds) {
      if (new Set(input.storyIds).size !== input.storyIds.length) throw unprocessable('Validation failed: A story is listed twice');
      const stories = await this.stories.findByIds(input.storyIds);
      // Only one's own stories, expired or not: someone else's id is refused like a missing one.
      for (const sid of input.storyIds) if (stories.get(sid)?.account_id !== viewer.accountId) throw unprocessable('Validation failed: Stories must be your own');
      if (!existing && input.storyIds.length === 0) throw unprocessable('Validation failed: A highlight needs at least one story');
    }
    const storyIds = input.storyIds ?? (existing ? (await this.stories.highlightItems([existing.id])).get(existing.id) ?? [] : []);
    const cover = input.coverStoryId === undefined ? (existing?.cover_story_id ?? null) : input.coverStoryId;
    if (cover !== null && !storyIds.includes(cover)) throw unprocessable('Validation failed: The cover must be one of the highlight\'s stories');
    const row: HighlightRow = {
      id: existing?.id ?? newId(this.clock.now().getTime()),
      account_id: viewer.accountId,
      title: input.title ?? existing?.title ?? '',
      cover_story_id: cover,
      position: input.position ?? existing?.position ?? (await this.stories.highlightsOf(viewer.accountId)).length,
      created_at: existing?.created_at ?? now,
      updated_at: now,
    };
    if (row.title.trim() === '') throw unprocessable("Validation failed: Title can't be blank");
    await this.stories.saveHighlight(row, input.storyIds, !existing);
    const [saved] = (await this.highlights(viewer, viewer.accountId)).filter((h) => h.highlight.id === row.id);
    return saved ?? { highlight: row, stories: [] };
  }

  async deleteHighlight(viewer: Viewer, id: string): Promise<void> {
    const existing = await this.stories.findHighlight(id);
    if (!existing || existing.account_id !== viewer.accountId) throw notFound();
    await this.stories.deleteHighlight(id);
  }
}
