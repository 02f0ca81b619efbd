import type { Viewer } from '../../access/viewer-context.ts';
import { canSeeAccount } from '../../access/account-policy.ts';
import { canAddToList, canManageList } from '../../access/list-policy.ts';
import { newId } from '../../db/ids.ts';
import type { Clock } from '../../clock.ts';
import { notFound, unprocessable } from '../../errors.ts';
import type { Db } from '../../db/database.ts';
import type { DurableJobQueue } from '../../infra/queue/durable-job-queue.ts';
import type { AccountRepository } from '../accounts/account-repository.ts';
import type { AccountRow } from '../accounts/account.ts';
import type { RelationshipRepository } from '../follows/relationship-repository.ts';
import type { IdPaging } from '../feeds/feed-repository.ts';
import type { FeedService, TimelinePage } from '../feeds/feed-service.ts';
import type { ListRepository, ListRow } from './list-repository.ts';

/** Bounds on lists (docs/architecture.md). */
export const LIST_LIMITS = {
  /** Lists one account may own. */
  perAccount: 50,
  /** Members of one list; a list timeline reads one indexed range per member in one query. */
  accountsPerList: 250,
  titleLength: 100,
} as const;

export type RepliesPolicy = 'followed' | 'list' | 'none';

export interface ListInput {
  title?: string;
  repliesPolicy?: RepliesPolicy;
  exclusive?: boolean;
}

export interface ListMembersPage {
  accounts: AccountRow[];
  /** Paging keys (the membership rows), newest first. */
  ids: string[];
}

/**
 * Lists: named groups of accounts the owner follows, each read as a timeline of their posts.
 * `replies_policy` is kept and returned for clients; Glimpse timelines hold posts, never
 * comments, so it changes nothing they show. An exclusive list's members leave the home feed.
 */
export class ListService {
  /** An exclusive list changed: the owner's open user streams reload their home sources (services.ts). */
  onHomeChanged: (accountId: string) => void = () => {};

  constructor(
    private readonly lists: ListRepository,
    private readonly accounts: AccountRepository,
    private readonly relationships: RelationshipRepository,
    private readonly feeds: FeedService,
    private readonly clock: Clock,
    private readonly jobs: DurableJobQueue,
  ) {
    // Idempotent: a DELETE of what is left.
    jobs.define<{ ownerId: string; accountId: string }>('lists.unfollowed', {
      handler: async ({ ownerId, accountId }) => {
        // Leaving an exclusive list changes the owner's home sources: its open streams reload them.
        if ((await this.lists.removeFromOwnersLists(ownerId, accountId)) > 0) this.onHomeChanged(ownerId);
      },
    });
  }

  all(viewer: Viewer): Promise<ListRow[]> {
    return this.lists.ownedBy(viewer.accountId);
  }

  async get(viewer: Viewer, id: string): Promise<ListRow> {
    const list = await this.lists.findById(id);
    if (!list || !canManageList({ viewer }, list)) throw notFound();
    return list;
  }

  async create(viewer: Viewer, input: ListInput & { title: string }): Promise<ListRow> {
    if ((await this.lists.countOwnedBy(viewer.accountId)) >= LIST_LIMITS.perAccount) {
      throw unprocessable(`Validation failed: you can have at most ${LIST_LIMITS.perAccount} lists`);
    }
    const now = this.clock.now();
    const row: ListRow = {
      id: newId(now.getTime()),
      account_id: viewer.accountId,
      title: requireTitle(input.title),
      replies_policy: input.repliesPolicy ?? 'list',
      exclusive: input.exclusive ? 1 : 0,
      created_at: now.toISOString(),
    };
    await this.lists.insert(row);
    if (row.exclusive) this.onHomeChanged(viewer.accountId);
    return row;
  }

  async update(viewer: Viewer, id: string, input: ListInput): Promise<ListRow> {
    const list = await this.get(viewer, id);
    await this.lists.update(list.id, {
      ...(input.title !== undefined ? { title: requireTitle(input.title) } : {}),
      ...(input.repliesPolicy !== undefined ? { replies_policy: input.repliesPolicy } : {}),
      ...(input.exclusive !== undefined ? { exclusive: input.exclusive ? 1 : 0 } : {}),
    });
    if (input.exclusive !== undefined || list.exclusive) this.onHomeChanged(viewer.accountId);
    return this.get(viewer, id);
  }

