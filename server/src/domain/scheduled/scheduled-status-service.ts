import type { Clock } from '../../clock.ts';
import type { Db } from '../../db/database.ts';
import { isId, newId } from '../../db/ids.ts';
import { AppError, notFound, unprocessable } from '../../errors.ts';
import type { Viewer } from '../../access/viewer-context.ts';
import { isLocked, isSuspended } from '../../access/account-policy.ts';
import type { AccountRepository } from '../accounts/account-repository.ts';
import type { MediaRepository } from '../media/media-repository.ts';
import type { MediaRow } from '../media/media.ts';
import type { CreatePostInput, PostService } from '../posts/post-service.ts';
import type { CommentPolicy } from '../posts/post.ts';
import type { ScheduledPage, ScheduledStatusRepository } from './scheduled-status-repository.ts';
import { SCHEDULED_LIMITS, type ScheduledStatusRow, mediaIdsOf, photoTagsOf } from './scheduled-status.ts';

/** A scheduled status with its reserved media, in carousel order. */
export interface HydratedScheduledStatus {
  row: ScheduledStatusRow;
  media: MediaRow[];
}

/** What one run of the publisher did, by scheduled status id. */
export interface PublishReport {
  published: string[];
  failed: string[];
  /** Due but left for a later run (photos still processing, a rate limit, an unexpected error). */
  waiting: string[];
}

/** Thrown inside a post's transaction when its scheduled status was claimed, cancelled or moved meanwhile. */
class ClaimLostError extends Error {
  constructor() {
    super('scheduled status no longer due');
  }
}

/** ISO 8601 date and time; without an offset it is read as UTC. */
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}(:?\d{2})?)?$/i;

const dayOf = (at: Date) => {
  const from = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
  return { from: from.toISOString(), to: new Date(from.getTime() + 86_400_000).toISOString() };
};

export interface ScheduledStatusLog {
  /** A scheduled status that can never be published was marked failed. */
  failed(row: ScheduledStatusRow, reason: string): void;
  /** An unexpected error while publishing (it is tried again, a bounded number of times). */
  error(message: string, error: unknown): void;
}

/**
 * Scheduled statuses (Mastodon's `scheduled_at`): checked like an immediate post when
 * scheduled, their photos reserved for them, then published by `publishDue` through the
 * ordinary post (or comment) path, so fan-out, notifications, mentions and tags happen as for
 * any post. Each row is claimed inside the transaction that writes its post, so it is published
 * once however many publishers run; one that can never be published is marked failed.
 */
export class ScheduledStatusService {
  /** Where failures are reported; app.ts points it at the logger. */
  log: ScheduledStatusLog = {
    failed: (row, reason) => console.warn(`scheduled status ${row.id} failed: ${reason}`),
    error: (message, error) => console.error(message, error),
  };

  constructor(
    private readonly db: Db,
    private readonly scheduled: ScheduledStatusRepository,
    private readonly posts: PostService,
    private readonly accounts: AccountRepository,
    private readonly media: MediaRepository,
    private readonly clock: Clock,
  ) {}

  /** `POST /api/v1/statuses` with `scheduled_at`. */
  async schedule(viewer: Viewer, input: CreatePostInput, scheduledAtRaw: unknown, applicationId: string | null): Promise<HydratedScheduledStatus> {
    if (input.idempotencyKey) {
      const existing = await this.scheduled.findByIdempotency(viewer.accountId, input.idempotencyKey);
      if (existing) return this.hydrateOne(existing);
    }
    const scheduledAt = this.parseTime(scheduledAtRaw);
    await this.posts.checkNew(viewer, input);
    const author = await this.accounts.findById(viewer.accountId);
    if (!author) throw notFound();
    const now = this.clock.now();
    const id = newId(now.getTime());
    // A reply (comment) carries none: checkNew refused any.
    const mediaIds = input.mediaIds;
    const row: ScheduledStatusRow = {
      id,
      account_id: viewer.accountId,
      scheduled_at: scheduledAt.toISOString(),
      state: 'scheduled',
      text: input.text,
      media_ids: JSON.stringify(mediaIds),
      sensitive: input.sensitive ? 1 : 0,
      spoiler_text: input.spoilerText ?? '',
      visibility: input.visibility ?? (isLocked(author) ? 'private' : 'public'),
      in_reply_to_id: input.inReplyToId ?? null,
      language: input.language ?? null,
      comment_policy: input.commentPolicy ?? null,
      hide_like_count: input.hideLikeCount ? 1 : 0,
      photo_tags: JSON.stringify(input.photoTags ?? []),
      idempotency: input.idempotencyKey ?? null,
      application_id: applicationId,
      status_id: null,
      error: null,
      attempts: 0,
      created_at: now.toISOString(),
      finished_at: null,
    };
    // Rows are locked in the order the publisher locks them (scheduled status, media, account),
    // so the two never wait for each other in a cycle.
    const inserted = await this.db.transaction().execute(async (trx) => {
      if (!(await this.scheduled.insert(trx, row))) return false;
      // Checked again here, where it counts: an upload taken meanwhile is refused as before.
      if ((await this.scheduled.reserveMedia(trx, id, viewer.accountId, mediaIds)) !== mediaIds.length) {
        throw unprocessable('Validation failed: Media is invalid or not yours');
      }
      await this.scheduled.lockAccount(trx, viewer.accountId);
      await this.checkLimits(trx, viewer.accountId, scheduledAt);
      return true;
    });
    if (!inserted) {
      const existing = await this.scheduled.findByIdempotency(viewer.accountId, input.idempotencyKey!);
      if (existing) return this.hydrateOne(existing);
    }
    return this.get(viewer, id);
  }

