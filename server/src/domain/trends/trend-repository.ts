import { type RawBuilder, sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { publiclyListableSql } from '../../access/post-policy.ts';
import { listedCommentSql } from '../../access/comment-policy.ts';
import { byUnsuspendedAccountSql } from '../../access/account-policy.ts';
import { anonymousContext } from '../../access/viewer-context.ts';

/**
 * The engagement window and its decay. An engagement counts when it is at most
 * TREND_WINDOW_DAYS old, weighed by its age in whole days: halved every two days
 * (`DAY_WEIGHTS[d]` ≈ 1000 × 0.5^(d/2) for d = 0..6). A comment weighs twice a like (it takes
 * more than a tap); for tags, each publicly listable post using the tag weighs like a like.
 * Weights are integers so both databases add up exactly the same scores.
 */
export const TREND_WINDOW_DAYS = 7;
export const DAY_WEIGHTS = [1000, 707, 500, 354, 250, 177, 125] as const;
const COMMENT_FACTOR = 2;

export interface TrendingTagRow {
  tag: string;
  display: string;
  score: number;
}

export interface TrendingStatusRow {
  id: string;
  score: number;
}

/**
 * Trending posts and tags: one aggregate query each, over the window's likes (favourites ids are
 * time-ordered, so the window is a range of the primary key), comments and, for tags, posts.
 * Only publicly listable posts trend (publiclyListableSql: public posts of public, unsuspended
 * accounts); only listed comments (not hidden, by an unsuspended account) and likes by
 * unsuspended accounts count, and never the post's author's own.
 */
export class TrendRepository {
  constructor(private readonly db: Db) {}

  /**
   * `dayStarts[d]`: the smallest id made d + 1 days before now (ids are milliseconds × 1000),
   * so an id ≥ dayStarts[0] is less than a day old and dayStarts[6] starts the window.
   */
  async statuses(dayStarts: readonly string[], limit: number, offset: number): Promise<TrendingStatusRow[]> {
    const { rows } = await sql<{ id: string; score: number | string }>`
      SELECT e.status_id AS id, SUM(e.w) AS score
      FROM (${this.engagement(dayStarts)}) e
      JOIN statuses ON statuses.id = e.status_id
      JOIN accounts ON accounts.id = statuses.account_id
      WHERE ${publiclyListableSql()} AND e.actor <> statuses.account_id
      GROUP BY e.status_id
      ORDER BY score DESC, e.status_id DESC
      LIMIT ${sql.lit(limit)} OFFSET ${sql.lit(offset)}`.execute(this.db);
    return rows.map((r) => ({ id: r.id, score: Number(r.score) }));
  }

  /** Tags by the engagement with, and the uses in, the window's publicly listable posts carrying them. */
  async tags(dayStarts: readonly string[], limit: number, offset: number): Promise<TrendingTagRow[]> {
    const since = dayStarts[dayStarts.length - 1];
    const { rows } = await sql<{ tag: string; display: string; score: number | string }>`
      SELECT status_tags.tag AS tag, MIN(status_tags.display) AS display, SUM(e.w) AS score
      FROM (
        ${this.engagement(dayStarts)}
        UNION ALL
        SELECT u.id AS status_id, u.account_id AS actor, ${decayed(sql.ref('u.id'), dayStarts, 1)} AS w, 1 AS own_ok
        FROM statuses u WHERE u.id >= ${since} AND u.post_id IS NULL
      ) e
      JOIN status_tags ON status_tags.status_id = e.status_id
      JOIN statuses ON statuses.id = e.status_id
      JOIN accounts ON accounts.id = statuses.account_id
      WHERE ${publiclyListableSql()} AND (e.own_ok = 1 OR e.actor <> statuses.account_id)
      GROUP BY status_tags.tag
      ORDER BY score DESC, status_tags.tag ASC
      LIMIT ${sql.lit(limit)} OFFSET ${sql.lit(offset)}`.execute(this.db);
    return rows.map((r) => ({ tag: r.tag, display: r.display, score: Number(r.score) }));
  }

  /** Likes and listed comments in the window: (status_id, actor, weight, own_ok = 0). */
  private engagement(dayStarts: readonly string[]): RawBuilder<unknown> {
    const since = dayStarts[dayStarts.length - 1];
    return sql`
      SELECT f.status_id AS status_id, f.account_id AS actor, ${decayed(sql.ref('f.id'), dayStarts, 1)} AS w, 0 AS own_ok
      FROM favourites f WHERE f.id >= ${since} AND ${byUnsuspendedAccountSql('f.account_id')}
      UNION ALL
      SELECT c.post_id AS status_id, c.account_id AS actor, ${decayed(sql.ref('c.id'), dayStarts, COMMENT_FACTOR)} AS w, 0 AS own_ok
      FROM statuses c WHERE c.id >= ${since} AND c.post_id IS NOT NULL AND ${listedCommentSql(anonymousContext, 'c')}`;
  }
}

/** The weight of an engagement by its id's age: a CASE over the day boundaries (literals, so both databases sum integers). */
function decayed(id: RawBuilder<unknown>, dayStarts: readonly string[], factor: number): RawBuilder<number> {
  const steps = dayStarts.map((start, d) => sql`WHEN ${id} >= ${start} THEN ${sql.lit(DAY_WEIGHTS[d] * factor)}`);
  return sql<number>`CASE ${sql.join(steps, sql` `)} ELSE 0 END`;
}
