import { sql } from 'kysely';
import type { Clock } from '../../clock.ts';
import type { Db } from '../../db/database.ts';
import type { SessionEvents } from '../auth/token-repository.ts';

/**
 * Suspending an account: its log-in, every token and its open streams (`sessions`) stop at once, and it and everything it
 * wrote answer 404 to everyone but admins (access/account-policy.ts decides that from
 * `accounts.suspended_at`). Nothing is deleted. Its comments leave the counters others read
 * (a post's comment count and its folds' counts) in the same transaction, and come back when
 * the account is unsuspended; tokens revoked by a suspension stay revoked.
 *
 * Both answer false when there was nothing to do (no such account, or already in that state),
 * so calling twice never counts twice.
 */
export async function suspendAccount(db: Db, clock: Clock, accountId: string, sessions?: SessionEvents): Promise<boolean> {
  const now = clock.now().toISOString();
  const suspended = await db.transaction().execute(async (trx) => {
    // Already hidden by its owner's deletion request, the account is still suspended: its
    // log-in goes off, so the owner cannot log in to cancel the deletion and show it again.
    const hidden = await hideAccount(trx, accountId, now);
    const disabled = await trx.updateTable('users').set({ disabled: 1 }).where('account_id', '=', accountId).where('disabled', '=', 0).executeTakeFirst();
    if (!hidden && Number(disabled.numUpdatedRows) === 0) return false;
    await trx.updateTable('access_tokens').set({ revoked_at: now }).where('account_id', '=', accountId).where('revoked_at', 'is', null).execute();
    return true;
  });
  // Once committed: the account's open streams close, in every process.
  if (suspended) sessions?.allRevoked(accountId);
  return suspended;
}

/**
 * An account whose owner asked for its deletion stays hidden: in the grace period only its
 * log-in comes back (the owner's log-in then cancels the deletion and shows it); once its
 * removal has started, nothing changes.
 */
export async function unsuspendAccount(db: Db, accountId: string): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const deletion = await trx.selectFrom('account_deletions').select('started_at').where('account_id', '=', accountId).executeTakeFirst();
    if (deletion?.started_at) return false;
    if (deletion) {
      const enabled = await trx.updateTable('users').set({ disabled: 0 }).where('account_id', '=', accountId).where('disabled', '=', 1).executeTakeFirst();
      return Number(enabled.numUpdatedRows) > 0;
    }
    if (!(await showAccount(trx, accountId))) return false;
    await trx.updateTable('users').set({ disabled: 0 }).where('account_id', '=', accountId).execute();
    return true;
  });
}

/**
 * The hiding half of a suspension, in the caller's transaction: `accounts.suspended_at` is set,
 * so access/account-policy.ts hides the account and what it wrote, and its comments leave the
 * counters. Account deletion's grace period hides an account the same way
 * (domain/accounts/account-deletion.ts). False when it was hidden already.
 */
export async function hideAccount(trx: Db, accountId: string, now: string): Promise<boolean> {
  const changed = await trx.updateTable('accounts').set({ suspended_at: now }).where('id', '=', accountId).where('suspended_at', 'is', null).executeTakeFirst();
  if (Number(changed.numUpdatedRows) === 0) return false;
  await countCommentsOf(trx, accountId, -1);
  return true;
}

/** hideAccount undone: shown again, its comments counted again. False when it was not hidden. */
export async function showAccount(trx: Db, accountId: string): Promise<boolean> {
  const changed = await trx.updateTable('accounts').set({ suspended_at: null }).where('id', '=', accountId).where('suspended_at', 'is not', null).executeTakeFirst();
  if (Number(changed.numUpdatedRows) === 0) return false;
  await countCommentsOf(trx, accountId, 1);
  return true;
}

/**
 * Adds (sign 1) or takes out (sign -1) the account's comments from the sharded counters, as
 * they were counted when written: every comment in `total`, hidden ones in `hidden`, visible
 * ones in their fold. Set-based: one statement per counter table, whatever the number of posts.
 * The adjustment lands on shard 0; readers sum the shards.
 */
async function countCommentsOf(trx: Db, accountId: string, sign: 1 | -1): Promise<void> {
  await sql`
    INSERT INTO comment_counts (post_id, shard, total, hidden)
    SELECT post_id, 0, ${sign} * count(*), ${sign} * sum(CASE WHEN hidden_reason IS NULL THEN 0 ELSE 1 END)
    FROM statuses WHERE account_id = ${accountId} AND post_id IS NOT NULL
    GROUP BY post_id
    ON CONFLICT (post_id, shard) DO UPDATE SET total = comment_counts.total + excluded.total, hidden = comment_counts.hidden + excluded.hidden
  `.execute(trx);
  await sql`
    INSERT INTO comment_fold_counts (post_id, fold_key, shard, count)
    SELECT post_id, fold_key, 0, ${sign} * count(*)
    FROM statuses WHERE account_id = ${accountId} AND post_id IS NOT NULL AND hidden_reason IS NULL AND fold_key <> ''
    GROUP BY post_id, fold_key
    ON CONFLICT (post_id, fold_key, shard) DO UPDATE SET count = comment_fold_counts.count + excluded.count
  `.execute(trx);
}
