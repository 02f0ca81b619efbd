import type { Viewer, ViewerContext } from '../../access/viewer-context.ts';
import { type PostCapabilities, postCapabilities } from '../../access/capabilities.ts';
import { canModerateComments, canSeeComment, canSeeHiddenReason } from '../../access/comment-policy.ts';
import { isAdmin } from '../../access/account-policy.ts';
import { type HomeSources, belongsInHomeFeed, canManagePost, canSeeLikeCount, canViewPost, isBroughtByFollowedTag, needsRestrictedMedia } from '../../access/post-policy.ts';
import type { AccountRepository } from '../accounts/account-repository.ts';
import type { AccountRow } from '../accounts/account.ts';
import type { RelationshipRepository } from '../follows/relationship-repository.ts';
import type { MediaRepository } from '../media/media-repository.ts';
import type { MediaRow, MediaTagRow } from '../media/media.ts';
import type { PostRepository, ViewerMarks } from './post-repository.ts';
import { isInMutedThread, threadKeysOf } from '../../access/thread-policy.ts';
import type { CommentRepository } from '../comments/comment-repository.ts';
import type { StatusRow } from './post.ts';
import { PostContentCache, type StatusContent } from './post-content-cache.ts';

/** A post with everything a page needs to present it, loaded in batch. */
export interface HydratedPost {
  status: StatusRow;
  author: AccountRow;
  media: MediaRow[];
  mediaTags: Map<string, MediaTagRow[]>;
  mentions: AccountRow[];
  /** Accounts referred to by photo tags, by id. */
  accounts: Map<string, AccountRow>;
  tags: Array<{ tag: string; display: string }>;
  favourited: boolean;
  bookmarked: boolean;
  pinned: boolean;
  /** The viewer muted the post's or the comment thread's notifications (access/thread-policy.ts). */
  muted: boolean;
  /** Media URLs must be signed and expiring. */
  restrictedMedia: boolean;
  likeCountVisible: boolean;
  /** The viewer may edit, delete and pin it. */
  canManage: boolean;
  /** What the viewer may do with it (presented as `glimpse.can`). */
  can: PostCapabilities;
  /** The viewer reviews this hidden comment and is told why it is hidden. */
  hiddenReasonVisible: boolean;
  /** Visible comments of a post, or visible replies in a comment's thread. */
  repliesCount: number;
  /** The story a message answers (statuses.story_id), as the viewer may see it. */
  story?: StoryLink;
}

/** A story a message answers: its photo only while the viewer may see the live story. */
export interface StoryLink {
  id: string;
  expired: boolean;
  /** The photo to preview; undefined when expired, gone or not visible to the viewer. */
  preview?: MediaRow;
}

/** Loads the stories some messages answer, for a page in one batch (the stories feature). */
export type StoryLinkLoader = (viewer: Viewer | undefined, storyIds: string[]) => Promise<Map<string, StoryLink>>;

/** A page's statuses and the posts its comments belong to. */
interface LoadedStatuses {
  statuses: Map<string, StatusRow>;
  roots: Map<string, StatusRow>;
}

/** The viewer-independent part of hydrating some posts (PostHydrator.loadSharedPosts). */
export interface SharedPosts extends LoadedStatuses {
  mediaByStatus: Map<string, MediaRow[]>;
  mentionsByStatus: Map<string, string[]>;
  tagsByStatus: Map<string, Array<{ tag: string; display: string }>>;
  mediaTags: Map<string, MediaTagRow[]>;
  accounts: Map<string, AccountRow>;
  commentCounts: Map<string, { total: number; hidden: number }>;
  replyCounts: Map<string, number>;
}

/** What depends on the viewer: its relationships to the authors, its marks, the stories it may see. */
export interface ViewerPart {
  ctx: ViewerContext;
  marks: ViewerMarks;
  storyLinks: Map<string, StoryLink>;
}

