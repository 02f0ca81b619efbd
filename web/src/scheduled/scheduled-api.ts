import type { ApiClient, Page } from '../api/api-client.ts';
import type { ScheduledStatus } from '../api/mastodon-types.ts';
import type { NewPost } from '../api/statuses-api.ts';

const id = (value: string) => encodeURIComponent(value);

export const SCHEDULED_PATH = '/api/v1/scheduled_statuses?limit=20';

/** The client's page of scheduled posts (Settings → Scheduled posts). */
export const SCHEDULED_PAGE = '/settings/scheduled';

/** The server refuses times closer than this (Mastodon's rule). */
export const MIN_SCHEDULE_AHEAD_MS = 5 * 60_000;

/**
 * A post to be published at `scheduledAt` (ISO 8601, UTC): the same request as sharing now,
 * answered with a ScheduledStatus. The Idempotency-Key keeps a retried attempt to one.
 */
export async function schedulePost(api: ApiClient, post: NewPost, scheduledAt: string, idempotencyKey: string): Promise<ScheduledStatus> {
  return (await api.request<ScheduledStatus>('POST', '/api/v1/statuses', { body: { ...post, scheduled_at: scheduledAt }, headers: { 'Idempotency-Key': idempotencyKey } })).data;
}

export function fetchScheduledPage(api: ApiClient, path: string, signal?: AbortSignal): Promise<Page<ScheduledStatus>> {
  return api.getPage<ScheduledStatus>(path, undefined, signal);
}

export async function reschedule(api: ApiClient, scheduledId: string, scheduledAt: string): Promise<ScheduledStatus> {
  return (await api.request<ScheduledStatus>('PUT', `/api/v1/scheduled_statuses/${id(scheduledId)}`, { body: { scheduled_at: scheduledAt } })).data;
}

export function cancelScheduled(api: ApiClient, scheduledId: string): Promise<unknown> {
  return api.delete(`/api/v1/scheduled_statuses/${id(scheduledId)}`);
}

const pad = (n: number) => String(n).padStart(2, '0');

/** A time as a datetime-local input holds it: the user's own time zone, to the minute. */
export function toLocalInputValue(time: Date): string {
  return `${time.getFullYear()}-${pad(time.getMonth() + 1)}-${pad(time.getDate())}T${pad(time.getHours())}:${pad(time.getMinutes())}`;
}

/** A datetime-local value (local time) as ISO 8601 UTC, or null when it is not a time. */
export function localInputToIso(value: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?$/.test(value)) return null;
  // Without an offset, a date-time string is read in the local time zone.
  const time = new Date(value);
  return Number.isNaN(time.getTime()) ? null : time.toISOString();
}

/** The earliest minute the server accepts, for the input's `min`: five minutes from now, rounded up. */
export function earliestScheduleTime(now: number = Date.now()): Date {
  return new Date(Math.ceil((now + MIN_SCHEDULE_AHEAD_MS) / 60_000) * 60_000);
}

/** A default for a new schedule: an hour from now, on the next five minutes. */
export function defaultScheduleTime(now: number = Date.now()): Date {
  const step = 5 * 60_000;
  return new Date(Math.ceil((now + 60 * 60_000) / step) * step);
}

/** Why a chosen time cannot be sent, or null. */
export function scheduleProblem(value: string, now: number = Date.now()): string | null {
  const iso = localInputToIso(value);
  if (!iso) return 'Choose a date and time to post.';
  if (Date.parse(iso) - now < MIN_SCHEDULE_AHEAD_MS) return 'Choose a time at least 5 minutes from now.';
  return null;
}

/** The user's time zone by name, e.g. "Europe/Lisbon". */
export function localTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'your local time';
  } catch {
    return 'your local time';
  }
}

const whenFormat = new Intl.DateTimeFormat('en', { weekday: 'short', year: 'numeric', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit', timeZoneName: 'short' });

/** "Fri, Dec 4, 2026, 10:30 AM GMT+1": in the user's time zone, named. */
export function formatScheduledTime(iso: string): string {
  const time = Date.parse(iso);
  return Number.isNaN(time) ? iso : whenFormat.format(time);
}
