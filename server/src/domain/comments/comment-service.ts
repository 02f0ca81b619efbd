import type { Clock } from '../../clock.ts';
import type { Db } from '../../db/database.ts';
import { newId } from '../../db/ids.ts';
import { AppError, notFound, unprocessable } from '../../errors.ts';
import type { Viewer } from '../../access/viewer-context.ts';
import { MAX_PINNED_COMMENTS, canActOnCluster, canComment, canDeleteComment, canModerateComments, canPinComment, canSeeComment } from '../../access/comment-policy.ts';
import { shouldNotify } from '../../access/account-policy.ts';
import { canViewPost } from '../../access/post-policy.ts';
import { threadKeysOf } from '../../access/thread-policy.ts';
import type { AccountRepository } from '../accounts/account-repository.ts';
import type { RelationshipRepository } from '../follows/relationship-repository.ts';
import type { NotificationService } from '../notifications/notification-service.ts';
import type { NotificationRow } from '../notifications/notification.ts';
import type { ModerationService } from '../moderation/moderation-service.ts';
import { countableLength, hashtagsOf, mentionedUsernames } from '../posts/caption.ts';
import type { HydratedPost, PostHydrator, SharedPosts } from '../posts/post-hydrator.ts';
import type { PostRepository, StatusWithRoot } from '../posts/post-repository.ts';
import type { ScheduledClaim } from '../posts/post-service.ts';
import { POST_LIMITS, type StatusRow } from '../posts/post.ts';
import type { RateLimit } from '../../infra/rate-limit/rate-limit-store.ts';
import { GroupCommit } from '../../db/group-commit.ts';
import { type CommentCursor, type CommentRepository } from './comment-repository.ts';
import { foldKey } from './fold-key.ts';
import { classifyTone, type Tone } from './tone.ts';
import { StormCache, type Storm } from './storm-cache.ts';

/**
 * A storm: near-identical comments from at least this many distinct accounts fold into the
 * "similar comments" section. Three friends saying the same thing stay a conversation.
 */
export const STORM_MIN_ACCOUNTS = 5;
/** Distinct accounts are counted over a fold's newest this many comments (a bounded read). */
export const STORM_SCAN = 1000;
/** How many comments from people the viewer follows (the best of each, one per account) lead the first page of the "top" order. */
export const FOLLOWED_FIRST = 3;
/** The most comments one bulk action on a cluster takes per call; the answer says where to go on. */
export const CLUSTER_BULK_MAX = 2000;
/** Comment ids a bulk report names per account. */
const REPORT_IDS_MAX = 50;
const LIKE_SCORE = 2;
const REPLY_SCORE = 3;
const AUTHOR_REPLY_SCORE = 10;

export type CommentItem = { type: 'comment'; post: HydratedPost; pinned: boolean };

/** A storm of near-identical comments, by its opaque id (the fold key, base64url). */
export interface CommentCluster {
  id: string;
  text: string;
  count: number;
  /** Distinct accounts among its newest STORM_SCAN comments. */
  accounts: number;
  tone: Tone;
  /** Its text is hostile: never a headline, shown on request. */
  hostile: boolean;
}

export type ClusterAction = 'hide' | 'restrict' | 'report';

export const clusterIdOf = (key: string) => Buffer.from(key, 'utf8').toString('base64url');

function clusterKeyOf(id: string): string {
  const key = /^[A-Za-z0-9_-]{1,400}$/.test(id) ? Buffer.from(id, 'base64url').toString('utf8') : '';
  // A key never round-trips to another id: anything else is no cluster.
  if (key === '' || clusterIdOf(key) !== id) throw notFound();
  return key;
}

export interface CommentInput {
  text: string;
  inReplyToId: string;
  mediaIds: string[];
  idempotencyKey?: string;
  language?: string;
  sensitive?: boolean;
  spoilerText?: string;
  /** Set when a scheduled reply is published: claimed first in the comment's transaction. */
  scheduled?: ScheduledClaim;
  /** What it answers, when the caller has read it already (PostRepository.findWithRoot). */
  target?: StatusWithRoot;
}

