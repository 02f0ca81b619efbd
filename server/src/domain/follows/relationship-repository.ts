import type { Db } from '../../db/database.ts';
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
 * per-request ViewerContext for a set of accounts in six small set-based queries.
 */
export class RelationshipRepository {
  constructor(private readonly db: Db) {}

  async loadViewerContext(viewer: Viewer | undefined, accountIds: readonly string[]): Promise<ViewerContext> {
    if (!viewer) return anonymousContext;
    const ids = [...new Set(accountIds)].filter((id) => id !== viewer.accountId);
    if (ids.length === 0) return { ...anonymousContext, viewer };
    const me = viewer.accountId;
    const outgoing = (table: EdgeTable) =>
      this.db
        .selectFrom(table)
        .select('target_account_id as id')
        .where('account_id', '=', me)
        .where('target_account_id', 'in', ids)
        .execute();
    const incoming = (table: EdgeTable) =>
      this.db
        .selectFrom(table)
        .select('account_id as id')
        .where('target_account_id', '=', me)
        .where('account_id', 'in', ids)
        .execute();
    const [following, followedBy, requested, requestedBy, blocking, blockedBy, muting] = await Promise.all([
      outgoing('follows'),
      incoming('follows'),
      outgoing('follow_requests'),
      incoming('follow_requests'),
      outgoing('blocks'),
      incoming('blocks'),
      outgoing('mutes'),
    ]);
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
    };
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
