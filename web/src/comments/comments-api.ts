import type { ApiClient } from '../api/api-client.ts';
import type { CommentPolicy, Status } from '../api/mastodon-types.ts';

/** Glimpse's own API (API.md, "Comments and moderation"). */
export const GLIMPSE_API = '/api/glimpse/v1';

const id = (value: string) => encodeURIComponent(value);

/** A comment is a status replying to a post (or to another comment), with Glimpse's thread fields. */
export type CommentStatus = Status & {
  glimpse: Status['glimpse'] & {
    post_id?: string | null;
    thread_id?: string | null;
    pinned?: boolean;
    /** Present only in the post author's review ('hidden_words' | 'restricted' | 'moderator'). */
    hidden_reason?: string;
  };
};

export type CommentSort = 'top' | 'newest';

export interface CommentEntry {
  type: 'comment';
  status: CommentStatus;
  replies_count: number;
  pinned: boolean;
}

/** Near-identical comments folded into one counted line. */
export interface CommentCluster {
  type: 'cluster';
  text: string;
  count: number;
  sample: CommentStatus[];
}

export type CommentItem = CommentEntry | CommentCluster;

export interface CursorPage<T> {
  items: T[];
  next_cursor: string | null;
}

export function fetchComments(api: ApiClient, postId: string, options: { sort: CommentSort; limit?: number; cursor?: string | null }, signal?: AbortSignal): Promise<CursorPage<CommentItem>> {
  return api.get(`${GLIMPSE_API}/statuses/${id(postId)}/comments`, { sort: options.sort, limit: options.limit, cursor: options.cursor ?? undefined }, signal);
}

export function fetchReplies(api: ApiClient, commentId: string, cursor?: string | null, signal?: AbortSignal): Promise<CursorPage<CommentStatus>> {
  return api.get(`${GLIMPSE_API}/comments/${id(commentId)}/replies`, { cursor: cursor ?? undefined }, signal);
}

/** A comment on a post, or a reply in a thread: `inReplyToId` is the post or the comment answered. */
export function postComment(api: ApiClient, inReplyToId: string, text: string, idempotencyKey: string): Promise<CommentStatus> {
  return api
    .request<CommentStatus>('POST', '/api/v1/statuses', { body: { status: text, in_reply_to_id: inReplyToId }, headers: { 'Idempotency-Key': idempotencyKey } })
    .then((response) => response.data);
}

export function deleteComment(api: ApiClient, commentId: string): Promise<unknown> {
  return api.delete(`/api/v1/statuses/${id(commentId)}`);
}

export function setCommentPinned(api: ApiClient, postId: string, commentId: string, pinned: boolean): Promise<CommentStatus> {
  return api.post(`${GLIMPSE_API}/statuses/${id(postId)}/comments/${id(commentId)}/${pinned ? 'pin' : 'unpin'}`);
}

export function setRestricted(api: ApiClient, accountId: string, restricted: boolean): Promise<{ id: string; restricting: boolean }> {
  return api.post(`${GLIMPSE_API}/accounts/${id(accountId)}/${restricted ? 'restrict' : 'unrestrict'}`);
}

export async function fetchRestricting(api: ApiClient, accountId: string, signal?: AbortSignal): Promise<boolean> {
  const list = await api.get<Array<{ id: string; restricting: boolean }>>(`${GLIMPSE_API}/restrictions`, { id: [accountId] }, signal);
  return list.find((r) => r.id === accountId)?.restricting ?? false;
}

export type ReportCategory = 'spam' | 'legal' | 'violation' | 'other';

export function reportComment(api: ApiClient, report: { account_id: string; status_ids: string[]; comment: string; category: ReportCategory }): Promise<{ id: string }> {
  return api.post('/api/v1/reports', report);
}

/** Changes who may comment on one post (the author's edit). */
export async function updateCommentPolicy(api: ApiClient, postId: string, policy: CommentPolicy): Promise<Status> {
  return (await api.request<Status>('PUT', `/api/v1/statuses/${id(postId)}`, { body: { comment_policy: policy } })).data;
}

export interface AccountCommentSettings {
  default_comment_policy: CommentPolicy;
}

export function fetchCommentSettings(api: ApiClient, signal?: AbortSignal): Promise<AccountCommentSettings> {
  return api.get(`${GLIMPSE_API}/settings`, undefined, signal);
}

export function saveCommentSettings(api: ApiClient, settings: AccountCommentSettings): Promise<AccountCommentSettings> {
  return api.patch(`${GLIMPSE_API}/settings`, settings);
}

/** 128 random bits as hex, so a retried Post cannot make a second copy. */
export function newCommentKey(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