/** Posts read by the comment path, in the hydrator's shape: no media, no counts (a comment's own are none yet). */
function sharedPostsOf(
  loaded: Pick<SharedPosts, 'statuses' | 'roots' | 'mentionsByStatus' | 'accounts'>,
  tagsByStatus: SharedPosts['tagsByStatus'] = new Map(),
): SharedPosts {
  return { ...loaded, tagsByStatus, mediaByStatus: new Map(), mediaTags: new Map(), commentCounts: new Map(), replyCounts: new Map() };
}

function encodeCursor(c: CommentCursor): string {
  return Buffer.from(JSON.stringify(c)).toString('base64url');
}

function decodeCursor(raw: string | undefined): CommentCursor | undefined {
  if (!raw) return undefined;
  try {
    const c = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    const skipOk = c?.skip === undefined || (Array.isArray(c.skip) && c.skip.length <= FOLLOWED_FIRST && c.skip.every((s: unknown) => typeof s === 'string' && /^\d{1,20}$/.test(s)));
    if (typeof c?.id === 'string' && /^\d{1,20}$/.test(c.id) && (c.score === undefined || Number.isInteger(c.score)) && skipOk) return c;
  } catch {
    // fall through
  }
  throw unprocessable('Validation failed: cursor is invalid');
}

/**
 * Comments on posts: Instagram-style threads, who-may-comment, moderation decided and stored
 * at write time, folds and counters kept up to date as comments arrive, pins and the digest.
 */
export class CommentService {
  constructor(
    private readonly db: Db,
    private readonly comments: CommentRepository,
    private readonly posts: PostRepository,
    private readonly accounts: AccountRepository,
    private readonly relationships: RelationshipRepository,
    private readonly hydrator: PostHydrator,
    private readonly moderation: ModerationService,
    private readonly notifications: NotificationService,
    private readonly clock: Clock,
    private readonly limiter: RateLimit | undefined,
    /** New comments commit in groups: a storm pays one commit per group, not per comment. */
    private readonly commentWrites: GroupCommit = new GroupCommit(db),
    /** The storms of the biggest posts, kept a few seconds (storm-cache.ts); capacity 0 reads them every time. */
    private readonly stormCache: StormCache = new StormCache(0),
  ) {}

  private async visiblePost(viewer: Viewer | undefined, id: string): Promise<HydratedPost> {
    const [post] = await this.hydrator.hydrate(viewer, [id]);
    if (!post) throw notFound();
    return post;
  }

  /** The post a status belongs to: itself for a post, its root for a comment. */
  private async rootOf(viewer: Viewer | undefined, status: HydratedPost): Promise<HydratedPost> {
    return status.status.post_id ? this.visiblePost(viewer, status.status.post_id) : status;
  }

