import { type Selectable, type SqlBool, sql } from 'kysely';
import { byUnsuspendedAccountSql } from '../../access/account-policy.ts';
import type { NotificationPoliciesTable } from '../../db/schema.ts';
import type { Db } from '../../db/database.ts';
import type { NotificationRow } from './notification.ts';

export interface NotificationQuery {
  /** The stored types to include, always explicit (notification.ts includedTypes). */
  types: string[];
  accountId?: string;
  /** Include notifications the recipient's policy filtered (they wait in the requests). */
  includeFiltered?: boolean;
  maxId?: string;
  sinceId?: string;
  minId?: string;
  limit: number;
}

/** One group of a page: its key, and its newest notification below the page's upper bound. */
export interface GroupSummary {
  group_key: string;
  latest_id: string;
  oldest_id: string;
  count: number;
}

/** One sender's filtered notifications: a notification request, named by its oldest notification. */
export interface RequestRow {
  id: string;
  from_account_id: string;
  created_at: string;
  updated_at: string;
  count: number;
}

export class NotificationRepository {
  constructor(private readonly db: Db) {}

  async insert(row: NotificationRow, db: Db = this.db): Promise<void> {
    await db.insertInto('notifications').values(row).execute();
  }

  /** The recipient's notifications a list may show: of the included types, from unsuspended senders. */
  private listable(recipientId: string, query: Omit<NotificationQuery, 'limit'>) {
    let q = this.db.selectFrom('notifications').where('account_id', '=', recipientId).where(byUnsuspendedAccountSql('from_account_id'));
    q = query.types.length > 0 ? q.where('type', 'in', query.types) : q.where(sql<SqlBool>`1 = 0`);
    if (!query.includeFiltered) q = q.where('filtered', '=', 0);
    if (query.accountId) q = q.where('from_account_id', '=', query.accountId);
    if (query.maxId) q = q.where('id', '<', query.maxId);
    if (query.sinceId) q = q.where('id', '>', query.sinceId);
    if (query.minId) q = q.where('id', '>', query.minId);
    return q;
  }

  async page(recipientId: string, query: NotificationQuery): Promise<NotificationRow[]> {
    const q = this.listable(recipientId, query).selectAll();
    if (query.minId) {
      const rows = await q.orderBy('id', 'asc').limit(query.limit).execute();
      return rows.reverse();
    }
    return q.orderBy('id', 'desc').limit(query.limit).execute();
  }

  /**
   * A page of groups, newest first: each group's newest notification in the page's bounds, in
   * one grouped aggregate over the (account_id, group_key, id) index, whatever the group sizes.
   */
  async groupPage(recipientId: string, query: NotificationQuery): Promise<string[]> {
    const latest = sql<string>`MAX(id)`;
    const rows = await this.listable(recipientId, query)
      .select(['group_key', latest.as('latest_id')])
      .groupBy('group_key')
      .orderBy(query.minId ? sql`MIN(id)` : latest, query.minId ? 'asc' : 'desc')
      .limit(query.limit)
      .execute();
    const ids = rows.map((r) => String(r.latest_id));
    return ids.sort((a, b) => (a < b ? 1 : -1));
  }

  async byIds(recipientId: string, ids: string[]): Promise<NotificationRow[]> {
    if (ids.length === 0) return [];
    return this.db.selectFrom('notifications').selectAll().where('account_id', '=', recipientId).where('id', 'in', ids).execute();
  }

  /** Count and bounds of each group within a page's range (`minId` ..= `maxId`), in one query. */
  async groupSummaries(recipientId: string, keys: string[], query: Omit<NotificationQuery, 'limit'>, range: { minId?: string; maxId?: string }): Promise<GroupSummary[]> {
    if (keys.length === 0) return [];
    let q = this.listable(recipientId, query).where('group_key', 'in', keys);
    if (range.minId) q = q.where('id', '>=', range.minId);
    if (range.maxId) q = q.where('id', '<=', range.maxId);
    const rows = await q.select(['group_key', sql<string>`MAX(id)`.as('latest_id'), sql<string>`MIN(id)`.as('oldest_id'), sql<number>`COUNT(*)`.as('count')]).groupBy('group_key').execute();
    return rows.map((r) => ({ group_key: r.group_key!, latest_id: String(r.latest_id), oldest_id: String(r.oldest_id), count: Number(r.count) }));
  }

