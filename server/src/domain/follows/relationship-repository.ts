import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { type Clock, systemClock } from '../../clock.ts';
import type { Viewer, ViewerContext } from '../../access/viewer-context.ts';
import { anonymousContext } from '../../access/viewer-context.ts';

type EdgeTable = 'follows' | 'follow_requests' | 'blocks' | 'mutes';

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
export class RelationshipRepository {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock = systemClock,
  ) {}

  /** A mute given a duration ends by itself: expired rows are ignored until the next mute. */
  private activeMute() {
    return sql<boolean>`(expires_at is null or expires_at > ${this.clock.now().toISOString()})`;
  }

  async loadViewerContext(viewer: Viewer | undefined, accountIds: readonly string[]): Promise<ViewerContext> {
    if (!viewer) return anonymousContext;
    const ids = [...new Set(accountIds)].filter((id) => id !== viewer.accountId);
    if (ids.length === 0) return { ...anonymousContext, viewer };
    const me = viewer.accountId;
    const list = sql.join(ids);
    const now = this.clock.now().toISOString();
    // One round trip for all eight relations (they are read on every request).
    const { rows } = await sql<{ kind: string; id: string; flag: number }>`
      SELECT 'following' AS kind, target_account_id AS id, 0 AS flag FROM follows WHERE account_id = ${me} AND target_account_id IN (${list})
      UNION ALL SELECT 'followedBy', account_id, 0 FROM follows WHERE target_account_id = ${me} AND account_id IN (${list})
      UNION ALL SELECT 'requested', target_account_id, 0 FROM follow_requests WHERE account_id = ${me} AND target_account_id IN (${list})
      UNION ALL SELECT 'requestedBy', account_id, 0 FROM follow_requests WHERE target_account_id = ${me} AND account_id IN (${list})
      UNION ALL SELECT 'blocking', target_account_id, 0 FROM blocks WHERE account_id = ${me} AND target_account_id IN (${list})
      UNION ALL SELECT 'blockedBy', account_id, 0 FROM blocks WHERE target_account_id = ${me} AND account_id IN (${list})
      UNION ALL SELECT 'muting', target_account_id, hide_notifications FROM mutes WHERE account_id = ${me} AND target_account_id IN (${list}) AND (expires_at IS NULL OR expires_at > ${now})
      UNION ALL SELECT 'closeFriendOf', account_id, 0 FROM close_friends WHERE friend_id = ${me} AND account_id IN (${list})`.execute(this.db);
    const of = (kind: string) => rows.filter((r) => r.kind === kind);
    const [following, followedBy, requested, requestedBy, blocking, blockedBy, muting, closeFriendOf] = [
      'following', 'followedBy', 'requested', 'requestedBy', 'blocking', 'blockedBy', 'muting', 'closeFriendOf',
    ].map(of);
    const toSet = (rows: Array<{ id: string }>) => new Set(rows.map((r) => r.id));
    return {
      viewer,
      following: toSet(following),
      followedBy: toSet(followedBy),
      requested: toSet(requested),
      requestedBy: toSet(requestedBy),
      blocking: toSet(blocking),
      blockedBy: toSet(blockedBy),
      muting: toSet(muting),
      mutingNotifications: toSet(muting.filter((m) => Boolean(Number(m.flag)))),
      closeFriendOf: toSet(closeFriendOf),
    };
  }

  /**
   * The reverse of loadViewerContext: for many would-be viewers, their relations to a few
   * accounts (an author, a commenter), as the contexts the policies read. Used to decide who
   * may be notified of a post, a comment or a story, by the same rules the reads apply.
   */
  async loadAudienceContexts(accountIds: readonly string[], viewerIds: readonly string[]): Promise<Map<string, ViewerContext>> {
    const ids = [...new Set(viewerIds)];
    const others = [...new Set(accountIds)];
    const result = new Map<string, ViewerContext>();
    if (ids.length === 0 || others.length === 0) return result;
    const [follows, blocks, blockedBy, mutes, closeFriends] = await Promise.all([
      this.db.selectFrom('follows').select(['account_id as viewer', 'target_account_id as account']).where('account_id', 'in', ids).where('target_account_id', 'in', others).execute(),
      this.db.selectFrom('blocks').select(['account_id as viewer', 'target_account_id as account']).where('account_id', 'in', ids).where('target_account_id', 'in', others).execute(),
      this.db.selectFrom('blocks').select(['target_account_id as viewer', 'account_id as account']).where('target_account_id', 'in', ids).where('account_id', 'in', others).execute(),
      this.db
        .selectFrom('mutes')
        .select(['account_id as viewer', 'target_account_id as account', 'hide_notifications'])
        .where('account_id', 'in', ids)
        .where('target_account_id', 'in', others)
        .where(this.activeMute())
        .execute(),
      this.db.selectFrom('close_friends').select(['friend_id as viewer', 'account_id as account']).where('friend_id', 'in', ids).where('account_id', 'in', others).execute(),
    ]);
    const setsOf = (rows: Array<{ viewer: string; account: string }>) => {
      const out = new Map<string, Set<string>>();
      for (const r of rows) out.set(r.viewer, (out.get(r.viewer) ?? new Set()).add(r.account));
      return out;
    };
    const [f, b, bb, m, mn, cf] = [follows, blocks, blockedBy, mutes, mutes.filter((r) => Boolean(Number(r.hide_notifications))), closeFriends].map(setsOf);
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
      });
    }
    return result;
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
  async addEdge(table: 'follows' | 'follow_requests' | 'blocks', edge: EdgeRow, db: Db = this.db): Promise<boolean> {
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