  /**
   * A new comment, in few statements: what it answers and the people it involves are read in
   * four batched queries, the write is one group-committed transaction, and the answer is
   * presented from what was read (the hydrator's own rules, no reload).
   */
  async create(viewer: Viewer, input: CommentInput): Promise<HydratedPost> {
    const target = input.target ?? (await this.posts.findWithRoot(input.inReplyToId));
    const replyToRow = target.statuses.get(input.inReplyToId);
    const rootRow = replyToRow && (replyToRow.post_id ? target.statuses.get(replyToRow.post_id) : replyToRow);
    if (!replyToRow || !rootRow) throw notFound();
    const named = mentionedUsernames(input.text).slice(0, POST_LIMITS.mentions);
    const [parties, ctx] = await Promise.all([
      this.comments.parties([replyToRow.account_id, rootRow.account_id, viewer.accountId], named, viewer.accountId),
      this.relationships.loadViewerContext(viewer, [replyToRow.account_id, rootRow.account_id]),
    ]);
    const accounts = new Map([...parties.values()].map((p) => [p.account.id, p.account]));
    const loaded = { statuses: target.statuses, roots: new Map<string, StatusRow>(), mentionsByStatus: target.mentions, accounts };
    const noMarks = { favourites: new Set<string>(), bookmarks: new Set<string>(), pins: new Set<string>(), mutedThreads: new Set<string>() };
    // Replying to something one cannot see answers as if it did not exist (the reads' own rule).
    const [replyTo] = this.hydrator.select(viewer, [replyToRow.id], sharedPostsOf(loaded), { ctx, marks: noMarks, storyLinks: new Map() });
    const rootAuthor = accounts.get(rootRow.account_id);
    if (!replyTo || !rootAuthor) throw notFound();
    const root = { status: rootRow, author: rootAuthor, mentions: target.mentions.get(rootRow.id) ?? [] };
    if (!canComment(ctx, root.status, root.author)) throw new AppError(403, 'Comments on this post are limited');
    if (input.mediaIds.length > 0) throw unprocessable('Validation failed: Comments cannot carry photos');
    await this.limiter?.takeOrRefuse(`comment:${viewer.accountId}`);

    let text = input.text;
    const answering = replyTo.status.post_id !== null ? replyTo.author : undefined;
    // A reply to a reply joins the thread and names the person it answers.
    if (answering && answering.id !== viewer.accountId && !mentionedUsernames(text).includes(answering.username.toLowerCase())) {
      text = `@${answering.username} ${text}`;
    }
    if (text.trim() === '') throw unprocessable("Validation failed: Text can't be blank");
    if (countableLength(text) > POST_LIMITS.caption) throw unprocessable(`Validation failed: Text is too long (maximum is ${POST_LIMITS.caption} characters)`);

    const now = this.clock.now();
    const id = newId(now.getTime());
    const hidden = await this.moderation.decideCommentFrom(parties.get(root.author.id)!, viewer.accountId, text);
    const key = foldKey(text);
    const row: StatusRow = {
      id,
      account_id: viewer.accountId,
      text,
      visibility: root.status.visibility,
      in_reply_to_id: replyTo.status.id,
      in_reply_to_account_id: replyTo.status.account_id,
      sensitive: input.sensitive ? 1 : 0,
      spoiler_text: input.spoilerText ?? '',
      language: input.language ?? null,
      hide_like_count: 0,
      comment_policy: 'everyone',
      has_media: 0,
      favourites_count: 0,
      replies_count: 0,
      created_at: now.toISOString(),
      edited_at: null,
      post_id: root.status.id,
      thread_id: replyTo.status.post_id === null ? id : replyTo.status.thread_id,
      hidden_reason: hidden,
      approved: 0,
      fold_key: key,
      tone: classifyTone(text),
      pinned_at: null,
      rank_score: 0,
      content_version: 0,
      conversation_id: null,
      story_id: null,
    };
    // Everyone it names was read with the parties (the name of the person answered is theirs).
    const names = new Set(mentionedUsernames(text).slice(0, POST_LIMITS.mentions));
    const mentioned = [...accounts.values()].filter((a) => names.has(a.username_lower));
    // Who may be told, by their relations to the post's author and to the commenter, and the
    // commenter's own thread mutes: loaded before the transaction (SQLite has one connection).
    const audience = await this.relationships.loadAudienceContexts([root.author.id, viewer.accountId], [root.author.id, viewer.accountId, ...mentioned.map((m) => m.id)], threadKeysOf(row));
    /** The comment may be told to someone who may see it, in a post they may see, as the reads decide. */
    const mayTell = (recipientId: string) => {
      const ctx = audience.get(recipientId);
      const isMentionedInPost = root.mentions.includes(recipientId);
      return ctx !== undefined && shouldNotify(ctx, viewer.accountId, canViewPost(ctx, root.status, root.author, { isMentioned: isMentionedInPost }) && canSeeComment(ctx, row), row);
    };

    const tags = hashtagsOf(text);
    const result = await this.commentWrites.run(async (trx) => {
      await input.scheduled?.claim(trx, id);
      if (input.idempotencyKey && !(await this.posts.claimIdempotencyKey(viewer.accountId, input.idempotencyKey, id, row.created_at, trx))) {
        return { duplicate: true as const, sent: [] as NotificationRow[] };
      }
      await this.posts.insert(row, trx);
      await this.posts.insertMentions(id, mentioned.map((m) => m.id), trx);
      await this.posts.insertTags(id, tags, trx);
      await this.comments.bumpCounts(trx, root.status.id, 1, hidden ? 1 : 0);
      const sent: NotificationRow[] = [];
      if (!hidden) {
        await this.comments.bumpFold(trx, root.status.id, key, text.trim().slice(0, 100), 1);
        if (row.thread_id !== id) {
          await this.comments.addRankScore(trx, row.thread_id!, viewer.accountId === root.author.id ? AUTHOR_REPLY_SCORE : REPLY_SCORE);
        }
        const n = mayTell(root.author.id) ? await this.notifications.notify(trx, 'comment', root.author.id, viewer.accountId, id, null, null, root.status.id) : undefined;
        if (n) sent.push(n);
        for (const m of mentioned) {
          if (m.id === root.author.id || !mayTell(m.id)) continue;
          const mn = await this.notifications.notify(trx, 'mention', m.id, viewer.accountId, id);
          if (mn) sent.push(mn);
        }
      }
      return { duplicate: false as const, sent };
    });
    if (result.duplicate) {
      const existing = await this.posts.findIdempotent(viewer.accountId, input.idempotencyKey!);
      return this.visiblePost(viewer, existing!);
    }
    for (const n of result.sent) this.notifications.published(n);
    // The new comment as the viewer sees it, from what was read and written.
    const created = { statuses: new Map([[id, row]]), roots: new Map([[rootRow.id, rootRow]]), mentionsByStatus: new Map([[id, mentioned.map((m) => m.id)], [rootRow.id, root.mentions]]), accounts };
    const mutedThreads = new Set(audience.get(viewer.accountId)?.mutedThreads);
    const [post] = this.hydrator.select(viewer, [id], sharedPostsOf(created, new Map([[id, tags]])), { ctx, marks: { ...noMarks, mutedThreads }, storyLinks: new Map() });
    if (!post) throw notFound();
    return post;
  }

