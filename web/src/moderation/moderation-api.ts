import type { ApiClient } from '../api/api-client.ts';
import type { Account, Status } from '../api/mastodon-types.ts';
import { GLIMPSE_API, type CommentStatus } from '../comments/comments-api.ts';

const id = (value: string) => encodeURIComponent(value);

/** The server's bounds (HIDDEN_WORDS_LIMITS): at most 1,000 words of at most 100 characters. */
export const HIDDEN_WORDS_MAX = 1000;
export const HIDDEN_WORD_MAX_LENGTH = 100;

export interface HiddenWords {
  use_default_list: boolean;
  words: string[];
}

export function fetchHiddenWords(api: ApiClient, signal?: AbortSignal): Promise<HiddenWords> {
  return api.get(`${GLIMPSE_API}/hidden_words`, undefined, signal);
}

export async function saveHiddenWords(api: ApiClient, hiddenWords: HiddenWords): Promise<HiddenWords> {
  return (await api.request<HiddenWords>('PUT', `${GLIMPSE_API}/hidden_words`, { body: hiddenWords })).data;
}

/** A page of the post author's review, newest first; `maxId` pages on. */
export function fetchHiddenComments(api: ApiClient, postId: string, options: { limit?: number; maxId?: string } = {}, signal?: AbortSignal): Promise<CommentStatus[]> {
  return api.get(`${GLIMPSE_API}/statuses/${id(postId)}/hidden_comments`, { limit: options.limit, max_id: options.maxId }, signal);
}

export function unhideComment(api: ApiClient, commentId: string): Promise<CommentStatus> {
  return api.post(`${GLIMPSE_API}/comments/${id(commentId)}/unhide`);
}

export type Tone = 'supportive' | 'critical' | 'question' | 'neutral';
export const TONES: Tone[] = ['supportive', 'critical', 'question', 'neutral'];
export type ToneCounts = Record<Tone, number>;

export interface ToneBucket extends ToneCounts {
  /** The start of the hour, ISO 8601. */
  at: string;
}

export interface ReactionsDigest {
  comments_total: number;
  hidden_total: number;
  tone: ToneCounts;
  clusters: Array<{ text: string; count: number }>;
  representative: { supportive: CommentStatus[]; critical: CommentStatus[]; question: CommentStatus[] };
  over_time: ToneBucket[];
}

export function fetchReactionsDigest(api: ApiClient, postId: string, signal?: AbortSignal): Promise<ReactionsDigest> {
  return api.get(`${GLIMPSE_API}/statuses/${id(postId)}/reactions_digest`, undefined, signal);
}

export type ReportAction = 'dismiss' | 'hide' | 'suspend';

/** An instance admin's view of a report (GET /admin/reports). */
export interface AdminReport {
  id: string;
  category: string;
  comment: string;
  created_at: string;
  action_taken: boolean;
  action_taken_at: string | null;
  /** The reporter. */
  account: Account;
  target_account: Account;
  statuses: Status[];
}

export function fetchAdminReports(api: ApiClient, resolved: boolean, signal?: AbortSignal): Promise<AdminReport[]> {
  return api.get(`${GLIMPSE_API}/admin/reports`, { resolved }, signal);
}

export function resolveAdminReport(api: ApiClient, reportId: string, action: ReportAction): Promise<AdminReport> {
  return api.post(`${GLIMPSE_API}/admin/reports/${id(reportId)}/resolve`, { action });
}
