import type { Clock } from '../../clock.ts';
import type { Db } from '../../db/database.ts';
import { newId } from '../../db/ids.ts';
import type { RelationImportsTable } from '../../db/schema.ts';
import { AppError, notFound, unprocessable } from '../../errors.ts';
import { ownRecordSql } from '../../access/own-records-policy.ts';
import type { Viewer } from '../../access/viewer-context.ts';
import type { DurableJobQueue } from '../../infra/queue/durable-job-queue.ts';
import type { FollowService } from '../follows/follow-service.ts';
import { MAX_IMPORT_ROWS, localUsername, parseImport, type ImportRow, type RelationKind } from './relations-csv.ts';

/** Rows acted on by one job (each through FollowService, as the API's follow/block/mute). */
const ROWS_PER_JOB = 100;
export const IMPORT_JOB = 'relations.import';

export type ImportMode = 'merge' | 'overwrite';

export interface SkippedRow {
  address: string;
  /** `remote`: another server's account (Glimpse does not federate); `unknown`: no such account here (or hidden); `invalid`: not an address; otherwise the refusal. */
  reason: string;
}

/** What GET /imports/:id answers. */
export interface ImportStatus {
  id: string;
  type: RelationKind;
  mode: ImportMode;
  state: RelationImportsTable['state'];
  total_items: number;
  processed_items: number;
  imported_items: number;
  skipped: SkippedRow[];
  created_at: string;
  finished_at: string | null;
}

/**
 * Importing follows, blocks or mutes from a CSV in Mastodon's format (relations-csv.ts).
 * The file is parsed and bounded when it arrives (MAX_IMPORT_BYTES, MAX_IMPORT_ROWS) and stored
 * with a durable job in one transaction; each job then acts on at most 100 rows through
 * FollowService (the same rules as the API: blocks, hidden accounts, locked accounts get a
 * request) and records the next job. `overwrite` first removes the relations of that kind whose
 * account is not in the file, 100 a job. Rows naming another server's account or no local one
 * are reported as skipped. Progress is moved with a compare-and-set on `processed_items`, so a
 * job run twice never counts a chunk twice.
 */
export class RelationImportService {
  constructor(
    private readonly db: Db,
    private readonly follows: Pick<FollowService, 'follow' | 'unfollow' | 'block' | 'unblock' | 'mute' | 'unmute'>,
    private readonly jobs: DurableJobQueue,
    private readonly clock: Clock,
    private readonly domain: string,
  ) {
    jobs.define<{ importId: string }>(IMPORT_JOB, {
      timeoutMs: 120_000,
      handler: async ({ importId }) => {
        if (await this.step(importId)) await this.jobs.enqueue(IMPORT_JOB, { importId }, { trx: this.db });
      },
    });
  }