  /**
   * The checks `create` makes before writing, with the same answers (a scheduled reply is
   * checked when it is scheduled): a status the viewer may see and comment on, no photos, text.
   */
  async check(viewer: Viewer, input: Pick<CommentInput, 'text' | 'inReplyToId' | 'mediaIds'>): Promise<void> {
    const replyTo = await this.visiblePost(viewer, input.inReplyToId);
    const root = await this.rootOf(viewer, replyTo);
    const ctx = await this.relationships.loadViewerContext(viewer, [root.author.id]);
    if (!canComment(ctx, root.status, root.author)) throw new AppError(403, 'Comments on this post are limited');
    if (input.mediaIds.length > 0) throw unprocessable('Validation failed: Comments cannot carry photos');
    // A reply to another's comment gets their name in front, so it is never blank.
    const named = replyTo.status.post_id !== null && replyTo.author.id !== viewer.accountId;
    if (!named && input.text.trim() === '') throw unprocessable("Validation failed: Text can't be blank");
  }

  /** Deletes a comment (and, for a top-level one, its replies), keeping every count exact. */
  async delete(viewer: Viewer, comment: HydratedPost): Promise<void> {
    const root = await this.rootOf(viewer, comment);
    const ctx = await this.relationships.loadViewerContext(viewer, [root.author.id, comment.author.id]);
    if (!canDeleteComment(ctx, comment.status, root.status)) throw notFound();
    const isThread = comment.status.thread_id === comment.status.id;
    const rows = await this.db
      .selectFrom('statuses')
      .select(['id', 'hidden_reason', 'fold_key', 'thread_id', 'account_id'])
      .where((eb) => (isThread ? eb('thread_id', '=', comment.status.id) : eb('id', '=', comment.status.id)))
      .execute();
    await this.db.transaction().execute(async (trx) => {
      const hiddenCount = rows.filter((r) => r.hidden_reason !== null).length;
      await this.comments.bumpCounts(trx, root.status.id, -rows.length, -hiddenCount);
      // One decrement per fold, not per comment.
      const perFold = new Map<string, number>();
      for (const r of rows) if (r.hidden_reason === null) perFold.set(r.fold_key, (perFold.get(r.fold_key) ?? 0) + 1);
      for (const [key, n] of perFold) await this.comments.bumpFold(trx, root.status.id, key, '', -n);
      if (!isThread && comment.status.hidden_reason === null) {
        await this.comments.addRankScore(trx, comment.status.thread_id!, -(comment.status.account_id === root.author.id ? AUTHOR_REPLY_SCORE : REPLY_SCORE));
      }
      // The replies first, then the comment they answer (in_reply_to_id points at it).
      await this.posts.deleteMany(rows.filter((r) => r.id !== comment.status.id).map((r) => r.id), trx);
      await this.posts.delete(comment.status.id, trx);
    });
  }

