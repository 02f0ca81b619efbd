import { type SqlBool, sql } from 'kysely';
import { type AccountFacts, accountNotSuspendedSql, canSeeAccount, canSeeAccountContent, isLocked, isSuspended } from './account-policy.ts';
import { type SqlForm, allOf, column } from './sql-form.ts';
import { isMessage } from './message-policy.ts';
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
 * The SQL form of canViewPost over the posts of one author (`statuses` rows with
 * account_id = author.id), for counts of what the viewer may see of that author: the author's
 * own posts; nothing when the account's content is hidden from the viewer (canSeeAccountContent);
 * otherwise public and unlisted posts, and followers-only ones for approved followers. Direct
 * posts are messages and are never counted.
 */
export function authorPostsVisibleSql(ctx: ViewerContext, author: AccountFacts, statuses = 'statuses'): SqlForm {
  const visibilities = isSelf(ctx, author.id) || ctx.following.has(author.id) ? ['public', 'unlisted', 'private'] : ['public', 'unlisted'];
  if (!isSelf(ctx, author.id) && !canSeeAccountContent(ctx, author)) return sql<SqlBool>`1 = 0`;
  return sql<SqlBool>`${column(statuses, 'visibility')} in (${sql.join(visibilities)})`;
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

/**
 * What a viewer's home feed takes in besides follows, loaded with the page: the hashtags they
 * follow, and the members of their exclusive lists (whose posts are read in the list instead).
 */
export interface HomeSources {
  followedTags: ReadonlySet<string>;
  exclusiveAuthors: ReadonlySet<string>;
}

export const noHomeSources: HomeSources = { followedTags: new Set(), exclusiveAuthors: new Set() };

/**
 * A post a followed hashtag brings into the home feed: publicly listable (a public photo post
 * of a public account) and carrying one of the tags. Its SQL form is publiclyListableSql with
 * the tag (feed-repository followedTagIds).
 */
export function isBroughtByFollowedTag(post: ListablePostFacts, author: AccountFacts, tags: readonly string[], followedTags: ReadonlySet<string>): boolean {
  return followedTags.size > 0 && isPubliclyListable(post, author) && tags.some((t) => followedTags.has(t));
}

/**
 * Home-feed rule on top of visibility: one's own posts; otherwise posts of followed authors or
 * brought by a followed hashtag (`byFollowedTag`), never of a muted account or of a member of
 * one of the viewer's exclusive lists. Blocks either way are already refused by canViewPost. A
 * list timeline applies the same rule without sources: a list is a slice of the home feed.
 */
export function belongsInHomeFeed(ctx: ViewerContext, post: PostFacts, sources: HomeSources = noHomeSources, byFollowedTag = false): boolean {
  // Direct messages are read in conversations only (access/message-policy.ts), one's own too.
  if (isMessage(post)) return false;
  if (isSelf(ctx, post.account_id)) return true;
  if (ctx.muting.has(post.account_id) || sources.exclusiveAuthors.has(post.account_id)) return false;
  return ctx.following.has(post.account_id) || byFollowedTag;
}

/**
 * An author whose posts the home feed reads by follow: followed, not muted, no block either
 * way, and visible (canSeeAccount). Every non-direct post of such an author passes
 * canViewPost and belongsInHomeFeed (exclusive lists aside); its SQL form is homeFeedAuthorSql.
 */
export function isHomeFeedAuthor(ctx: ViewerContext, author: AccountFacts): boolean {
  if (isSelf(ctx, author.id) || !ctx.following.has(author.id)) return false;
  return !ctx.muting.has(author.id) && !isBlockedEitherWay(ctx, author.id) && canSeeAccount(ctx, author);
}

/**
 * The SQL form of isHomeFeedAuthor (belongsInHomeFeed's author rules, with canViewPost's
 * account rules) over a `follows` row of the viewer (`follows` alias) joined to the followed account (`accounts`):
 * the authors whose posts a home feed reads by follow when it reads them directly (pages older
 * than the kept home_feed rows) — followed (the row itself), not muted (a mute with a duration
 * until it runs out at `now`, ISO-8601), no block either way, and not hidden by suspension.
 * Exclusive-list members are left out by the caller (HomeSources). Each relation is a NOT
 * EXISTS over its pair index. The hydrator still applies the whole predicates to the page.
 */
export function homeFeedAuthorSql(ctx: Pick<ViewerContext, 'viewer'>, now: string, follows = 'follows', accounts = 'accounts'): SqlForm {
  const viewerId = ctx.viewer?.accountId;
  if (viewerId === undefined) return sql<SqlBool>`1 = 0`;
  const author = column(follows, 'target_account_id');
  const none = (table: string, from: unknown, to: unknown, extra = sql``) =>
    sql<SqlBool>`NOT EXISTS (SELECT 1 FROM ${sql.table(table)} x WHERE x.account_id = ${from} AND x.target_account_id = ${to}${extra})`;
  return allOf(
    sql<SqlBool>`${column(follows, 'account_id')} = ${viewerId}`,
    sql<SqlBool>`${column(accounts, 'id')} = ${author}`,
    accountNotSuspendedSql(ctx, accounts),
    none('mutes', viewerId, author, sql` AND (x.expires_at IS NULL OR x.expires_at > ${now})`),
    none('blocks', viewerId, author),
    none('blocks', author, viewerId),
  );
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
