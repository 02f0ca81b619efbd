import type { Insertable } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { ScheduledStatusesTable } from '../../db/schema.ts';
import type { ScheduledStatusRow } from './scheduled-status.ts';

export interface ScheduledPage {
  maxId?: string;
  sinceId?: string;
  minId?: string;
  limit: number;
}

const changed = (r: { numUpdatedRows?: bigint; numDeletedRows?: bigint }) => Number(r.numUpdatedRows ?? r.numDeletedRows ?? 0n);

/** Scheduled statuses and the media reserved for them. Only rows in state 'scheduled' are an account's to see or change. */
export class ScheduledStatusRepository {
  constructor(private readonly db: Db) {}

  async findScheduled(accountId: string, id: string, db: Db = this.db): Promise<ScheduledStatusRow | undefined> {
    return db.selectFrom('scheduled_statuses').selectAll().where('id', '=', id).where('account_id', '=', accountId).where('state', '=', 'scheduled').executeTakeFirst();
  }

  async findByIdempotency(accountId: string, key: string, db: Db = this.db): Promise<ScheduledStatusRow | undefined> {
    return db.selectFrom('scheduled_statuses').selectAll().where('account_id', '=', accountId).where('idempotency', '=', key).executeTakeFirst();
  }

  /** An account's scheduled statuses, newest first (Mastodon pages them by id). */
  async page(accountId: string, paging: ScheduledPage): Promise<ScheduledStatusRow[]> {
    let q = this.db.selectFrom('scheduled_statuses').selectAll().where('account_id', '=', accountId).where('state', '=', 'scheduled');
    if (paging.maxId) q = q.where('id', '<', paging.maxId);
    if (paging.sinceId) q = q.where('id', '>', paging.sinceId);
    if (paging.minId) return (await q.where('id', '>', paging.minId).orderBy('id', 'asc').limit(paging.limit).execute()).reverse();
    return q.orderBy('id', 'desc').limit(paging.limit).execute();
  }

  /** Scheduled rows of an account, optionally only those due within [from, to). */
  async countScheduled(db: Db, accountId: string, window?: { from: string; to: string }): Promise<number> {
    let q = db
      .selectFrom('scheduled_statuses')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('account_id', '=', accountId)
      .where('state', '=', 'scheduled');
    if (window) {
      q = q.where('scheduled_at', '>=', window.from).where('scheduled_at', '<', window.to);
    }
    return Number((await q.executeTakeFirst())?.n ?? 0);
  }

  /**
   * Takes the account's row lock for the rest of the transaction, so two schedulings of one
   * account count their limits one after the other (PostgreSQL; SQLite has one writer anyway).
   * Publishing a post takes the same lock last (its statuses_count), and so must callers.
   */
  async lockAccount(db: Db, accountId: string): Promise<void> {
    await db.updateTable('accounts').set((eb) => ({ updated_at: eb.ref('updated_at') })).where('id', '=', accountId).execute();
  }

  /** False when the account already used this idempotency key. */
  async insert(db: Db, row: Insertable<ScheduledStatusesTable>): Promise<boolean> {
    const r = await db
      .insertInto('scheduled_statuses')
      .values(row)
      .onConflict((oc) => oc.columns(['account_id', 'idempotency']).doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  /** Reserves the account's free uploads for a scheduled status; answers how many were reserved. */
  async reserveMedia(db: Db, scheduledId: string, accountId: string, mediaIds: string[]): Promise<number> {
    if (mediaIds.length === 0) return 0;
    const r = await db
      .updateTable('media')
      .set({ scheduled_status_id: scheduledId })
      .where('id', 'in', mediaIds)
      .where('account_id', '=', accountId)
      .where('purpose', '=', 'attachment')
      .where('status_id', 'is', null)
      .where('scheduled_status_id', 'is', null)
      .executeTakeFirst();
    return changed(r);
  }

  async releaseMedia(db: Db, scheduledId: string): Promise<void> {
    await db.updateTable('media').set({ scheduled_status_id: null }).where('scheduled_status_id', '=', scheduledId).execute();
  }

  async reschedule(db: Db, accountId: string, id: string, scheduledAt: string): Promise<boolean> {
    const r = await db
      .updateTable('scheduled_statuses')
      .set({ scheduled_at: scheduledAt })
      .where('id', '=', id)
      .where('account_id', '=', accountId)
      .where('state', '=', 'scheduled')
      .executeTakeFirst();
    return changed(r) === 1;
  }

  async delete(db: Db, accountId: string, id: string): Promise<boolean> {
    const r = await db.deleteFrom('scheduled_statuses').where('id', '=', id).where('account_id', '=', accountId).where('state', '=', 'scheduled').executeTakeFirst();
    return changed(r) === 1;
  }

  /** Rows due at `now`, oldest first, after the cursor (the last row of the previous batch). */
  async due(now: string, after: Pick<ScheduledStatusRow, 'scheduled_at' | 'id'> | undefined, limit: number): Promise<ScheduledStatusRow[]> {
    let q = this.db.selectFrom('scheduled_statuses').selectAll().where('state', '=', 'scheduled').where('scheduled_at', '<=', now);
    if (after) {
      q = q.where((eb) => eb.or([eb('scheduled_at', '>', after.scheduled_at), eb.and([eb('scheduled_at', '=', after.scheduled_at), eb('id', '>', after.id)])]));
    }
    return q.orderBy('scheduled_at').orderBy('id').limit(limit).execute();
  }

  /**
   * The claim: marks a due row published as `statusId`, inside the transaction that writes that
   * status. Only one transaction can move a row out of 'scheduled'; false for every other (it
   * was published, cancelled or moved later meanwhile).
   */
  async claim(db: Db, id: string, statusId: string, now: string): Promise<boolean> {
    const r = await db
      .updateTable('scheduled_statuses')
      .set({ state: 'published', status_id: statusId, finished_at: now, error: null })
      .where('id', '=', id)
      .where('state', '=', 'scheduled')
      .where('scheduled_at', '<=', now)
      .executeTakeFirst();
    return changed(r) === 1;
  }

  /** Marks a row that can never be published failed and frees its media; false if it was no longer scheduled. */
  async markFailed(id: string, error: string, now: string): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const r = await trx
        .updateTable('scheduled_statuses')
        .set({ state: 'failed', error: error.slice(0, 1000), finished_at: now })
        .where('id', '=', id)
        .where('state', '=', 'scheduled')
        .executeTakeFirst();
      if (changed(r) !== 1) return false;
      await this.releaseMedia(trx, id);
      return true;
    });
  }

  /** Counts one failed attempt (an unexpected error); answers the attempts so far. */
  async recordAttempt(id: string, error: string): Promise<number> {
    await this.db
      .updateTable('scheduled_statuses')
      .set((eb) => ({ attempts: eb('attempts', '+', 1), error: error.slice(0, 1000) }))
      .where('id', '=', id)
      .where('state', '=', 'scheduled')
      .execute();
    return (await this.db.selectFrom('scheduled_statuses').select('attempts').where('id', '=', id).executeTakeFirst())?.attempts ?? 0;
  }

  /** The roles of some accounts' users, in one query (the publisher acts as each author). */
  async rolesOf(accountIds: string[]): Promise<Map<string, 'user' | 'moderator' | 'admin'>> {
    if (accountIds.length === 0) return new Map();
    const rows = await this.db.selectFrom('users').select(['account_id', 'role']).where('account_id', 'in', [...new Set(accountIds)]).execute();
    return new Map(rows.map((r) => [r.account_id, r.role]));
  }
}
