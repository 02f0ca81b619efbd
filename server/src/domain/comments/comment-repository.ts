import { sql } from 'kysely';
import { byUnsuspendedAccountSql } from '../../access/account-policy.ts';
import { bulkTargetSql, listedCommentSql } from '../../access/comment-policy.ts';
import type { Viewer } from '../../access/viewer-context.ts';
import type { Db } from '../../db/database.ts';
import type { HiddenWordsTable } from '../../db/schema.ts';
import type { AccountRow } from '../accounts/account.ts';

export const COUNTER_SHARDS = 16;
/**
 * The counter shard a transaction writes: random, but one per transaction (a group commit's
 * comments share it), so a transaction locks one counter row per key and two transactions of
 * different processes rarely want each other's rows (a deadlock on PostgreSQL, which
 * GroupCommit answers by running the group again).
 */
const shards = new WeakMap<object, number>();
const shard = (db: Db) => {
  let n = shards.get(db);
  if (n === undefined) shards.set(db, (n = Math.floor(Math.random() * COUNTER_SHARDS)));
  return n;
};

/** An account a new comment involves, with what moderates comments on its posts (CommentRepository.parties). */
export interface CommentParty {
  account: AccountRow;
  hiddenWords?: HiddenWordsTable;
  /** It restricts the commenter: their comments on its posts are hidden. */
  restrictsCommenter: boolean;
}

export interface CommentCursor {
  /** rank_score for the top sort. */
  score?: number;
  id: string;
  /** Comments the first page showed ahead of the order (from people the viewer follows): not repeated. */
  skip?: string[];
}

/**
 * Comment-specific storage: sharded counters and folds kept up to date as comments arrive,
 * and the skeleton queries of the comment list (ids only; the hydrator does the rest).
 */
export class CommentRepository {
  constructor(private readonly db: Db) {}

  /** Adds to a post's comment counters on a random shard: no hot row under a storm. */
  async bumpCounts(db: Db, postId: string, total: number, hidden: number): Promise<void> {
    if (total === 0 && hidden === 0) return;
    await db
      .insertInto('comment_counts')
      .values({ post_id: postId, shard: shard(db), total, hidden })
      .onConflict((oc) =>
        oc.columns(['post_id', 'shard']).doUpdateSet((eb) => ({
          total: eb('comment_counts.total', '+', total),
          hidden: eb('comment_counts.hidden', '+', hidden),
        })),
      )
      .execute();
  }

  async counts(postIds: readonly string[]): Promise<Map<string, { total: number; hidden: number }>> {
    const out = new Map<string, { total: number; hidden: number }>();
    if (postIds.length === 0) return out;
    const rows = await this.db
      .selectFrom('comment_counts')
      .select(['post_id', sql<number>`sum(total)`.as('total'), sql<number>`sum(hidden)`.as('hidden')])
      .where('post_id', 'in', [...new Set(postIds)])
      .groupBy('post_id')
      .execute();
    for (const r of rows) out.set(r.post_id, { total: Number(r.total), hidden: Number(r.hidden) });
    return out;
  }

  /** Counts a visible comment into its fold. */
  async bumpFold(db: Db, postId: string, key: string, displayText: string, delta: number): Promise<void> {
    if (key === '' || delta === 0) return;
    const counted = await db
      .insertInto('comment_fold_counts')
      .values({ post_id: postId, fold_key: key, shard: shard(db), count: delta })
      .onConflict((oc) => oc.columns(['post_id', 'fold_key', 'shard']).doUpdateSet((eb) => ({ count: eb('comment_fold_counts.count', '+', delta) })))
      .returning('count')
      .executeTakeFirst();
    // The fold's shown text is written with the first count of a shard: a shard row that held
    // a count already means the text is there (neither row is removed but with the post), so a
    // storm's comments skip the statement.
    if (delta > 0 && Number(counted?.count) === delta) {
      await db.insertInto('comment_folds').values({ post_id: postId, fold_key: key, display_text: displayText }).onConflict((oc) => oc.columns(['post_id', 'fold_key']).doNothing()).execute();
    }
  }

