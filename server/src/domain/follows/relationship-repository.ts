import { type RawBuilder, sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { type Clock, systemClock } from '../../clock.ts';
import type { Viewer, ViewerContext } from '../../access/viewer-context.ts';
import { anonymousContext } from '../../access/viewer-context.ts';
import { byUnsuspendedAccountSql } from '../../access/account-policy.ts';
import { RELATION_BITS, type RelationKind, type ViewerRelationsCache } from './viewer-relations-cache.ts';

type EdgeTable = 'follows' | 'follow_requests' | 'blocks' | 'mutes' | 'endorsements';

export interface EdgeRow {
  id: string;
  account_id: string;
  target_account_id: string;
  created_at: string;
}

/**
 * The follow graph's edges: follows, follow requests, blocks and mutes. Also builds the
 * per-request ViewerContext for a set of accounts in one set-based query.
 */
/** A row of a relation statement: what kind of relation, to whom, and its flag (a mute's hide_notifications). */
export interface RelationRow {
  kind: string;
  id: string;
  flag: number;
}

export class RelationshipRepository {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock = systemClock,
    /** Viewers' relations kept under users.relations_version; absent, every read goes to the database. */
    private readonly relationsCache?: ViewerRelationsCache,
  ) {}

  /** A mute given a duration ends by itself: expired rows are ignored until the next mute. */
  private activeMute() {
    return sql<boolean>`(expires_at is null or expires_at > ${this.clock.now().toISOString()})`;
  }

  /** `cached`: see viewerContextQuery (for reads only, never the answer to a relation change). */
  async loadViewerContext(viewer: Viewer | undefined, accountIds: readonly string[], options: { cached?: boolean } = {}): Promise<ViewerContext> {
    const query = this.viewerContextQuery(viewer, accountIds, options);
    return query.read(query.statement ? (await query.statement.execute(this.db)).rows : []);
  }

  /**
   * loadViewerContext as a statement and the reading of its rows (kind, id, flag), for a
   * caller that sends it with statements of its own in one round trip (PostHydrator.viewerPart).
   * No statement when there is nothing to read.
   *
   * `cached` (the read paths that present lists: PostHydrator, the story tray) lets the relations kept for the
   * viewer at the version its token read (viewer-relations-cache.ts) stand in for the statement's,
   * so only accounts not kept are read. It is not for the answer to a relation change: that
   * request's token was read before its own write.
   */
  viewerContextQuery(
    viewer: Viewer | undefined,
    accountIds: readonly string[],
    options: { cached?: boolean } = {},
  ): { statement?: RawBuilder<RelationRow>; read: (rows: RelationRow[]) => ViewerContext } {
    if (!viewer) return { read: () => anonymousContext };
    const all = [...new Set(accountIds)].filter((id) => id !== viewer.accountId);
    if (all.length === 0) return { read: () => ({ ...anonymousContext, viewer }) };
    const version = viewer.relationsVersion;
    const kept = options.cached && version !== undefined ? this.relationsCache?.known(viewer.accountId, version) : undefined;
    const ids = kept ? all.filter((id) => !kept.has(id)) : all;
    const read = (rows: RelationRow[]): ViewerContext => {
      const bits = new Map<string, number>(ids.map((id) => [id, 0]));
      // A mute that ends by itself is applied from the row and never kept (the clock ends it).
      const timed = new Set<string>();
      for (const r of rows) {
        const kind = r.kind === 'mutingTimed' ? 'muting' : (r.kind as RelationKind);
        if (r.kind === 'mutingTimed') timed.add(r.id);
        let add = RELATION_BITS[kind] ?? 0;
        if (kind === 'muting' && Boolean(Number(r.flag))) add |= RELATION_BITS.mutingNotifications;
        bits.set(r.id, (bits.get(r.id) ?? 0) | add);
      }
      if (kept && version !== undefined) {
        const keep = new Map([...bits].filter(([id]) => !timed.has(id)));
        this.relationsCache!.remember(viewer.accountId, version, kept, keep);
        for (const id of all) if (kept.has(id)) bits.set(id, kept.get(id)!);
      }
      const of = (kind: RelationKind) => new Set([...bits].filter(([, b]) => (b & RELATION_BITS[kind]) !== 0).map(([id]) => id));
      return {
        viewer,
        following: of('following'),
        followedBy: of('followedBy'),
        requested: of('requested'),
        requestedBy: of('requestedBy'),
        blocking: of('blocking'),
        blockedBy: of('blockedBy'),
        muting: of('muting'),
        mutingNotifications: of('mutingNotifications'),
        closeFriendOf: of('closeFriendOf'),
      };
    };
    if (ids.length === 0) return { read };
    const me = viewer.accountId;
    const list = sql.join(ids);
    const now = this.clock.now().toISOString();
    // All eight relations in one statement (they are read on every request).
    const statement = sql<RelationRow>`
      SELECT 'following' AS kind, target_account_id AS id, 0 AS flag FROM follows WHERE account_id = ${me} AND target_account_id IN (${list})
      UNION ALL SELECT 'followedBy', account_id, 0 FROM follows WHERE target_account_id = ${me} AND account_id IN (${list})
      UNION ALL SELECT 'requested', target_account_id, 0 FROM follow_requests WHERE account_id = ${me} AND target_account_id IN (${list})
      UNION ALL SELECT 'requestedBy', account_id, 0 FROM follow_requests WHERE target_account_id = ${me} AND account_id IN (${list})
      UNION ALL SELECT 'blocking', target_account_id, 0 FROM blocks WHERE account_id = ${me} AND target_account_id IN (${list})
      UNION ALL SELECT 'blockedBy', account_id, 0 FROM blocks WHERE target_account_id = ${me} AND account_id IN (${list})
      UNION ALL SELECT CASE WHEN expires_at IS NULL THEN 'muting' ELSE 'mutingTimed' END, target_account_id, hide_notifications FROM mutes WHERE account_id = ${me} AND target_account_id IN (${list}) AND (expires_at IS NULL OR expires_at > ${now})
      UNION ALL SELECT 'closeFriendOf', account_id, 0 FROM close_friends WHERE friend_id = ${me} AND account_id IN (${list})`;
    return { statement, read };
  }

  /**
   * The reverse of loadViewerContext: for many would-be viewers, their relations to a few
   * accounts (an author, a commenter), as the contexts the policies read. Used to decide who
   * may be notified of a post, a comment or a story, by the same rules the reads apply.
   * `threadKeys` (access/thread-policy.ts#threadKeysOf of the item) loads their thread mutes.
   */
  async loadAudienceContexts(accountIds: readonly string[], viewerIds: readonly string[], threadKeys: readonly string[] = []): Promise<Map<string, ViewerContext>> {
    const ids = [...new Set(viewerIds)];
    const others = [...new Set(accountIds)];
    const result = new Map<string, ViewerContext>();
    if (ids.length === 0 || others.length === 0) return result;
    const viewers = sql.join(ids);
    const accounts = sql.join(others);
    const now = this.clock.now().toISOString();
    const keys = [...new Set(threadKeys)];
    // One round trip for every relation (it runs for each post, comment and story that notifies).
    const { rows } = await sql<{ kind: string; viewer: string; account: string; flag: number }>`
      SELECT 'f' AS kind, account_id AS viewer, target_account_id AS account, 0 AS flag FROM follows WHERE account_id IN (${viewers}) AND target_account_id IN (${accounts})
      UNION ALL SELECT 'b', account_id, target_account_id, 0 FROM blocks WHERE account_id IN (${viewers}) AND target_account_id IN (${accounts})
      UNION ALL SELECT 'bb', target_account_id, account_id, 0 FROM blocks WHERE target_account_id IN (${viewers}) AND account_id IN (${accounts})
      UNION ALL SELECT 'm', account_id, target_account_id, hide_notifications FROM mutes WHERE account_id IN (${viewers}) AND target_account_id IN (${accounts}) AND (expires_at IS NULL OR expires_at > ${now})
      UNION ALL SELECT 'cf', friend_id, account_id, 0 FROM close_friends WHERE friend_id IN (${viewers}) AND account_id IN (${accounts})
      ${keys.length ? sql`UNION ALL SELECT 'tm', account_id, thread_key, 0 FROM thread_mutes WHERE account_id IN (${viewers}) AND thread_key IN (${sql.join(keys)})` : sql``}`.execute(this.db);
    const setsOf = (kind: string, flagged = false) => {
      const out = new Map<string, Set<string>>();
      for (const r of rows) {
        if (r.kind !== kind || (flagged && !Number(r.flag))) continue;
        out.set(r.viewer, (out.get(r.viewer) ?? new Set()).add(r.account));
      }
      return out;
    };
    const [f, b, bb, m, mn, cf, tm] = [setsOf('f'), setsOf('b'), setsOf('bb'), setsOf('m'), setsOf('m', true), setsOf('cf'), setsOf('tm')];
    const none: ReadonlySet<string> = new Set();
    for (const id of ids) {
      result.set(id, {
        viewer: { accountId: id, role: 'user' },
        following: f.get(id) ?? none,
        followedBy: none,
        requested: none,
        requestedBy: none,
        blocking: b.get(id) ?? none,
        blockedBy: bb.get(id) ?? none,
        muting: m.get(id) ?? none,
        mutingNotifications: mn.get(id) ?? none,
        closeFriendOf: cf.get(id) ?? none,
        mutedThreads: tm.get(id) ?? none,
      });
    }
    return result;
  }

  /**
   * The viewer's own marks on these accounts, in one round trip: whom they endorse, and their
   * private notes (only ever the viewer's own: access/account-policy.ts#canReadNote).
   */
  async profileMarks(viewerId: string, ids: readonly string[]): Promise<{ endorsed: Set<string>; notes: Map<string, { account_id: string; comment: string }> }> {
    const out = { endorsed: new Set<string>(), notes: new Map<string, { account_id: string; comment: string }>() };
    if (ids.length === 0) return out;
    const list = sql.join([...new Set(ids)]);
    const { rows } = await sql<{ kind: string; id: string; comment: string }>`
      SELECT 'e' AS kind, target_account_id AS id, '' AS comment FROM endorsements WHERE account_id = ${viewerId} AND target_account_id IN (${list})
      UNION ALL SELECT 'n', target_account_id, comment FROM account_notes WHERE account_id = ${viewerId} AND target_account_id IN (${list})`.execute(this.db);
    for (const r of rows) {
      if (r.kind === 'e') out.endorsed.add(r.id);
      else out.notes.set(r.id, { account_id: viewerId, comment: r.comment });
    }
    return out;
  }

  /** An empty comment removes the note. */
  async setNote(accountId: string, targetId: string, comment: string, now: string): Promise<void> {
    if (comment === '') {
      await this.db.deleteFrom('account_notes').where('account_id', '=', accountId).where('target_account_id', '=', targetId).execute();
      return;
    }
    await this.db
      .insertInto('account_notes')
      .values({ account_id: accountId, target_account_id: targetId, comment, updated_at: now })
      .onConflict((oc) => oc.columns(['account_id', 'target_account_id']).doUpdateSet({ comment, updated_at: now }))
      .execute();
  }

  /**
   * For each target, up to `perTarget` accounts the viewer follows that follow it (newest
   * follow first), suspended followers left out: one query for every target at once.
   */
  async familiarFollowers(viewerId: string, targetIds: readonly string[], perTarget: number): Promise<Array<{ target: string; follower: string }>> {
    if (targetIds.length === 0) return [];
    const { rows } = await sql<{ target: string; follower: string }>`
      SELECT target, follower FROM (
        SELECT theirs.target_account_id AS target, theirs.account_id AS follower,
          ROW_NUMBER() OVER (PARTITION BY theirs.target_account_id ORDER BY theirs.id DESC) AS rn
        FROM follows mine
        JOIN follows theirs ON theirs.account_id = mine.target_account_id
        WHERE mine.account_id = ${viewerId}
          AND theirs.target_account_id IN (${sql.join([...new Set(targetIds)])})
          AND ${byUnsuspendedAccountSql('theirs.account_id')}
      ) ranked WHERE rn <= ${perTarget}`.execute(this.db);
    return rows;
  }

  async findEdge(table: EdgeTable, accountId: string, targetId: string, db: Db = this.db): Promise<EdgeRow | undefined> {
    return db
      .selectFrom(table)
      .select(['id', 'account_id', 'target_account_id', 'created_at'])
      .where('account_id', '=', accountId)
      .where('target_account_id', '=', targetId)
      .executeTakeFirst();
  }

  /** Inserts the edge unless it exists; answers whether a row was added. */
  async addEdge(table: 'follows' | 'follow_requests' | 'blocks' | 'endorsements', edge: EdgeRow, db: Db = this.db): Promise<boolean> {
    const result = await db
      .insertInto(table)
      .values(edge)
      .onConflict((oc) => oc.columns(['account_id', 'target_account_id']).doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async addMute(edge: EdgeRow & { hide_notifications: number; expires_at: string | null }, db: Db = this.db): Promise<void> {
    await db
      .insertInto('mutes')
      .values(edge)
      .onConflict((oc) =>
        oc.columns(['account_id', 'target_account_id']).doUpdateSet({
          hide_notifications: edge.hide_notifications,
          expires_at: edge.expires_at,
        }),
      )
      .execute();
  }

  /** Deletes the edge; answers whether one existed. */
  async removeEdge(table: EdgeTable, accountId: string, targetId: string, db: Db = this.db): Promise<boolean> {
    const result = await db
      .deleteFrom(table)
      .where('account_id', '=', accountId)
      .where('target_account_id', '=', targetId)
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  /** One page of edges, newest first, in Mastodon's id paging. */
  async page(
    table: EdgeTable,
    side: 'account_id' | 'target_account_id',
    accountId: string,
    paging: { maxId?: string; sinceId?: string; minId?: string; limit: number },
  ): Promise<EdgeRow[]> {
    let q = this.db
      .selectFrom(table)
      .select(['id', 'account_id', 'target_account_id', 'created_at'])
      .where(side, '=', accountId);
    if (table === 'mutes') q = q.where(this.activeMute());
    if (paging.maxId) q = q.where('id', '<', paging.maxId);
    if (paging.sinceId) q = q.where('id', '>', paging.sinceId);
    if (paging.minId) {
      const rows = await q.where('id', '>', paging.minId).orderBy('id', 'asc').limit(paging.limit).execute();
      return rows.reverse();
    }
    return q.orderBy('id', 'desc').limit(paging.limit).execute();
  }

  async adjustCounts(db: Db, followerId: string, followedId: string, delta: 1 | -1): Promise<void> {
    await db
      .updateTable('accounts')
      .set((eb) => ({ following_count: eb('following_count', '+', delta) }))
      .where('id', '=', followerId)
      .execute();
    await db
      .updateTable('accounts')
      .set((eb) => ({ followers_count: eb('followers_count', '+', delta) }))
      .where('id', '=', followedId)
      .execute();
  }
}
