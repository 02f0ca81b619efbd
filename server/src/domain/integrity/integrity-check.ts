import { sql, type RawBuilder } from 'kysely';
import { byUnsuspendedAccountSql } from '../../access/account-policy.ts';
import { listedCommentSql } from '../../access/comment-policy.ts';
import { notMessageSql } from '../../access/message-policy.ts';
import type { Db } from '../../db/database.ts';
import { CommentRepository } from '../comments/comment-repository.ts';

/**
 * Stored counters checked against the rows they count (`npm run admin -- admin integrity`).
 * Each kind of counter is one aggregate query over the whole database, on both databases;
 * the definitions are the ones the services keep on write:
 * - accounts.followers_count / following_count: rows of `follows` (accepted follows only);
 * - accounts.statuses_count: the account's posts (`post_id IS NULL`), comments and direct messages not included;
 * - statuses.favourites_count: rows of `favourites` (posts and comments);
 * - stories.viewers_count: rows of `story_views`, the author's own view not counted;
 * - comment_counts (the post's replies, summed over its shards): `total` every comment of the
 *   post, `hidden` those with a `hidden_reason` (replies_count shows total − hidden);
 * - comment_fold_counts (summed over shards): the post's visible comments with that fold key;
 * both leave out the comments of suspended accounts (suspend-account.ts takes them out).
 * (statuses.replies_count is not a counter: it is always 0, replies are counted as above.)
 */
export interface CounterMismatch {
  /** Which counter, as table.column. */
  counter: string;
  /** The row holding it: account, status, story or post id. */
  id: string;
  /** For a fold count: the fold key. */
  foldKey?: string;
  stored: number;
  actual: number;
}

/** A counter kept in a column of the row it belongs to. */
interface ColumnCounter {
  table: 'accounts' | 'statuses' | 'stories';
  column: 'followers_count' | 'following_count' | 'statuses_count' | 'favourites_count' | 'viewers_count';
  /** The true values, as (id, n) for every row with at least one. */
  counted: RawBuilder<unknown>;
}

const COLUMN_COUNTERS: ColumnCounter[] = [
  { table: 'accounts', column: 'followers_count', counted: sql`SELECT target_account_id AS id, count(*) AS n FROM follows GROUP BY target_account_id` },
  { table: 'accounts', column: 'following_count', counted: sql`SELECT account_id AS id, count(*) AS n FROM follows GROUP BY account_id` },
  { table: 'accounts', column: 'statuses_count', counted: sql`SELECT account_id AS id, count(*) AS n FROM statuses WHERE post_id IS NULL AND ${notMessageSql()} GROUP BY account_id` },
  { table: 'statuses', column: 'favourites_count', counted: sql`SELECT status_id AS id, count(*) AS n FROM favourites GROUP BY status_id` },
  {
    table: 'stories',
    column: 'viewers_count',
    counted: sql`SELECT v.story_id AS id, count(*) AS n FROM story_views v JOIN stories s ON s.id = v.story_id WHERE v.account_id <> s.account_id GROUP BY v.story_id`,
  },
];

async function columnMismatches(db: Db, c: ColumnCounter): Promise<CounterMismatch[]> {
  const rows = await sql<{ id: string; stored: number; actual: number }>`
    SELECT t.id, t.${sql.ref(c.column)} AS stored, COALESCE(c.n, 0) AS actual
    FROM ${sql.table(c.table)} t LEFT JOIN (${c.counted}) c ON c.id = t.id
    WHERE t.${sql.ref(c.column)} <> COALESCE(c.n, 0)
    ORDER BY t.id`.execute(db);
  return rows.rows.map((r) => ({ counter: `${c.table}.${c.column}`, id: r.id, stored: Number(r.stored), actual: Number(r.actual) }));
}

/** Posts whose comment counters disagree with their comments: one row per post. */
async function commentCountMismatches(db: Db): Promise<CounterMismatch[]> {
  const rows = await sql<{ id: string; stored_total: number; stored_hidden: number; actual_total: number; actual_hidden: number }>`
    SELECT k.post_id AS id,
      COALESCE(c.total, 0) AS stored_total, COALESCE(c.hidden, 0) AS stored_hidden,
      COALESCE(r.total, 0) AS actual_total, COALESCE(r.hidden, 0) AS actual_hidden
    FROM (SELECT post_id FROM comment_counts UNION SELECT post_id FROM statuses WHERE post_id IS NOT NULL) k
    LEFT JOIN (SELECT post_id, sum(total) AS total, sum(hidden) AS hidden FROM comment_counts GROUP BY post_id) c ON c.post_id = k.post_id
    LEFT JOIN (
      SELECT post_id, count(*) AS total, sum(CASE WHEN hidden_reason IS NULL THEN 0 ELSE 1 END) AS hidden
      FROM statuses WHERE post_id IS NOT NULL AND ${byUnsuspendedAccountSql('account_id')} GROUP BY post_id
    ) r ON r.post_id = k.post_id
    WHERE COALESCE(c.total, 0) <> COALESCE(r.total, 0) OR COALESCE(c.hidden, 0) <> COALESCE(r.hidden, 0)
    ORDER BY k.post_id`.execute(db);
  return rows.rows.flatMap((r) => {
    const out: CounterMismatch[] = [];
    const [storedTotal, actualTotal, storedHidden, actualHidden] = [r.stored_total, r.actual_total, r.stored_hidden, r.actual_hidden].map(Number);
    if (storedTotal !== actualTotal) out.push({ counter: 'comment_counts.total', id: r.id, stored: storedTotal, actual: actualTotal });
    if (storedHidden !== actualHidden) out.push({ counter: 'comment_counts.hidden', id: r.id, stored: storedHidden, actual: actualHidden });
    return out;
  });
}