  async get(viewer: Viewer, id: string): Promise<HydratedScheduledStatus> {
    if (!isId(id)) throw notFound();
    const row = await this.scheduled.findScheduled(viewer.accountId, id);
    if (!row) throw notFound();
    return this.hydrateOne(row);
  }

  async list(viewer: Viewer, paging: ScheduledPage): Promise<HydratedScheduledStatus[]> {
    return this.hydrate(await this.scheduled.page(viewer.accountId, paging));
  }

  /** `PUT /api/v1/scheduled_statuses/:id`: only the time changes, by the same rules. */
  async reschedule(viewer: Viewer, id: string, scheduledAtRaw: unknown): Promise<HydratedScheduledStatus> {
    if (!isId(id)) throw notFound();
    const scheduledAt = this.parseTime(scheduledAtRaw);
    await this.db.transaction().execute(async (trx) => {
      if (!(await this.scheduled.reschedule(trx, viewer.accountId, id, scheduledAt.toISOString()))) throw notFound();
      await this.scheduled.lockAccount(trx, viewer.accountId);
      if ((await this.scheduled.countScheduled(trx, viewer.accountId, dayOf(scheduledAt))) > SCHEDULED_LIMITS.daily) throw this.overDailyLimit();
    });
    return this.get(viewer, id);
  }

  /** `DELETE /api/v1/scheduled_statuses/:id`: the row goes and its photos are free again. */
  async cancel(viewer: Viewer, id: string): Promise<void> {
    if (!isId(id)) throw notFound();
    await this.db.transaction().execute(async (trx) => {
      if (!(await this.scheduled.delete(trx, viewer.accountId, id))) throw notFound();
      await this.scheduled.releaseMedia(trx, id);
    });
  }

  /**
   * Publishes every row due at `now`, oldest first. Safe to run in several processes at once:
   * a row is published by the one transaction that claims it.
   */
  async publishDue(now: Date = this.clock.now()): Promise<PublishReport> {
    const report: PublishReport = { published: [], failed: [], waiting: [] };
    const nowIso = now.toISOString();
    let cursor: ScheduledStatusRow | undefined;
    for (;;) {
      const rows = await this.scheduled.due(nowIso, cursor, SCHEDULED_LIMITS.batch);
      if (rows.length === 0) break;
      // One query each for the batch's authors, their roles and their photos.
      const [authors, roles, media] = await Promise.all([
        this.accounts.findByIds(rows.map((r) => r.account_id)),
        this.scheduled.rolesOf(rows.map((r) => r.account_id)),
        this.media.findByIds(rows.flatMap(mediaIdsOf)),
      ]);
      const mediaById = new Map(media.map((m) => [m.id, m]));
      for (const row of rows) {
        const outcome = await this.publishOne(row, nowIso, authors, roles, mediaById);
        if (outcome !== 'skipped') report[outcome].push(row.id);
      }
      if (rows.length < SCHEDULED_LIMITS.batch) break;
      cursor = rows[rows.length - 1];
    }
    return report;
  }

