import { type Compilable, sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { activeFilterSql } from '../../access/filter-policy.ts';
import type { FilterKeywordRow, FilterRow, FilterStatusRow } from './filter.ts';
import { preparedQuery } from '../../db/prepared-query.ts';

/** One rule of an active filter, as the matcher reads it: a keyword, or a status of the page. */
export interface ActiveRuleRow {
  filter_id: string;
  account_id: string;
  title: string;
  context: string;
  action: FilterRow['action'];
  expires_at: string | null;
  created_at: string;
  kind: 'keyword' | 'status';
  item_id: string;
  /** The keyword, or the filtered status's id. */
  value: string;
  whole_word: number;
}

/** Filters, their keywords and their statuses. */
export class FilterRepository {
  constructor(private readonly db: Db) {}

  ownedBy(accountId: string): Promise<FilterRow[]> {
    return this.db.selectFrom('filters').selectAll().where('account_id', '=', accountId).orderBy('id').execute();
  }

  findById(id: string, db: Db = this.db): Promise<FilterRow | undefined> {
    return db.selectFrom('filters').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** Marks the account's filters as changed (users.filters_version, migration 0023), in the change's transaction. */
  async bumpVersion(accountId: string, db: Db): Promise<void> {
    await db.updateTable('users').set((eb) => ({ filters_version: eb('filters_version', '+', 1) })).where('account_id', '=', accountId).execute();
  }

  async countOwnedBy(accountId: string, db: Db = this.db): Promise<number> {
    const row = await db.selectFrom('filters').select((eb) => eb.fn.countAll().as('n')).where('account_id', '=', accountId).executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  async insert(row: FilterRow, db: Db = this.db): Promise<void> {
    await db.insertInto('filters').values(row).execute();
  }

  async update(id: string, changes: Partial<Pick<FilterRow, 'title' | 'context' | 'action' | 'expires_at'>>, db: Db = this.db): Promise<void> {
    if (Object.keys(changes).length) await db.updateTable('filters').set(changes).where('id', '=', id).execute();
  }

  /** Its keywords and statuses go with it (foreign keys cascade; deleted here too, to not depend on it). */
  async delete(id: string, db: Db = this.db): Promise<void> {
    await db.deleteFrom('filter_keywords').where('filter_id', '=', id).execute();
    await db.deleteFrom('filter_statuses').where('filter_id', '=', id).execute();
    await db.deleteFrom('filters').where('id', '=', id).execute();
  }

  keywordsOf(filterIds: readonly string[], db: Db = this.db): Promise<FilterKeywordRow[]> {
    if (filterIds.length === 0) return Promise.resolve([]);
    return db.selectFrom('filter_keywords').selectAll().where('filter_id', 'in', [...filterIds]).orderBy('id').execute();
  }

  statusesOf(filterIds: readonly string[], db: Db = this.db): Promise<FilterStatusRow[]> {
    if (filterIds.length === 0) return Promise.resolve([]);
    return db.selectFrom('filter_statuses').selectAll().where('filter_id', 'in', [...filterIds]).orderBy('id').execute();
  }

  findKeyword(id: string): Promise<FilterKeywordRow | undefined> {
    return this.db.selectFrom('filter_keywords').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async insertKeywords(rows: FilterKeywordRow[], db: Db = this.db): Promise<void> {
    if (rows.length) await db.insertInto('filter_keywords').values(rows).execute();
  }

  async updateKeyword(id: string, changes: Partial<Pick<FilterKeywordRow, 'keyword' | 'whole_word'>>, db: Db = this.db): Promise<void> {
    if (Object.keys(changes).length) await db.updateTable('filter_keywords').set(changes).where('id', '=', id).execute();
  }

  async deleteKeywords(filterId: string, ids: readonly string[], db: Db = this.db): Promise<void> {
    if (ids.length) await db.deleteFrom('filter_keywords').where('filter_id', '=', filterId).where('id', 'in', [...ids]).execute();
  }

  async countKeywords(filterId: string, db: Db = this.db): Promise<number> {
    const row = await db.selectFrom('filter_keywords').select((eb) => eb.fn.countAll().as('n')).where('filter_id', '=', filterId).executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  findStatus(id: string): Promise<FilterStatusRow | undefined> {
    return this.db.selectFrom('filter_statuses').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** False when the status is already in the filter. */
  async insertStatus(row: FilterStatusRow, db: Db = this.db): Promise<boolean> {
    const result = await db.insertInto('filter_statuses').values(row).onConflict((oc) => oc.columns(['filter_id', 'status_id']).doNothing()).executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async deleteStatus(id: string, db: Db = this.db): Promise<void> {
    await db.deleteFrom('filter_statuses').where('id', '=', id).execute();
  }

  async countStatuses(filterId: string, db: Db = this.db): Promise<number> {
    const row = await db.selectFrom('filter_statuses').select((eb) => eb.fn.countAll().as('n')).where('filter_id', '=', filterId).executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  /**
   * The account's active filters as rules, in one query: every keyword, and the filtered
   * statuses among `statusIds` (the page's), each row carrying its filter.
   */
  /** `statusIds`: the statuses a response carries, or 'all' of the account's (a stream's rules, loaded once). */
  activeRules(accountId: string, now: Date, statusIds: readonly string[] | 'all'): Promise<ActiveRuleRow[]> {
    return activeRulesQuery.execute(this.db, { accountId, now: now.toISOString(), statusIds: statusIds === 'all' ? undefined : [...statusIds] });
  }

}

/**
 * FilterRepository.activeRules' statement, kept compiled per shape (db/prepared-query.ts): the
 * keywords, and the statuses among `statusIds` (all of them when undefined) with their filter.
 */
const activeRulesQuery = preparedQuery((db: Db, { accountId, now, statusIds }: { accountId: string; now: string; statusIds: string[] | undefined }) => {
  const base = () => db.selectFrom('filters as f').where('f.account_id', '=', accountId).where(activeFilterSql(now, 'f'));
  const filterColumns = ['f.id as filter_id', 'f.account_id', 'f.title', 'f.context', 'f.action', 'f.expires_at', 'f.created_at'] as const;
  const keywords = base()
    .innerJoin('filter_keywords as k', 'k.filter_id', 'f.id')
    .select([...filterColumns, sql<'keyword'>`'keyword'`.as('kind'), 'k.id as item_id', 'k.keyword as value', 'k.whole_word as whole_word']);
  if (statusIds?.length === 0) return keywords as unknown as Compilable<ActiveRuleRow>;
  let statuses = base().innerJoin('filter_statuses as s', 's.filter_id', 'f.id');
  if (statusIds) statuses = statuses.where('s.status_id', 'in', statusIds);
  const rows = statuses.select([...filterColumns, sql<'status'>`'status'`.as('kind'), 's.id as item_id', 's.status_id as value', sql<number>`0`.as('whole_word')]);
  return keywords.unionAll(rows as never) as unknown as Compilable<ActiveRuleRow>;
});
