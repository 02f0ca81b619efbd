import { type Insertable, type RawBuilder, sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { StatusesTable } from '../../db/schema.ts';
import type { StatusRow } from './post.ts';
import { preparedQuery } from '../../db/prepared-query.ts';

/** What PostRepository.contentFacts reads for some statuses. */
export interface ContentFacts {
  mentions: Map<string, string[]>;
  tags: Map<string, Array<{ tag: string; display: string }>>;
}

/** A status and its post with their mentions (PostRepository.findWithRoot). */
export interface StatusWithRoot {
  statuses: Map<string, StatusRow>;
  mentions: Map<string, string[]>;
}

/** A row of the marks statement (viewerMarksQuery): f, b, p or m, and the status or thread key. */
export interface MarkRow {
  kind: string;
  id: string;
  flag: number;
}

export interface ViewerMarks {
  favourites: Set<string>;
  bookmarks: Set<string>;
  pins: Set<string>;
  mutedThreads: Set<string>;
}

/** Statuses (posts and, later, comments) and what hangs off them: mentions, tags, likes. */
export class PostRepository {
  constructor(private readonly db: Db) {}

  async insert(row: Insertable<StatusesTable>, db: Db = this.db): Promise<void> {
    await db.insertInto('statuses').values(row).execute();
  }

  async findById(id: string, db: Db = this.db): Promise<StatusRow | undefined> {
    return db.selectFrom('statuses').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /**
   * The statuses a reply answers, from `parentId` up, oldest first, at most `limit`: one
   * recursive query (each step a probe of the primary key), not one query per level. A parent
   * that is gone ends the chain.
   */
  async ancestorIds(parentId: string, limit: number): Promise<string[]> {
    const { rows } = await sql<{ id: string }>`
      WITH RECURSIVE chain(id, parent, depth) AS (
        SELECT id, in_reply_to_id, 1 FROM statuses WHERE id = ${parentId}
        UNION ALL
        SELECT s.id, s.in_reply_to_id, c.depth + 1 FROM statuses s JOIN chain c ON s.id = c.parent WHERE c.depth < ${limit}
      )
      SELECT id FROM chain ORDER BY depth DESC`.execute(this.db);
    return rows.map((r) => r.id);
  }

  async findByIds(ids: readonly string[]): Promise<Map<string, StatusRow>> {
    if (ids.length === 0) return new Map();
    const rows = await this.db.selectFrom('statuses').selectAll().where('id', 'in', [...new Set(ids)]).execute();
    return new Map(rows.map((r) => [r.id, r]));
  }

  /**
   * A status and the post it belongs to (itself when it is a post), with the accounts each
   * mentions, in one query: what a new comment needs to know of what it answers.
   */
  async findWithRoot(id: string): Promise<StatusWithRoot> {
    const rows = await this.db
      .selectFrom('statuses as s')
      .leftJoin('mentions as m', 'm.status_id', 's.id')
      .selectAll('s')
      .select('m.account_id as mentioned')
      .where((eb) => eb.or([eb('s.id', '=', id), eb('s.id', '=', eb.selectFrom('statuses').select('post_id').where('id', '=', id))]))
      .execute();
    const statuses = new Map<string, StatusRow>();
    const mentions = new Map<string, string[]>();
    for (const { mentioned, ...row } of rows) {
      statuses.set(row.id, row);
      if (mentioned !== null) mentions.set(row.id, [...(mentions.get(row.id) ?? []), mentioned]);
    }
    return { statuses, mentions };
  }

  /**
   * Statuses by id with, for the posts among them, their comment counters summed over shards:
   * one query, the rows a page reads on every request (cached content is matched against their
   * content_version).
   */
  async findWithCommentCounts(ids: readonly string[]): Promise<{ statuses: Map<string, StatusRow>; commentCounts: Map<string, { total: number; hidden: number }> }> {
    const statuses = new Map<string, StatusRow>();
    const commentCounts = new Map<string, { total: number; hidden: number }>();
    if (ids.length === 0) return { statuses, commentCounts };
    const unique = [...new Set(ids)];
    const rows = await statusesWithCommentCountsQuery.execute(this.db, { ids: unique });
    for (const { comments_total, comments_hidden, ...row } of rows) {
      statuses.set(row.id, row);
      if (comments_total !== null) commentCounts.set(row.id, { total: Number(comments_total), hidden: Number(comments_hidden) });
    }
    return { statuses, commentCounts };
  }

  /** The statuses' mentions and hashtags in one round trip (what the content cache keeps beside their media). */
  async contentFacts(statusIds: readonly string[]): Promise<ContentFacts> {
    const facts: ContentFacts = { mentions: new Map(), tags: new Map() };
    if (statusIds.length === 0) return facts;
    const ids = sql.join([...new Set(statusIds)]);
    const { rows } = await sql<{ kind: string; status_id: string; a: string; b: string }>`
      SELECT 'm' AS kind, status_id, account_id AS a, '' AS b FROM mentions WHERE status_id IN (${ids})
      UNION ALL SELECT 't', status_id, tag, display FROM status_tags WHERE status_id IN (${ids})`.execute(this.db);
    for (const r of rows) {
      if (r.kind === 'm') facts.mentions.set(r.status_id, [...(facts.mentions.get(r.status_id) ?? []), r.a]);
      else facts.tags.set(r.status_id, [...(facts.tags.get(r.status_id) ?? []), { tag: r.a, display: r.b }]);
    }
    return facts;
  }

  async tagsFor(statusIds: readonly string[]): Promise<Map<string, Array<{ tag: string; display: string }>>> {
    const result = new Map<string, Array<{ tag: string; display: string }>>();
    if (statusIds.length === 0) return result;
    const rows = await this.db.selectFrom('status_tags').selectAll().where('status_id', 'in', [...new Set(statusIds)]).execute();
    for (const r of rows) result.set(r.status_id, [...(result.get(r.status_id) ?? []), { tag: r.tag, display: r.display }]);
    return result;
  }

  /** Which of these statuses the account has liked, bookmarked or pinned. */
  async marksFor(accountId: string, statusIds: readonly string[], table: 'favourites' | 'bookmarks' | 'pinned_statuses'): Promise<Set<string>> {
    if (statusIds.length === 0) return new Set();
    const rows = await this.db
      .selectFrom(table)
      .select('status_id')
      .where('account_id', '=', accountId)
      .where('status_id', 'in', [...new Set(statusIds)])
      .execute();
    return new Set(rows.map((r) => r.status_id));
  }

  /**
   * Likes, bookmarks and pins of the account among these statuses, and which of these thread
   * keys (access/thread-policy.ts) it muted, in one round trip.
   */
  async viewerMarks(accountId: string, statusIds: readonly string[], threadKeys: readonly string[] = []): Promise<ViewerMarks> {
    const query = this.viewerMarksQuery(accountId, statusIds, threadKeys);
    return query.read(query.statement ? (await query.statement.execute(this.db)).rows : []);
  }

  /** viewerMarks as a statement (rows of kind, id, flag) and the reading of its rows, to send with others (PostHydrator.viewerPart). */
  viewerMarksQuery(accountId: string, statusIds: readonly string[], threadKeys: readonly string[] = []): { statement?: RawBuilder<MarkRow>; read: (rows: MarkRow[]) => ViewerMarks } {
    const read = (rows: MarkRow[]) => {
      const out: ViewerMarks = { favourites: new Set<string>(), bookmarks: new Set<string>(), pins: new Set<string>(), mutedThreads: new Set<string>() };
      const sets = { f: out.favourites, b: out.bookmarks, p: out.pins, m: out.mutedThreads } as Record<string, Set<string> | undefined>;
      for (const r of rows) sets[r.kind]?.add(r.id);
      return out;
    };
    if (statusIds.length === 0) return { read };
    const list = sql.join([...new Set(statusIds)]);
    const keys = sql.join(threadKeys.length ? [...new Set(threadKeys)] : ['']);
    const statement = sql<MarkRow>`
      SELECT 'f' AS kind, status_id AS id, 0 AS flag FROM favourites WHERE account_id = ${accountId} AND status_id IN (${list})
      UNION ALL SELECT 'b', status_id, 0 FROM bookmarks WHERE account_id = ${accountId} AND status_id IN (${list})
      UNION ALL SELECT 'p', status_id, 0 FROM pinned_statuses WHERE account_id = ${accountId} AND status_id IN (${list})
      UNION ALL SELECT 'm', thread_key, 0 FROM thread_mutes WHERE account_id = ${accountId} AND thread_key IN (${keys})`;
    return { statement, read };
  }

  /** Several statements of the same row shape as one (UNION ALL): one round trip. */
  async unionAll<R>(statements: ReadonlyArray<RawBuilder<R>>): Promise<R[]> {
    if (statements.length === 0) return [];
    return (await sql<R>`${sql.join(statements, sql` UNION ALL `)}`.execute(this.db)).rows;
  }

  /** Mutes or unmutes a thread (a post's id or a top-level comment's id) for the account. */
  async setThreadMute(accountId: string, threadKey: string, muted: boolean, now: string): Promise<void> {
    if (muted) {
      await this.db.insertInto('thread_mutes').values({ account_id: accountId, thread_key: threadKey, created_at: now }).onConflict((oc) => oc.columns(['account_id', 'thread_key']).doNothing()).execute();
    } else {
      await this.db.deleteFrom('thread_mutes').where('account_id', '=', accountId).where('thread_key', '=', threadKey).execute();
    }
  }

  /** For a status being created: nothing to replace, so nothing is deleted first. */
  async insertMentions(statusId: string, accountIds: string[], db: Db = this.db): Promise<void> {
    if (accountIds.length) await db.insertInto('mentions').values(accountIds.map((account_id) => ({ status_id: statusId, account_id }))).execute();
  }

  async insertTags(statusId: string, tags: Array<{ tag: string; display: string }>, db: Db = this.db): Promise<void> {
    if (tags.length) await db.insertInto('status_tags').values(tags.map((t) => ({ status_id: statusId, ...t }))).execute();
  }

  async replaceMentions(statusId: string, accountIds: string[], db: Db = this.db): Promise<void> {
    await db.deleteFrom('mentions').where('status_id', '=', statusId).execute();
    await this.insertMentions(statusId, accountIds, db);
  }

  async replaceTags(statusId: string, tags: Array<{ tag: string; display: string }>, db: Db = this.db): Promise<void> {
    await db.deleteFrom('status_tags').where('status_id', '=', statusId).execute();
    await this.insertTags(statusId, tags, db);
  }

  async addMark(table: 'favourites' | 'bookmarks' | 'pinned_statuses', row: { id: string; account_id: string; status_id: string; created_at: string }, db: Db = this.db): Promise<boolean> {
    const r = await db
      .insertInto(table)
      .values(row)
      .onConflict((oc) => oc.columns(['account_id', 'status_id']).doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  /** How many posts the account pinned (the pin limit). */
  async countPinned(accountId: string): Promise<number> {
    const row = await this.db.selectFrom('pinned_statuses').select((eb) => eb.fn.countAll().as('n')).where('account_id', '=', accountId).executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  async removeMark(table: 'favourites' | 'bookmarks' | 'pinned_statuses', accountId: string, statusId: string, db: Db = this.db): Promise<boolean> {
    const r = await db.deleteFrom(table).where('account_id', '=', accountId).where('status_id', '=', statusId).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  async adjustFavourites(statusId: string, delta: 1 | -1, db: Db = this.db): Promise<void> {
    await db
      .updateTable('statuses')
      .set((eb) => ({ favourites_count: eb('favourites_count', '+', delta) }))
      .where('id', '=', statusId)
      .execute();
  }

  async adjustStatusesCount(accountId: string, delta: 1 | -1, db: Db = this.db): Promise<void> {
    await db
      .updateTable('accounts')
      .set((eb) => ({ statuses_count: eb('statuses_count', '+', delta) }))
      .where('id', '=', accountId)
      .execute();
  }

  async favouritesPage(statusId: string, paging: { maxId?: string; sinceId?: string; minId?: string; limit: number }) {
    let q = this.db.selectFrom('favourites').select(['id', 'account_id']).where('status_id', '=', statusId);
    if (paging.maxId) q = q.where('id', '<', paging.maxId);
    if (paging.sinceId) q = q.where('id', '>', paging.sinceId);
    if (paging.minId) return (await q.where('id', '>', paging.minId).orderBy('id', 'asc').limit(paging.limit).execute()).reverse();
    return q.orderBy('id', 'desc').limit(paging.limit).execute();
  }

  async findIdempotent(accountId: string, key: string): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('idempotency_keys')
      .select('status_id')
      .where('account_id', '=', accountId)
      .where('key', '=', key)
      .executeTakeFirst();
    return row?.status_id;
  }

  /** Claims an idempotency key inside the post's transaction; false if it was already used. */
  async claimIdempotencyKey(accountId: string, key: string, statusId: string, now: string, db: Db): Promise<boolean> {
    const r = await db
      .insertInto('idempotency_keys')
      .values({ account_id: accountId, key, status_id: statusId, created_at: now })
      .onConflict((oc) => oc.columns(['account_id', 'key']).doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async insertEdit(row: { id: string; status_id: string; text: string; spoiler_text: string; sensitive: number; created_at: string }, db: Db): Promise<void> {
    await db.insertInto('status_edits').values(row).execute();
  }

  async edits(statusId: string) {
    return this.db.selectFrom('status_edits').selectAll().where('status_id', '=', statusId).orderBy('id').execute();
  }

  async delete(statusId: string, db: Db): Promise<void> {
    await this.deleteMany([statusId], db);
  }

  /** Several statuses (a comment thread) with the rows that point at them: four statements per 5,000, not four per status. */
  async deleteMany(statusIds: readonly string[], db: Db): Promise<void> {
    for (let i = 0; i < statusIds.length; i += 5000) {
      const ids = statusIds.slice(i, i + 5000);
      await db.updateTable('media').set({ status_id: null }).where('status_id', 'in', ids).execute();
      await db.deleteFrom('idempotency_keys').where('status_id', 'in', ids).execute();
      await db.deleteFrom('notifications').where('status_id', 'in', ids).execute();
      await db.deleteFrom('statuses').where('id', 'in', ids).execute();
    }
  }
}

/** Status rows with their comment counters (summed over the counter's shards): every page's rows. */
const statusesWithCommentCountsQuery = preparedQuery((db: Db, { ids }: { ids: string[] }) =>
  db
    .selectFrom('statuses as s')
    .leftJoin(
      (eb) =>
        eb
          .selectFrom('comment_counts')
          .select(['post_id', sql<string>`sum(total)`.as('comments_total'), sql<string>`sum(hidden)`.as('comments_hidden')])
          .where('post_id', 'in', ids)
          .groupBy('post_id')
          .as('c'),
      (join) => join.onRef('c.post_id', '=', 's.id'),
    )
    .selectAll('s')
    .select(['c.comments_total', 'c.comments_hidden'])
    .where('s.id', 'in', ids),
);