  /**
   * The most recent distinct senders of each group within the range, at most `perGroup` each,
   * in one query (a window over the senders' latest notifications).
   */
  async groupSenders(recipientId: string, keys: string[], query: Omit<NotificationQuery, 'limit'>, range: { minId?: string; maxId?: string }, perGroup: number): Promise<Array<{ group_key: string; from_account_id: string }>> {
    if (keys.length === 0) return [];
    let inner = this.listable(recipientId, query).where('group_key', 'in', keys);
    if (range.minId) inner = inner.where('id', '>=', range.minId);
    if (range.maxId) inner = inner.where('id', '<=', range.maxId);
    const senders = inner.select(['group_key', 'from_account_id', sql<string>`MAX(id)`.as('last_id')]).groupBy(['group_key', 'from_account_id']);
    const ranked = this.db
      .selectFrom(senders.as('s'))
      .select(['s.group_key', 's.from_account_id', 's.last_id', sql<number>`ROW_NUMBER() OVER (PARTITION BY s.group_key ORDER BY s.last_id DESC)`.as('rank')]);
    const rows = await this.db
      .selectFrom(ranked.as('r'))
      .select(['r.group_key', 'r.from_account_id'])
      .where('r.rank', '<=', perGroup)
      .orderBy('r.last_id', 'desc')
      .execute();
    return rows.map((r) => ({ group_key: r.group_key!, from_account_id: r.from_account_id }));
  }

  /** A group's senders, newest first, for `/api/v2/notifications/:group_key/accounts`. */
  async groupAccounts(recipientId: string, key: string, query: Omit<NotificationQuery, 'limit'>, limit: number): Promise<string[]> {
    const rows = await this.listable(recipientId, query)
      .where('group_key', '=', key)
      .select(['from_account_id', sql<string>`MAX(id)`.as('last_id')])
      .groupBy('from_account_id')
      .orderBy(sql`MAX(id)`, 'desc')
      .limit(limit)
      .execute();
    return rows.map((r) => r.from_account_id);
  }

  /** The newest notification of a group (its key as stored, or `ungrouped-<id>`). */
  async latestOfGroup(recipientId: string, key: string, query: Omit<NotificationQuery, 'limit'>): Promise<NotificationRow | undefined> {
    const single = /^ungrouped-(\d{1,20})$/.exec(key);
    let q = this.listable(recipientId, query).selectAll();
    q = single ? q.where('id', '=', single[1]) : q.where('group_key', '=', key);
    return q.orderBy('id', 'desc').limit(1).executeTakeFirst();
  }

