import { type MediaLifecycle, REDRAFT_KEEP_MS } from '../media/media-lifecycle.ts';
import type { Clock } from '../../clock.ts';
import type { Db } from '../../db/database.ts';
import { newId } from '../../db/ids.ts';
import { notFound, unprocessable } from '../../errors.ts';
import type { Viewer, ViewerContext } from '../../access/viewer-context.ts';
import { canViewPost } from '../../access/post-policy.ts';
import { type AccountFacts, canSeeAccount, isLocked, shouldNotify } from '../../access/account-policy.ts';
import { canAttachMedia } from '../../access/media-policy.ts';
import { isConversationMessage, isMessage } from '../../access/message-policy.ts';
import { threadKeyOf, threadKeysOf } from '../../access/thread-policy.ts';
import type { AccountRepository } from '../accounts/account-repository.ts';
import type { RelationshipRepository } from '../follows/relationship-repository.ts';
import type { MediaRepository } from '../media/media-repository.ts';
import type { MediaRow } from '../media/media.ts';
import type { NotificationService } from '../notifications/notification-service.ts';
import type { NotificationRow } from '../notifications/notification.ts';
import { hashtagsOf, mentionedUsernames } from './caption.ts';
import type { HydratedPost, PostHydrator } from './post-hydrator.ts';
import type { PostRepository } from './post-repository.ts';
import { type CommentPolicy, POST_LIMITS, type StatusRow, type Visibility, newStatusRow } from './post.ts';
import type { CommentInput } from '../comments/comment-service.ts';

export interface PhotoTag {
  mediaId: string;
  accountId: string;
  x: number;
  y: number;
}

export interface CreatePostInput {
  text: string;
  mediaIds: string[];
  inReplyToId?: string;
  visibility?: Visibility;
  sensitive?: boolean;
  spoilerText?: string;
  language?: string;
  commentPolicy?: CommentPolicy;
  hideLikeCount?: boolean;
  photoTags?: PhotoTag[];
  idempotencyKey?: string;
  /** Set when a scheduled status is published (domain/scheduled). */
  scheduled?: ScheduledClaim;
}

/**
 * Publishing a scheduled status: the media reserved for it may be attached, and `claim` runs
 * first inside the transaction that writes the post (or comment); it throws when the scheduled
 * status is no longer there to publish, and the post is not written.
 */
export interface ScheduledClaim {
  id: string;
  claim(trx: Db, statusId: string): Promise<void>;
}

export interface EditPostInput {
  text?: string;
  mediaIds?: string[];
  sensitive?: boolean;
  spoilerText?: string;
  language?: string;
  commentPolicy?: CommentPolicy;
  hideLikeCount?: boolean;
  photoTags?: PhotoTag[];
  mediaDescriptions?: Array<{ id: string; description: string }>;
}

/** The comments feature: replies are written, deleted and liked through it. */
export interface CommentHooks {
  create(viewer: Viewer, input: CommentInput): Promise<HydratedPost>;
  /** The checks `create` makes before writing anything. */
  check(viewer: Viewer, input: { text: string; inReplyToId: string; mediaIds: string[] }): Promise<void>;
  delete(viewer: Viewer, comment: HydratedPost): Promise<void>;
  liked(db: Db, status: StatusRow, delta: 1 | -1): Promise<void>;
}

/** The conversations feature: direct messages are sent and deleted through it. */
export interface MessageHooks {
  send(viewer: Viewer, input: { text: string; mediaIds: string[]; inReplyToId?: string; sensitive?: boolean; spoilerText?: string; language?: string; idempotencyKey?: string; scheduled?: ScheduledClaim }): Promise<HydratedPost>;
  /** The checks `send` makes, writing nothing. */
  check(viewer: Viewer, input: { text: string; mediaIds: string[]; inReplyToId?: string }): Promise<void>;
  /** In the delete's transaction. */
  messageDeleted(trx: Db, status: StatusRow): Promise<void>;
}

/** Where a new post's comment policy comes from when the request names none. */
export type DefaultCommentPolicy = (accountId: string) => Promise<string>;