  /**
   * A page of a post's comments: conversation first, storms apart. The first page starts with
   * pinned comments, then (in the "top" order, for a signed-in viewer) the best comment of each of
   * up to three people the viewer follows, then single comments in the chosen order: "top" by rank (likes,
   * replies, the post author's replies), "newest" newest first. Comments of storms (a phrase
   * from STORM_MIN_ACCOUNTS distinct accounts or more) are left out of the pages and listed on
   * the first page as clusters, largest first. One hydration for the whole page.
   */
  async list(
    viewer: Viewer | undefined,
    postId: string,
    options: { sort: 'top' | 'newest'; cursor?: string; limit: number },
  ): Promise<{ items: CommentItem[]; nextCursor: string | null; clusters: CommentCluster[] | null }> {
    const post = await this.visiblePost(viewer, postId);
    if (post.status.post_id !== null) throw notFound();
    const cursor = decodeCursor(options.cursor);
    const firstPage = cursor === undefined;
    const storms = await this.stormCache.get(postId, post.repliesCount, () => this.storms(postId));
    const stormKeys = storms.map((f) => f.key);
    const [pinnedIds, followed] = await Promise.all([
      firstPage ? this.comments.pinnedIds(postId) : Promise.resolve([]),
      firstPage && viewer && options.sort === 'top' ? this.comments.followedTopIds(postId, viewer, stormKeys, FOLLOWED_FIRST) : Promise.resolve([]),
    ]);
    const skip = firstPage ? followed.map((f) => f.id) : (cursor.skip ?? []);
    const page = await this.comments.topLevelIds(postId, { sort: options.sort, cursor, foldedKeys: stormKeys, skip, viewer, limit: options.limit });
    const hydrated = await this.hydrator.hydrate(viewer, [...pinnedIds, ...followed.map((f) => f.id), ...page.map((p) => p.id)]);
    const byId = new Map(hydrated.map((h) => [h.status.id, h]));
    const items: CommentItem[] = [];
    for (const id of pinnedIds) {
      const h = byId.get(id);
      if (h) items.push({ type: 'comment', post: h, pinned: true });
    }
    for (const p of [...followed, ...page]) {
      const h = byId.get(p.id);
      if (h) items.push({ type: 'comment', post: h, pinned: false });
    }
    const last = page[page.length - 1];
    const next: CommentCursor | undefined = last && (options.sort === 'top' ? { score: last.rank_score, id: last.id } : { id: last.id });
    if (next && skip.length) next.skip = skip;
    const nextCursor = page.length === options.limit && next ? encodeCursor(next) : null;
    const clusters = firstPage
      ? storms.map((f) => {
          const tone = classifyTone(f.text);
          return { id: clusterIdOf(f.key), text: f.text, count: f.count, accounts: f.accounts, tone, hostile: tone === 'critical' };
        })
      : null;
    return { items, nextCursor, clusters };
  }

  /** The post's storms, largest first: folds of STORM_MIN_ACCOUNTS comments or more, by as many distinct accounts. */
  private async storms(postId: string): Promise<Storm[]> {
    const candidates = await this.comments.folds(postId, STORM_MIN_ACCOUNTS, 100);
    const accounts = await this.comments.foldAccounts(postId, candidates.map((f) => f.key), STORM_SCAN);
    return candidates.map((f) => ({ ...f, accounts: accounts.get(f.key) ?? 0 })).filter((f) => f.accounts >= STORM_MIN_ACCOUNTS);
  }

