import type { Viewer } from '../../access/viewer-context.ts';
import { canSeeAccount, canSeeAccountContent } from '../../access/account-policy.ts';
import type { HomeSources } from '../../access/post-policy.ts';
import { notFound } from '../../errors.ts';
import type { AccountRepository } from '../accounts/account-repository.ts';
import type { RelationshipRepository } from '../follows/relationship-repository.ts';
import type { HydratedPost, PostHydrator } from '../posts/post-hydrator.ts';
import type { StatusRow } from '../posts/post.ts';
import { type FeedRepository, type IdPaging, lowerBound } from './feed-repository.ts';

import type { Db } from '../../db/database.ts';
import type { DurableJobQueue } from '../../infra/queue/durable-job-queue.ts';
import type { StreamDelivery } from '../realtime/stream-delivery.ts';

export interface TimelinePage {
  posts: HydratedPost[];
  /** Paging keys of the page, newest first (for the Link header). */
  ids: string[];
}

/**
 * Timelines. The home feed is hybrid: posts of ordinary accounts are pushed into followers'
 * feeds by a job (one INSERT … SELECT); accounts above the fan-out threshold, and the viewer's
 * own posts, are pulled and merged at read time, so a post by an account with a million
 * followers costs one write and is in every follower's feed at once.
 */
export class FeedService {
  constructor(
    private readonly feeds: FeedRepository,
    private readonly accounts: AccountRepository,
    private readonly relationships: RelationshipRepository,
    private readonly hydrator: PostHydrator,
    private readonly fanoutThreshold: number,
    private readonly jobs: DurableJobQueue,
    private readonly delivery: StreamDelivery,
  ) {
    // Idempotent, as every job must be (a job may run again): both inserts ignore rows already
    // there (ON CONFLICT DO NOTHING), the removal deletes what is left.
    // The job that decides who gets a post: ordinary authors' posts are pushed into their
    // followers' feeds, then every post goes to the live streams that may show it. (A retry
    // after the push publishes again: a stream may see a repeated update, never a lost one.)
    jobs.define<{ statusId: string; authorId: string }>('feed.fan-out', {
      handler: async ({ statusId, authorId }) => {
        const author = await this.accounts.findById(authorId);
        if (!author) return;
        if (author.followers_count <= this.fanoutThreshold) await this.feeds.pushToFollowers(statusId, authorId);
        await this.delivery.postPublished(statusId, 'update');
      },
    });
    jobs.define<{ followerId: string; authorId: string }>('feed.backfill', {
      handler: ({ followerId, authorId }) => this.feeds.backfill(followerId, authorId, 40),
    });
    jobs.define<{ followerId: string; authorId: string }>('feed.unmerge', {
      handler: async ({ followerId, authorId }) => {
        // Followed again since (this job retried late): the follow's backfill owns the rows now.
        const ctx = await this.relationships.loadViewerContext({ accountId: followerId, role: 'user' }, [authorId]);
        if (ctx.following.has(authorId)) return;
        await this.feeds.removeAuthor(followerId, authorId);
      },
    });
  }

  /**
   * In the post's transaction: ordinary authors' posts are pushed by a job, recorded with the
   * post (the outbox), so a crash after the commit loses no fan-out.
   */
  async postCreated(trx: Db, status: StatusRow): Promise<void> {
    if (status.in_reply_to_id !== null) return;
    await this.jobs.enqueue('feed.fan-out', { statusId: status.id, authorId: status.account_id }, { trx });
  }

  /** In the follow's transaction. */
  async followed(trx: Db, followerId: string, authorId: string): Promise<void> {
    await this.jobs.enqueue('feed.backfill', { followerId, authorId }, { trx });
  }

  /** Unfollow, removal and block, in their transaction: the read filters at once; this tidies storage. */
  async unfollowed(trx: Db, followerId: string, authorId: string): Promise<void> {
    await this.jobs.enqueue('feed.unmerge', { followerId, authorId }, { trx });
  }