/** 'view': what the viewer may see; 'home': also only followed authors; 'review': a post author's review of hidden comments; 'moderator': an admin reading reported comments. */
export type HydrationRule = 'view' | 'home' | 'review' | 'moderator';

/**
 * Skeleton → hydrate → rules: takes a page of status ids and returns the posts the viewer may
 * see, in the same order, with a fixed number of batched queries whatever the page size.
 */
export class PostHydrator {
  constructor(
    private readonly posts: PostRepository,
    private readonly accounts: AccountRepository,
    private readonly media: MediaRepository,
    private readonly relationships: RelationshipRepository,
    private readonly comments: CommentRepository,
    /** The statuses' content by version; a cache of capacity 0 keeps nothing. */
    readonly contentCache: PostContentCache = new PostContentCache(0),
  ) {}

  private storyLinks: StoryLinkLoader = async () => new Map();

  /** Wired by services.ts: the stories feature presents the stories messages answer. */
  useStoryLinks(loader: StoryLinkLoader): void {
    this.storyLinks = loader;
  }

  /** `home`: the home feed's followed tags and exclusive lists, for the 'home' rule. */
  async hydrate(viewer: Viewer | undefined, ids: readonly string[], rule: HydrationRule = 'view', home?: HomeSources): Promise<HydratedPost[]> {
    if (ids.length === 0) return [];
    const rows = await this.loadStatuses(ids);
    // The viewer's part runs beside the shared part: the page costs no extra round trip.
    const [shared, mine] = await Promise.all([this.loadShared(rows), this.viewerPart(viewer, rows)]);
    return this.select(viewer, ids, shared, mine, rule, home);
  }

  /**
   * What every viewer of these posts shares (the rows, media, mentions, tags, accounts and
   * counts), loaded once: a stream event delivered to many recipients in one process is loaded
   * once (domain/realtime/shared-posts.ts), and each recipient adds only its own part (forViewer).
   */
  async loadSharedPosts(ids: readonly string[]): Promise<SharedPosts> {
    return this.loadShared(await this.loadStatuses(ids));
  }

  /** Posts loaded by loadSharedPosts, as this viewer may see them: the viewer's context and marks only (two batched queries). */
  async forViewer(viewer: Viewer | undefined, shared: SharedPosts, ids: readonly string[], rule: HydrationRule = 'view', home?: HomeSources): Promise<HydratedPost[]> {
    return this.select(viewer, ids, shared, await this.viewerPart(viewer, shared), rule, home);
  }

  private async loadStatuses(ids: readonly string[]): Promise<LoadedStatuses & Pick<SharedPosts, 'commentCounts'>> {
    const { statuses, commentCounts } = await this.posts.findWithCommentCounts(ids);
    // Comments are only as visible as the post they belong to.
    const missingRoots = [...statuses.values()].flatMap((s) => (s.post_id && !statuses.has(s.post_id) ? [s.post_id] : []));
    const roots = missingRoots.length ? await this.posts.findByIds(missingRoots) : new Map<string, StatusRow>();
    return { statuses, roots, commentCounts };
  }

  /**
   * The statuses' content (media, photo tags, mentions, hashtags): what the cache holds at the
   * versions just read, the rest in two batched queries that fill it. Read after the rows, so
   * what is kept is at least as new as the version it is kept under (post-content-cache.ts).
   */
  private async loadContent(statuses: Map<string, StatusRow>): Promise<Map<string, StatusContent>> {
    const content = new Map<string, StatusContent>();
    const missing: StatusRow[] = [];
    for (const st of statuses.values()) {
      const kept = this.contentCache.get(st.id, st.content_version);
      if (kept) content.set(st.id, kept);
      else missing.push(st);
    }
    if (missing.length === 0) return content;
    const ids = missing.map((st) => st.id);
    const [{ media, tags: mediaTags }, facts] = await Promise.all([this.media.forStatusesWithTags(ids), this.posts.contentFacts(ids)]);
    for (const st of missing) {
      const photos = media.get(st.id) ?? [];
      const loaded: StatusContent = {
        media: photos,
        mediaTags: new Map(photos.flatMap((m) => (mediaTags.has(m.id) ? [[m.id, mediaTags.get(m.id)!] as const] : []))),
        mentions: facts.mentions.get(st.id) ?? [],
        tags: facts.tags.get(st.id) ?? [],
      };
      this.contentCache.set(st.id, st.content_version, loaded);
      content.set(st.id, loaded);
    }
    return content;
  }