/** Things that happen after a post commits; the feeds subscribe (fan-out) here. */
export interface PostEvents {
  /** In the post's transaction: jobs the post causes (its fan-out) are recorded with it (the outbox). */
  onCreating?(trx: Db, status: StatusRow): Promise<void>;
  /**
   * After an edit commits (the row as it was before; its id and author do not change). Awaited:
   * the edit's answer goes out once its stream events are published.
   */
  onEdited?(status: StatusRow): void | Promise<void>;
  /** Awaited: the delete's answer goes out once its stream events are published. */
  onDeleted?(post: HydratedPost): void | Promise<void>;
}

/** Posting, editing, deleting and liking photo posts. */
export class PostService {
  constructor(
    private readonly db: Db,
    private readonly posts: PostRepository,
    private readonly accounts: AccountRepository,
    private readonly media: MediaRepository,
    private readonly relationships: RelationshipRepository,
    private readonly hydrator: PostHydrator,
    private readonly notifications: NotificationService,
    private readonly clock: Clock,
    private readonly events: PostEvents = {},
  ) {}

  private comments?: CommentHooks;
  private defaultCommentPolicy: DefaultCommentPolicy = async () => 'everyone';

  /** Wired by services.ts: comments and posts depend on each other only through this. */
  useComments(comments: CommentHooks, defaultCommentPolicy: DefaultCommentPolicy): void {
    this.comments = comments;
    this.defaultCommentPolicy = defaultCommentPolicy;
  }

  private messages?: MessageHooks;
  private mediaLifecycle?: Pick<MediaLifecycle, 'sweep'>;

  /** Wired by services.ts: `delete_media` removes a deleted post's photos at once (media-lifecycle.ts). */
  useMediaLifecycle(lifecycle: Pick<MediaLifecycle, 'sweep'>): void {
    this.mediaLifecycle = lifecycle;
  }

  /** Wired by services.ts: direct statuses are messages of the conversations feature. */
  useMessages(messages: MessageHooks): void {
    this.messages = messages;
  }

  /** A message's photos are checked as a post's. */
  async checkMessageMedia(viewer: Viewer, ids: string[], options: { forScheduled?: string; allowProcessing?: boolean } = {}): Promise<MediaRow[]> {
    return this.ownReadyMedia(viewer, ids, undefined, options);
  }

  /** A direct status, or any reply to a direct message, is a message in a conversation. */
  private async isMessageInput(input: { visibility?: Visibility; inReplyToId?: string }): Promise<boolean> {
    if (!this.messages) return false;
    if (input.visibility === 'direct') return true;
    return input.inReplyToId !== undefined && isConversationMessage((await this.posts.findById(input.inReplyToId)) ?? { visibility: '', conversation_id: null });
  }

  private get commentHooks(): CommentHooks {
    if (!this.comments) throw new Error('comments are not wired');
    return this.comments;
  }

  /** One post the viewer may see, or 404. */
  async get(viewer: Viewer | undefined, id: string): Promise<HydratedPost> {
    const [post] = await this.hydrator.hydrate(viewer, [id]);
    if (!post) throw notFound();
    return post;
  }

