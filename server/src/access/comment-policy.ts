import { type SqlBool, sql } from 'kysely';
import { type AccountFacts, byUnsuspendedAccountSql, isAdmin, isHiddenBySuspension } from './account-policy.ts';
import { type SqlForm, allOf, anyOf, column } from './sql-form.ts';
import { type PostFacts, canViewPost } from './post-policy.ts';
import { type ViewerContext, isBlockedEitherWay, isSelf } from './viewer-context.ts';

export type CommentPolicy = 'everyone' | 'followers' | 'following' | 'followers_and_following' | 'nobody';

/** The comment fields the policies read. */
export interface CommentFacts {
  id: string;
  account_id: string;
  hidden_reason: string | null;
}

/**
 * Whether the viewer may comment on (or reply under) a post. The post's author always may.
 * Nobody blocked either way ever may. Otherwise the post's policy decides: its author's
 * followers, the people its author follows, either of them, everyone, or nobody. The
 * viewer must also be able to see the post.
 */
export function canComment(ctx: ViewerContext, post: PostFacts & { comment_policy: string }, author: AccountFacts): boolean {
  if (ctx.viewer === undefined) return false;
  if (isSelf(ctx, author.id)) return true;
  if (isBlockedEitherWay(ctx, author.id)) return false;
  if (!canViewPost(ctx, post, author, { isMentioned: false })) return false;
  const isFollower = ctx.following.has(author.id);
  const isFollowed = ctx.followedBy.has(author.id);
  switch (post.comment_policy as CommentPolicy) {
    case 'everyone':
      return true;
    case 'followers':
      return isFollower;
    case 'following':
      return isFollowed;
    case 'followers_and_following':
      return isFollower || isFollowed;
    default:
      return false;
  }
}

/**
 * A hidden comment (hidden words, restricted author, moderator) is shown to its author only,
 * as if nothing happened. Comments from accounts the viewer blocks, is blocked by or mutes
 * are not shown to the viewer either.
 */
export function canSeeComment(ctx: ViewerContext, comment: CommentFacts): boolean {
  if (isSelf(ctx, comment.account_id)) return true;
  if (isHiddenFrom(ctx, comment)) return false;
  return !isBlockedEitherWay(ctx, comment.account_id) && !ctx.muting.has(comment.account_id);
}

/** A hidden comment is hidden from everyone but its author. */
export function isHiddenFrom(ctx: ViewerContext, comment: CommentFacts): boolean {
  return comment.hidden_reason !== null && !isSelf(ctx, comment.account_id);
}

/**
 * Whether a comment may take a place in the viewer's comment list: not hidden from the viewer,
 * and its author not hidden by suspension. The part of the comment rules a list query applies
 * itself; the relations (blocks, mutes: canSeeComment) and the post's own visibility are
 * applied to the hydrated page.
 */
export function isListedComment(ctx: ViewerContext, comment: CommentFacts, author: AccountFacts): boolean {
  return !isHiddenFrom(ctx, comment) && !isHiddenBySuspension(ctx, author);
}

/** The SQL form of isListedComment, over a comment row (`statuses`); no join with its author. */
export function listedCommentSql(ctx: Pick<ViewerContext, 'viewer'>, statuses = 'statuses'): SqlForm {
  const notHidden = sql<SqlBool>`${column(statuses, 'hidden_reason')} is null`;
  const shown = ctx.viewer ? anyOf(notHidden, sql<SqlBool>`${column(statuses, 'account_id')} = ${ctx.viewer.accountId}`) : notHidden;
  return isAdmin(ctx) ? shown : allOf(shown, byUnsuspendedAccountSql(`${statuses}.account_id`));
}

/**
 * Why a comment is hidden is told to those who review it — the post's author and admins — and
 * never to the comment's author, who sees it as if nothing happened.
 */
export function canSeeHiddenReason(ctx: ViewerContext, comment: CommentFacts, post: PostFacts): boolean {
  if (isSelf(ctx, comment.account_id)) return false;
  return canModerateComments(ctx, post) || isAdmin(ctx);
}

/** The post's author moderates its comments: review hidden ones, un-hide, pin, delete, read the digest. */
export function canModerateComments(ctx: ViewerContext, post: PostFacts): boolean {
  return isSelf(ctx, post.account_id);
}

/** A comment may be deleted by its author and by the post's author. */
export function canDeleteComment(ctx: ViewerContext, comment: CommentFacts, post: PostFacts): boolean {
  return isSelf(ctx, comment.account_id) || isSelf(ctx, post.account_id);
}

/** Only visible top-level comments can be pinned, by the post's author, at most three. */
export const MAX_PINNED_COMMENTS = 3;
export function canPinComment(ctx: ViewerContext, post: PostFacts, comment: CommentFacts & { in_reply_to_id: string | null }): boolean {
  return canModerateComments(ctx, post) && comment.hidden_reason === null && comment.in_reply_to_id === post.id;
}

/**
 * Bulk actions on a storm of near-identical comments (hide all, restrict every author, report)
 * are the post's author's alone: not admins (they have the report queue), not the commenters.
 */
export function canActOnCluster(ctx: ViewerContext, post: PostFacts): boolean {
  return ctx.viewer !== undefined && isSelf(ctx, post.account_id);
}

/** A comment a bulk action takes: one still shown, and never the actor's own. */
export function isBulkTarget(ctx: ViewerContext, comment: CommentFacts): boolean {
  return comment.hidden_reason === null && !isSelf(ctx, comment.account_id);
}

/** The SQL form of isBulkTarget, over a comment row (`statuses`). */
export function bulkTargetSql(ctx: Pick<ViewerContext, 'viewer'>, statuses = 'statuses'): SqlForm {
  const shown = sql<SqlBool>`${column(statuses, 'hidden_reason')} is null`;
  return ctx.viewer ? allOf(shown, sql<SqlBool>`${column(statuses, 'account_id')} <> ${ctx.viewer.accountId}`) : shown;
}