  /**
   * The accounts a new comment involves (the authors it answers, the commenter, the people it
   * names), each with its hidden words and whether it restricts the commenter, in one query:
   * the comment's moderation is decided from these (moderation-service.ts#decideCommentFrom).
   */
  async parties(ids: readonly string[], usernames: readonly string[], commenterId: string): Promise<Map<string, CommentParty>> {
    const rows = await this.db
      .selectFrom('accounts as a')
      .leftJoin('hidden_words as hw', 'hw.account_id', 'a.id')
      .leftJoin('restricts as r', (j) => j.onRef('r.account_id', '=', 'a.id').on('r.target_account_id', '=', commenterId))
      .selectAll('a')
      .select(['hw.account_id as hw_account', 'hw.use_default_list as hw_default', 'hw.words as hw_words', 'hw.updated_at as hw_updated', 'r.account_id as restricting'])
      .where((eb) => (usernames.length ? eb.or([eb('a.id', 'in', [...ids]), eb('a.username_lower', 'in', [...usernames])]) : eb('a.id', 'in', [...ids])))
      .execute();
    const out = new Map<string, CommentParty>();
    for (const { hw_account, hw_default, hw_words, hw_updated, restricting, ...account } of rows) {
      const hiddenWords = hw_account === null ? undefined : { account_id: hw_account, use_default_list: Number(hw_default), words: hw_words!, updated_at: hw_updated! };
      out.set(account.id, { account, hiddenWords, restrictsCommenter: restricting !== null });
    }
    return out;
  }

  /** Folds of a post with at least `min` visible comments, largest first. */
  async folds(postId: string, min: number, limit: number): Promise<Array<{ key: string; text: string; count: number }>> {
    const rows = await this.db
      .selectFrom('comment_fold_counts as c')
      .innerJoin('comment_folds as f', (j) => j.onRef('f.post_id', '=', 'c.post_id').onRef('f.fold_key', '=', 'c.fold_key'))
      .select(['c.fold_key as key', 'f.display_text as text', sql<number>`sum(c.count)`.as('count')])
      .where('c.post_id', '=', postId)
      .groupBy(['c.fold_key', 'f.display_text'])
      .having(sql`sum(c.count)`, '>=', min)
      .orderBy(sql`sum(c.count)`, 'desc')
      .limit(limit)
      .execute();
    return rows.map((r) => ({ key: r.key, text: r.text, count: Number(r.count) }));
  }

