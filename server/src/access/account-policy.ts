import { type ViewerContext, isBlockedEitherWay, isSelf } from './viewer-context.ts';

/** The account fields the policies read. */
export interface AccountFacts {
  id: string;
  locked: number | boolean;
}

export const isLocked = (account: AccountFacts): boolean => Boolean(account.locked);

/**
 * Whether the viewer may see the account at all. Someone the account has blocked cannot find
 * it: it answers 404, as if it did not exist. The blocker still sees whom they blocked.
 */
export function canSeeAccount(ctx: ViewerContext, account: AccountFacts): boolean {
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

export function isAdmin(ctx: ViewerContext): boolean {
  return ctx.viewer?.role === 'admin';
}
