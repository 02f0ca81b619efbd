import type { ApiClient, Page } from './api-client.ts';
import type { Notification } from './mastodon-types.ts';

/**
 * The Glimpse API's list: every notification type under its own name (comments, story
 * replies, reactions and mentions, photo tags), which the Mastodon API shows only to clients
 * that ask for them by name.
 */
export const NOTIFICATIONS_PATH = '/api/glimpse/v1/notifications';

export function fetchNotificationPage(api: ApiClient, path: string = NOTIFICATIONS_PATH, signal?: AbortSignal): Promise<Page<Notification>> {
  return api.getPage<Notification>(path, undefined, signal);
}

/** An unread count (`{count}`): the notifications' by default, or another list's such as the inbox's. */
export async function fetchUnreadCount(api: ApiClient, path = `${NOTIFICATIONS_PATH}/unread_count`): Promise<number> {
  const { count } = await api.get<{ count: number }>(path);
  return typeof count === 'number' ? count : 0;
}

export function markNotificationsRead(api: ApiClient, lastReadId: string): Promise<unknown> {
  return api.post('/api/v1/markers', { notifications: { last_read_id: lastReadId } });
}

export function clearNotifications(api: ApiClient): Promise<unknown> {
  return api.post('/api/v1/notifications/clear');
}
