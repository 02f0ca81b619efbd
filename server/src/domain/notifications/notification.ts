import type { Selectable } from 'kysely';
import type { NotificationsTable } from '../../db/schema.ts';

export type NotificationRow = Selectable<NotificationsTable>;

/** Notification types; later features add theirs here. */
export const NOTIFICATION_TYPES = ['follow', 'follow_request', 'mention', 'favourite', 'tag', 'status', 'update', 'story_mention', 'story_reply', 'story_reaction', 'comment', 'archive_ready'] as const;
export type NotificationType = (typeof NOTIFICATION_TYPES)[number];

/**
 * Which API reads the notifications: the Mastodon API shows Mastodon's types only (a comment
 * on one's post is a `mention`, as a reply is on Mastodon; Glimpse's own types only when named
 * in `types[]`), the Glimpse API (the web client) shows every type under its own name.
 */
export type NotificationApi = 'mastodon' | 'glimpse';

/** Stored types a Mastodon client gets without asking: Mastodon's own, and comments (as mentions). */
const MASTODON_DEFAULT: readonly NotificationType[] = ['follow', 'follow_request', 'mention', 'favourite', 'status', 'update', 'comment'];

/** The stored types behind a type name as the API reads it: on Mastodon, `mention` is mentions and comments. */
function storedTypes(api: NotificationApi, name: string): string[] {
  if (api === 'mastodon' && name === 'mention') return ['mention', 'comment'];
  return [name];
}

/**
 * The stored types a list, count or stream may include for `types[]` and `exclude_types[]` as
 * the client sent them, always as an explicit list: a Mastodon client that names nothing never
 * gets a type Mastodon lacks.
 */
export function includedTypes(api: NotificationApi, types: readonly string[] | undefined, excludeTypes: readonly string[] | undefined): string[] {
  const asked = types && types.length > 0 ? types.flatMap((t) => storedTypes(api, t)) : api === 'mastodon' ? MASTODON_DEFAULT : NOTIFICATION_TYPES;
  const excluded = new Set((excludeTypes ?? []).flatMap((t) => storedTypes(api, t)));
  return [...new Set(asked)].filter((t) => (NOTIFICATION_TYPES as readonly string[]).includes(t) && !excluded.has(t));
}

/** The type a client reads: on the Mastodon API a comment is a mention carrying the comment. */
export function presentedType(api: NotificationApi, type: string): string {
  return api === 'mastodon' && type === 'comment' ? 'mention' : type;
}

/** Types grouped by default (Mastodon's favourite and follow; Glimpse also groups comments on one post). */
export const GROUPED_TYPES: readonly NotificationType[] = ['favourite', 'follow', 'comment'];

/** A group spans at most this long (fixed windows in UTC), as Mastodon's groups do. */
const GROUP_WINDOW_MS = 12 * 3600_000;

/**
 * The group key stored with a notification when written: likes of one post, comments on one
 * post and follows within one 12-hour window share a key (`favourite-<post>-<window>`);
 * everything else stands alone (`ungrouped-<id>`, as Mastodon names single notifications).
 */
export function groupKeyFor(id: string, type: string, target: string | null, at: Date): string {
  if (!(GROUPED_TYPES as readonly string[]).includes(type)) return `ungrouped-${id}`;
  const window = Math.floor(at.getTime() / GROUP_WINDOW_MS);
  return type === 'follow' ? `follow-${window}` : `${type}-${target ?? id}-${window}`;
}

/**
 * The key a client sees for a stored notification: ungrouped when its type is not in the
 * client's `grouped_types[]` (names as the API reads them, so `mention` groups comments).
 */
export function visibleGroupKey(api: NotificationApi, row: Pick<NotificationRow, 'id' | 'type' | 'group_key'>, groupedTypes?: readonly string[]): string {
  const key = row.group_key ?? `ungrouped-${row.id}`;
  if (!groupedTypes) return key;
  return groupedTypes.some((t) => storedTypes(api, t).includes(row.type)) ? key : `ungrouped-${row.id}`;
}
