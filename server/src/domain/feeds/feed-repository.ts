import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { publiclyListableSql } from '../../access/post-policy.ts';
import { notMessageSql } from '../../access/message-policy.ts';

export interface IdPaging {
  maxId?: string;
  sinceId?: string;
  minId?: string;
  limit: number;
}

/** Mastodon paging applied to a query of ids, not run: newest first, or with min_id the oldest just above it. */
function paged(q: any, column: string, paging: IdPaging): any {
  if (paging.maxId) q = q.where(column, '<', paging.maxId);
  if (paging.sinceId) q = q.where(column, '>', paging.sinceId);
  if (paging.minId) return q.where(column, '>', paging.minId).orderBy(column, 'asc').limit(paging.limit);
  return q.orderBy(column, 'desc').limit(paging.limit);
}

/** Page ids newest first; with min_id, the oldest ones just above it (then reversed). */
function pageIds(q: any, column: string, paging: IdPaging): Promise<Array<Record<string, string>>> {
  const rows = paged(q, column, paging).execute();
  return paging.minId ? rows.then((r: any[]) => r.reverse()) : rows;
}

/** Ids newest first, without repeats; with min_id the page is the oldest end. */
function mergeNewestFirst(ids: Iterable<string>, paging: IdPaging): string[] {
  const merged = [...new Set(ids)].sort((a, b) => (a < b ? 1 : a > b ? -1 : 0));
  return paging.minId ? merged.slice(-paging.limit) : merged.slice(0, paging.limit);
}

/** What a home feed is made of besides the pushed rows (one query, see homeSources). */
export interface HomeSourceRows {
  /** Followed accounts above the fan-out threshold: pulled at read time. */
  pulledAuthors: string[];
  followedTags: Set<string>;
  /** Members of the viewer's exclusive lists: their posts leave the home feed. */
  exclusiveAuthors: Set<string>;
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
          .where(notMessageSql())
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
      .where(notMessageSql())
      .orderBy('id')
      .limit(limit)
      .execute();
  }

  async removeAuthor(accountId: string, authorId: string): Promise<void> {
    await this.db.deleteFrom('home_feed').where('account_id', '=', accountId).where('author_id', '=', authorId).execute();
  }

  async homeIds(accountId: string, paging: IdPaging, excludeAuthors: ReadonlySet<string> = new Set()): Promise<string[]> {
    let q = this.db.selectFrom('home_feed').select('status_id').where('account_id', '=', accountId);
    if (excludeAuthors.size) q = q.where('author_id', 'not in', [...excludeAuthors]);
    const rows = await pageIds(q, 'status_id', paging);
    return rows.map((r) => r.status_id);
  }

  /**
   * The home feed's read-time sources in one round trip: followed accounts above the fan-out
   * threshold, followed hashtags, and members of exclusive lists. A viewer with no followed
   * tag and no exclusive list pays two empty index probes inside this query, nothing more.
   */
  async homeSources(accountId: string, threshold: number): Promise<HomeSourceRows> {
    const { rows } = await sql<{ kind: string; value: string }>`
      SELECT 'pulled' AS kind, f.target_account_id AS value FROM follows f JOIN accounts a ON a.id = f.target_account_id
        WHERE f.account_id = ${accountId} AND a.followers_count > ${threshold}
      UNION ALL SELECT 'tag', tag FROM followed_tags WHERE account_id = ${accountId}
      UNION ALL SELECT 'exclusive', la.account_id FROM lists l JOIN list_accounts la ON la.list_id = l.id
        WHERE l.account_id = ${accountId} AND l.exclusive = 1`.execute(this.db);
    const of = (kind: string) => rows.filter((r) => r.kind === kind).map((r) => r.value);
    return { pulledAuthors: of('pulled'), followedTags: new Set(of('tag')), exclusiveAuthors: new Set(of('exclusive')) };
  }

  /**
   * The newest ids across several keys (list members, followed tags) in one query: one bounded
   * indexed range per key (`branch(key)` selects `id`, paged on `column`), joined by UNION ALL
   * and merged here. A page costs one round trip and at most keys × limit index entries.
   */
  private async newestAcross(keys: readonly string[], branch: (key: string) => any, column: string, paging: IdPaging): Promise<string[]> {
    if (keys.length === 0) return [];
    const parts: any[] = keys.map((key, i) => (this.db as any).selectFrom(paged(branch(key), column, paging).as(`b${i}`)).select(`b${i}.id as id`));
    const query = parts.slice(1).reduce((q: any, part) => q.unionAll(part), parts[0]);
    const rows: Array<{ id: string }> = await query.execute();
    return mergeNewestFirst(rows.map((r) => r.id), paging);
  }

  /** Publicly listable posts carrying any of the tags (access/post-policy.ts), in one query. */
  async followedTagIds(tags: readonly string[], paging: IdPaging, excludeAuthors: ReadonlySet<string>): Promise<string[]> {
    return this.newestAcross(
      tags,
      (tag) => {
        let q = this.db
          .selectFrom('status_tags')
          .innerJoin('statuses', 'statuses.id', 'status_tags.status_id')
          .innerJoin('accounts', 'accounts.id', 'statuses.account_id')
          .select('status_tags.status_id as id')
          .where('status_tags.tag', '=', tag)
          .where(publiclyListableSql());
        if (excludeAuthors.size) q = q.where('statuses.account_id', 'not in', [...excludeAuthors]);
        return q;
      },
      'status_tags.status_id',
      paging,
    );
  }

  /** Top-level posts of a list's members, in one query (one indexed range per member). */
  async postIdsOfMembers(memberIds: readonly string[], paging: IdPaging): Promise<string[]> {
    return this.newestAcross(
      memberIds,
      (id) => this.db.selectFrom('statuses').select('id').where('account_id', '=', id).where('in_reply_to_id', 'is', null).where(notMessageSql()),
      'id',
      paging,
    );
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
    // Direct messages are read in conversations only (access/message-policy.ts).
    let q = this.db.selectFrom('statuses').select('id').where('account_id', '=', authorIds[0]).where(notMessageSql());
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

  /** The account's likes, newest like first, paged by the like's id (favourites_account). */
  async favouritedPage(accountId: string, paging: IdPaging): Promise<Array<{ id: string; status_id: string }>> {
    const rows = await pageIds(this.db.selectFrom('favourites').select(['id', 'status_id']).where('account_id', '=', accountId), 'id', paging);
    return rows as Array<{ id: string; status_id: string }>;
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
