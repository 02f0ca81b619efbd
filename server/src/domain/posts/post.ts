import type { Selectable } from 'kysely';
import type { StatusesTable } from '../../db/schema.ts';

export type StatusRow = Selectable<StatusesTable>;
export type Visibility = StatusRow['visibility'];

export const COMMENT_POLICIES = ['everyone', 'followers', 'following', 'followers_and_following', 'nobody'] as const;
export type CommentPolicy = (typeof COMMENT_POLICIES)[number];

export const POST_LIMITS = {
  caption: 2200,
  spoiler: 500,
  photos: 20,
  mentions: 50,
  idempotencyKey: 200,
} as const;
