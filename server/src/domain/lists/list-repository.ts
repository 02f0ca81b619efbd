import type { Db } from '../../db/database.ts';
import type { ListsTable } from '../../db/schema.ts';
import type { IdPaging } from '../feeds/feed-repository.ts';

export type ListRow = ListsTable;

/** Lists and their members. Members count only while the owner follows them (the join). */
export class ListRepository {
  constructor(private readonly db: Db) {}

  ownedBy(ownerId: string): Promise<ListRow[]> {
    return this.db.selectFrom('lists').selectAll().where('account_id', '=', ownerId).orderBy('id').execute();
  }

  findById(id: string): Promise<ListRow | undefined> {
    return this.db.selectFrom('lists').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async countOwnedBy(ownerId: string): Promise<number> {
    const row = await this.db.selectFrom('lists').select((eb) => eb.fn.countAll().as('n')).where('account_id', '=', ownerId).executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  async insert(row: ListRow): Promise<void> {
    await this.db.insertInto('lists').values(row).execute();
  }

  async update(id: string, changes: Partial<Pick<ListRow, 'title' | 'replies_policy' | 'exclusive'>>): Promise<void> {
    if (Object.keys(changes).length) await this.db.updateTable('lists').set(changes).where('id', '=', id).execute();
  }

  async delete(id: string): Promise<void> {
    await this.db.deleteFrom('list_accounts').where('list_id', '=', id).execute();
    await this.db.deleteFrom('lists').where('id', '=', id).execute();
  }

  /** Members the owner still follows, a page by when they were added (newest first), or all. */
  async members(list: ListRow, paging: IdPaging | 'all'): Promise<Array<{ id: string; account_id: string }>> {
    let q = this.db
      .selectFrom('list_accounts')
      .innerJoin('follows', (j) => j.onRef('follows.target_account_id', '=', 'list_accounts.account_id').on('follows.account_id', '=', list.account_id))
      .select(['list_accounts.id as id', 'list_accounts.account_id as account_id'])
      .where('list_accounts.list_id', '=', list.id);
    if (paging === 'all') return q.orderBy('list_accounts.id', 'desc').execute();
    if (paging.maxId) q = q.where('list_accounts.id', '<', paging.maxId);
    if (paging.sinceId) q = q.where('list_accounts.id', '>', paging.sinceId);
    if (paging.minId) {
      const rows = await q.where('list_accounts.id', '>', paging.minId).orderBy('list_accounts.id', 'asc').limit(paging.limit).execute();
      return rows.reverse();
    }
    return q.orderBy('list_accounts.id', 'desc').limit(paging.limit).execute();
  }

  async countMembers(listId: string): Promise<number> {
    const row = await this.db.selectFrom('list_accounts').select((eb) => eb.fn.countAll().as('n')).where('list_id', '=', listId).executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  async addMembers(listId: string, rows: Array<{ id: string; account_id: string }>): Promise<void> {
    if (rows.length === 0) return;
    await this.db
      .insertInto('list_accounts')
      .values(rows.map((r) => ({ list_id: listId, ...r })))
      .onConflict((oc) => oc.columns(['list_id', 'account_id']).doNothing())
      .execute();
  }

  async removeMembers(listId: string, accountIds: readonly string[]): Promise<void> {
    if (accountIds.length) await this.db.deleteFrom('list_accounts').where('list_id', '=', listId).where('account_id', 'in', [...accountIds]).execute();
  }

  /** The owner's lists holding the account; with `among`, only those lists. */
  listsHolding(ownerId: string, accountId: string, among?: readonly string[]): Promise<ListRow[]> {
    let q = this.db
      .selectFrom('lists')
      .innerJoin('list_accounts', 'list_accounts.list_id', 'lists.id')
      .selectAll('lists')
      .where('lists.account_id', '=', ownerId)
      .where('list_accounts.account_id', '=', accountId);
    if (among) {
      if (among.length === 0) return Promise.resolve([]);
      q = q.where('lists.id', 'in', [...among]);
    }
    return q.orderBy('lists.id').execute();
  }

  /** After an unfollow: the account leaves the follower's lists. */
  /** Returns how many list memberships went. */
  async removeFromOwnersLists(ownerId: string, accountId: string): Promise<number> {
    const result = await this.db
      .deleteFrom('list_accounts')
      .where('account_id', '=', accountId)
      .where('list_id', 'in', (eb) => eb.selectFrom('lists').select('id').where('account_id', '=', ownerId))
      .executeTakeFirst();
    return Number(result.numDeletedRows ?? 0);
  }
}
