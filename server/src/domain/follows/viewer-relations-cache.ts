import { VersionedCache } from '../../infra/cache/versioned-cache.ts';

/** The relation kinds of the viewer-context statement, as bits of one number per account. */
export const RELATION_BITS = {
  following: 1,
  followedBy: 2,
  requested: 4,
  requestedBy: 8,
  blocking: 16,
  blockedBy: 32,
  muting: 64,
  mutingNotifications: 128,
  closeFriendOf: 256,
} as const;

export type RelationKind = keyof typeof RELATION_BITS;

/** Accounts kept per viewer; past it the viewer's entry starts again from the page at hand. */
const ACCOUNTS_PER_VIEWER = 256;

/**
 * A viewer's relations to the accounts their recent requests touched, per process, under
 * `users.relations_version` (migration 0024): triggers bump it for both accounts of any follow,
 * follow request, block, mute or close-friends change, in the change's transaction, and the token's
 * query reads it. So a kept relation is used only while nothing about the viewer's relations has
 * changed since, in any process, and nothing is ever broadcast or dropped by hand, as the
 * content cache does for posts (domain/posts/post-content-cache.ts).
 *
 * Per account it keeps the bits of RELATION_BITS, 0 included (knowing there is no relation is
 * what saves the query). A mute that ends by itself is never kept: the clock, not a write, ends
 * it, so such an account is read afresh on every request.
 */
export class ViewerRelationsCache {
  private readonly cache: VersionedCache<Map<string, number>>;

  constructor(viewers: number) {
    this.cache = new VersionedCache(viewers);
  }

  /** What is kept for the viewer at this version (may be empty); undefined when the cache is off. */
  known(viewerId: string, version: number): ReadonlyMap<string, number> | undefined {
    if (this.cache.capacity <= 0) return undefined;
    return this.cache.get(viewerId, version) ?? new Map();
  }

  /** Keeps what a statement read at `version`, beside what was kept at the same version. */
  remember(viewerId: string, version: number, kept: ReadonlyMap<string, number>, read: ReadonlyMap<string, number>): void {
    if (read.size === 0) return;
    const next = kept.size + read.size > ACCOUNTS_PER_VIEWER ? new Map<string, number>() : new Map(kept);
    for (const [id, bits] of read) if (next.size < ACCOUNTS_PER_VIEWER) next.set(id, bits);
    this.cache.set(viewerId, version, next);
  }

  clear(): void {
    this.cache.clear();
  }

  stats() {
    return this.cache.stats();
  }
}
