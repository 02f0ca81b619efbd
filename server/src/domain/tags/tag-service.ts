import type { Viewer } from '../../access/viewer-context.ts';
import { canSeeAccount } from '../../access/account-policy.ts';
import { authorPostsVisibleSql } from '../../access/post-policy.ts';
import type { Clock } from '../../clock.ts';
import { newId } from '../../db/ids.ts';
import { notFound, unprocessable } from '../../errors.ts';
import type { AccountRepository } from '../accounts/account-repository.ts';
import type { AccountRow } from '../accounts/account.ts';
import type { RelationshipRepository } from '../follows/relationship-repository.ts';
import type { IdPaging } from '../feeds/feed-repository.ts';
import { hashtagsOf } from '../posts/caption.ts';
import type { AccountTagRow, TagRepository } from './tag-repository.ts';

/** Bounds on hashtags an account keeps (docs/architecture.md). */
export const TAG_LIMITS = {
  /** Followed tags: the home feed reads one bounded range per tag, in one query. */
  followedPerAccount: 100,
  /** Featured on a profile, as on Mastodon. */
  featuredPerAccount: 10,
  suggestions: 10,
  historyDays: 7,
} as const;

export interface TagDay {
  /** Midnight UTC of the day, in seconds since the epoch. */
  day: number;
  uses: number;
  accounts: number;
}

export interface TagView {
  tag: string;
  display: string;
  history: TagDay[];
  /** undefined for an anonymous reader. */
  following?: boolean;
  featuring?: boolean;
}

export interface FeaturedTagView {
  row: AccountTagRow;
  account: AccountRow;
  statusesCount: number;
  lastStatusAt: string | null;
}

const DAY_MS = 86_400_000;

/**
 * Followed hashtags (their public posts join the follower's home feed, merged at read time by
 * FeedService.home) and featured hashtags (shown on a profile, counted over what the reader
 * may see).
 */
export class TagService {
  /** A followed tag came or went: the account's open user streams reload their home sources (services.ts). */
  onHomeChanged: (accountId: string) => void = () => {};

  constructor(
    private readonly tags: TagRepository,
    private readonly accounts: AccountRepository,
    private readonly relationships: RelationshipRepository,
    private readonly clock: Clock,
  ) {}