/** The comments a fold counts: with a fold key, and listed to every reader (not hidden, author not suspended). */
const VISIBLE_FOLDED = sql`post_id IS NOT NULL AND fold_key <> '' AND ${listedCommentSql({ viewer: undefined })}`;

async function foldCountMismatches(db: Db): Promise<CounterMismatch[]> {
  const rows = await sql<{ id: string; fold_key: string; stored: number; actual: number }>`
    SELECT k.post_id AS id, k.fold_key, COALESCE(c.n, 0) AS stored, COALESCE(r.n, 0) AS actual
    FROM (SELECT post_id, fold_key FROM comment_fold_counts UNION SELECT post_id, fold_key FROM statuses WHERE ${VISIBLE_FOLDED}) k
    LEFT JOIN (SELECT post_id, fold_key, sum(count) AS n FROM comment_fold_counts GROUP BY post_id, fold_key) c
      ON c.post_id = k.post_id AND c.fold_key = k.fold_key
    LEFT JOIN (SELECT post_id, fold_key, count(*) AS n FROM statuses WHERE ${VISIBLE_FOLDED} GROUP BY post_id, fold_key) r
      ON r.post_id = k.post_id AND r.fold_key = k.fold_key
    WHERE COALESCE(c.n, 0) <> COALESCE(r.n, 0)
    ORDER BY k.post_id, k.fold_key`.execute(db);
  return rows.rows.map((r) => ({ counter: 'comment_fold_counts.count', id: r.id, foldKey: r.fold_key, stored: Number(r.stored), actual: Number(r.actual) }));
}

/** Every stored counter that disagrees with its rows; empty when all agree. */
export async function checkCounters(db: Db): Promise<CounterMismatch[]> {
  const found: CounterMismatch[] = [];
  for (const c of COLUMN_COUNTERS) found.push(...(await columnMismatches(db, c)));
  found.push(...(await commentCountMismatches(db)));
  found.push(...(await foldCountMismatches(db)));
  return found;
}

const CHUNK = 500;
function chunks<T>(items: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}

/**
 * Sets every mismatched counter to its true value and answers what it changed. Counters are
 * moved by the difference found, never overwritten: every write of the server changes a
 * counter and its rows in one transaction, so the difference stays right even while the server
 * keeps writing. A sharded counter gets the difference on one of its shards (reads sum them).
 */
export async function repairCounters(db: Db): Promise<CounterMismatch[]> {
  return db.transaction().execute(async (trx) => {
    const found = await checkCounters(trx);
    for (const c of COLUMN_COUNTERS) {
      const mine = found.filter((m) => m.counter === `${c.table}.${c.column}`);
      for (const part of chunks(mine)) {
        const delta = sql.join(part.map((m) => sql`WHEN ${m.id} THEN CAST(${m.actual - m.stored} AS integer)`), sql` `);
        await sql`UPDATE ${sql.table(c.table)} SET ${sql.ref(c.column)} = ${sql.ref(c.column)} + CASE id ${delta} END
          WHERE id IN (${sql.join(part.map((m) => m.id))})`.execute(trx);
      }
    }
    const comments = new CommentRepository(trx);
    const commentDeltas = new Map<string, { total: number; hidden: number }>();
    for (const m of found) {
      if (m.counter !== 'comment_counts.total' && m.counter !== 'comment_counts.hidden') continue;
      const d = commentDeltas.get(m.id) ?? { total: 0, hidden: 0 };
      d[m.counter === 'comment_counts.total' ? 'total' : 'hidden'] = m.actual - m.stored;
      commentDeltas.set(m.id, d);
    }
    for (const [postId, d] of commentDeltas) await comments.bumpCounts(trx, postId, d.total, d.hidden);
    const folds = found.filter((m) => m.counter === 'comment_fold_counts.count');
    const texts = await foldTexts(trx, folds.filter((m) => m.actual > m.stored));
    for (const m of folds) {
      await comments.bumpFold(trx, m.id, m.foldKey!, texts.get(`${m.id} ${m.foldKey}`) ?? '', m.actual - m.stored);
    }
    return found;
  });
}

/**
 * The shown text of each fold, for one that lost its row in comment_folds: its first visible
 * comment, cut as the server cuts it when the fold begins.
 */
async function foldTexts(db: Db, folds: CounterMismatch[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const part of chunks(folds)) {
    const pairs = sql.join(part.map((m) => sql`(${m.id}, ${m.foldKey!})`));
    // A list of row values, written as VALUES so that SQLite takes it too.
    const rows = await sql<{ post_id: string; fold_key: string; text: string }>`
      SELECT post_id, fold_key, text FROM statuses WHERE id IN (
        SELECT min(id) FROM statuses WHERE ${VISIBLE_FOLDED} AND (post_id, fold_key) IN (VALUES ${pairs}) GROUP BY post_id, fold_key
      )`.execute(db);
    for (const r of rows.rows) out.set(`${r.post_id} ${r.fold_key}`, r.text.trim().slice(0, 100));
  }
  return out;
}

/** One line per mismatch: which counter, which row, stored and real value (or what it was set to). */
export function describeMismatch(m: CounterMismatch, repaired = false): string {
  const row = m.foldKey === undefined ? m.id : `${m.id} fold "${m.foldKey}"`;
  return repaired ? `${m.counter} of ${row}: ${m.stored} → ${m.actual}` : `${m.counter} of ${row}: stored ${m.stored}, real ${m.actual}`;
}