  private async publishOne(
    row: ScheduledStatusRow,
    nowIso: string,
    authors: Map<string, { id: string; suspended_at: string | null }>,
    roles: Map<string, Viewer['role']>,
    media: Map<string, MediaRow>,
  ): Promise<keyof PublishReport | 'skipped'> {
    const author = authors.get(row.account_id);
    if (!author) return this.fail(row, 'The account no longer exists', nowIso);
    if (isSuspended(author)) return this.fail(row, 'The account is suspended', nowIso);
    const mediaIds = mediaIdsOf(row);
    // Photos may still be processing when scheduled; they are waited for (the media queue
    // finishes or fails every upload, after a restart too).
    if (mediaIds.some((id) => media.get(id)?.state === 'processing')) return 'waiting';
    const viewer: Viewer = { accountId: author.id, role: roles.get(author.id) ?? 'user' };
    try {
      await this.posts.create(viewer, {
        text: row.text,
        mediaIds,
        inReplyToId: row.in_reply_to_id ?? undefined,
        visibility: row.visibility,
        sensitive: row.sensitive === 1,
        spoilerText: row.spoiler_text,
        language: row.language ?? undefined,
        commentPolicy: (row.comment_policy as CommentPolicy | null) ?? undefined,
        hideLikeCount: row.hide_like_count === 1,
        photoTags: photoTagsOf(row),
        scheduled: {
          id: row.id,
          claim: async (trx, statusId) => {
            if (!(await this.scheduled.claim(trx, row.id, statusId, nowIso))) throw new ClaimLostError();
            await this.scheduled.releaseMedia(trx, row.id);
          },
        },
      });
      return 'published';
    } catch (error) {
      if (error instanceof ClaimLostError) return 'skipped';
      // A flood limit passes; anything else the post path refuses will be refused again.
      if (error instanceof AppError && error.status === 429) return 'waiting';
      if (error instanceof AppError && error.status < 500) return this.fail(row, error.message, nowIso);
      const message = error instanceof Error ? error.message : String(error);
      this.log.error(`publishing scheduled status ${row.id} failed`, error);
      const attempts = await this.scheduled.recordAttempt(row.id, message);
      if (attempts >= SCHEDULED_LIMITS.attempts) return this.fail(row, `Failed ${attempts} times: ${message}`, nowIso);
      return 'waiting';
    }
  }

  private async fail(row: ScheduledStatusRow, reason: string, nowIso: string): Promise<'failed' | 'skipped'> {
    // Only a row still scheduled is marked: another publisher may have published it meanwhile
    // (then its photos are on the post, and this one's checks refused them).
    if (!(await this.scheduled.markFailed(row.id, reason, nowIso))) return 'skipped';
    this.log.failed(row, reason);
    return 'failed';
  }

  private parseTime(raw: unknown): Date {
    const value = typeof raw === 'string' && raw.length <= 64 && ISO_DATE_TIME.test(raw) ? new Date(/(Z|[+-]\d{2}(:?\d{2})?)$/i.test(raw) ? raw : `${raw}Z`) : undefined;
    if (!value || Number.isNaN(value.getTime())) throw unprocessable('Validation failed: Scheduled at is not a valid ISO 8601 date and time');
    if (value.getTime() < this.clock.now().getTime() + SCHEDULED_LIMITS.minimumOffsetMs) {
      throw unprocessable('Validation failed: Scheduled at The scheduled date must be at least 5 minutes in the future');
    }
    return value;
  }

  /** Counted with the new row in: past a limit, the transaction is rolled back. */
  private async checkLimits(trx: Db, accountId: string, scheduledAt: Date): Promise<void> {
    if ((await this.scheduled.countScheduled(trx, accountId)) > SCHEDULED_LIMITS.total) {
      throw unprocessable(`Validation failed: Scheduled at You have exceeded the limit of ${SCHEDULED_LIMITS.total} scheduled posts`);
    }
    if ((await this.scheduled.countScheduled(trx, accountId, dayOf(scheduledAt))) > SCHEDULED_LIMITS.daily) throw this.overDailyLimit();
  }

  private overDailyLimit(): AppError {
    return unprocessable(`Validation failed: Scheduled at You have exceeded the limit of ${SCHEDULED_LIMITS.daily} scheduled posts for that day`);
  }

  private async hydrateOne(row: ScheduledStatusRow): Promise<HydratedScheduledStatus> {
    return (await this.hydrate([row]))[0];
  }

  /** The page's photos in one query. */
  private async hydrate(rows: ScheduledStatusRow[]): Promise<HydratedScheduledStatus[]> {
    const media = new Map((await this.media.findByIds(rows.flatMap(mediaIdsOf))).map((m) => [m.id, m]));
    return rows.map((row) => ({
      row,
      media: mediaIdsOf(row)
        .map((id) => media.get(id))
        .filter((m): m is MediaRow => m !== undefined && m.scheduled_status_id === row.id),
    }));
  }
}
