import type { ApiClient, Page } from '../api/api-client.ts';
import type { Conversation, Status } from '../api/mastodon-types.ts';
import { fetchUnreadCount } from '../api/notifications-api.ts';

/** Mastodon's conversation list, newest message first (paged by Link headers). */
export const CONVERSATIONS_PATH = '/api/v1/conversations';

export const conversationPath = (id: string) => `/api/glimpse/v1/conversations/${encodeURIComponent(id)}`;

/** A conversation's messages the viewer reads, newest first (Glimpse's extension: Mastodon has no way to read one thread). */
export const messagesPath = (id: string) => `${conversationPath(id)}/messages`;

export function fetchConversationPage(api: ApiClient, path: string = CONVERSATIONS_PATH, signal?: AbortSignal): Promise<Page<Conversation>> {
  return api.getPage<Conversation>(path, undefined, signal);
}

export function fetchConversation(api: ApiClient, id: string, signal?: AbortSignal): Promise<Conversation> {
  return api.get<Conversation>(conversationPath(id), undefined, signal);
}

export function fetchMessagePage(api: ApiClient, path: string, signal?: AbortSignal): Promise<Page<Status>> {
  return api.getPage<Status>(path, undefined, signal);
}

/** How many conversations are unread, for the badge on Messages (Glimpse's extension). */
export function fetchUnreadConversationCount(api: ApiClient): Promise<number> {
  return fetchUnreadCount(api, '/api/glimpse/v1/conversations/unread_count');
}

export function markConversationRead(api: ApiClient, id: string): Promise<Conversation> {
  return api.post<Conversation>(`/api/v1/conversations/${encodeURIComponent(id)}/read`);
}

/**
 * The text a message is sent with: a Mastodon direct message goes to the accounts it
 * @mentions, so each recipient not named yet is named first.
 */
export function addressedText(text: string, to: readonly string[]): string {
  const named = new Set([...text.matchAll(/(?:^|\s)@([\w.-]+)/g)].map((m) => m[1].toLowerCase()));
  const missing = to.filter((username) => !named.has(username.toLowerCase()));
  return missing.length ? `${missing.map((u) => `@${u}`).join(' ')} ${text}` : text;
}

/** Sends a direct message to `to` (usernames), continuing the thread of `inReplyToId` when given. */
export function sendMessage(api: ApiClient, input: { text: string; to: readonly string[]; inReplyToId?: string }): Promise<Status> {
  return api.post<Status>('/api/v1/statuses', {
    status: addressedText(input.text.trim(), input.to),
    visibility: 'direct',
    ...(input.inReplyToId ? { in_reply_to_id: input.inReplyToId } : {}),
  });
}