  private async loadShared({ statuses, roots, commentCounts }: LoadedStatuses & Pick<SharedPosts, 'commentCounts'>): Promise<SharedPosts> {
    const topLevel = [...statuses.values()].filter((st) => st.post_id !== null && st.thread_id === st.id).map((st) => st.id);
    const [content, replyCounts] = await Promise.all([this.loadContent(statuses), this.comments.replyCounts(topLevel)]);
    const mediaByStatus = new Map<string, MediaRow[]>();
    const mentionsByStatus = new Map<string, string[]>();
    const tagsByStatus = new Map<string, Array<{ tag: string; display: string }>>();
    const mediaTags = new Map<string, MediaTagRow[]>();
    for (const [id, c] of content) {
      if (c.media.length) mediaByStatus.set(id, c.media);
      if (c.mentions.length) mentionsByStatus.set(id, c.mentions);
      if (c.tags.length) tagsByStatus.set(id, c.tags);
      for (const [mediaId, tags] of c.mediaTags) mediaTags.set(mediaId, tags);
    }
    const accountIds = [
      ...[...statuses.values(), ...roots.values()].map((s) => s.account_id),
      ...[...mentionsByStatus.values()].flat(),
      ...[...mediaTags.values()].flat().map((t) => t.account_id),
    ];
    const accounts = await this.accounts.findByIds(accountIds);
    return { statuses, roots, mediaByStatus, mentionsByStatus, tagsByStatus, mediaTags, accounts, commentCounts, replyCounts };
  }

  /** The viewer's own part for these posts: its context toward the authors, its marks, the stories it may see. */
  async viewerPart(viewer: Viewer | undefined, { statuses, roots }: LoadedStatuses): Promise<ViewerPart> {
    const authorIds = [...statuses.values(), ...roots.values()].map((s) => s.account_id);
    const statusIds = [...statuses.keys()];
    const noMarks: ViewerMarks = { favourites: new Set<string>(), bookmarks: new Set<string>(), pins: new Set<string>(), mutedThreads: new Set<string>() };
    const threadKeys = [...statuses.values()].flatMap((st) => threadKeysOf(st));
    const storyIds = [...new Set([...statuses.values()].flatMap((st) => (st.story_id ? [st.story_id] : [])))];
    // The relations and the marks are one statement: kinds never clash (access words against f, b, p, m).
    const relations = this.relationships.viewerContextQuery(viewer, authorIds, { cached: true });
    const marks = viewer ? this.posts.viewerMarksQuery(viewer.accountId, statusIds, threadKeys) : undefined;
    const statements = [relations.statement, marks?.statement].filter((st) => st !== undefined);
    const [rows, storyLinks] = await Promise.all([
      this.posts.unionAll<{ kind: string; id: string; flag: number }>(statements),
      storyIds.length ? this.storyLinks(viewer, storyIds) : Promise.resolve(new Map<string, StoryLink>()),
    ]);
    return { ctx: relations.read(rows), marks: marks ? marks.read(rows) : noMarks, storyLinks };
  }