  /**
   * Pushed rows, pulled authors and, for a viewer following hashtags, the tags' public posts
   * (one more indexed query per page, whatever the number of tags; none without), merged
   * without repeats. Members of exclusive lists are left out of all three.
   */
  async home(viewer: Viewer, paging: IdPaging): Promise<TimelinePage> {
    // Over-fetch so posts filtered out (just unfollowed, muted) rarely shorten a page.
    const fetch = { ...paging, limit: Math.min(paging.limit * 2, 80) };
    const sources = await this.feeds.homeSources(viewer.accountId, this.fanoutThreshold, { page: { viewer, paging: fetch } });
    const excluded = sources.exclusiveAuthors;
    const pulled = [viewer.accountId, ...sources.pulledAuthors.filter((id) => !excluded.has(id))];
    const skip = new Set([...pulled, ...excluded]);
    const maxId = belowHorizon(fetch, sources.horizon);
    // The kept rows cannot fill the page: the followed authors' older posts join the skeleton's statement.
    const olderInline = sources.olderAuthors && { authors: sources.olderAuthors.filter((id) => !skip.has(id)), maxId };
    const [{ pushed, pulled: pulledIds, older: olderIds }, tagged] = await Promise.all([
      this.feeds.homeSkeleton(viewer.accountId, pulled, fetch, excluded, olderInline),
      sources.followedTags.size ? this.feeds.followedTagIds([...sources.followedTags], fetch, excluded) : [],
    ]);
    const older = olderInline ? olderIds : await this.beyondKeptRows(viewer, fetch, pushed.length, sources.horizon, skip);
    const merged = [...new Set([...pushed, ...pulledIds, ...tagged, ...older])].sort((a, b) => (a < b ? 1 : a > b ? -1 : 0));
    const window = paging.minId ? merged.slice(-fetch.limit) : merged.slice(0, fetch.limit);
    const posts = await this.hydrateUpTo(viewer, window, paging.limit, 'home', Boolean(paging.minId), sources);
    return { posts, ids: posts.map((p) => p.status.id) };
  }

  /**
   * home_feed keeps the newest rows of each account only (GLIMPSE_HOME_FEED_ROWS, trimmed at
   * fan-out): a page reaching below the oldest kept row (`horizon`), or one the kept rows do not
   * fill, reads the followed authors' posts below it directly, by the pull path celebrities'
   * posts take. homeSources answers that condition and the authors with the page's first
   * statement, and the skeleton reads their posts; this is the rest of the rule, for a page the
   * kept rows would fill but for the members of exclusive lists they leave out (one query for
   * the authors, under the access rules' SQL form, and one skeleton query whatever their
   * number). `skip`: authors already pulled, or left out (exclusive lists).
   */
  private async beyondKeptRows(viewer: Viewer, fetch: IdPaging, pushedCount: number, horizon: string | null, skip: ReadonlySet<string>): Promise<string[]> {
    const lower = lowerBound(fetch);
    // The page's range lies wholly within the kept rows.
    if (horizon !== null && lower !== undefined && lower >= horizon) return [];
    // Newest first, the kept rows filled the page: older ones come on the next page.
    if (!fetch.minId && pushedCount >= fetch.limit) return [];
    const authors = (await this.feeds.homeFeedAuthors(viewer)).filter((id) => !skip.has(id));
    return this.feeds.postIdsByAuthors(authors, { ...fetch, maxId: belowHorizon(fetch, horizon) });
  }

  /** The viewer's followed tags and exclusive-list members, for the user stream's home rule. */
  async homeSources(viewer: Viewer): Promise<HomeSources> {
    return this.feeds.homeSources(viewer.accountId, this.fanoutThreshold);
  }

  /**
   * A list's timeline from its members (ListService checks the owner): their posts, newest
   * first, by the home feed's rule (followed, not muted, visible). One skeleton query.
   */
  async members(viewer: Viewer, memberIds: readonly string[], paging: IdPaging): Promise<TimelinePage> {
    const ids = await this.feeds.postIdsOfMembers(memberIds, { ...paging, limit: Math.min(paging.limit * 2, 80) });
    const posts = await this.hydrateUpTo(viewer, ids, paging.limit, 'home', Boolean(paging.minId));
    return { posts, ids: posts.map((p) => p.status.id) };
  }