  async create(viewer: Viewer, input: CreatePostInput): Promise<HydratedPost> {
    const asMessage = () =>
      this.messages!.send(viewer, {
        text: input.text,
        mediaIds: input.mediaIds,
        inReplyToId: input.inReplyToId,
        sensitive: input.sensitive,
        spoilerText: input.spoilerText,
        language: input.language,
        idempotencyKey: input.idempotencyKey,
        scheduled: input.scheduled,
      });
    if (this.messages && input.visibility === 'direct') return asMessage();
    if (input.inReplyToId) {
      // What it answers decides what it is, and the comment goes on from the same read. A
      // repeated Idempotency-Key is answered by the claim in the comment's transaction.
      const target = await this.posts.findWithRoot(input.inReplyToId);
      const replyTo = target.statuses.get(input.inReplyToId);
      if (this.messages && replyTo && isConversationMessage(replyTo)) return asMessage();
      return this.commentHooks.create(viewer, {
        text: input.text,
        inReplyToId: input.inReplyToId,
        mediaIds: input.mediaIds,
        idempotencyKey: input.idempotencyKey,
        language: input.language,
        sensitive: input.sensitive,
        spoilerText: input.spoilerText,
        scheduled: input.scheduled,
        target,
      });
    }
    // A photo post's retry is answered before its photos are checked: they are attached by now.
    if (input.idempotencyKey) {
      const existing = await this.posts.findIdempotent(viewer.accountId, input.idempotencyKey);
      if (existing) return this.get(viewer, existing);
    }
    const author = await this.accounts.findById(viewer.accountId);
    if (!author) throw notFound();
    if (input.mediaIds.length === 0) throw unprocessable('Validation failed: A post needs at least one photo');
    const media = await this.ownReadyMedia(viewer, input.mediaIds, undefined, { forScheduled: input.scheduled?.id });

    const now = this.clock.now();
    const id = newId(now.getTime());
    const visibility = input.visibility ?? (isLocked(author) ? 'private' : 'public');
    const row = newStatusRow({
      id,
      account_id: viewer.accountId,
      text: input.text,
      visibility,
      sensitive: input.sensitive ? 1 : 0,
      spoiler_text: input.spoilerText ?? '',
      language: input.language ?? null,
      hide_like_count: input.hideLikeCount ? 1 : 0,
      comment_policy: input.commentPolicy ?? (await this.defaultCommentPolicy(viewer.accountId)),
      has_media: media.length > 0 ? 1 : 0,
      created_at: now.toISOString(),
    });
    const mentioned = await this.resolveMentions(input.text);
    const photoTags = await this.checkPhotoTags(input.photoTags ?? [], media);
    // Loaded before the transaction: on SQLite a query outside it would wait for it to end.
    const audience = await this.relationships.loadAudienceContexts([author.id], [...mentioned.map((a) => a.id), ...photoTags.map((t) => t.accountId)]);

    const result = await this.db.transaction().execute(async (trx) => {
      await input.scheduled?.claim(trx, id);
      if (input.idempotencyKey && !(await this.posts.claimIdempotencyKey(viewer.accountId, input.idempotencyKey, id, row.created_at, trx))) {
        return { duplicate: true as const, notifications: [] };
      }
      await this.posts.insert(row, trx);
      for (const [position, m] of media.entries()) await this.media.update(m.id, { status_id: id, position }, trx);
      await this.posts.insertMentions(id, mentioned.map((a) => a.id), trx);
      await this.posts.insertTags(id, hashtagsOf(input.text), trx);
      for (const m of media) await this.media.replaceTags(m.id, photoTags.filter((t) => t.mediaId === m.id).map((t) => ({ account_id: t.accountId, x: t.x, y: t.y })), trx);
      await this.posts.adjustStatusesCount(viewer.accountId, 1, trx);
      const notifications = await this.notifyAudience(trx, audience, row, author, mentioned.map((a) => a.id), photoTags.map((t) => t.accountId));
      await this.events.onCreating?.(trx, row);
      return { duplicate: false as const, notifications };
    });
    if (result.duplicate) {
      const existing = await this.posts.findIdempotent(viewer.accountId, input.idempotencyKey!);
      return this.get(viewer, existing!);
    }
    for (const n of result.notifications) this.notifications.published(n);
    return this.get(viewer, id);
  }

  /**
   * The checks `create` makes, without writing anything: a scheduled status is checked when it
   * is scheduled (its photos may still be processing then; they must be ready when it is
   * published), with the same answers as an immediate post.
   */
  async checkNew(viewer: Viewer, input: CreatePostInput): Promise<void> {
    if (this.messages && (await this.isMessageInput(input))) return this.messages.check(viewer, { text: input.text, mediaIds: input.mediaIds, inReplyToId: input.inReplyToId });
    if (input.inReplyToId) {
      await this.commentHooks.check(viewer, { text: input.text, inReplyToId: input.inReplyToId, mediaIds: input.mediaIds });
      return;
    }
    if (!(await this.accounts.findById(viewer.accountId))) throw notFound();
    if (input.mediaIds.length === 0) throw unprocessable('Validation failed: A post needs at least one photo');
    const media = await this.ownReadyMedia(viewer, input.mediaIds, undefined, { allowProcessing: true });
    await this.checkPhotoTags(input.photoTags ?? [], media);
  }