  /** Every comment of one cluster the viewer may see, newest first, paged by max_id. */
  async clusterComments(viewer: Viewer | undefined, postId: string, clusterId: string, options: { maxId?: string; limit: number }): Promise<{ items: HydratedPost[]; ids: string[] }> {
    const post = await this.visiblePost(viewer, postId);
    if (post.status.post_id !== null) throw notFound();
    // The page's ids page on, even when the viewer's blocks and mutes drop some of its comments.
    const ids = await this.comments.foldIds(postId, clusterKeyOf(clusterId), viewer, options.maxId, options.limit);
    return { items: await this.hydrator.hydrate(viewer, ids), ids };
  }

  /**
   * The post author's bulk action on a cluster: hide its shown comments from everyone (they go
   * to the hidden-comments review, where each can be un-hidden), restrict every author, or
   * report every author with their comments. At most CLUSTER_BULK_MAX comments a call, newest
   * first; `nextMaxId` is where the next call goes on (null: done).
   */
  async clusterAction(
    viewer: Viewer,
    postId: string,
    clusterId: string,
    action: ClusterAction,
    options: { maxId?: string; comment?: string; category?: string } = {},
  ): Promise<{ comments: number; accounts: number; nextMaxId: string | null }> {
    const post = await this.visiblePost(viewer, postId);
    const ctx = await this.relationships.loadViewerContext(viewer, [post.author.id]);
    if (post.status.post_id !== null || !canActOnCluster(ctx, post.status)) throw notFound();
    const key = clusterKeyOf(clusterId);
    const rows = await this.comments.bulkTargets(postId, key, viewer, options.maxId, CLUSTER_BULK_MAX);
    const byAccount = new Map<string, string[]>();
    for (const r of rows) byAccount.set(r.account_id, [...(byAccount.get(r.account_id) ?? []), r.id]);
    const nowIso = this.clock.now().toISOString();
    let comments = rows.length;
    await this.db.transaction().execute(async (trx) => {
      if (action === 'hide') comments = await this.comments.hideMany(trx, postId, key, rows.map((r) => r.id));
      else if (action === 'restrict') await this.comments.restrictMany(trx, viewer.accountId, [...byAccount.keys()], nowIso);
      else {
        const reports = [...byAccount].map(([accountId, ids]) => ({
          id: newId(this.clock.now().getTime()),
          account_id: viewer.accountId,
          target_account_id: accountId,
          status_ids: JSON.stringify(ids.slice(0, REPORT_IDS_MAX)),
          comment: options.comment ?? '',
          category: options.category ?? 'other',
          forward: 0,
          created_at: nowIso,
        }));
        await this.comments.insertReports(trx, reports);
      }
    });
    this.stormCache.forget(postId);
    const last = rows[rows.length - 1];
    return { comments, accounts: byAccount.size, nextMaxId: rows.length === CLUSTER_BULK_MAX && last ? last.id : null };
  }

  /** Replies in a comment's thread, oldest first. */
  async replies(viewer: Viewer | undefined, commentId: string, options: { cursor?: string; limit: number }): Promise<{ items: HydratedPost[]; nextCursor: string | null }> {
    const comment = await this.visiblePost(viewer, commentId);
    if (comment.status.post_id === null || comment.status.thread_id !== comment.status.id) throw notFound();
    const after = decodeCursor(options.cursor)?.id;
    const ids = await this.comments.replyIds(commentId, viewer, after, options.limit);
    const items = await this.hydrator.hydrate(viewer, ids);
    return { items, nextCursor: ids.length === options.limit ? encodeCursor({ id: ids[ids.length - 1] }) : null };
  }

  private async moderated(viewer: Viewer, postId: string, commentId?: string) {
    const post = await this.visiblePost(viewer, postId);
    const ctx = await this.relationships.loadViewerContext(viewer, [post.author.id]);
    if (post.status.post_id !== null || !canModerateComments(ctx, post.status)) throw notFound();
    if (!commentId) return { post, ctx, comment: undefined };
    const [comment] = await this.hydrator.hydrate(viewer, [commentId], 'review');
    if (!comment || comment.status.post_id !== postId) throw notFound();
    return { post, ctx, comment };
  }