  /**
   * Hydrates only as many candidates as the page needs, newest first (or oldest first for
   * min_id, which pages backwards): the over-fetched ids are a reserve for posts the rules drop,
   * so a page where nothing is dropped (nearly all) costs one hydration of `limit` posts.
   */
  private async hydrateUpTo(viewer: Viewer | undefined, ids: string[], limit: number, rule: 'view' | 'home', fromEnd = false, home?: HomeSources): Promise<HydratedPost[]> {
    const ordered = fromEnd ? [...ids].reverse() : ids;
    const out: HydratedPost[] = [];
    for (let start = 0; start < ordered.length && out.length < limit; ) {
      const chunk = ordered.slice(start, start + Math.max(limit - out.length, 5));
      start += chunk.length;
      const hydrated = await this.hydrator.hydrate(viewer, chunk, rule, home);
      out.push(...hydrated.slice(0, limit - out.length));
    }
    return fromEnd ? out.reverse() : out;
  }

  async publicTimeline(viewer: Viewer | undefined, paging: IdPaging, onlyMedia: boolean): Promise<TimelinePage> {
    return this.page(viewer, await this.feeds.publicIds({ ...paging, limit: Math.min(paging.limit * 2, 80) }, onlyMedia), paging);
  }

  async tag(viewer: Viewer | undefined, tag: string, paging: IdPaging): Promise<TimelinePage> {
    return this.page(viewer, await this.feeds.tagIds(tag.normalize('NFKC').toLowerCase(), { ...paging, limit: Math.min(paging.limit * 2, 80) }), paging);
  }

  /** The profile grid: a celebrity's posts cost the same as anyone's (one indexed range). */
  async account(viewer: Viewer | undefined, accountId: string, paging: IdPaging, options: { onlyMedia: boolean; excludeReplies: boolean; pinned: boolean }): Promise<TimelinePage> {
    const account = await this.accounts.findById(accountId);
    if (!account) throw notFound();
    const ctx = await this.relationships.loadViewerContext(viewer, [accountId]);
    if (!canSeeAccount(ctx, account)) throw notFound();
    if (!canSeeAccountContent(ctx, account)) return { posts: [], ids: [] };
    const ids = options.pinned
      ? await this.feeds.pinnedIds(accountId)
      : await this.feeds.postIdsByAuthors([accountId], paging, { onlyMedia: options.onlyMedia, includeReplies: !options.excludeReplies && !options.onlyMedia });
    return this.page(viewer, ids, paging);
  }

  searchHashtags(prefix: string, limit: number, offset: number) {
    return this.feeds.searchHashtags(prefix, limit, offset);
  }

  async bookmarks(viewer: Viewer, paging: IdPaging): Promise<TimelinePage> {
    return this.page(viewer, await this.feeds.bookmarkedIds(viewer.accountId, paging), paging);
  }

  /**
   * The viewer's liked posts and comments, newest like first, paged by the like: those the
   * viewer may no longer see are left out, and the page's keys are every like read, so the
   * next page starts after them even when the rules dropped some.
   */
  async favourites(viewer: Viewer, paging: IdPaging): Promise<TimelinePage> {
    const likes = await this.feeds.favouritedPage(viewer.accountId, paging);
    const posts = await this.hydrator.hydrate(viewer, likes.map((l) => l.status_id));
    return { posts, ids: likes.map((l) => l.id) };
  }

  /** With min_id the ids are the oldest above it (newest first), so the page is taken from their end. */
  private async page(viewer: Viewer | undefined, ids: string[], paging: IdPaging): Promise<TimelinePage> {
    const posts = await this.hydrateUpTo(viewer, ids, paging.limit, 'view', Boolean(paging.minId));
    return { posts, ids: posts.map((p) => p.status.id) };
  }
}

/** The upper bound of a page's older posts: the horizon when it lies below the page's max_id. */
function belowHorizon(fetch: IdPaging, horizon: string | null): string | undefined {
  return horizon !== null && (fetch.maxId === undefined || horizon < fetch.maxId) ? horizon : fetch.maxId;
}