  async start(viewer: Viewer, kind: RelationKind, mode: ImportMode, text: string): Promise<ImportStatus> {
    const rows = parseImport(kind, text);
    if (!rows) throw unprocessable(`Validation failed: the file holds more than ${MAX_IMPORT_ROWS} accounts`);
    if (rows.length === 0 && mode === 'merge') throw unprocessable('Validation failed: the file holds no account');
    const now = this.clock.now();
    const id = newId(now.getTime());
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('relation_imports')
        .values({ id, account_id: viewer.accountId, type: kind, mode, state: 'queued', rows: JSON.stringify(rows), total_items: rows.length, removal_cursor: null, created_at: now.toISOString(), finished_at: null })
        .execute();
      await this.jobs.enqueue(IMPORT_JOB, { importId: id }, { trx });
    });
    return this.get(viewer, id);
  }

  /** The owner's import; anyone else's answers 404, as a missing one. */
  async get(viewer: Viewer, id: string): Promise<ImportStatus> {
    const row = await this.db.selectFrom('relation_imports as i').selectAll().where('i.id', '=', id).where(ownRecordSql(viewer, 'i')).executeTakeFirst();
    if (!row) throw notFound();
    return {
      id: row.id,
      type: row.type,
      mode: row.mode,
      state: row.state,
      total_items: Number(row.total_items),
      processed_items: Number(row.processed_items),
      imported_items: Number(row.imported_items),
      skipped: JSON.parse(row.skipped) as SkippedRow[],
      created_at: row.created_at,
      finished_at: row.finished_at,
    };
  }

  /** One bounded step of the import; answers whether another is needed. */
  async step(importId: string): Promise<boolean> {
    const row = await this.db.selectFrom('relation_imports').selectAll().where('id', '=', importId).executeTakeFirst();
    if (!row || row.state === 'finished') return false;
    const viewer: Viewer = { accountId: row.account_id, role: 'user' };
    const kind = row.type;
    const rows = JSON.parse(row.rows) as ImportRow[];
    if (row.mode === 'overwrite' && (row.state === 'queued' || row.state === 'removing')) {
      const cursor = await this.removeUnlisted(viewer, kind, rows, row.removal_cursor ?? '');
      await this.db
        .updateTable('relation_imports')
        .set(cursor === undefined ? { state: 'adding' } : { state: 'removing', removal_cursor: cursor })
        .where('id', '=', importId)
        .execute();
      return true;
    }
    const done = Number(row.processed_items);
    const chunk = rows.slice(done, done + ROWS_PER_JOB);
    const skipped: SkippedRow[] = [];
    let imported = 0;
    const resolved = await this.resolve(chunk.map((r) => r.address));
    for (const item of chunk) {
      const target = resolved.get(item.address);
      if (typeof target !== 'string') {
        skipped.push({ address: item.address, reason: target?.skip ?? 'unknown' });
        continue;
      }
      try {
        if (kind === 'following') await this.follows.follow(viewer, target);
        else if (kind === 'blocking') await this.follows.block(viewer, target);
        else await this.follows.mute(viewer, target, { notifications: item.hideNotifications ?? true, durationSeconds: 0 });
        imported += 1;
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        skipped.push({ address: item.address, reason: error.status === 404 ? 'unknown' : error.message });
      }
    }
    const processed = done + chunk.length;
    const finished = processed >= rows.length;
    const previous = JSON.parse(row.skipped) as SkippedRow[];
    // Compare-and-set: a second run of the same step counts nothing twice.
    const updated = await this.db
      .updateTable('relation_imports')
      .set({
        processed_items: processed,
        imported_items: Number(row.imported_items) + imported,
        skipped: JSON.stringify([...previous, ...skipped]),
        state: finished ? 'finished' : 'adding',
        finished_at: finished ? this.clock.now().toISOString() : null,
      })
      .where('id', '=', importId)
      .where('processed_items', '=', done)
      .executeTakeFirst();
    return Number(updated.numUpdatedRows) > 0 && !finished;
  }

  /**
   * Overwrite: the owner's relations of this kind after `cursor` (relation ids) are looked at in
   * order, and up to 100 whose account the file does not name are let go through FollowService
   * (one it refuses, a hidden account, stays). Answers where the next step goes on, or
   * undefined when every relation was looked at.
   */
  private async removeUnlisted(viewer: Viewer, kind: RelationKind, rows: ImportRow[], cursor: string): Promise<string | undefined> {
    const keep = new Set<string>();
    for (let i = 0; i < rows.length; i += 500) {
      for (const target of (await this.resolve(rows.slice(i, i + 500).map((r) => r.address))).values()) if (typeof target === 'string') keep.add(target);
    }
    const table = kind === 'following' ? 'follows' : kind === 'blocking' ? 'blocks' : 'mutes';
    const extra: string[] = [];
    let after = cursor;
    let more = true;
    while (extra.length < ROWS_PER_JOB && more) {
      const page = await this.db
        .selectFrom(table as 'follows')
        .select(['id', 'target_account_id'])
        .where('account_id', '=', viewer.accountId)
        .where('id', '>', after)
        .orderBy('id')
        .limit(1000)
        .execute();
      more = page.length === 1000;
      for (const r of page) {
        after = r.id;
        if (keep.has(r.target_account_id)) continue;
        extra.push(r.target_account_id);
        if (extra.length === ROWS_PER_JOB) {
          more = true;
          break;
        }
      }
    }
    for (const target of extra) {
      try {
        if (kind === 'following') await this.follows.unfollow(viewer, target);
        else if (kind === 'blocking') await this.follows.unblock(viewer, target);
        else await this.follows.unmute(viewer, target);
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
      }
    }
    return more ? after : undefined;
  }

  /** Addresses to local account ids (one query), or why an address names none. */
  private async resolve(addresses: string[]): Promise<Map<string, string | { skip: string }>> {
    const out = new Map<string, string | { skip: string }>();
    const byName = new Map<string, string[]>();
    for (const address of addresses) {
      const local = localUsername(address, this.domain);
      if ('skip' in local) out.set(address, local);
      else byName.set(local.username.toLowerCase(), [...(byName.get(local.username.toLowerCase()) ?? []), address]);
    }
    if (byName.size > 0) {
      const found = await this.db.selectFrom('accounts').select(['id', 'username_lower']).where('username_lower', 'in', [...byName.keys()]).execute();
      for (const account of found) for (const address of byName.get(account.username_lower) ?? []) out.set(address, account.id);
    }
    return out;
  }
}
