import type { ApiClient, Page } from './api-client.ts';
import type { Account, CommentPolicy, Status } from './mastodon-types.ts';

const id = (value: string) => encodeURIComponent(value);

export const HOME_TIMELINE_PATH = '/api/v1/timelines/home?limit=20';

/** The profile grid: only posts with photos, newest first; pages with the Link header. */
export function accountMediaPath(accountId: string): string {
  return `/api/v1/accounts/${id(accountId)}/statuses?only_media=true&exclude_replies=true&limit=30`;
}

export function fetchStatusPage(api: ApiClient, path: string, signal?: AbortSignal): Promise<Page<Status>> {
  return api.getPage<Status>(path, undefined, signal);
}

export function fetchStatus(api: ApiClient, statusId: string, signal?: AbortSignal): Promise<Status> {
  return api.get(`/api/v1/statuses/${id(statusId)}`, undefined, signal);
}

export function deleteStatus(api: ApiClient, statusId: string): Promise<unknown> {
  return api.delete(`/api/v1/statuses/${id(statusId)}`);
}

export function favouriteStatus(api: ApiClient, statusId: string, favourite: boolean): Promise<Status> {
  return api.post(`/api/v1/statuses/${id(statusId)}/${favourite ? 'favourite' : 'unfavourite'}`);
}

export function fetchFavouritedBy(api: ApiClient, statusId: string, signal?: AbortSignal): Promise<Page<Account>> {
  return api.getPage<Account>(`/api/v1/statuses/${id(statusId)}/favourited_by`, { limit: 40 }, signal);
}

export interface NewPhotoTag {
  media_id: string;
  account_id: string;
  x: number;
  y: number;
}

export interface NewPost {
  status: string;
  media_ids: string[];
  hide_like_count?: boolean;
  comment_policy?: CommentPolicy;
  media_tags?: NewPhotoTag[];
}

/**
 * Publishes a post. The Idempotency-Key makes a retry of the same attempt (after a timeout,
 * say) return the post already made instead of a second copy.
 */
export async function createStatus(api: ApiClient, post: NewPost, idempotencyKey: string): Promise<Status> {
  return (await api.request<Status>('POST', '/api/v1/statuses', { body: post, headers: { 'Idempotency-Key': idempotencyKey } })).data;
}

/** What the author typed (the caption as plain text), for editing. */
export function fetchStatusSource(api: ApiClient, statusId: string, signal?: AbortSignal): Promise<{ id: string; text: string }> {
  return api.get(`/api/v1/statuses/${encodeURIComponent(statusId)}/source`, undefined, signal);
}

export interface PostEdit {
  status: string;
  media_attributes: Array<{ id: string; description: string }>;
}

/** Edits the caption and alt texts; the photos and their order stay. */
export async function editStatus(api: ApiClient, statusId: string, edit: PostEdit): Promise<Status> {
  return (await api.request<Status>('PUT', `/api/v1/statuses/${encodeURIComponent(statusId)}`, { body: edit })).data;
}

/** `/@username/123`, where the server serves a post's own page. */
export function postPath(status: Pick<Status, 'id' | 'account'>): string {
  return `/@${status.account.acct || status.account.username}/${status.id}`;
}
