import type { ApiClient } from '../api/api-client.ts';
import type { CommentPolicy, Status } from '../api/mastodon-types.ts';

/** Glimpse's own API (API.md, "Comments and moderation"). */
export const GLIMPSE_API = '/api/glimpse/v1';

const id = (value: string) => encodeURIComponent(value);

/** A comment is a status replying to a post (or to another comment); its thread fields are in `glimpse`. */
export type CommentStatus = Status;

export type CommentSort = 'top' | 'newest';

export interface CommentEntry {
  type: 'comment';
  status: CommentStatus;
  replies_count: number;
  pinned: boolean;
}

/**
 * A storm: one phrase from many distinct accounts, folded out of the conversation. `id` opens
 * the paged list of all its comments; a `hostile` one is never shown as a headline.
 */
export interface CommentCluster {
  id: string;
  text: string;
  count: number;
  accounts: number;
  tone: 'supportive' | 'critical' | 'question' | 'neutral';
  hostile: boolean;
}

/** The one "N similar comments" section: every cluster of the post, largest first. */
export interface SimilarComments {
  count: number;
  clusters: CommentCluster[];
}

/** Comments come one by one; storms come apart, in `similar` (the first page's only). */
export type CommentItem = CommentEntry;

export interface CursorPage<T> {
  items: T[];
  next_cursor: string | null;
}

export type CommentsPage = CursorPage<CommentItem> & { similar?: SimilarComments | null };

export function fetchComments(api: ApiClient, postId: string, options: { sort: CommentSort; limit?: number; cursor?: string | null }, signal?: AbortSignal): Promise<CommentsPage> {
  return api.get(`${GLIMPSE_API}/statuses/${id(postId)}/comments`, { sort: options.sort, limit: options.limit, cursor: options.cursor ?? undefined }, signal);
}

export const CLUSTER_PAGE_SIZE = 40;

/** One page of a cluster's comments, newest first; `nextPath` (the Link header) pages on. */
export function fetchClusterComments(api: ApiClient, postId: string, clusterId: string, nextPath: string | null, signal?: AbortSignal) {
  return nextPath
    ? api.getPage<CommentStatus>(nextPath, undefined, signal)
    : api.getPage<CommentStatus>(`${GLIMPSE_API}/statuses/${id(postId)}/clusters/${id(clusterId)}/comments`, { limit: CLUSTER_PAGE_SIZE }, signal);
}

export type ClusterAction = 'hide' | 'restrict' | 'report';

export interface ClusterActionResult {
  comments: number;
  accounts: number;
}

/**
 * The post author's action on a whole cluster. The server takes a bounded number of comments a
 * call and says where to go on; this goes on until it is done (or a hundred calls, a safety stop).
 */
export async function actOnCluster(api: ApiClient, postId: string, clusterId: string, action: ClusterAction, body: { comment?: string; category?: ReportCategory } = {}): Promise<ClusterActionResult> {
  const total = { comments: 0, accounts: 0 };
  let maxId: string | null = null;
  for (let call = 0; call < 100; call++) {
    const done: ClusterActionResult & { next_max_id: string | null } = await api.post(`${GLIMPSE_API}/statuses/${id(postId)}/clusters/${id(clusterId)}/${action}`, { ...body, ...(maxId ? { max_id: maxId } : {}) });
    total.comments += done.comments;
    total.accounts += done.accounts;
    maxId = done.next_max_id;
    if (!maxId) break;
  }
  return total;
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
