import type { Viewer, ViewerContext } from '../../access/viewer-context.ts';
import { belongsInHomeFeed, canManagePost, canSeeLikeCount, canViewPost, needsRestrictedMedia } from '../../access/post-policy.ts';
import type { AccountRepository } from '../accounts/account-repository.ts';
import type { AccountRow } from '../accounts/account.ts';
import type { RelationshipRepository } from '../follows/relationship-repository.ts';
import type { MediaRepository } from '../media/media-repository.ts';
import type { MediaRow, MediaTagRow } from '../media/media.ts';
import type { PostRepository } from './post-repository.ts';
import type { StatusRow } from './post.ts';

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
  /** Media URLs must be signed and expiring. */
  restrictedMedia: boolean;
  likeCountVisible: boolean;
  /** The viewer may edit, delete and pin it. */
  canManage: boolean;
}

export type HydrationRule = 'view' | 'home';

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
  ) {}

  async hydrate(viewer: Viewer | undefined, ids: readonly string[], rule: HydrationRule = 'view'): Promise<HydratedPost[]> {
    if (ids.length === 0) return [];
    const statuses = await this.posts.findByIds(ids);
    const statusIds = [...statuses.keys()];
    const [mediaByStatus, mentionsByStatus, tagsByStatus] = await Promise.all([
      this.media.forStatuses(statusIds),
      this.posts.mentionsFor(statusIds),
      this.posts.tagsFor(statusIds),
    ]);
    const mediaIds = [...mediaByStatus.values()].flat().map((m) => m.id);
    const mediaTags = await this.media.tagsFor(mediaIds);
    const accountIds = [
      ...[...statuses.values()].map((s) => s.account_id),
      ...[...mentionsByStatus.values()].flat(),
      ...[...mediaTags.values()].flat().map((t) => t.account_id),
    ];
    const authorIds = [...statuses.values()].map((s) => s.account_id);
    const [accounts, ctx, favourites, bookmarks, pins] = await Promise.all([
      this.accounts.findByIds(accountIds),
      this.relationships.loadViewerContext(viewer, authorIds),
      viewer ? this.posts.marksFor(viewer.accountId, statusIds, 'favourites') : Promise.resolve(new Set<string>()),
      viewer ? this.posts.marksFor(viewer.accountId, statusIds, 'bookmarks') : Promise.resolve(new Set<string>()),
      viewer ? this.posts.marksFor(viewer.accountId, statusIds, 'pinned_statuses') : Promise.resolve(new Set<string>()),
    ]);

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
      if (rule === 'home' && !belongsInHomeFeed(ctx, status)) continue;
      out.push(this.assemble(ctx, status, author, media, mediaTags, mentionIds, accounts, tagsByStatus.get(id) ?? [], favourites, bookmarks, pins));
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
  ): HydratedPost {
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
