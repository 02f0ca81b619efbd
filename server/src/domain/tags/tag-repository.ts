import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { AccountTagsTable } from '../../db/schema.ts';
import type { SqlForm } from '../../access/sql-form.ts';
import { publiclyListableSql } from '../../access/post-policy.ts';
import type { IdPaging } from '../feeds/feed-repository.ts';

export type AccountTagRow = AccountTagsTable;
type AccountTagTable = 'followed_tags' | 'featured_tags';

export interface TagUseRow {
  tag: string;
  /** YYYY-MM-DD (UTC). */
  day: string;
  uses: number;
  accounts: number;
}

/** Followed and featured hashtags, and what the tag entities count. */
export class TagRepository {
  constructor(private readonly db: Db) {}

  ofAccount(table: AccountTagTable, accountId: string): Promise<AccountTagRow[]> {
    return this.db.selectFrom(table).selectAll().where('account_id', '=', accountId).orderBy('id').execute();
  }

  async page(table: AccountTagTable, accountId: string, paging: IdPaging): Promise<AccountTagRow[]> {
    let q = this.db.selectFrom(table).selectAll().where('account_id', '=', accountId);
    if (paging.maxId) q = q.where('id', '<', paging.maxId);
    if (paging.sinceId) q = q.where('id', '>', paging.sinceId);
    if (paging.minId) return (await q.where('id', '>', paging.minId).orderBy('id', 'asc').limit(paging.limit).execute()).reverse();
    return q.orderBy('id', 'desc').limit(paging.limit).execute();
  }

  find(table: AccountTagTable, accountId: string, tag: string): Promise<AccountTagRow | undefined> {
    return this.db.selectFrom(table).selectAll().where('account_id', '=', accountId).where('tag', '=', tag).executeTakeFirst();
  }

  findById(table: AccountTagTable, id: string): Promise<AccountTagRow | undefined> {
    return this.db.selectFrom(table).selectAll().where('id', '=', id).executeTakeFirst();
  }

  async count(table: AccountTagTable, accountId: string): Promise<number> {
    const row = await this.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).where('account_id', '=', accountId).executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  async insert(table: AccountTagTable, row: AccountTagRow): Promise<void> {
    await this.db.insertInto(table).values(row).onConflict((oc) => oc.columns(['account_id', 'tag']).doNothing()).execute();
  }

  async delete(table: AccountTagTable, accountId: string, tag: string): Promise<void> {
    await this.db.deleteFrom(table).where('account_id', '=', accountId).where('tag', '=', tag).execute();
  }

  /** Which of the tags the account has in `table`. */
  async which(table: AccountTagTable, accountId: string, tags: readonly string[]): Promise<Set<string>> {
    if (tags.length === 0) return new Set();
    const rows = await this.db.selectFrom(table).select('tag').where('account_id', '=', accountId).where('tag', 'in', [...tags]).execute();
    return new Set(rows.map((r) => r.tag));
  }

  /**
   * Uses per tag and day since `sinceId` (ids are time-ordered, so the range is an index range
   * of status_tags_tag) in publicly listable posts only: a tag used where an anonymous reader
   * cannot list it counts nothing. One query for all the tags.
   */
  async dailyUses(tags: readonly string[], sinceId: string): Promise<TagUseRow[]> {
    if (tags.length === 0) return [];
    const day = sql<string>`substr(statuses.created_at, 1, 10)`;
    const rows = await this.db
      .selectFrom('status_tags')
      .innerJoin('statuses', 'statuses.id', 'status_tags.status_id')
      .innerJoin('accounts', 'accounts.id', 'statuses.account_id')
      .select(['status_tags.tag as tag', day.as('day'), sql<number>`count(*)`.as('uses'), sql<number>`count(distinct statuses.account_id)`.as('accounts')])
      .where('status_tags.tag', 'in', [...tags])
      .where('status_tags.status_id', '>=', sinceId)
      .where(publiclyListableSql())
      .groupBy(['status_tags.tag', day])
      .execute();
    return rows.map((r) => ({ tag: r.tag, day: r.day, uses: Number(r.uses), accounts: Number(r.accounts) }));
  }

  /**
   * Per tag, the author's posts carrying it that `visible` admits (the reader's SQL form from
   * access/post-policy.ts): how many, and the newest one's date. One query.
   */
  async authorTagStats(authorId: string, tags: readonly string[], visible: SqlForm): Promise<Map<string, { count: number; lastAt: string | null }>> {
    if (tags.length === 0) return new Map();
    const rows = await this.db
      .selectFrom('statuses')
      .innerJoin('status_tags', 'status_tags.status_id', 'statuses.id')
      .select(['status_tags.tag as tag', sql<number>`count(*)`.as('n'), sql<string | null>`max(statuses.created_at)`.as('last_at')])
      .where('statuses.account_id', '=', authorId)
      .where('statuses.post_id', 'is', null)
      .where('statuses.in_reply_to_id', 'is', null)
      .where('status_tags.tag', 'in', [...tags])
      .where(visible)
      .groupBy('status_tags.tag')
      .execute();
    return new Map(rows.map((r) => [r.tag, { count: Number(r.n), lastAt: r.last_at }]));
  }

  /** The account's most used tags in its own posts, most used first. */
  async mostUsedBy(accountId: string, limit: number, exclude: readonly string[]): Promise<Array<{ tag: string; display: string }>> {
    let q = this.db
      .selectFrom('statuses')
      .innerJoin('status_tags', 'status_tags.status_id', 'statuses.id')
      .select(['status_tags.tag as tag', sql<string>`min(status_tags.display)`.as('display')])
      .where('statuses.account_id', '=', accountId)
      .where('statuses.post_id', 'is', null);
    if (exclude.length) q = q.where('status_tags.tag', 'not in', [...exclude]);
    return q.groupBy('status_tags.tag').orderBy(sql`count(*)`, 'desc').orderBy('status_tags.tag').limit(limit).execute();
  }
}
