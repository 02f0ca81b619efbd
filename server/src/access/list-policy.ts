import { type AccountFacts, canSeeAccount } from './account-policy.ts';
import type { ViewerContext } from './viewer-context.ts';

/** The list fields the policies read. */
export interface ListFacts {
  account_id: string;
}

/** A list is its owner's alone: anyone else is answered as if it did not exist. */
export function canManageList(ctx: Pick<ViewerContext, 'viewer'>, list: ListFacts): boolean {
  return ctx.viewer !== undefined && ctx.viewer.accountId === list.account_id;
}

/**
 * Only accounts the owner follows (approved, not a pending request) may be added to a list, as
 * on Mastodon: a list is a slice of the home feed. Unfollowing takes the account off the
 * owner's lists, and the list timeline reads only followed members meanwhile.
 */
export function canAddToList(ctx: ViewerContext, account: AccountFacts): boolean {
  return ctx.viewer !== undefined && canSeeAccount(ctx, account) && ctx.following.has(account.id);
}
