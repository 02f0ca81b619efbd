import { type AccountFacts, canSeeAccount, isLocked } from './account-policy.ts';
import { type ViewerContext, isBlockedEitherWay, isSelf } from './viewer-context.ts';

/** The post fields the policies read. */
export interface PostFacts {
  id: string;
  account_id: string;
  visibility: 'public' | 'unlisted' | 'private' | 'direct';
}

/** Facts about the viewer and one post, hydrated in batch with the page. */
export interface PostViewerFacts {
  /** The viewer is mentioned in the post. */
  isMentioned: boolean;
}

/**
 * Whether the viewer may see a post. The author always; nobody blocked either way; public
 * and unlisted posts of a public account everyone else; followers-only posts, and every post
 * of a private account, approved followers only (never pending, rejected or removed ones) —
 * a mention does not open a followers-only post to a stranger; direct posts those mentioned.
 */
export function canViewPost(ctx: ViewerContext, post: PostFacts, author: AccountFacts, facts: PostViewerFacts): boolean {
  if (isSelf(ctx, post.account_id)) return true;
  if (!canSeeAccount(ctx, author) || isBlockedEitherWay(ctx, author.id)) return false;
  switch (post.visibility) {
    case 'public':
    case 'unlisted':
      // A post's own visibility is fixed when written; the account turning private later
      // narrows it to followers at once.
      return !isLocked(author) || ctx.following.has(author.id);
    case 'private':
      return ctx.following.has(author.id);
    case 'direct':
      return facts.isMentioned;
  }
}

/** Whether the post may leave the site as an embed or a public page: public, from a public account. */
export function isPubliclyEmbeddable(post: PostFacts, author: AccountFacts): boolean {
  return (post.visibility === 'public' || post.visibility === 'unlisted') && !isLocked(author);
}

/** Whether media of a post must be handed out only as signed, expiring URLs. */
export function needsRestrictedMedia(post: PostFacts, author: AccountFacts): boolean {
  return !isPubliclyEmbeddable(post, author);
}

/** Home-feed rule on top of visibility: only followed authors (or one's own posts), none muted. */
export function belongsInHomeFeed(ctx: ViewerContext, post: PostFacts): boolean {
  if (isSelf(ctx, post.account_id)) return true;
  return ctx.following.has(post.account_id) && !ctx.muting.has(post.account_id);
}

/** Only the author edits, deletes or pins a post. */
export function canManagePost(ctx: ViewerContext, post: PostFacts): boolean {
  return isSelf(ctx, post.account_id);
}

/** Liking needs a signed-in viewer who can see the post. */
export function canLikePost(ctx: ViewerContext, post: PostFacts, author: AccountFacts, facts: PostViewerFacts): boolean {
  return ctx.viewer !== undefined && canViewPost(ctx, post, author, facts);
}

/** Like counts hidden by the author are shown to the author only. */
export function canSeeLikeCount(ctx: ViewerContext, post: PostFacts & { hide_like_count: number }): boolean {
  return !post.hide_like_count || isSelf(ctx, post.account_id);
}
