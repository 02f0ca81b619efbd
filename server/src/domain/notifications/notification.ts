import type { Selectable } from 'kysely';
import type { NotificationsTable } from '../../db/schema.ts';

export type NotificationRow = Selectable<NotificationsTable>;

/** Notification types; later features add theirs here. */
export const NOTIFICATION_TYPES = ['follow', 'follow_request', 'mention', 'favourite', 'tag', 'status', 'update', 'story_mention', 'story_reply', 'story_reaction', 'comment'] as const;
export type NotificationType = (typeof NOTIFICATION_TYPES)[number];
