import { type Expression, type SqlBool, sql } from 'kysely';
import { type ViewerContext, isBlockedEitherWay, isSelf } from './viewer-context.ts';
import { type ThreadFacts, isInMutedThread } from './thread-policy.ts';
import { type SqlForm, allOf, column } from './sql-form.ts';

/** The account fields the policies read. */
export interface AccountFacts {
  id: string;
  locked: number | boolean;
  /** Set while an admin has the account suspended. */
  suspended_at: string | null;
}

export const isLocked = (account: AccountFacts): boolean => Boolean(account.locked);

export const isSuspended = (account: Pick<AccountFacts, 'suspended_at'>): boolean => account.suspended_at !== null && account.suspended_at !== undefined;

/**
 * The SQL form of canSeeAccount's suspension rule, over an accounts row (`alias`.suspended_at):
 * lists and searches filter with it so a suspended account never fills a page for non-admins.
 */
export function accountNotSuspendedSql(ctx: Pick<ViewerContext, 'viewer'>, alias = 'accounts'): Expression<SqlBool> {
  return isAdmin(ctx) ? sql<SqlBool>`TRUE` : sql<SqlBool>`${sql.ref(`${alias}.suspended_at`)} IS NULL`;
}

/**
 * The same rule for rows that only carry an account id (`column`): counts, aggregates and
 * notifications leave out what suspended accounts wrote, for every reader. Suspended accounts
 * are few and sit in a partial index of their own (migration 0008), so this costs one short
 * index read per query.
 */
export function byUnsuspendedAccountSql(column: string): Expression<SqlBool> {
  return sql<SqlBool>`${sql.ref(column)} NOT IN (SELECT id FROM accounts WHERE suspended_at IS NOT NULL)`;
}

/** The predicate accountNotSuspendedSql is the SQL form of: suspended, and the viewer is no admin. */
export function isHiddenBySuspension(ctx: ViewerContext, account: Pick<AccountFacts, 'suspended_at'>): boolean {
  return isSuspended(account) && !isAdmin(ctx);
}

/**
 * Whether the viewer may see the account at all. A suspended account, and so everything it
 * wrote, is gone for everyone but admins (who review it), until it is unsuspended. Someone the
 * account has blocked cannot find it: it answers 404, as if it did not exist. The blocker still
 * sees whom they blocked.
 */
export function canSeeAccount(ctx: ViewerContext, account: AccountFacts): boolean {
  if (isHiddenBySuspension(ctx, account)) return false;
  return !ctx.blockedBy.has(account.id);
}

/** An approved follower (never a pending or rejected requester), or the account itself. */
export function isApprovedFollower(ctx: ViewerContext, account: AccountFacts): boolean {
  return isSelf(ctx, account.id) || ctx.following.has(account.id);
}

/**
 * Whether the viewer may see what the account shares with its followers: its posts, stories,
 * highlights and follow lists. Public accounts share with everyone not blocked either way;
 * private ones only with approved followers.
 */
export function canSeeAccountContent(ctx: ViewerContext, account: AccountFacts): boolean {
  if (isSelf(ctx, account.id)) return true;
  if (!canSeeAccount(ctx, account)) return false;
  if (isBlockedEitherWay(ctx, account.id)) return false;
  return !isLocked(account) || ctx.following.has(account.id);
}

/** Following needs a signed-in viewer, another account, and no block either way. */
export function canFollow(ctx: ViewerContext, account: AccountFacts): boolean {
  return ctx.viewer !== undefined && !isSelf(ctx, account.id) && !isBlockedEitherWay(ctx, account.id);
}

/** A follow of a locked account waits for approval. */
export function followNeedsApproval(account: AccountFacts): boolean {
  return isLocked(account);
}

/** Blocking, muting and removing followers act on other accounts only. */
export function canActOnOtherAccount(ctx: ViewerContext, account: AccountFacts): boolean {
  return ctx.viewer !== undefined && !isSelf(ctx, account.id);
}

/** Whether a notification from `fromAccountId` should reach the viewer (its recipient). */
export function canNotifyFrom(ctx: ViewerContext, fromAccountId: string): boolean {
  return !isBlockedEitherWay(ctx, fromAccountId) && !(ctx.mutingNotifications ?? ctx.muting).has(fromAccountId);
}

/**
 * Whether a notification about an item (a mention, a photo tag, a comment, a like, a story
 * mention) from `fromAccountId` is created for the recipient: the notification list would show
 * it (canNotifyFrom, the rule it reads with), the recipient may see the item itself
 * (`maySeeItem`, the item's own policy for them), and, for a status (`status`), the recipient
 * has not muted its thread (isInMutedThread: `recipient.mutedThreads` must be loaded for it).
 * One rule for posts, comments and stories.
 */
export function shouldNotify(recipient: ViewerContext, fromAccountId: string, maySeeItem: boolean, status?: ThreadFacts): boolean {
  if (status !== undefined && isInMutedThread(recipient, status)) return false;
  return maySeeItem && canNotifyFrom(recipient, fromAccountId);
}

export function isAdmin(ctx: Pick<ViewerContext, 'viewer'>): boolean {
  return ctx.viewer?.role === 'admin';
}

/**
 * Endorsing (featuring an account on one's profile, `/accounts/:id/pin`) is for accounts one
 * follows (approved, never a pending request), never oneself.
 */
export function canEndorse(ctx: ViewerContext, account: AccountFacts): boolean {
  return ctx.viewer !== undefined && !isSelf(ctx, account.id) && ctx.following.has(account.id) && canSeeAccount(ctx, account);
}

/**
 * A private note about an account is read by its author only: never by the account it is
 * about, never by anyone else, admins included.
 */
export function canReadNote(ctx: ViewerContext, note: { account_id: string }): boolean {
  return isSelf(ctx, note.account_id);
}

/** What the profile directory reads about an account. */
export interface DirectoryFacts extends AccountFacts {
  discoverable: number | boolean;
}

/**
 * Listed in the profile directory (`/api/v1/directory`), which anyone may read: the account
 * opted into discovery, shares its content with everyone (not locked), and is not suspended.
 * The viewer's own relations (blocks) are applied to the page with canSeeAccount.
 */
export function isListedInDirectory(account: DirectoryFacts): boolean {
  return Boolean(account.discoverable) && !isLocked(account) && !isSuspended(account);
}

/**
 * The directory page as the viewer sees it: listed, and not an account the viewer blocks, is
 * blocked by or mutes (as Mastodon leaves those out of discovery).
 */
export function isShownInDirectory(ctx: ViewerContext, account: DirectoryFacts): boolean {
  return isListedInDirectory(account) && canSeeAccount(ctx, account) && !isBlockedEitherWay(ctx, account.id) && !ctx.muting.has(account.id);
}

/** The SQL form of isListedInDirectory over an accounts row (`alias`). */
export function listedInDirectorySql(alias = 'accounts'): SqlForm {
  return allOf(
    sql<SqlBool>`${column(alias, 'discoverable')} = 1`,
    sql<SqlBool>`${column(alias, 'locked')} = 0`,
    // The anonymous reader's suspension rule, whoever asks: the directory is the same for all.
    accountNotSuspendedSql({ viewer: undefined }, alias),
  );
}
