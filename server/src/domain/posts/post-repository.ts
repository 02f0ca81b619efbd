import { sql, type Insertable } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { StatusesTable } from '../../db/schema.ts';
import type { StatusRow } from './post.ts';

/** A status and its post with their mentions (PostRepository.findWithRoot). */
export interface StatusWithRoot {
  statuses: Map<string, StatusRow>;
  mentions: Map<string, string[]>;
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

  async mentionsFor(statusIds: readonly string[]): Promise<Map<string, string[]>> {
    const result = new Map<string, string[]>();
    if (statusIds.length === 0) return result;
    const rows = await this.db.selectFrom('mentions').selectAll().where('status_id', 'in', [...new Set(statusIds)]).execute();
    for (const r of rows) result.set(r.status_id, [...(result.get(r.status_id) ?? []), r.account_id]);
    return result;
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
    const out: ViewerMarks = { favourites: new Set<string>(), bookmarks: new Set<string>(), pins: new Set<string>(), mutedThreads: new Set<string>() };
    if (statusIds.length === 0) return out;
    const list = sql.join([...new Set(statusIds)]);
    const keys = sql.join(threadKeys.length ? [...new Set(threadKeys)] : ['']);
    const { rows } = await sql<{ kind: string; status_id: string }>`
      SELECT 'f' AS kind, status_id FROM favourites WHERE account_id = ${accountId} AND status_id IN (${list})
      UNION ALL SELECT 'b', status_id FROM bookmarks WHERE account_id = ${accountId} AND status_id IN (${list})
      UNION ALL SELECT 'p', status_id FROM pinned_statuses WHERE account_id = ${accountId} AND status_id IN (${list})
      UNION ALL SELECT 'm', thread_key FROM thread_mutes WHERE account_id = ${accountId} AND thread_key IN (${keys})`.execute(this.db);
    const sets = { f: out.favourites, b: out.bookmarks, p: out.pins, m: out.mutedThreads } as Record<string, Set<string>>;
    for (const r of rows) sets[r.kind].add(r.status_id);
    return out;
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
