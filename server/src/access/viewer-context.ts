/**
 * What the access policies know about the person asking: who they are and how they relate to
 * the accounts a request touches. Loaded once per request in a few set-based queries
 * (relationship-repository.ts), then read by pure predicates, so no policy ever does I/O.
 */
export interface Viewer {
  accountId: string;
  role: 'user' | 'moderator' | 'admin';
  /** The account's filters_version as its request's token read it; absent, its filters are read afresh. */
  filtersVersion?: number;
  /** The account's relations_version as its request's token read it; absent, its relations are read afresh. */
  relationsVersion?: number;
}

export interface ViewerContext {
  /** undefined for an anonymous request. */
  viewer: Viewer | undefined;
  /** Accounts the viewer follows (accepted). */
  following: ReadonlySet<string>;
  /** Accounts that follow the viewer (accepted). */
  followedBy: ReadonlySet<string>;
  /** Accounts the viewer has a pending follow request to. */
  requested: ReadonlySet<string>;
  /** Accounts with a pending follow request to the viewer. */
  requestedBy: ReadonlySet<string>;
  blocking: ReadonlySet<string>;
  blockedBy: ReadonlySet<string>;
  muting: ReadonlySet<string>;
  /** Muted accounts whose notifications are muted too; when absent, every muted account's. */
  mutingNotifications?: ReadonlySet<string>;
  /** Accounts that have the viewer on their close friends list. */
  closeFriendOf: ReadonlySet<string>;
  /** Thread keys (access/thread-policy.ts) the viewer muted, among those a request loaded. */
  mutedThreads?: ReadonlySet<string>;
}

const empty: ReadonlySet<string> = new Set();

export const anonymousContext: ViewerContext = {
  viewer: undefined,
  following: empty,
  followedBy: empty,
  requested: empty,
  requestedBy: empty,
  blocking: empty,
  blockedBy: empty,
  muting: empty,
  closeFriendOf: empty,
};

export function isSelf(ctx: ViewerContext, accountId: string): boolean {
  return ctx.viewer?.accountId === accountId;
}

/** Either side has blocked the other. */
export function isBlockedEitherWay(ctx: ViewerContext, accountId: string): boolean {
  return ctx.blocking.has(accountId) || ctx.blockedBy.has(accountId);
}
