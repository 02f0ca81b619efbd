import { byUnsuspendedAccountSql } from '../../access/account-policy.ts';
import type { Db } from '../../db/database.ts';
import type { NotificationRow } from './notification.ts';

export interface NotificationQuery {
  types?: string[];
  excludeTypes?: string[];
  accountId?: string;
  maxId?: string;
  sinceId?: string;
  minId?: string;
  limit: number;
}

export class NotificationRepository {
  constructor(private readonly db: Db) {}

  async insert(row: NotificationRow, db: Db = this.db): Promise<void> {
    await db.insertInto('notifications').values(row).execute();
  }

  async page(recipientId: string, query: NotificationQuery): Promise<NotificationRow[]> {
    let q = this.db.selectFrom('notifications').selectAll().where('account_id', '=', recipientId).where(byUnsuspendedAccountSql('from_account_id'));
    if (query.types && query.types.length > 0) q = q.where('type', 'in', query.types);
    if (query.excludeTypes && query.excludeTypes.length > 0) q = q.where('type', 'not in', query.excludeTypes);
    if (query.accountId) q = q.where('from_account_id', '=', query.accountId);
    if (query.maxId) q = q.where('id', '<', query.maxId);
    if (query.sinceId) q = q.where('id', '>', query.sinceId);
    if (query.minId) {
      const rows = await q.where('id', '>', query.minId).orderBy('id', 'asc').limit(query.limit).execute();
      return rows.reverse();
    }
    return q.orderBy('id', 'desc').limit(query.limit).execute();
  }

  async findForRecipient(recipientId: string, id: string): Promise<NotificationRow | undefined> {
    return this.db
      .selectFrom('notifications')
      .selectAll()
      .where('account_id', '=', recipientId)
      .where('id', '=', id)
      .executeTakeFirst();
  }

  /** The senders of the newest notifications after `sinceId`, one entry per notification. */
  async sendersSince(recipientId: string, sinceId: string | undefined, limit: number): Promise<string[]> {
    let q = this.db.selectFrom('notifications').select('from_account_id').where('account_id', '=', recipientId).where(byUnsuspendedAccountSql('from_account_id'));
    if (sinceId) q = q.where('id', '>', sinceId);
    const rows = await q.orderBy('id', 'desc').limit(limit).execute();
    return rows.map((r) => r.from_account_id);
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