  async edit(viewer: Viewer, id: string, input: EditPostInput): Promise<HydratedPost> {
    const current = await this.get(viewer, id);
    if (!current.canManage) throw notFound();
    const status = current.status;
    const media = input.mediaIds ? await this.ownReadyMedia(viewer, input.mediaIds, id) : current.media;
    if (!status.in_reply_to_id && !isMessage(status) && media.length === 0) throw unprocessable('Validation failed: A post needs at least one photo');
    const text = input.text ?? status.text;
    const photoTags = input.photoTags ? await this.checkPhotoTags(input.photoTags, media) : undefined;
    const now = this.clock.now().toISOString();
    const mentioned = input.text !== undefined ? await this.resolveMentions(text) : [];
    // Settings (who may comment, hidden likes) are not an edit of what was said.
    const isEdit =
      (input.text !== undefined && input.text !== status.text) ||
      (input.spoilerText !== undefined && input.spoilerText !== status.spoiler_text) ||
      (input.sensitive !== undefined && (input.sensitive ? 1 : 0) !== status.sensitive) ||
      input.mediaIds !== undefined ||
      input.mediaDescriptions !== undefined;
    await this.db.transaction().execute(async (trx) => {
      if (isEdit) await this.posts.insertEdit({ id: newId(this.clock.now().getTime()), status_id: id, text: status.text, spoiler_text: status.spoiler_text, sensitive: status.sensitive, created_at: status.edited_at ?? status.created_at }, trx);
      await trx
        .updateTable('statuses')
        .set({
          text,
          sensitive: input.sensitive === undefined ? status.sensitive : input.sensitive ? 1 : 0,
          spoiler_text: input.spoilerText ?? status.spoiler_text,
          language: input.language ?? status.language,
          comment_policy: input.commentPolicy ?? status.comment_policy,
          hide_like_count: input.hideLikeCount === undefined ? status.hide_like_count : input.hideLikeCount ? 1 : 0,
          has_media: media.length > 0 ? 1 : 0,
          edited_at: isEdit ? now : status.edited_at,
        })
        .where('id', '=', id)
        .execute();
      if (input.mediaIds) {
        await trx.updateTable('media').set({ status_id: null }).where('status_id', '=', id).execute();
        for (const [position, m] of media.entries()) await this.media.update(m.id, { status_id: id, position }, trx);
      }
      for (const d of input.mediaDescriptions ?? []) {
        if (media.some((m) => m.id === d.id)) await this.media.update(d.id, { description: d.description }, trx);
      }
      if (photoTags) {
        for (const m of media) await this.media.replaceTags(m.id, photoTags.filter((t) => t.mediaId === m.id).map((t) => ({ account_id: t.accountId, x: t.x, y: t.y })), trx);
      }
      // A message's recipients are fixed when it is sent (access/message-policy.ts decided them).
      if (input.text !== undefined && !isMessage(status)) {
        await this.posts.replaceMentions(id, mentioned.map((a) => a.id), trx);
        await this.posts.replaceTags(id, hashtagsOf(text), trx);
      }
    });
    await this.events.onEdited?.(status);
    return this.get(viewer, id);
  }

  /**
   * Deletes the post; answers it as it was, as Mastodon does (clients use it to redraft). Its
   * photos stay 24 hours for that, unless `deleteMedia` (Mastodon's `delete_media`).
   */
  async delete(viewer: Viewer, id: string, options: { deleteMedia?: boolean } = {}): Promise<HydratedPost> {
    const post = await this.get(viewer, id);
    if (post.status.post_id !== null) {
      await this.commentHooks.delete(viewer, post);
      return post;
    }
    if (!post.canManage) throw notFound();
    await this.db.transaction().execute(async (trx) => {
      // The post's comments go with it (they cascade on post_id's row only via this delete).
      await trx.deleteFrom('statuses').where('post_id', '=', id).execute();
      if (isMessage(post.status)) await this.messages?.messageDeleted(trx, post.status);
      // The photos stay 24 hours, unattached, for a redraft (as on Mastodon); then the media
      // sweep removes them with their files (domain/media/media-lifecycle.ts).
      await this.media.detachFromStatus(id, new Date(this.clock.now().getTime() + (options.deleteMedia ? 0 : REDRAFT_KEEP_MS)).toISOString(), trx);
      await this.posts.delete(id, trx);
      if (!isMessage(post.status)) await this.posts.adjustStatusesCount(viewer.accountId, -1, trx);
    });
    await this.events.onDeleted?.(post);
    // At once rather than at the next periodic sweep; a crash here leaves them to that one.
    if (options.deleteMedia && post.media.length > 0) await this.mediaLifecycle?.sweep({ ids: post.media.map((m) => m.id) });
    return post;
  }