  /** The posts, in the order of `ids`, that the rule lets this viewer see (no query: both parts are loaded). */
  select(viewer: Viewer | undefined, ids: readonly string[], shared: SharedPosts, mine: ViewerPart, rule: HydrationRule = 'view', home?: HomeSources): HydratedPost[] {
    const { statuses, roots, mediaByStatus, mentionsByStatus, tagsByStatus, mediaTags, accounts, commentCounts, replyCounts } = shared;
    const { ctx, marks, storyLinks } = mine;
    const { favourites, bookmarks, pins, mutedThreads } = marks;
    const rootOf = (s: StatusRow) => (s.post_id ? (statuses.get(s.post_id) ?? roots.get(s.post_id)) : undefined);
    const repliesCountOf = (st: StatusRow) => {
      if (st.post_id === null) {
        const c = commentCounts.get(st.id);
        return c ? c.total - c.hidden : 0;
      }
      return replyCounts.get(st.id) ?? 0;
    };

    const out: HydratedPost[] = [];
    for (const id of ids) {
      const status = statuses.get(id);
      const author = status && accounts.get(status.account_id);
      if (!status || !author) continue;
      const mentionIds = mentionsByStatus.get(id) ?? [];
      const media = mediaByStatus.get(id) ?? [];
      const viewerId = viewer?.accountId;
      const isMentioned = viewerId !== undefined && mentionIds.includes(viewerId);
      if (!canViewPost(ctx, status, author, { isMentioned })) continue;
      if (rule === 'home') {
        const byTag = home !== undefined && isBroughtByFollowedTag(status, author, (tagsByStatus.get(id) ?? []).map((t) => t.tag), home.followedTags);
        if (!belongsInHomeFeed(ctx, status, home, byTag)) continue;
      }
      let rootFacts: { post: StatusRow; author: AccountRow } | undefined;
      if (status.post_id) {
        const root = rootOf(status);
        const rootAuthor = root && accounts.get(root.account_id);
        if (!root || !rootAuthor || !canViewPost(ctx, root, rootAuthor, { isMentioned: viewerId !== undefined && (mentionsByStatus.get(root.id) ?? []).includes(viewerId) })) continue;
        const visible = rule === 'review' ? canModerateComments(ctx, root) : rule === 'moderator' ? isAdmin(ctx) : canSeeComment(ctx, status);
        if (!visible) continue;
        rootFacts = { post: root, author: rootAuthor };
      }
      out.push({
        ...this.assemble(ctx, status, author, media, mediaTags, mentionIds, accounts, tagsByStatus.get(id) ?? [], favourites, bookmarks, pins),
        can: postCapabilities(ctx, status, author, rootFacts),
        muted: isInMutedThread({ mutedThreads }, status),
        hiddenReasonVisible: rootFacts !== undefined && status.hidden_reason !== null && canSeeHiddenReason(ctx, status, rootFacts.post),
        repliesCount: repliesCountOf(status),
        ...(status.story_id ? { story: storyLinks.get(status.story_id) ?? { id: status.story_id, expired: true } } : {}),
      });
    }
    return out;
  }

  private assemble(
    ctx: ViewerContext,
    status: StatusRow,
    author: AccountRow,
    media: MediaRow[],
    mediaTags: Map<string, MediaTagRow[]>,
    mentionIds: string[],
    accounts: Map<string, AccountRow>,
    tags: Array<{ tag: string; display: string }>,
    favourites: Set<string>,
    bookmarks: Set<string>,
    pins: Set<string>,
  ): Omit<HydratedPost, 'repliesCount' | 'can' | 'hiddenReasonVisible' | 'muted'> {
    return {
      status,
      author,
      media,
      mediaTags,
      mentions: mentionIds.map((m) => accounts.get(m)).filter((a): a is AccountRow => a !== undefined),
      accounts,
      tags,
      favourited: favourites.has(status.id),
      bookmarked: bookmarks.has(status.id),
      pinned: pins.has(status.id),
      restrictedMedia: needsRestrictedMedia(status, author),
      likeCountVisible: canSeeLikeCount(ctx, status),
      canManage: canManagePost(ctx, status),
    };
  }
}