  async remove(viewer: Viewer, id: string): Promise<void> {
    const list = await this.get(viewer, id);
    await this.lists.delete(list.id);
    if (list.exclusive) this.onHomeChanged(viewer.accountId);
  }

  /** The members, a page at a time or (`'all'`, Mastodon's limit=0) all of them: at most LIST_LIMITS.accountsPerList. */
  async members(viewer: Viewer, id: string, paging: IdPaging | 'all'): Promise<ListMembersPage> {
    const rows = await this.lists.members(await this.get(viewer, id), paging);
    const [accounts, ctx] = await Promise.all([
      this.accounts.findByIds(rows.map((r) => r.account_id)),
      this.relationships.loadViewerContext(viewer, rows.map((r) => r.account_id)),
    ]);
    const shown = rows.flatMap((r) => {
      const account = accounts.get(r.account_id);
      return account && canSeeAccount(ctx, account) ? [account] : [];
    });
    return { accounts: shown, ids: rows.map((r) => r.id) };
  }

  /** Adds accounts the owner follows; an unknown or hidden one is 404, one not followed 422, and nothing is added. */
  async addMembers(viewer: Viewer, id: string, accountIds: readonly string[]): Promise<void> {
    const list = await this.get(viewer, id);
    const wanted = [...new Set(accountIds)];
    const [accounts, ctx] = await Promise.all([this.accounts.findByIds(wanted), this.relationships.loadViewerContext(viewer, wanted)]);
    for (const accountId of wanted) {
      const account = accounts.get(accountId);
      if (!account || !canSeeAccount(ctx, account)) throw notFound();
      if (!canAddToList(ctx, account)) throw unprocessable('Validation failed: only accounts you follow can be added to a list');
    }
    const current = await this.lists.members(list, 'all');
    const known = new Set(current.map((m) => m.account_id));
    const added = wanted.filter((a) => !known.has(a));
    if (current.length + added.length > LIST_LIMITS.accountsPerList) {
      throw unprocessable(`Validation failed: a list holds at most ${LIST_LIMITS.accountsPerList} accounts`);
    }
    const now = this.clock.now().getTime();
    await this.lists.addMembers(list.id, added.map((accountId) => ({ id: newId(now), account_id: accountId })));
    if (list.exclusive) this.onHomeChanged(viewer.accountId);
  }

  async removeMembers(viewer: Viewer, id: string, accountIds: readonly string[]): Promise<void> {
    const list = await this.get(viewer, id);
    await this.lists.removeMembers(list.id, accountIds);
    if (list.exclusive) this.onHomeChanged(viewer.accountId);
  }

  /** The viewer's lists that hold the account (`GET /accounts/:id/lists`). */
  async holding(viewer: Viewer, accountId: string): Promise<ListRow[]> {
    const [account, ctx] = await Promise.all([this.accounts.findById(accountId), this.relationships.loadViewerContext(viewer, [accountId])]);
    if (!account || !canSeeAccount(ctx, account)) throw notFound();
    return this.lists.listsHolding(viewer.accountId, accountId);
  }

  /** Photo posts of the list's members the viewer may see, newest first. */
  async timeline(viewer: Viewer, id: string, paging: IdPaging): Promise<TimelinePage> {
    const members = await this.lists.members(await this.get(viewer, id), 'all');
    return this.feeds.members(viewer, members.map((m) => m.account_id), paging);
  }

  /** Which of the viewer's `listIds` hold `authorId` (for the list stream). */
  async streamsFor(viewer: Viewer, listIds: readonly string[], authorId: string): Promise<string[]> {
    return (await this.lists.listsHolding(viewer.accountId, authorId, listIds)).map((l) => l.id);
  }

  /** An unfollow (or removal, or block) takes the account off the follower's lists: a job recorded in its transaction. */
  async unfollowed(trx: Db, followerId: string, followedId: string): Promise<void> {
    await this.jobs.enqueue('lists.unfollowed', { ownerId: followerId, accountId: followedId }, { trx });
  }
}

function requireTitle(title: string): string {
  if (title.trim() === '') throw unprocessable("Validation failed: Title can't be blank");
  return title;
}