  async history(viewer: Viewer | undefined, id: string) {
    const post = await this.get(viewer, id);
    return { post, edits: await this.posts.edits(id) };
  }

  async favourite(viewer: Viewer, id: string): Promise<HydratedPost> {
    const post = await this.get(viewer, id);
    const recipientId = post.status.account_id;
    // The liked item is the recipient's own; whether they are told follows the notification rule.
    const recipient = (await this.relationships.loadAudienceContexts([viewer.accountId], [recipientId], threadKeysOf(post.status))).get(recipientId);
    const tell = recipient !== undefined && shouldNotify(recipient, viewer.accountId, true, post.status);
    const now = this.clock.now();
    const notification = await this.db.transaction().execute(async (trx) => {
      const added = await this.posts.addMark('favourites', { id: newId(now.getTime()), account_id: viewer.accountId, status_id: id, created_at: now.toISOString() }, trx);
      if (!added) return undefined;
      await this.posts.adjustFavourites(id, 1, trx);
      await this.commentHooks.liked(trx, post.status, 1);
      return tell ? this.notifications.notify(trx, 'favourite', recipientId, viewer.accountId, id) : undefined;
    });
    this.notifications.published(notification);
    return this.get(viewer, id);
  }

  async unfavourite(viewer: Viewer, id: string): Promise<HydratedPost> {
    const post = await this.get(viewer, id);
    await this.db.transaction().execute(async (trx) => {
      if (await this.posts.removeMark('favourites', viewer.accountId, id, trx)) {
        await this.posts.adjustFavourites(id, -1, trx);
        await this.commentHooks.liked(trx, post.status, -1);
        await this.notifications.withdrawFor(trx, post.status.account_id, viewer.accountId, 'favourite', id);
      }
    });
    return this.get(viewer, id);
  }

  /**
   * Mutes (or unmutes) the notifications of a status's thread for the viewer, who must be able
   * to see it: a post's whole conversation, or a comment's thread (access/thread-policy.ts).
   */
  async setThreadMute(viewer: Viewer, id: string, muted: boolean): Promise<HydratedPost> {
    const post = await this.get(viewer, id);
    await this.posts.setThreadMute(viewer.accountId, threadKeyOf(post.status), muted, this.clock.now().toISOString());
    return this.get(viewer, id);
  }

  async setMark(viewer: Viewer, id: string, table: 'bookmarks' | 'pinned_statuses', on: boolean): Promise<HydratedPost> {
    const post = await this.get(viewer, id);
    if (table === 'pinned_statuses' && !post.canManage) throw unprocessable('Validation failed: You can only pin your own posts');
    if (table === 'pinned_statuses' && on && isMessage(post.status)) throw unprocessable('Validation failed: Direct messages cannot be pinned');
    if (table === 'pinned_statuses' && on && !post.pinned && (await this.posts.countPinned(viewer.accountId)) >= POST_LIMITS.pinnedPerAccount) {
      throw unprocessable(`Validation failed: You can pin at most ${POST_LIMITS.pinnedPerAccount} posts`);
    }
    const now = this.clock.now();
    if (on) await this.posts.addMark(table, { id: newId(now.getTime()), account_id: viewer.accountId, status_id: id, created_at: now.toISOString() });
    else await this.posts.removeMark(table, viewer.accountId, id);
    return this.get(viewer, id);
  }

  /** Who liked a post: hidden like counts hide the list too, except from the author. */
  async favouritedBy(viewer: Viewer | undefined, id: string, paging: { maxId?: string; sinceId?: string; minId?: string; limit: number }) {
    const post = await this.get(viewer, id);
    if (!post.likeCountVisible) return { edges: [], accounts: [] };
    const edges = await this.posts.favouritesPage(id, paging);
    const accounts = await this.accounts.findByIds(edges.map((e) => e.account_id));
    const ctx = await this.relationships.loadViewerContext(viewer, [...accounts.keys()]);
    return {
      edges,
      accounts: edges.map((e) => accounts.get(e.account_id)).filter((a) => a !== undefined && canSeeAccount(ctx, a) && !ctx.blocking.has(a.id)),
    };
  }

