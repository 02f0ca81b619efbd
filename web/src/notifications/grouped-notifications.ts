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
  /** The post the row is about: `status`, or the post a comment is on (the page carries both). */
  post: Status | null;
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
    const status = group.status_id ? (statuses.get(group.status_id) ?? null) : null;
    const postId = status?.glimpse.post_id ?? status?.id;
    return [
      {
        key: group.group_key,
        type: resolvedType(group),
        count: Math.max(1, group.notifications_count),
        accounts: senders,
        status,
        post: postId ? (statuses.get(postId) ?? null) : null,
        mostRecentId: group.most_recent_notification_id,
        createdAt: group.latest_page_notification_at ?? '',
        ...(group.glimpse ? { story: (group.glimpse.story ?? null) as Story | null, story_response: group.glimpse.story_response ?? null } : {}),
      },
    ];
  });
}

export async function fetchGroupedPage(api: ApiClient, path: string, signal?: AbortSignal): Promise<GroupedPage> {
  const response = await api.request<GroupedNotificationsResults>('GET', path, { signal });
  return { items: resolveGroups(response.data ?? { accounts: [], statuses: [], notification_groups: [] }), nextPath: response.nextPath };
}

const number = new Intl.NumberFormat('en');

/** "1,203": counts in sentences are written out whole. */
export function formatWhole(value: number): string {
  return number.format(value);
}