  /** A hashtag's key and spelling; a name that no caption could hold as a hashtag is 404. */
  parseName(name: string): { tag: string; display: string } {
    const bare = name.replace(/^#/, '');
    const [found] = hashtagsOf(`#${bare}`);
    if (!found || found.display !== bare) throw notFound();
    return found;
  }

  /** Tag entities with the last week's use, following and featuring for a signed-in viewer. */
  async views(viewer: Viewer | undefined, names: ReadonlyArray<{ tag: string; display: string }>): Promise<TagView[]> {
    const tags = names.map((n) => n.tag);
    const today = Math.floor(this.clock.now().getTime() / DAY_MS) * DAY_MS;
    const first = today - (TAG_LIMITS.historyDays - 1) * DAY_MS;
    const [uses, following, featuring] = await Promise.all([
      this.tags.dailyUses(tags, String(first * 1000)),
      viewer ? this.tags.which('followed_tags', viewer.accountId, tags) : undefined,
      viewer ? this.tags.which('featured_tags', viewer.accountId, tags) : undefined,
    ]);
    return names.map(({ tag, display }) => {
      const history: TagDay[] = [];
      for (let day = today; day >= first; day -= DAY_MS) {
        const date = new Date(day).toISOString().slice(0, 10);
        const row = uses.find((u) => u.tag === tag && u.day === date);
        history.push({ day: day / 1000, uses: row?.uses ?? 0, accounts: row?.accounts ?? 0 });
      }
      return { tag, display, history, following: following?.has(tag), featuring: featuring?.has(tag) };
    });
  }

  async show(viewer: Viewer | undefined, name: string): Promise<TagView> {
    const [view] = await this.views(viewer, [this.parseName(name)]);
    return view;
  }

  async follow(viewer: Viewer, name: string): Promise<TagView> {
    const parsed = this.parseName(name);
    if (!(await this.tags.find('followed_tags', viewer.accountId, parsed.tag))) {
      if ((await this.tags.count('followed_tags', viewer.accountId)) >= TAG_LIMITS.followedPerAccount) {
        throw unprocessable(`Validation failed: you can follow at most ${TAG_LIMITS.followedPerAccount} hashtags`);
      }
      await this.insert('followed_tags', viewer, parsed);
      this.onHomeChanged(viewer.accountId);
    }
    return this.show(viewer, name);
  }

  async unfollow(viewer: Viewer, name: string): Promise<TagView> {
    await this.tags.delete('followed_tags', viewer.accountId, this.parseName(name).tag);
    this.onHomeChanged(viewer.accountId);
    return this.show(viewer, name);
  }

  /** The viewer's followed tags, newest follow first. */
  async followed(viewer: Viewer, paging: IdPaging): Promise<{ views: TagView[]; ids: string[] }> {
    const rows = await this.tags.page('followed_tags', viewer.accountId, paging);
    return { views: await this.views(viewer, rows), ids: rows.map((r) => r.id) };
  }

  /** The viewer's featured tags, counted over all their own posts. */
  async ownFeatured(viewer: Viewer): Promise<FeaturedTagView[]> {
    return this.featuredOf(viewer, viewer.accountId);
  }

  /** An account's featured tags, counted over the posts the reader may see. */
  async featuredOf(viewer: Viewer | undefined, accountId: string): Promise<FeaturedTagView[]> {
    const [account, ctx] = await Promise.all([this.accounts.findById(accountId), this.relationships.loadViewerContext(viewer, [accountId])]);
    if (!account || !canSeeAccount(ctx, account)) throw notFound();
    const rows = await this.tags.ofAccount('featured_tags', accountId);
    const stats = await this.tags.authorTagStats(accountId, rows.map((r) => r.tag), authorPostsVisibleSql(ctx, account));
    return rows.map((row) => {
      const s = stats.get(row.tag);
      return { row, account, statusesCount: s?.count ?? 0, lastStatusAt: s?.lastAt ?? null };
    });
  }

  async feature(viewer: Viewer, name: string): Promise<FeaturedTagView> {
    const parsed = this.parseName(name);
    if (!(await this.tags.find('featured_tags', viewer.accountId, parsed.tag))) {
      if ((await this.tags.count('featured_tags', viewer.accountId)) >= TAG_LIMITS.featuredPerAccount) {
        throw unprocessable(`Validation failed: you can feature at most ${TAG_LIMITS.featuredPerAccount} hashtags`);
      }
      await this.insert('featured_tags', viewer, parsed);
    }
    const all = await this.ownFeatured(viewer);
    return all.find((f) => f.row.tag === parsed.tag)!;
  }

  async unfeature(viewer: Viewer, id: string): Promise<void> {
    const row = await this.tags.findById('featured_tags', id);
    if (!row || row.account_id !== viewer.accountId) throw notFound();
    await this.tags.delete('featured_tags', viewer.accountId, row.tag);
  }

  /** The viewer's most used hashtags not featured yet. */
  async suggestions(viewer: Viewer): Promise<TagView[]> {
    const featured = await this.tags.ofAccount('featured_tags', viewer.accountId);
    const used = await this.tags.mostUsedBy(viewer.accountId, TAG_LIMITS.suggestions, featured.map((f) => f.tag));
    return this.views(viewer, used);
  }

  private async insert(table: 'followed_tags' | 'featured_tags', viewer: Viewer, parsed: { tag: string; display: string }): Promise<void> {
    const now = this.clock.now();
    await this.tags.insert(table, { id: newId(now.getTime()), account_id: viewer.accountId, tag: parsed.tag, display: parsed.display, created_at: now.toISOString() });
  }
}