  async pin(viewer: Viewer, postId: string, commentId: string, on: boolean): Promise<HydratedPost> {
    const { post, ctx, comment } = await this.moderated(viewer, postId, commentId);
    if (on) {
      if (!canPinComment(ctx, post.status, comment!.status)) throw unprocessable('Validation failed: Only visible top-level comments can be pinned');
      if (comment!.status.pinned_at === null && (await this.comments.countPinned(postId)) >= MAX_PINNED_COMMENTS) {
        throw unprocessable(`Validation failed: At most ${MAX_PINNED_COMMENTS} comments can be pinned`);
      }
    }
    await this.comments.setPinned(commentId, on ? this.clock.now().toISOString() : null);
    return this.visiblePost(viewer, commentId);
  }

  /** The post author's review of hidden comments. */
  async hidden(viewer: Viewer, postId: string, limit: number, maxId?: string): Promise<HydratedPost[]> {
    await this.moderated(viewer, postId);
    return this.hydrator.hydrate(viewer, await this.comments.hiddenIds(postId, limit, maxId), 'review');
  }

  /** Un-hides a comment for everyone; hidden words never hide it again. */
  async unhide(viewer: Viewer, commentId: string): Promise<HydratedPost> {
    const status = await this.posts.findById(commentId);
    if (!status?.post_id) throw notFound();
    const { comment } = await this.moderated(viewer, status.post_id, commentId);
    const row = comment!.status;
    await this.db.transaction().execute(async (trx) => {
      await this.comments.setHidden(trx, row.id, null, true);
      if (row.hidden_reason !== null) {
        await this.comments.bumpCounts(trx, row.post_id!, 0, -1);
        await this.comments.bumpFold(trx, row.post_id!, row.fold_key, row.text.trim().slice(0, 100), 1);
      }
    });
    this.stormCache.forget(row.post_id!);
    return this.visiblePost(viewer, commentId);
  }

  /** Likes lift a comment in the "top" order. */
  async liked(db: Db, status: StatusRow, delta: 1 | -1): Promise<void> {
    if (status.post_id !== null) await this.comments.addRankScore(db, status.id, delta * LIKE_SCORE);
  }

  /** The reactions digest: for the post's author only. */
  async digest(viewer: Viewer, postId: string) {
    await this.moderated(viewer, postId);
    const [counts, tones, overTime, folds, reps] = await Promise.all([
      this.comments.counts([postId]),
      this.comments.toneCounts(postId),
      this.comments.toneOverTime(postId),
      this.comments.folds(postId, 2, 10),
      this.comments.representativeIds(postId, 3),
    ]);
    const tone = { supportive: 0, critical: 0, question: 0, neutral: 0 };
    for (const t of tones) if (t.tone && t.tone in tone) tone[t.tone as keyof typeof tone] += Number(t.n);
    const buckets = new Map<string, typeof tone>();
    for (const r of overTime) {
      const b = buckets.get(r.hour) ?? { supportive: 0, critical: 0, question: 0, neutral: 0 };
      if (r.tone && r.tone in b) b[r.tone as keyof typeof b] += Number(r.n);
      buckets.set(r.hour, b);
    }
    const hydrated = await this.hydrator.hydrate(viewer, [...reps.values()].flat());
    const byId = new Map(hydrated.map((h) => [h.status.id, h]));
    const pick = (t: string) => (reps.get(t) ?? []).flatMap((id) => byId.get(id) ?? []);
    const c = counts.get(postId) ?? { total: 0, hidden: 0 };
    return {
      comments_total: c.total,
      hidden_total: c.hidden,
      tone,
      clusters: folds.map((f) => ({ text: f.text, count: f.count })),
      representative: { supportive: pick('supportive'), critical: pick('critical'), question: pick('question') },
      over_time: [...buckets].map(([hour, b]) => ({ at: `${hour}:00:00.000Z`, ...b })),
    };
  }
}
