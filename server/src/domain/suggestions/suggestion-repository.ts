import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { suggestibleAccountSql } from '../../access/suggestion-policy.ts';
import type { SuggestionFacts } from '../../access/suggestion-policy.ts';
import type { AccountRow } from '../accounts/account.ts';

/** An account found by the friends-of-friends query, with how many sampled follows follow it. */
export interface FriendOfFriendRow extends AccountRow {
  followed_by: number;
}

/** The queries behind follow suggestions; every candidate query applies suggestibleAccountSql. */
export class SuggestionRepository {
  constructor(private readonly db: Db) {}

  /** The accounts the viewer followed most recently, at most `limit` of them. */
  async recentFollows(viewerId: string, limit: number): Promise<string[]> {
    const rows = await this.db.selectFrom('follows').select('target_account_id').where('account_id', '=', viewerId).orderBy('id', 'desc').limit(limit).execute();
    return rows.map((r) => r.target_account_id);
  }

  /**
   * Accounts followed by the given accounts (the viewer's sampled follows), ranked by how many
   * of them follow each, then by followers. Each sampled account contributes at most its
   * `perFriend` most recent follows, read as one bounded index range each (follows_source), so
   * the whole query reads at most friends × perFriend rows whoever the viewer follows.
   */
  async friendsOfFriends(viewerId: string, friends: readonly string[], perFriend: number, limit: number, now: string): Promise<FriendOfFriendRow[]> {
    if (friends.length === 0) return [];
    const ranges = friends.map(
      (friend, i) =>
        sql`SELECT target_account_id FROM (SELECT target_account_id FROM follows WHERE account_id = ${friend} ORDER BY id DESC LIMIT ${sql.lit(perFriend)}) ${sql.raw(`r${i}`)}`,
    );
    const { rows } = await sql<AccountRow & { followed_by: number | string }>`
      SELECT accounts.*, fof.n AS followed_by
      FROM (SELECT t.target_account_id AS id, count(*) AS n FROM (${sql.join(ranges, sql` UNION ALL `)}) t GROUP BY t.target_account_id) fof
      JOIN accounts ON accounts.id = fof.id
      WHERE ${suggestibleAccountSql(viewerId, now)}
      ORDER BY fof.n DESC, accounts.followers_count DESC, accounts.id DESC
      LIMIT ${sql.lit(limit)}`.execute(this.db);
    return rows.map((r) => ({ ...r, followed_by: Number(r.followed_by) }));
  }

  /** The most followed suggestible accounts, leaving out `exclude` (those already suggested). */
  mostFollowed(viewerId: string, exclude: readonly string[], limit: number, now: string): Promise<AccountRow[]> {
    let q = this.db.selectFrom('accounts').selectAll().where(suggestibleAccountSql(viewerId, now));
    if (exclude.length) q = q.where('id', 'not in', [...exclude]);
    return q.orderBy('followers_count', 'desc').orderBy('id', 'desc').limit(limit).execute();
  }

  /** The predicate's facts for a page: which of `ids` the viewer dismissed, and which mute the viewer. One query. */
  async facts(viewerId: string, ids: readonly string[], now: string): Promise<SuggestionFacts> {
    if (ids.length === 0) return { dismissed: new Set(), mutedBy: new Set() };
    const list = sql.join([...new Set(ids)]);
    const { rows } = await sql<{ kind: string; id: string }>`
      SELECT 'dismissed' AS kind, target_account_id AS id FROM suggestion_dismissals WHERE account_id = ${viewerId} AND target_account_id IN (${list})
      UNION ALL SELECT 'mutedBy', account_id FROM mutes WHERE target_account_id = ${viewerId} AND account_id IN (${list}) AND (expires_at IS NULL OR expires_at > ${now})`.execute(this.db);
    return {
      dismissed: new Set(rows.filter((r) => r.kind === 'dismissed').map((r) => r.id)),
      mutedBy: new Set(rows.filter((r) => r.kind === 'mutedBy').map((r) => r.id)),
    };
  }

  async dismiss(viewerId: string, targetId: string, now: string): Promise<void> {
    await this.db
      .insertInto('suggestion_dismissals')
      .values({ account_id: viewerId, target_account_id: targetId, created_at: now })
      .onConflict((oc) => oc.columns(['account_id', 'target_account_id']).doNothing())
      .execute();
  }
}