  async deleteGroup(recipientId: string, key: string): Promise<boolean> {
    const single = /^ungrouped-(\d{1,20})$/.exec(key);
    let q = this.db.deleteFrom('notifications').where('account_id', '=', recipientId);
    q = single ? q.where('id', '=', single[1]) : q.where('group_key', '=', key);
    const r = await q.executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  /** What the notification policy reads about a notification being written, in one query. */
  async policyFacts(recipientId: string, fromId: string, statusId: string | null, db: Db = this.db) {
    const row = await db
      .selectFrom('accounts as sender')
      .leftJoin('notification_policies as p', (j) => j.on('p.account_id', '=', recipientId))
      .select([
        'sender.created_at',
        'p.for_not_following',
        'p.for_not_followers',
        'p.for_new_accounts',
        'p.for_private_mentions',
        'p.for_limited_accounts',
        sql<number>`(SELECT COUNT(*) FROM follows WHERE account_id = ${recipientId} AND target_account_id = ${fromId})`.as('recipient_follows'),
        sql<number>`(SELECT COUNT(*) FROM follows WHERE account_id = ${fromId} AND target_account_id = ${recipientId})`.as('sender_follows'),
        sql<number>`(SELECT COUNT(*) FROM notification_permissions WHERE account_id = ${recipientId} AND from_account_id = ${fromId})`.as('permitted'),
        sql<number>`(SELECT COUNT(*) FROM statuses WHERE id = ${statusId} AND visibility = 'direct' AND (in_reply_to_account_id IS NULL OR in_reply_to_account_id <> ${recipientId}))`.as('private_mention'),
      ])
      .where('sender.id', '=', fromId)
      .executeTakeFirst();
    return row;
  }

  async getPolicy(accountId: string) {
    return this.db.selectFrom('notification_policies').selectAll().where('account_id', '=', accountId).executeTakeFirst();
  }

  async setPolicy(row: Selectable<NotificationPoliciesTable>): Promise<void> {
    const { account_id: _, ...rest } = row;
    await this.db.insertInto('notification_policies').values(row).onConflict((oc) => oc.column('account_id').doUpdateSet(rest)).execute();
  }

  /** Pending requests (distinct senders, capped) and filtered notifications, in one query. */
  async filteredSummary(recipientId: string, cap: number): Promise<{ requests: number; notifications: number }> {
    const row = await this.db
      .selectFrom('notifications')
      .select([sql<number>`COUNT(DISTINCT from_account_id)`.as('requests'), sql<number>`COUNT(*)`.as('notifications')])
      .where('account_id', '=', recipientId)
      .where('filtered', '=', 1)
      .where(byUnsuspendedAccountSql('from_account_id'))
      .executeTakeFirst();
    return { requests: Math.min(Number(row?.requests ?? 0), cap), notifications: Number(row?.notifications ?? 0) };
  }

  /** Notification requests, newest first (by their oldest filtered notification), paged by that id. */
  async requests(recipientId: string, paging: { maxId?: string; sinceId?: string; minId?: string; limit: number }, fromId?: string): Promise<RequestRow[]> {
    let q = this.db
      .selectFrom('notifications')
      .select(['from_account_id', sql<string>`MIN(id)`.as('id'), sql<string>`MIN(created_at)`.as('created_at'), sql<string>`MAX(created_at)`.as('updated_at'), sql<number>`COUNT(*)`.as('count')])
      .where('account_id', '=', recipientId)
      .where('filtered', '=', 1)
      .where(byUnsuspendedAccountSql('from_account_id'))
      .groupBy('from_account_id');
    if (fromId) q = q.where('from_account_id', '=', fromId);
    if (paging.maxId) q = q.having(sql`MIN(id)`, '<', paging.maxId);
    if (paging.sinceId) q = q.having(sql`MIN(id)`, '>', paging.sinceId);
    if (paging.minId) q = q.having(sql`MIN(id)`, '>', paging.minId);
    const rows = await q.orderBy(sql`MIN(id)`, paging.minId ? 'asc' : 'desc').limit(paging.limit).execute();
    const out = rows.map((r) => ({ id: String(r.id), from_account_id: r.from_account_id, created_at: String(r.created_at), updated_at: String(r.updated_at), count: Number(r.count) }));
    return paging.minId ? out.reverse() : out;
  }

  /** The sender of a request, by any of its filtered notifications' ids. */
  async requestSender(recipientId: string, id: string): Promise<string | undefined> {
    const row = await this.db.selectFrom('notifications').select('from_account_id').where('account_id', '=', recipientId).where('id', '=', id).where('filtered', '=', 1).executeTakeFirst();
    return row?.from_account_id;
  }

  /** Accepting merges the sender's filtered notifications back and lets future ones through. */
  async acceptSenders(recipientId: string, fromIds: string[], now: string): Promise<void> {
    if (fromIds.length === 0) return;
    await this.db.transaction().execute(async (trx) => {
      await trx.insertInto('notification_permissions').values(fromIds.map((from_account_id) => ({ account_id: recipientId, from_account_id, created_at: now }))).onConflict((oc) => oc.doNothing()).execute();
      await trx.updateTable('notifications').set({ filtered: 0 }).where('account_id', '=', recipientId).where('from_account_id', 'in', fromIds).where('filtered', '=', 1).execute();
    });
  }

  /** Dismissing a request drops its filtered notifications. */
  async dismissSenders(recipientId: string, fromIds: string[]): Promise<void> {
    if (fromIds.length === 0) return;
    await this.db.deleteFrom('notifications').where('account_id', '=', recipientId).where('from_account_id', 'in', fromIds).where('filtered', '=', 1).execute();
  }

  async findForRecipient(recipientId: string, id: string): Promise<NotificationRow | undefined> {
    return this.db
      .selectFrom('notifications')
      .selectAll()
      .where('account_id', '=', recipientId)
      .where('id', '=', id)
      .executeTakeFirst();
  }

  /** The sender and group of the newest listable notifications after `sinceId`, one entry per notification. */
  async sendersSince(recipientId: string, sinceId: string | undefined, query: Omit<NotificationQuery, 'limit'>, limit: number): Promise<Array<{ id: string; from_account_id: string; type: string; group_key: string | null }>> {
    return this.listable(recipientId, { ...query, sinceId })
      .select(['id', 'from_account_id', 'type', 'group_key'])
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
  }

  async deleteOne(recipientId: string, id: string): Promise<boolean> {
    const r = await this.db
      .deleteFrom('notifications')
      .where('account_id', '=', recipientId)
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  async deleteAll(recipientId: string): Promise<void> {
    await this.db.deleteFrom('notifications').where('account_id', '=', recipientId).execute();
  }

  /** Removes what one account caused another to receive (a withdrawn request, a block). */
  async deleteBetween(recipientId: string, fromId: string, types: string[], db: Db = this.db): Promise<void> {
    await db
      .deleteFrom('notifications')
      .where('account_id', '=', recipientId)
      .where('from_account_id', '=', fromId)
      .where('type', 'in', types)
      .execute();
  }

  async getMarkers(accountId: string, timelines: string[]) {
    if (timelines.length === 0) return [];
    return this.db
      .selectFrom('markers')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('timeline', 'in', timelines)
      .execute();
  }

  async setMarker(accountId: string, timeline: string, lastReadId: string, now: string): Promise<void> {
    await this.db
      .insertInto('markers')
      .values({ account_id: accountId, timeline, last_read_id: lastReadId, version: 0, updated_at: now })
      .onConflict((oc) =>
        oc.columns(['account_id', 'timeline']).doUpdateSet((eb) => ({
          last_read_id: lastReadId,
          updated_at: now,
          version: eb('markers.version', '+', 1),
        })),
      )
      .execute();
  }
}
