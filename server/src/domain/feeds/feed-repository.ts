import { type Compilable, sql } from 'kysely';
import { preparedQuery } from '../../db/prepared-query.ts';
import type { Db } from '../../db/database.ts';
import { type IdPaging, pageIds, paged } from '../../db/id-paging.ts';

export type { IdPaging };
import { homeFeedAuthorSql, publiclyListableSql } from '../../access/post-policy.ts';
import { notMessageSql } from '../../access/message-policy.ts';
import type { Viewer } from '../../access/viewer-context.ts';
import { type Clock, systemClock } from '../../clock.ts';

/** A page's lower bound: the greater of min_id and since_id, or undefined without either. */
export function lowerBound(paging: IdPaging): string | undefined {
  return [paging.minId, paging.sinceId].filter((id): id is string => id !== undefined).sort().pop();
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
  /** The oldest status kept in the viewer's home_feed (null when none); older pages read the authors' posts. */
  horizon: string | null;
  /**
   * Asked with a page: the followed authors whose posts below the horizon the page reads
   * (access/post-policy homeFeedAuthorSql), when the kept rows in the page's range cannot fill
   * it; undefined when they can (counted before exclusive lists leave their members out).
   */
  olderAuthors?: string[];
}

export interface FeedRepositoryOptions {
  /** home_feed rows kept per account (GLIMPSE_HOME_FEED_ROWS). */
  homeFeedRows?: number;
  clock?: Clock;
}

/** Authors per skeleton query when a page reads many authors' posts (bound parameters stay far below both databases' limits). */
const AUTHORS_PER_QUERY = 5000;
/** Branches per UNION ALL (SQLite allows 500 terms in one compound SELECT). */
const BRANCHES_PER_UNION = 250;

/**
 * The home feed's storage and the timelines' skeleton queries: each answers status ids only;
 * the hydrator loads the rest for the whole page at once.
 */
export class FeedRepository {
  private readonly keepRows: number;
  private readonly clock: Clock;

  constructor(
    private readonly db: Db,
    options: FeedRepositoryOptions = {},
  ) {
    this.keepRows = options.homeFeedRows ?? 800;
    this.clock = options.clock ?? systemClock;
  }

  /**
   * Keeps at most `keepRows` home_feed rows for each account `accountIds` selects (a query of
   * `account_id`): one set-based DELETE whatever their number. For each account one bounded
   * probe of the primary key finds whether a row lies beyond the bound (NULL for a feed within
   * it, nearly all of them between trims); a feed past it is cut back to `keepRows − slack` rows,
   * so each feed's rows are deleted in one range once every `slack + 1` new rows, not one by one
   * with every post. Older pages read the authors' posts instead (FeedService.home).
   */
  private async trimFeeds(accountIds: any): Promise<void> {
    const db = this.db as any;
    const slack = Math.max(1, Math.floor(this.keepRows / 10));
    const nth = (eb: any, offset: number) => eb.selectFrom('home_feed as k').select('k.status_id').whereRef('k.account_id', '=', 't.account_id').orderBy('k.status_id', 'desc').limit(1).offset(offset);
    const cuts = db.selectFrom(accountIds.as('t')).select((eb: any) => [
      't.account_id as account_id',
      // CASE evaluates the second probe only for a feed past the bound.
      eb.case().when(nth(eb, this.keepRows), 'is not', null).then(nth(eb, this.keepRows - slack)).end().as('cut'),
    ]);
    const doomed = db
      .selectFrom(cuts.as('c'))
      .innerJoin('home_feed as h', (join: any) => join.onRef('h.account_id', '=', 'c.account_id').onRef('h.status_id', '<=', 'c.cut'))
      .select(['h.account_id', 'h.status_id']);
    await db.deleteFrom('home_feed').where((eb: any) => eb(eb.refTuple('account_id', 'status_id'), 'in', doomed)).execute();
  }

