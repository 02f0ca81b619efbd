import { withQuery, type ApiClient } from '../api/api-client.ts';
import type { Account, GroupedNotificationsResults, Notification, NotificationGroup, NotificationType, Status } from '../api/mastodon-types.ts';
import type { Story } from '../stories/stories-api.ts';

/** A group ready to draw: its accounts and post looked up, comments under their own type. */
export interface GroupedNotification {
  key: string;
  type: NotificationType;
  count: number;
  /** The most recent senders, newest first (at most eight). */
  accounts: Account[];
  /** The post liked, or the newest comment or mention. */
  status: Status | null;
  mostRecentId: string;
  createdAt: string;
  /** Glimpse: the story and the reply or reaction of a story notification. */
  story?: Story | null;
  story_response?: Notification['story_response'];
}

export interface GroupedPage {
  items: GroupedNotification[];
  nextPath: string | null;
}

export type NotificationFilter = 'all' | 'mentions' | 'requests';

export const GROUPED_PATH = '/api/v2/notifications';

const STORY_TYPES = ['story_mention', 'story_reply', 'story_reaction'];

/**
 * Types as the v2 list reads them: a Mastodon client names Glimpse's own types to get them, and
 * `mention` there means mentions and comments on one's posts.
 */
const FILTER_TYPES: Record<NotificationFilter, string[]> = {
  all: ['follow', 'follow_request', 'mention', 'favourite', 'status', 'update', 'tag', ...STORY_TYPES, 'archive_ready'],
  mentions: ['mention', 'story_mention', 'story_reply'],
  requests: ['follow_request'],
};

export function firstPagePath(filter: NotificationFilter, limit = 40): string {
  return withQuery(GROUPED_PATH, { types: FILTER_TYPES[filter], limit });
}

/**
 * Comments come as `mention` on the Mastodon API; their groups are keyed `comment-<post>-…` by
 * the server, which tells them apart from real mentions.
 */
export function resolvedType(group: Pick<NotificationGroup, 'type' | 'group_key'>): NotificationType {
  return group.type === 'mention' && group.group_key.startsWith('comment-') ? 'comment' : group.type;
}

/** Joins a page's groups with its accounts and statuses; a group whose senders are all gone is dropped. */
export function resolveGroups(response: GroupedNotificationsResults): GroupedNotification[] {
  const accounts = new Map((response.accounts ?? []).map((a) => [a.id, a]));
  const statuses = new Map((response.statuses ?? []).map((s) => [s.id, s]));
  return (response.notification_groups ?? []).flatMap((group) => {
    const senders = group.sample_account_ids.flatMap((id) => (accounts.has(id) ? [accounts.get(id)!] : []));
    if (senders.length === 0) return [];
    return [
      {
        key: group.group_key,
        type: resolvedType(group),
        count: Math.max(1, group.notifications_count),
        accounts: senders,
        status: group.status_id ? (statuses.get(group.status_id) ?? null) : null,
        mostRecentId: group.most_recent_notification_id,
        createdAt: group.latest_page_notification_at ?? '',
      },
    ];
  });
}

/**
 * The post a notification is about: a comment's post (Glimpse's `post_id`), otherwise the
 * status itself. Null when it is not in the page (then it is loaded on its own).
 */
export function postIdOf(item: GroupedNotification): string | null {
  if (!item.status) return null;
  const postId = (item.status as Status & { glimpse: { post_id?: string | null } }).glimpse?.post_id;
  return postId ?? item.status.id;
}

/**
 * The v2 groups leave out Glimpse's story fields, so a page holding story notifications reads
 * them from the Glimpse list under the same cursor: story notifications are never grouped, so
 * the page's are the newest ones below that cursor (one request per page, only when needed).
 */
async function withStories(api: ApiClient, path: string, items: GroupedNotification[], signal?: AbortSignal): Promise<GroupedNotification[]> {
  const storyItems = items.filter((item) => STORY_TYPES.includes(item.type));
  if (storyItems.length === 0) return items;
  const maxId = new URL(path, 'http://placeholder.invalid').searchParams.get('max_id');
  const page = await api
    .getPage<Notification & { story?: Story | null }>('/api/glimpse/v1/notifications', { types: STORY_TYPES, limit: 40, max_id: maxId }, signal)
    .catch(() => ({ items: [] as Array<Notification & { story?: Story | null }> }));
  const byId = new Map(page.items.map((n) => [n.id, n]));
  return items.map((item) => {
    const found = byId.get(item.mostRecentId);
    return found ? { ...item, story: found.story ?? null, story_response: found.story_response ?? null } : item;
  });
}

export async function fetchGroupedPage(api: ApiClient, path: string, signal?: AbortSignal): Promise<GroupedPage> {
  const response = await api.request<GroupedNotificationsResults>('GET', path, { signal });
  const items = await withStories(api, path, resolveGroups(response.data ?? { accounts: [], statuses: [], notification_groups: [] }), signal);
  return { items, nextPath: response.nextPath };
}

const number = new Intl.NumberFormat('en');

/** "1,203": counts in sentences are written out whole. */
export function formatWhole(value: number): string {
  return number.format(value);
}