  /**
   * How many distinct accounts wrote each fold, counted over its newest `scan` shown comments:
   * one statement for all folds, each a bounded backward walk of `statuses_comments_fold`, so a
   * fold of 42,000 costs no more than one of `scan`. A storm by many accounts shows many of them
   * in its newest comments; one account's flood does not.
   */
  async foldAccounts(postId: string, keys: string[], scan: number): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    if (keys.length === 0) return out;
    const perKey = keys.map(
      (key) =>
        sql`SELECT CAST(${key} AS text) AS fold_key, count(DISTINCT s.account_id) AS n FROM (SELECT account_id FROM statuses WHERE post_id = ${postId} AND fold_key = ${key} AND hidden_reason IS NULL ORDER BY id DESC LIMIT ${scan}) AS s`,
    );
    const rows = await sql<{ fold_key: string; n: number }>`${sql.join(perKey, sql` UNION ALL `)}`.execute(this.db);
    for (const r of rows.rows) out.set(r.fold_key, Number(r.n));
    return out;
  }

  /** A page of one fold's comments the viewer may have listed, newest first (`statuses_comments_fold`). */
  async foldIds(postId: string, key: string, viewer: Viewer | undefined, maxId: string | undefined, limit: number): Promise<string[]> {
    let q = this.db.selectFrom('statuses').select('id').where('post_id', '=', postId).where('fold_key', '=', key).where(listedCommentSql({ viewer }));
    if (maxId) q = q.where('id', '<', maxId);
    return (await q.orderBy('id', 'desc').limit(limit).execute()).map((r) => r.id);
  }

  /** Up to `limit` of one fold's comments a bulk action of `viewer` takes, newest first, older than `maxId`. */
  async bulkTargets(postId: string, key: string, viewer: Viewer, maxId: string | undefined, limit: number) {
    let q = this.db
      .selectFrom('statuses')
      .select(['id', 'account_id'])
      .where('post_id', '=', postId)
      .where('fold_key', '=', key)
      .where(bulkTargetSql({ viewer }));
    if (maxId) q = q.where('id', '<', maxId);
    return q.orderBy('id', 'desc').limit(limit).execute();
  }

  /** Hides shown comments of one fold (chunked statements), keeping the counters exact; the number hidden. */
  async hideMany(db: Db, postId: string, key: string, ids: readonly string[]): Promise<number> {
    let hidden = 0;
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      const res = await db.updateTable('statuses').set({ hidden_reason: 'moderator', approved: 0 }).where('id', 'in', chunk).where('hidden_reason', 'is', null).executeTakeFirst();
      hidden += Number(res.numUpdatedRows);
    }
    await this.bumpCounts(db, postId, 0, hidden);
    await this.bumpFold(db, postId, key, '', -hidden);
    return hidden;
  }

  /** Restricts many accounts at once (already restricted ones stay as they are). */
  async restrictMany(db: Db, accountId: string, targetIds: readonly string[], nowIso: string): Promise<void> {
    for (let i = 0; i < targetIds.length; i += 500) {
      const values = targetIds.slice(i, i + 500).map((target_account_id) => ({ account_id: accountId, target_account_id, created_at: nowIso }));
      await db.insertInto('restricts').values(values).onConflict((oc) => oc.columns(['account_id', 'target_account_id']).doNothing()).execute();
    }
  }

  async insertReports(db: Db, rows: Array<{ id: string; account_id: string; target_account_id: string; status_ids: string; comment: string; category: string; forward: number; created_at: string }>): Promise<void> {
    for (let i = 0; i < rows.length; i += 200) {
      await db.insertInto('reports').values(rows.slice(i, i + 200).map((r) => ({ ...r, action_taken: null, action_taken_at: null, action_taken_by: null }))).execute();
    }
  }

  /**
   * The first page's comments from people the viewer follows, best ranked first, one per
   * followed account (three friends rather than one friend three times): they come before the
   * rest of the "top" order. Pinned and folded ones are shown apart. The walk starts from the
   * viewer's follows and takes each one's best comment on the post from
   * `statuses_comments_account`, so its cost follows the viewer's follows, never the post's
   * 50,000 storm comments (walking those by rank and testing every author was 18 ms a request
   * on SQLite for a viewer who follows none of them).
   */
  async followedTopIds(postId: string, viewer: Viewer, foldedKeys: string[], limit: number): Promise<Array<{ id: string; rank_score: number }>> {
    return this.db
      .selectFrom('statuses')
      .select(['id', 'rank_score'])
      .where('id', 'in', (eb) =>
        eb
          .selectFrom('follows as f')
          .select((inner) => {
            let best = inner
              .selectFrom('statuses as s')
              .select('s.id')
              .where('s.post_id', '=', postId)
              .whereRef('s.account_id', '=', 'f.target_account_id')
              .where('s.in_reply_to_id', '=', postId)
              .where('s.pinned_at', 'is', null)
              .where(listedCommentSql({ viewer }, 's'));
            if (foldedKeys.length) best = best.where('s.fold_key', 'not in', foldedKeys);
            return best.orderBy('s.rank_score', 'desc').orderBy('s.id', 'desc').limit(1).as('best');
          })
          .where('f.account_id', '=', viewer.accountId),
      )
      .orderBy('rank_score', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
  }

  /**
   * One page of a post's top-level comments, skipping folded ones and pinned ones (shown
   * apart), hidden ones except the viewer's own.
   */
  async topLevelIds(postId: string, options: { sort: 'top' | 'newest'; cursor?: CommentCursor; foldedKeys: string[]; skip?: string[]; viewer?: Viewer; limit: number }): Promise<Array<{ id: string; rank_score: number }>> {
    let q = this.db
      .selectFrom('statuses')
      .select(['id', 'rank_score'])
      .where('post_id', '=', postId)
      .where('in_reply_to_id', '=', postId)
      .where('pinned_at', 'is', null)
      .where(listedCommentSql({ viewer: options.viewer }));
    if (options.foldedKeys.length) q = q.where((eb) => eb.or([eb('fold_key', 'not in', options.foldedKeys), eb('account_id', '=', options.viewer?.accountId ?? '')]));
    if (options.skip?.length) q = q.where('id', 'not in', options.skip);
    const c = options.cursor;
    if (options.sort === 'newest') {
      if (c) q = q.where('id', '<', c.id);
      return q.orderBy('id', 'desc').limit(options.limit).execute();
    }
    if (c) q = q.where((eb) => eb.or([eb('rank_score', '<', c.score ?? 0), eb.and([eb('rank_score', '=', c.score ?? 0), eb('id', '<', c.id)])]));
    return q.orderBy('rank_score', 'desc').orderBy('id', 'desc').limit(options.limit).execute();
  }

  /** Pinned comments are few: a partial index holds only them (`statuses_comments_pinned`). */
  async pinnedIds(postId: string): Promise<string[]> {
    const rows = await this.db.selectFrom('statuses').select('id').where('post_id', '=', postId).where('pinned_at', 'is not', null).orderBy('pinned_at', 'desc').limit(3).execute();
    return rows.map((r) => r.id);
  }

  async replyIds(threadId: string, viewer: Viewer | undefined, after: string | undefined, limit: number): Promise<string[]> {
    let q = this.db.selectFrom('statuses').select('id').where('thread_id', '=', threadId).where('id', '!=', threadId).where(listedCommentSql({ viewer }));
    if (after) q = q.where('id', '>', after);
    return (await q.orderBy('id', 'asc').limit(limit).execute()).map((r) => r.id);
  }

  /** Visible replies per thread, for the "view N replies" line. */
  async replyCounts(threadIds: readonly string[]): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    if (threadIds.length === 0) return out;
    const rows = await this.db
      .selectFrom('statuses')
      .select(['thread_id', sql<number>`count(*)`.as('n')])
      .where('thread_id', 'in', [...threadIds])
      .where('hidden_reason', 'is', null)
      .where(byUnsuspendedAccountSql('account_id'))
      .where((eb) => eb('id', '!=', eb.ref('thread_id')))
      .groupBy('thread_id')
      .execute();
    for (const r of rows) out.set(r.thread_id!, Number(r.n));
    return out;
  }

  async hiddenIds(postId: string, limit: number, maxId?: string): Promise<string[]> {
    let q = this.db.selectFrom('statuses').select('id').where('post_id', '=', postId).where('hidden_reason', 'is not', null);
    if (maxId) q = q.where('id', '<', maxId);
    return (await q.orderBy('id', 'desc').limit(limit).execute()).map((r) => r.id);
  }

  async addRankScore(db: Db, statusId: string, delta: number): Promise<void> {
    await db.updateTable('statuses').set((eb) => ({ rank_score: eb('rank_score', '+', delta) })).where('id', '=', statusId).execute();
  }

  async countPinned(postId: string): Promise<number> {
    return (await this.pinnedIds(postId)).length;
  }

  async setPinned(commentId: string, pinnedAt: string | null): Promise<void> {
    await this.db.updateTable('statuses').set({ pinned_at: pinnedAt }).where('id', '=', commentId).execute();
  }

  async setHidden(db: Db, commentId: string, reason: 'hidden_words' | 'restricted' | 'moderator' | null, approved?: boolean): Promise<void> {
    await db
      .updateTable('statuses')
      .set({ hidden_reason: reason, ...(approved === undefined ? {} : { approved: approved ? 1 : 0 }) })
      .where('id', '=', commentId)
      .execute();
  }

  /** The digest's aggregates over every comment of a post, hidden ones included (suspended authors' never). */
  async toneCounts(postId: string) {
    return this.db
      .selectFrom('statuses')
      .select(['tone', sql<number>`count(*)`.as('n')])
      .where('post_id', '=', postId)
      .where(byUnsuspendedAccountSql('account_id'))
      .groupBy('tone')
      .execute();
  }

  async toneOverTime(postId: string) {
    return this.db
      .selectFrom('statuses')
      .select([sql<string>`substr(created_at, 1, 13)`.as('hour'), 'tone', sql<number>`count(*)`.as('n')])
      .where('post_id', '=', postId)
      .where(byUnsuspendedAccountSql('account_id'))
      .groupBy([sql`substr(created_at, 1, 13)`, 'tone'])
      .orderBy(sql`substr(created_at, 1, 13)`)
      .execute();
  }

  /** Most liked visible comments of each tone. */
  async representativeIds(postId: string, perTone: number): Promise<Map<string, string[]>> {
    // One comment per fold at most, so a storm of copies does not fill every quote.
    const rows = await sql<{ id: string; tone: string }>`
      SELECT id, tone FROM (
        SELECT id, tone, ROW_NUMBER() OVER (PARTITION BY tone ORDER BY favourites_count DESC, id DESC) AS rn
        FROM (
          SELECT id, tone, favourites_count,
            ROW_NUMBER() OVER (PARTITION BY tone, CASE WHEN fold_key = '' THEN id ELSE fold_key END ORDER BY favourites_count DESC, id DESC) AS per_fold
          FROM statuses WHERE post_id = ${postId} AND hidden_reason IS NULL AND tone IS NOT NULL AND ${byUnsuspendedAccountSql('account_id')}
        ) distinct_folds WHERE per_fold = 1
      ) ranked WHERE rn <= ${perTone}`.execute(this.db);
    const out = new Map<string, string[]>();
    for (const r of rows.rows) out.set(r.tone, [...(out.get(r.tone) ?? []), r.id]);
    return out;
  }
}
