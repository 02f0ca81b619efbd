import { sql } from 'kysely';
import type { DatabaseHandle } from '../../server/src/db/database.ts';
import { GENERATOR_ID_NODE, IDS_PER_MS_PER_NODE, idFrom } from '../../server/src/db/ids.ts';

export interface PushFanoutResult {
  followers: number;
  seconds: number;
}

/**
 * The `push-fanout` baseline: Mastodon's design, where a post costs one home-feed insert per
 * follower at write time (FanOutOnWriteService queues FeedInsertWorker jobs in batches of
 * 1,000, each job one insert). Run on the same data, through the server's own database handle
 * (same durability settings): one INSERT statement per follower, a transaction per 1,000.
 * The synthetic post and its feed rows are removed afterwards.
 */
export async function pushFanout(handle: DatabaseHandle, authorId: string): Promise<PushFanoutResult> {
  const db = handle.kysely;
  const followers = (await db.selectFrom('follows').select('account_id').where('target_account_id', '=', authorId).orderBy('id').execute()).map((r) => r.account_id);
  const now = Date.now();
  // The generator's id node, at a sequence its rows never use: no server can issue this id.
  const statusId = idFrom(now, GENERATOR_ID_NODE, IDS_PER_MS_PER_NODE - 1);
  await db
    .insertInto('statuses')
    .values({ id: statusId, account_id: authorId, text: 'push-fanout baseline', visibility: 'public', sensitive: 0, spoiler_text: '', language: null, hide_like_count: 0, comment_policy: 'everyone', has_media: 0, favourites_count: 0, replies_count: 0, created_at: new Date(now).toISOString(), post_id: null, thread_id: null, hidden_reason: null, approved: 0, fold_key: '', tone: null, pinned_at: null, rank_score: 0 })
    .execute();
  try {
    const started = performance.now();
    for (let from = 0; from < followers.length; from += 1000) {
      const batch = followers.slice(from, from + 1000);
      await db.transaction().execute(async (trx) => {
        for (const follower of batch) {
          await trx.insertInto('home_feed').values({ account_id: follower, status_id: statusId, author_id: authorId }).execute();
        }
      });
    }
    const seconds = (performance.now() - started) / 1000;
    return { followers: followers.length, seconds };
  } finally {
    await db.deleteFrom('home_feed').where('status_id', '=', statusId).execute();
    await db.deleteFrom('statuses').where('id', '=', statusId).execute();
    if (handle.dialect === 'sqlite') await sql`PRAGMA wal_checkpoint(TRUNCATE)`.execute(db);
  }
}
