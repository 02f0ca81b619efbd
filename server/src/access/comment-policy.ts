import type { AccountFacts } from './account-policy.ts';
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
  if (comment.hidden_reason !== null) return false;
  return !isBlockedEitherWay(ctx, comment.account_id) && !ctx.muting.has(comment.account_id);
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
