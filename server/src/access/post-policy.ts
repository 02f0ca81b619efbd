import { type SqlBool, sql } from 'kysely';
import { type AccountFacts, accountNotSuspendedSql, canSeeAccount, isLocked, isSuspended } from './account-policy.ts';
import { type SqlForm, allOf, column } from './sql-form.ts';
import { type ViewerContext, anonymousContext, isBlockedEitherWay, isSelf } from './viewer-context.ts';

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

/**
 * Publicly embeddable: anyone holding the link may read the post, anonymous visitors and other
 * sites included — a public or unlisted post of a public account that is not suspended. Embeds,
 * oEmbed, Open Graph tags and unsigned media use it. Unlisted counts here, as on Mastodon,
 * because someone chose to pass the link on; it does not count for isPubliclyListable.
 */
export function isPubliclyEmbeddable(post: PostFacts, author: AccountFacts): boolean {
  return (post.visibility === 'public' || post.visibility === 'unlisted') && !isLocked(author) && !isSuspended(author);
}

/** A post as the public lists see it: whether it is a comment (`post_id` names its post). */
export interface ListablePostFacts extends PostFacts {
  post_id: string | null;
}

/**
 * Publicly listable: shown, to anyone, on the surfaces that list posts nobody asked for by id —
 * the public and hashtag timelines, hashtag search and every tag count, the public and hashtag
 * streams. It is publicly embeddable and more: public, not unlisted (unlisted keeps out of
 * every list, as on Mastodon), and a post, not a comment. Every listable post is embeddable;
 * an unlisted one or a comment is embeddable without being listable.
 */
export function isPubliclyListable(post: ListablePostFacts, author: AccountFacts): boolean {
  return post.visibility === 'public' && post.post_id === null && isPubliclyEmbeddable(post, author);
}

/**
 * The SQL form of isPubliclyListable over a query that joins the post (`statuses`) to its
 * author (`accounts`). The suspension part is the anonymous reader's, whoever asks: a list
 * that is public is the same for everyone, admins included.
 */
export function publiclyListableSql(statuses = 'statuses', accounts = 'accounts'): SqlForm {
  return allOf(
    sql<SqlBool>`${column(statuses, 'visibility')} = ${'public'}`,
    sql<SqlBool>`${column(statuses, 'post_id')} is null`,
    sql<SqlBool>`${column(accounts, 'locked')} = 0`,
    accountNotSuspendedSql(anonymousContext, accounts),
  );
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
