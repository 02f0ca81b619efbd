import type { Selectable } from 'kysely';
import type { ScheduledStatusesTable } from '../../db/schema.ts';
import type { PhotoTag } from '../posts/post-service.ts';

export type ScheduledStatusRow = Selectable<ScheduledStatusesTable>;

/** Mastodon's limits (ScheduledStatus::MINIMUM_OFFSET, TOTAL_LIMIT, DAILY_LIMIT). */
export const SCHEDULED_LIMITS = {
  /** scheduled_at must be at least this far in the future, in milliseconds. */
  minimumOffsetMs: 5 * 60_000,
  /** Scheduled (not yet published) statuses per account. */
  total: 300,
  /** Scheduled statuses per account for one UTC day of scheduled_at. */
  daily: 25,
  /** A publication that fails for an unexpected reason is tried this many times, then marked failed. */
  attempts: 5,
  /** Due rows read per batch by the publisher. */
  batch: 100,
} as const;

export function mediaIdsOf(row: Pick<ScheduledStatusRow, 'media_ids'>): string[] {
  try {
    const ids = JSON.parse(row.media_ids);
    return Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string') : [];
  } catch {
    return [];
  }
}

export function photoTagsOf(row: Pick<ScheduledStatusRow, 'photo_tags'>): PhotoTag[] {
  try {
    const tags = JSON.parse(row.photo_tags);
    return Array.isArray(tags) ? tags : [];
  } catch {
    return [];
  }
}