  /**
   * The thread around a status, bounded: at most 40 ancestors and 60 descendants (direct replies
   * and their replies), never an unbounded walk.
   */
  async context(viewer: Viewer | undefined, id: string): Promise<{ ancestors: HydratedPost[]; descendants: HydratedPost[] }> {
    const post = await this.get(viewer, id);
    const ancestorIds = post.status.in_reply_to_id ? await this.posts.ancestorIds(post.status.in_reply_to_id, 40) : [];
    const level1 = await this.db.selectFrom('statuses').select('id').where('in_reply_to_id', '=', id).orderBy('id').limit(60).execute();
    const level2 = level1.length
      ? await this.db.selectFrom('statuses').select(['id', 'in_reply_to_id']).where('in_reply_to_id', 'in', level1.map((r) => r.id)).orderBy('id').limit(60 - level1.length).execute()
      : [];
    const ordered: string[] = [];
    for (const r of level1) {
      ordered.push(r.id);
      for (const c of level2) if (c.in_reply_to_id === r.id) ordered.push(c.id);
    }
    const [ancestors, descendants] = await Promise.all([this.hydrator.hydrate(viewer, ancestorIds), this.hydrator.hydrate(viewer, ordered.slice(0, 60))]);
    return { ancestors, descendants };
  }

  private async ownReadyMedia(viewer: Viewer, ids: string[], editingStatusId: string | undefined, options: { forScheduled?: string; allowProcessing?: boolean } = {}): Promise<MediaRow[]> {
    if (ids.length > POST_LIMITS.photos) throw unprocessable(`Validation failed: A post has at most ${POST_LIMITS.photos} photos`);
    if (new Set(ids).size !== ids.length) throw unprocessable('Validation failed: The same photo is attached twice');
    const rows = await this.media.findByIds(ids);
    const byId = new Map(rows.map((r) => [r.id, r]));
    const ordered = ids.map((id) => byId.get(id));
    for (const m of ordered) {
      // Another's media, a missing id and an already-used photo all get the same answer.
      if (!m || !canAttachMedia(viewer, m, { onPost: editingStatusId, forScheduled: options.forScheduled })) {
        throw unprocessable('Validation failed: Media is invalid or not yours');
      }
      if (m.state !== 'ready' && !(options.allowProcessing && m.state === 'processing')) throw unprocessable('Validation failed: Cannot attach files that have not finished processing. Try again in a moment!');
    }
    return ordered as MediaRow[];
  }

  private async resolveMentions(text: string) {
    const names = mentionedUsernames(text).slice(0, POST_LIMITS.mentions);
    if (names.length === 0) return [];
    return this.db.selectFrom('accounts').selectAll().where('username_lower', 'in', names).execute();
  }

  private async checkPhotoTags(tags: PhotoTag[], media: MediaRow[]): Promise<PhotoTag[]> {
    if (tags.length === 0) return [];
    const mediaIds = new Set(media.map((m) => m.id));
    const accounts = await this.accounts.findByIds(tags.map((t) => t.accountId));
    for (const t of tags) {
      if (!mediaIds.has(t.mediaId)) throw unprocessable('Validation failed: A tag must be on a photo of this post');
      if (!accounts.has(t.accountId)) throw unprocessable('Validation failed: A tagged account does not exist');
      if (!(t.x >= 0 && t.x <= 1 && t.y >= 0 && t.y <= 1)) throw unprocessable('Validation failed: Tag positions are between 0 and 1');
    }
    const seen = new Set<string>();
    return tags.filter((t) => {
      const key = `${t.mediaId}:${t.accountId}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  }

  /** Mention and tag notifications go only to those who may see the post (access: shouldNotify). */
  private async notifyAudience(trx: Db, contexts: Map<string, ViewerContext>, status: StatusRow, author: AccountFacts, mentionedIds: string[], taggedIds: string[]): Promise<NotificationRow[]> {
    const out: NotificationRow[] = [];
    const notify = async (type: 'mention' | 'tag', recipient: string) => {
      const ctx = contexts.get(recipient);
      if (!ctx || !shouldNotify(ctx, author.id, canViewPost(ctx, status, author, { isMentioned: mentionedIds.includes(recipient) }))) return;
      const n = await this.notifications.notify(trx, type, recipient, author.id, status.id);
      if (n) out.push(n);
    };
    for (const id of new Set(mentionedIds)) await notify('mention', id);
    for (const id of new Set(taggedIds)) if (!mentionedIds.includes(id)) await notify('tag', id);
    return out;
  }
}
