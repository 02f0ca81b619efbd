import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { publiclyListableSql } from '../../access/post-policy.ts';

export interface IdPaging {
  maxId?: string;
  sinceId?: string;
  minId?: string;
  limit: number;
}

/** Page ids newest first; with min_id, the oldest ones just above it (then reversed). */
function pageIds(q: any, column: string, paging: IdPaging): Promise<Array<Record<string, string>>> {
  if (paging.maxId) q = q.where(column, '<', paging.maxId);
  if (paging.sinceId) q = q.where(column, '>', paging.sinceId);
  if (paging.minId) {
    return q.where(column, '>', paging.minId).orderBy(column, 'asc').limit(paging.limit).execute().then((rows: any[]) => rows.reverse());
  }
  return q.orderBy(column, 'desc').limit(paging.limit).execute();
}

/**
 * The home feed's storage and the timelines' skeleton queries: each answers status ids only;
 * the hydrator loads the rest for the whole page at once.
 */
export class FeedRepository {
  constructor(private readonly db: Db) {}

  /** Push: one INSERT … SELECT puts the post into every follower's feed. */
  async pushToFollowers(statusId: string, authorId: string): Promise<number> {
    const result = await this.db
      .insertInto('home_feed')
      .columns(['account_id', 'status_id', 'author_id'])
      .expression(
        this.db
          .selectFrom('follows')
          .select((eb) => ['account_id', eb.val(statusId).as('status_id'), eb.val(authorId).as('author_id')])
          .where('target_account_id', '=', authorId),
      )
      .onConflict((oc) => oc.columns(['account_id', 'status_id']).doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0);
  }

  /** After a follow: the author's recent posts join the new follower's feed. */
  async backfill(accountId: string, authorId: string, limit: number): Promise<void> {
    await this.db
      .insertInto('home_feed')
      .columns(['account_id', 'status_id', 'author_id'])
      .expression(
        this.db
          .selectFrom('statuses')
          .select((eb) => [eb.val(accountId).as('account_id'), 'id', 'account_id'])
          .where('account_id', '=', authorId)
          .where('in_reply_to_id', 'is', null)
          .orderBy('id', 'desc')
          .limit(limit),
      )
      .onConflict((oc) => oc.columns(['account_id', 'status_id']).doNothing())
      .execute();
  }

  /** Ids are time-ordered, so the primary key finds recent posts without a scan. */
  async recentTopLevel(sinceMs: number, limit: number): Promise<Array<{ id: string; account_id: string }>> {
    return this.db
      .selectFrom('statuses')
      .select(['id', 'account_id'])
      .where('id', '>=', String(sinceMs * 1000))
      .where('post_id', 'is', null)
      .where('in_reply_to_id', 'is', null)
      .orderBy('id')
      .limit(limit)
      .execute();
  }

  async removeAuthor(accountId: string, authorId: string): Promise<void> {
    await this.db.deleteFrom('home_feed').where('account_id', '=', accountId).where('author_id', '=', authorId).execute();
  }

  async homeIds(accountId: string, paging: IdPaging): Promise<string[]> {
    const rows = await pageIds(this.db.selectFrom('home_feed').select('status_id').where('account_id', '=', accountId), 'status_id', paging);
    return rows.map((r) => r.status_id);
  }

  /** Followed accounts above the fan-out threshold: their posts are pulled at read time. */
  async pulledAuthors(accountId: string, threshold: number): Promise<string[]> {
    const rows = await this.db
      .selectFrom('follows')
      .innerJoin('accounts', 'accounts.id', 'follows.target_account_id')
      .select('follows.target_account_id as id')
      .where('follows.account_id', '=', accountId)
      .where('accounts.followers_count', '>', threshold)
      .execute();
    return rows.map((r) => r.id);
  }

