import { type ExpressionBuilder, type Kysely } from 'kysely';
import type { Clock } from '../../clock.ts';
import type { Database } from '../../db/schema.ts';
import type { DurableJobQueue } from '../../infra/queue/durable-job-queue.ts';
import { PeriodicTask } from '../../infra/periodic-task.ts';
import type { MediaStorage } from '../../infra/storage/media-storage.ts';
import { lockMediaRows } from '../../db/dialect/lock-rows.ts';

/** An upload nothing points at is removed this long after it was made (or after `remove_after`). */
export const UNATTACHED_MEDIA_MS = 24 * 60 * 60 * 1000;
/** A deleted post's photos stay this long, unattached, so a client can redraft with them (Mastodon does). */
export const REDRAFT_KEEP_MS = UNATTACHED_MEDIA_MS;
/** Rows removed per transaction by one sweep step. */
const SWEEP_BATCH = 200;

type Db = Kysely<Database>;

/**
 * Whether nothing points at a media row (`m`): no post or message (`status_id`), no scheduled
 * status reserving it, no story (live, expired or in a highlight: archived stories keep their
 * photo), no account's avatar or header. The one definition of "unattached" the sweep and
 * `admin media` use.
 */
export function unattachedMediaSql(eb: ExpressionBuilder<Database & { m: Database['media'] }, 'm'>) {
  return eb.and([
    eb('m.status_id', 'is', null),
    eb('m.scheduled_status_id', 'is', null),
    eb.not(eb.exists(eb.selectFrom('stories as st').select('st.id').whereRef('st.media_id', '=', 'm.id'))),
    eb.not(eb.exists(eb.selectFrom('accounts as a').select('a.id').whereRef('a.avatar_media_id', '=', 'm.id'))),
    eb.not(eb.exists(eb.selectFrom('accounts as h').select('h.id').whereRef('h.header_media_id', '=', 'm.id'))),
  ]);
}

/**
 * Removing media nobody points at any more (docs/architecture.md, "Media lifecycle").
 *
 * Every way media stops being used only leaves the row unattached, with when it may go
 * (`remove_after`; null: 24 hours after the upload): an upload never attached, a deleted post's
 * photos (kept 24 hours for a redraft), a deleted story's photo (at once). The sweep deletes the
 * rows that are due and records a durable job with their storage keys in the same transaction,
 * and the job removes the files (local disk or S3). So a crash loses nothing: rows not swept are
 * swept by the next run, and files of swept rows are removed by the job when it runs again.
 *
 * Several processes may sweep at once: the DELETE re-checks every condition on each row, so a
 * row is deleted, and its files queued, by one of them; one attached meanwhile (a post made with
 * it) no longer matches and stays. Removing files twice is harmless.
 */
export class MediaLifecycle {
  constructor(
    private readonly db: Db,
    private readonly storage: MediaStorage,
    private readonly jobs: DurableJobQueue,
    private readonly clock: Clock,
  ) {
    jobs.define<{ keys: string[] }>('media.remove-files', {
      handler: async ({ keys }) => {
        for (const key of keys) await this.storage.remove(key);
      },
    });
  }

  /**
   * Deletes up to `limit` due unattached rows (in batches, each with its files' job) and answers
   * how many. `ids` limits it to those rows (a story just deleted).
   */
  async sweep(options: { limit?: number; ids?: readonly string[] } = {}): Promise<number> {
    const limit = options.limit ?? 5_000;
    let removed = 0;
    while (removed < limit) {
      const batch = await this.sweepBatch(Math.min(SWEEP_BATCH, limit - removed), options.ids);
      removed += batch;
      if (batch === 0 || options.ids) break;
    }
    return removed;
  }

  private async sweepBatch(limit: number, ids: readonly string[] | undefined): Promise<number> {
    const now = this.clock.now();
    const nowIso = now.toISOString();
    const cutoff = new Date(now.getTime() - UNATTACHED_MEDIA_MS).toISOString();
    const due = (eb: ExpressionBuilder<Database & { m: Database['media'] }, 'm'>) =>
      eb.and([
        eb.or([eb.and([eb('m.remove_after', 'is', null), eb('m.created_at', '<=', cutoff)]), eb('m.remove_after', '<=', nowIso)]),
        // An upload being processed right now is left to its lease holder.
        eb.or([eb('m.lease_until', 'is', null), eb('m.lease_until', '<', nowIso)]),
        unattachedMediaSql(eb),
      ]);
    let candidates = this.db.selectFrom('media as m').select('m.id').where(due);
    if (ids) {
      if (ids.length === 0) return 0;
      candidates = candidates.where('m.id', 'in', ids);
    }
    const picked = (await candidates.orderBy('m.id').limit(limit).execute()).map((r) => r.id);
    if (picked.length === 0) return 0;
    return this.db.transaction().execute(async (trx) => {
      // Locked first (db/dialect/lock-rows.ts), so a story being made with one commits before the DELETE's check.
      await lockMediaRows(trx, picked);
      // The conditions again, in the DELETE: a row attached since the pick is not deleted.
      const deleted = await trx
        .deleteFrom('media as m')
        .where('m.id', 'in', picked)
        .where(due)
        .returning('storage_key')
        .execute();
      if (deleted.length > 0) await this.jobs.enqueue('media.remove-files', { keys: deleted.map((r) => r.storage_key) }, { trx });
      return deleted.length;
    });
  }

  /**
   * A deleted story's photo: removable at once when no other story uses it (a reshare shows
   * the original's photo, and keeps it), then swept now. A crash in between leaves a row the
   * periodic sweep removes within 24 hours of its upload.
   */
  async storyDeleted(mediaId: string): Promise<void> {
    await this.db.updateTable('media').set({ remove_after: this.clock.now().toISOString() }).where('id', '=', mediaId).execute();
    await this.sweep({ ids: [mediaId] });
  }

  /**
   * In the transaction deleting an account (account deletion, a rejected sign-up): every
   * media row of the account is deleted with it and its files are queued for removal.
   */
  async accountDeleting(accountId: string, trx: Db): Promise<void> {
    const rows = await trx.deleteFrom('media').where('account_id', '=', accountId).returning('storage_key').execute();
    for (let i = 0; i < rows.length; i += 500) {
      await this.jobs.enqueue('media.remove-files', { keys: rows.slice(i, i + 500).map((r) => r.storage_key) }, { trx });
    }
  }
}

/**
 * Runs the sweep at start and every `intervalMs` (GLIMPSE_MEDIA_SWEEP_INTERVAL_MS) as a
 * PeriodicTask; the rows are what is durable, and the DELETE's re-check keeps several
 * processes apart.
 */
export class MediaSweeper extends PeriodicTask {
  constructor(lifecycle: Pick<MediaLifecycle, 'sweep'>, /** 0 runs only at start. */ intervalMs: number) {
    super('media sweep', () => lifecycle.sweep(), intervalMs);
  }
}
