import type { Selectable } from 'kysely';
import type { StatusesTable } from '../../db/schema.ts';

export type StatusRow = Selectable<StatusesTable>;
export type Visibility = StatusRow['visibility'];

export const COMMENT_POLICIES = ['everyone', 'followers', 'following', 'followers_and_following', 'nobody'] as const;
export type CommentPolicy = (typeof COMMENT_POLICIES)[number];

export const POST_LIMITS = {
  /** Characters of a caption or comment, counted as Mastodon counts them (caption.ts `countableLength`). */
  caption: 2200,
  /** Each link in a caption counts as this many characters, however long it is. */
  charactersReservedPerUrl: 23,
  /** The raw length a caption may have at most (long links count 23 each, so it can exceed `caption`). */
  captionRaw: 20_000,
  spoiler: 500,
  photos: 20,
  mentions: 50,
  idempotencyKey: 200,
  /** Posts an account may pin to its profile, as on Mastodon. */
  pinnedPerAccount: 5,
} as const;