  /** Push: one INSERT … SELECT puts the post into every follower's feed, then the followers' feeds are trimmed to the bound. */
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
    const inserted = Number(result.numInsertedOrUpdatedRows ?? 0);
    // Trimmed even when nothing was inserted: a re-run after a crash between the two finishes the trim.
    await this.trimFeeds(this.db.selectFrom('follows').select('account_id').where('target_account_id', '=', authorId));
    return inserted;
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
    await this.trimFeeds(this.db.selectFrom('accounts').select('id as account_id').where('id', '=', accountId));
  }

  async removeAuthor(accountId: string, authorId: string): Promise<void> {
    await this.db.deleteFrom('home_feed').where('account_id', '=', accountId).where('author_id', '=', authorId).execute();
  }

  /**
   * The home feed's read-time sources in one round trip: followed accounts above the fan-out
   * threshold, followed hashtags, and members of exclusive lists. A viewer with no followed
   * tag and no exclusive list pays two empty index probes inside this query, nothing more.
   * With `page` (a home page) also the oldest kept home_feed row (one probe of its primary key)
   * and, only when the kept rows in the page's range cannot fill it, the followed authors whose
   * older posts the page reads (olderAuthors): the condition is a bounded count of those rows,
   * evaluated once inside the same statement, so the fallback costs no statement of its own.
   */
  async homeSources(accountId: string, threshold: number, options: { page?: { viewer: Viewer; paging: IdPaging } } = {}): Promise<HomeSourceRows> {
    const paging = options.page?.paging;
    // The page's lower bound, picked here by value: the prepared statement may only branch on its shape.
    const lower = paging && lowerBound(paging);
    const page = options.page && paging && { viewerId: options.page.viewer.accountId, paging, lower, now: this.clock.now().toISOString() };
    const rows = await homeSourcesQuery.execute(this.db, { accountId, threshold, page });
    const of = (kind: string) => rows.filter((r) => r.kind === kind && r.value !== null).map((r) => r.value as string);
    return {
      pulledAuthors: of('pulled'),
      followedTags: new Set(of('tag')),
      exclusiveAuthors: new Set(of('exclusive')),
      horizon: of('horizon')[0] ?? null,
      olderAuthors: rows.some((r) => r.kind === 'older') ? of('author') : undefined,
    };
  }

  /**
   * The accounts whose posts the viewer's home feed reads by follow (access/post-policy
   * homeFeedAuthorSql: followed, not muted, no block either way, not suspended), for pages
   * older than the kept home_feed rows. One query.
   */
  async homeFeedAuthors(viewer: Viewer): Promise<string[]> {
    const rows = await this.db
      .selectFrom('follows')
      .innerJoin('accounts', 'accounts.id', 'follows.target_account_id')
      .select('follows.target_account_id as id')
      .where(homeFeedAuthorSql({ viewer }, this.clock.now().toISOString()))
      .execute();
    return rows.map((r) => r.id);
  }

  /**
   * The newest ids across several keys (list members, followed tags) in one query: one bounded
   * indexed range per key (`branch(key)` selects `id`, paged on `column`), joined by UNION ALL
   * and merged here. A page costs one round trip and at most keys × limit index entries.
   */
  private async newestAcross(keys: readonly string[], branch: (key: string) => any, column: string, paging: IdPaging): Promise<string[]> {
    if (keys.length === 0) return [];
    const rows = await this.unionOfRanges(keys.map((key) => ({ range: paged(branch(key), column, paging), source: '' })));
    return mergeNewestFirst(rows.map((r) => r.id), paging);
  }

  /**
   * Bounded ranges (each selecting `id`) as one statement, each row tagged with its range's
   * `source`: a UNION ALL, and past one compound SELECT's limit, unions of unions.
   */
  private async unionOfRanges(ranges: ReadonlyArray<{ range: any; source: string }>): Promise<Array<{ id: string; source: string }>> {
    return unionOfRanges(this.db, ranges).execute();
  }

  /**
   * A home page's skeleton in one statement: the pushed rows (home_feed, less the exclusive
   * lists' members), the posts of the authors pulled at read time (the viewer and the followed
   * celebrities), and with `older` the posts of the followed authors below the kept rows
   * (`older.maxId`), each newest first as homeIds and postIdsByAuthors answer them.
   */
  async homeSkeleton(
    accountId: string,
    pulledAuthors: readonly string[],
    paging: IdPaging,
    excludeAuthors: ReadonlySet<string>,
    older?: { authors: readonly string[]; maxId: string | undefined },
  ): Promise<{ pushed: string[]; pulled: string[]; older: string[] }> {
    const olderPaging = { ...paging, maxId: older?.maxId };
    const authors = [...[...new Set(pulledAuthors)].map((id) => ({ id, paging, source: 'pulled' })), ...[...new Set(older?.authors ?? [])].map((id) => ({ id, paging: olderPaging, source: 'older' }))];
    const inline = authors.slice(0, AUTHORS_PER_QUERY - 1);
    const rest = authors.slice(inline.length);
    const restOf = (source: string, p: IdPaging) => {
      const ids = rest.filter((a) => a.source === source).map((a) => a.id);
      return ids.length ? this.postIdsByAuthors(ids, p) : Promise.resolve([]);
    };
    const inlineOf = (source: string) => inline.filter((a) => a.source === source).map((a) => a.id);
    const [rows, restPulled, restOlder] = await Promise.all([
      skeletonQuery.execute(this.db, { accountId, excluded: [...excludeAuthors], pulled: inlineOf('pulled'), older: inlineOf('older'), paging, olderPaging }),
      // Beyond one statement's worth of authors, the rest as postIdsByAuthors reads them.
      restOf('pulled', paging),
      restOf('older', olderPaging),
    ]);
    const of = (source: string) => rows.filter((r) => r.source === source).map((r) => r.id);
    return {
      pushed: mergeNewestFirst(of('home'), paging),
      pulled: mergeNewestFirst([...of('pulled'), ...restPulled], paging),
      older: mergeNewestFirst([...of('older'), ...restOlder], olderPaging),
    };
  }

  /** Publicly listable posts carrying the tag (access/post-policy.ts): the tag timeline and followed tags. */
  private listableWithTag(tag: string) {
    return this.db
      .selectFrom('status_tags')
      .innerJoin('statuses', 'statuses.id', 'status_tags.status_id')
      .innerJoin('accounts', 'accounts.id', 'statuses.account_id')
      .select('status_tags.status_id as id')
      .where('status_tags.tag', '=', tag)
      .where(publiclyListableSql());
  }

  /** Publicly listable posts carrying any of the tags (access/post-policy.ts), in one query. */
  async followedTagIds(tags: readonly string[], paging: IdPaging, excludeAuthors: ReadonlySet<string>): Promise<string[]> {
    return this.newestAcross(
      tags,
      (tag) => (excludeAuthors.size ? this.listableWithTag(tag).where('statuses.account_id', 'not in', [...excludeAuthors]) : this.listableWithTag(tag)),
      'status_tags.status_id',
      paging,
    );
  }

  /** Top-level posts of a list's members, in one query (one indexed range per member). */
  async postIdsOfMembers(memberIds: readonly string[], paging: IdPaging): Promise<string[]> {
    return this.postIdsByAuthors([...memberIds], paging);
  }

  /**
   * Top-level posts of some authors: the pull side of the home feed (celebrities, and every
   * followed author for pages older than the kept home_feed rows), list timelines and the
   * profile grid. Several authors are one query (up to AUTHORS_PER_QUERY): one indexed range
   * per author (statuses_account) joined by UNION ALL and merged here; with `account_id IN (…)`
   * SQLite walks statuses_reply over every top-level post instead (37 ms a home feed at the
   * benchmark's standard size, against 0.04 ms per author this way).
   */
  async postIdsByAuthors(authorIds: string[], paging: IdPaging, options: { onlyMedia?: boolean; includeReplies?: boolean } = {}): Promise<string[]> {
    const authors = [...new Set(authorIds)];
    if (authors.length === 0) return [];
    if (authors.length === 1) {
      const rows = await pageIds(postsOf(this.db, authors[0], options), 'id', paging);
      return rows.map((r) => r.id);
    }
    const chunks: string[][] = [];
    for (let i = 0; i < authors.length; i += AUTHORS_PER_QUERY) chunks.push(authors.slice(i, i + AUTHORS_PER_QUERY));
    const lists = await Promise.all(chunks.map((chunk) => this.newestAcross(chunk, (id) => postsOf(this.db, id, options), 'id', paging)));
    return lists.length === 1 ? lists[0] : mergeNewestFirst(lists.flat(), paging);
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
    const rows = await pageIds(this.listableWithTag(tag), 'status_tags.status_id', paging);
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

/** One author's posts the listings may read; direct messages are read in conversations only (access/message-policy.ts). */
function postsOf(db: Db, authorId: string, options: { onlyMedia?: boolean; includeReplies?: boolean }) {
  let q = db.selectFrom('statuses').select('id').where('account_id', '=', authorId).where(notMessageSql());
  if (!options.includeReplies) q = q.where('in_reply_to_id', 'is', null);
  if (options.onlyMedia) q = q.where('has_media', '=', 1);
  return q;
}

/**
 * Bounded ranges (each selecting `id`) as one statement, each row tagged with its range's
 * `source`: a UNION ALL, and past one compound SELECT's limit, unions of unions.
 */
function unionOfRanges(db: Db, ranges: ReadonlyArray<{ range: any; source: string }>): any {
  const d = db as any;
  const union = (parts: any[]) => parts.slice(1).reduce((q: any, part) => q.unionAll(part), parts[0]);
  const parts: any[] = ranges.map(({ range, source }, i) => d.selectFrom(range.as(`b${i}`)).select([`b${i}.id as id`, sql.lit(source).as('source')]));
  const groups: any[] = [];
  for (let i = 0; i < parts.length; i += BRANCHES_PER_UNION) groups.push(union(parts.slice(i, i + BRANCHES_PER_UNION)));
  return groups.length === 1 ? groups[0] : union(groups.map((g, i) => d.selectFrom(g.as(`g${i}`)).select([`g${i}.id as id`, `g${i}.source as source`])));
}

interface SkeletonArgs {
  accountId: string;
  excluded: string[];
  pulled: string[];
  older: string[];
  paging: IdPaging;
  olderPaging: IdPaging;
}

/** FeedRepository.homeSkeleton's statement, kept compiled per shape (db/prepared-query.ts): every home page's. */
const skeletonQuery = preparedQuery((db: Db, { accountId, excluded, pulled, older, paging, olderPaging }: SkeletonArgs) => {
  let home = db.selectFrom('home_feed').select('status_id as id').where('account_id', '=', accountId);
  if (excluded.length) home = home.where('author_id', 'not in', excluded);
  return unionOfRanges(db, [
    { range: paged(home, 'status_id', paging), source: 'home' },
    ...pulled.map((id) => ({ range: paged(postsOf(db, id, {}), 'id', paging), source: 'pulled' })),
    ...older.map((id) => ({ range: paged(postsOf(db, id, {}), 'id', olderPaging), source: 'older' })),
  ]) as Compilable<{ id: string; source: string }>;
});

interface HomeSourcesArgs {
  accountId: string;
  threshold: number;
  page?: { viewerId: string; paging: IdPaging; lower: string | undefined; now: string };
}

/** FeedRepository.homeSources' statement, kept compiled per shape (db/prepared-query.ts): every home page's first. */
const homeSourcesQuery = preparedQuery(
  (_db: Db, { accountId, threshold, page }: HomeSourcesArgs) => sql<{ kind: string; value: string | null }>`
    SELECT 'pulled' AS kind, f.target_account_id AS value FROM follows f JOIN accounts a ON a.id = f.target_account_id
      WHERE f.account_id = ${accountId} AND a.followers_count > ${threshold}
    UNION ALL SELECT 'tag', tag FROM followed_tags WHERE account_id = ${accountId}
    UNION ALL SELECT 'exclusive', la.account_id FROM lists l JOIN list_accounts la ON la.list_id = l.id
      WHERE l.account_id = ${accountId} AND l.exclusive = 1
    ${page ? pageBranches(accountId, page.viewerId, page.paging, page.lower, page.now) : sql``}`,
);

/**
 * homeSources' branches for a page: the horizon, and the fallback's marker and authors under
 * one condition, as FeedService.beyondKeptRows states it: the page's lower bound (min_id or
 * since_id) is not within the kept rows, and either the page pages backwards (min_id) or fewer
 * kept rows than its limit lie in its range.
 */
function pageBranches(accountId: string, viewerId: string, paging: IdPaging, lower: string | undefined, now: string) {
  const notWithin = lower === undefined ? sql`1 = 1` : sql`NOT EXISTS (SELECT 1 FROM home_feed h WHERE h.account_id = ${accountId} AND h.status_id <= ${lower})`;
  const range = sql.join(
    [
      sql`h.account_id = ${accountId}`,
      ...(paging.maxId ? [sql`h.status_id < ${paging.maxId}`] : []),
      ...(lower !== undefined ? [sql`h.status_id > ${lower}`] : []),
    ],
    sql` AND `,
  );
  const unfilled = paging.minId ? sql`1 = 1` : sql`(SELECT COUNT(*) FROM (SELECT 1 FROM home_feed h WHERE ${range} LIMIT ${paging.limit}) k) < ${paging.limit}`;
  const needed = sql`${notWithin} AND ${unfilled}`;
  return sql`UNION ALL SELECT 'horizon', MIN(status_id) FROM home_feed WHERE account_id = ${accountId}
    UNION ALL SELECT 'older', NULL WHERE ${needed}
    UNION ALL SELECT 'author', f.target_account_id FROM follows f, accounts a
      WHERE ${homeFeedAuthorSql({ viewer: { accountId: viewerId } as Viewer }, now, 'f', 'a')} AND ${needed}`;
}