  /** Top-level posts of some authors: the pull side of the home feed and the profile grid. */
  async postIdsByAuthors(authorIds: string[], paging: IdPaging, options: { onlyMedia?: boolean; includeReplies?: boolean } = {}): Promise<string[]> {
    if (authorIds.length === 0) return [];
    if (authorIds.length > 1) {
      // One indexed range per author (statuses_account), merged here: with `account_id IN (…)`
      // SQLite walks statuses_reply over every top-level post instead (37 ms a home feed at
      // the benchmark's standard size, against 0.04 ms per author this way).
      const lists = await Promise.all([...new Set(authorIds)].map((id) => this.postIdsByAuthors([id], paging, options)));
      const merged = lists.flat().sort((a, b) => (a < b ? 1 : a > b ? -1 : 0));
      return paging.minId ? merged.slice(-paging.limit) : merged.slice(0, paging.limit);
    }
    let q = this.db.selectFrom('statuses').select('id').where('account_id', '=', authorIds[0]);
    if (!options.includeReplies) q = q.where('in_reply_to_id', 'is', null);
    if (options.onlyMedia) q = q.where('has_media', '=', 1);
    const rows = await pageIds(q, 'id', paging);
    return rows.map((r) => r.id);
  }

  /** The public timeline: publicly listable posts only (access/post-policy.ts). */
  async publicIds(paging: IdPaging, onlyMedia: boolean): Promise<string[]> {
    let q = this.db
      .selectFrom('statuses')
      .innerJoin('accounts', 'accounts.id', 'statuses.account_id')
      .select('statuses.id as id')
      .where(publiclyListableSql());
    if (onlyMedia) q = q.where('statuses.has_media', '=', 1);
    const rows = await pageIds(q, 'statuses.id', paging);
    return rows.map((r) => r.id);
  }

  /** A hashtag's timeline: publicly listable posts only, never unlisted ones or comments. */
  async tagIds(tag: string, paging: IdPaging): Promise<string[]> {
    const q = this.db
      .selectFrom('status_tags')
      .innerJoin('statuses', 'statuses.id', 'status_tags.status_id')
      .innerJoin('accounts', 'accounts.id', 'statuses.account_id')
      .select('status_tags.status_id as id')
      .where('status_tags.tag', '=', tag)
      .where(publiclyListableSql());
    const rows = await pageIds(q, 'status_tags.status_id', paging);
    return rows.map((r) => r.id);
  }

  async pinnedIds(accountId: string): Promise<string[]> {
    const rows = await this.db.selectFrom('pinned_statuses').select('status_id').where('account_id', '=', accountId).orderBy('id', 'desc').limit(20).execute();
    return rows.map((r) => r.status_id);
  }

  async bookmarkedIds(accountId: string, paging: IdPaging): Promise<string[]> {
    const rows = await pageIds(this.db.selectFrom('bookmarks').select('status_id').where('account_id', '=', accountId), 'status_id', paging);
    return rows.map((r) => r.status_id);
  }

  /** Hashtags starting with the query, most used first. */
  async searchHashtags(prefix: string, limit: number, offset: number): Promise<Array<{ tag: string; display: string }>> {
    const key = prefix.normalize('NFKC').toLowerCase().replace(/[\\%_]/g, '');
    if (key === '') return [];
    // Tags are found and counted only in publicly listable posts: a tag used only in a
    // comment (hidden or not), an unlisted or private post, or by a locked or suspended
    // account is not revealed.
    const rows = await this.db
      .selectFrom('status_tags')
      .innerJoin('statuses', 'statuses.id', 'status_tags.status_id')
      .innerJoin('accounts', 'accounts.id', 'statuses.account_id')
      .select(['status_tags.tag as tag', sql<string>`min(status_tags.display)`.as('display'), sql<number>`count(*)`.as('n')])
      .where('status_tags.tag', 'like', `${key}%`)
      .where(publiclyListableSql())
      .groupBy('status_tags.tag')
      .orderBy(sql`count(*)`, 'desc')
      .limit(limit)
      .offset(offset)
      .execute();
    return rows.map((r) => ({ tag: r.tag, display: r.display }));
  }
}
