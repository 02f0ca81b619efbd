import type { Selectable } from 'kysely';
import type { StatusesTable } from '../../db/schema.ts';

export type StatusRow = Selectable<StatusesTable>;

/**
 * A new status row: what the caller decides, with every counter, moderation and threading
 * column at its starting value. Posts and direct messages are written from it.
 */
export function newStatusRow(fields: Pick<StatusRow, 'id' | 'account_id' | 'text' | 'visibility' | 'created_at'> & Partial<StatusRow>): StatusRow {
  return {
    in_reply_to_id: null,
    in_reply_to_account_id: null,
    sensitive: 0,
    spoiler_text: '',
    language: null,
    hide_like_count: 0,
    comment_policy: 'everyone',
    has_media: 0,
    favourites_count: 0,
    replies_count: 0,
    edited_at: null,
    post_id: null,
    thread_id: null,
    hidden_reason: null,
    approved: 0,
    fold_key: '',
    tone: null,
    pinned_at: null,
    rank_score: 0,
    conversation_id: null,
    story_id: null,
    content_version: 0,
    ...fields,
  };
}
/**
 * Status columns never shown alike to every viewer: the like count as each viewer may see it
 * (canSeeLikeCount), the hidden reason to reviewers only (canSeeHiddenReason), and columns no
 * entity shows (the stored reply count, approval, fold, tone, rank). A part of a post presented
 * alike to everyone and kept (http/mastodon/presenters/status-json.ts) ignores changes to them.
 */
export const NOT_SHOWN_ALIKE: ReadonlySet<string> = new Set(['favourites_count', 'replies_count', 'hidden_reason', 'approved', 'fold_key', 'tone', 'rank_score']);

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
