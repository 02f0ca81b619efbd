import { LRUCache } from 'lru-cache';

/** A storm of a post: a fold of near-identical comments by STORM_MIN_ACCOUNTS accounts or more. */
export interface Storm {
  key: string;
  text: string;
  count: number;
  accounts: number;
}

/** Posts with at least this many shown comments keep their storms for STORM_CACHE_MS; smaller ones are read every time. */
export const STORM_CACHE_MIN_COMMENTS = 1000;
/** How many big posts' storms a process keeps at most. */
export const STORM_CACHE_POSTS = 1000;
/** How long a big post's storms are kept in a process: how late a new storm, or a cluster's count, may show. */
export const STORM_CACHE_MS = 3000;

/**
 * The storms of the biggest posts, kept a few seconds in each process. Reading them sums every
 * fold's counter shards over the whole post: 11 ms a request on SQLite for a post of 50,000
 * comments with 5,000 distinct ones, which every reader of a celebrity's post paid, during the
 * storm and after. A storm is slow to change (it is thousands of comments), so a big post's
 * storms may be STORM_CACHE_MS old; readers asking at the same moment share one read; the
 * post author's bulk actions and un-hiding forget the post here at once (another process sees
 * them within STORM_CACHE_MS). Posts under STORM_CACHE_MIN_COMMENTS are always read afresh,
 * so an ordinary conversation folds the moment the fifth account joins in.
 */
export class StormCache {
  private readonly entries: LRUCache<string, { at: number; storms: Promise<Storm[]> }> | undefined;

  constructor(
    capacity: number,
    private readonly ttlMs = STORM_CACHE_MS,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.entries = capacity > 0 ? new LRUCache({ max: capacity }) : undefined;
  }

  /** The post's storms: kept ones while fresh, else `read` (shared by everyone asking meanwhile). */
  get(postId: string, shownComments: number, read: () => Promise<Storm[]>): Promise<Storm[]> {
    if (!this.entries || shownComments < STORM_CACHE_MIN_COMMENTS) return read();
    const kept = this.entries.get(postId);
    if (kept && this.now() - kept.at < this.ttlMs) return kept.storms;
    const storms = read();
    const entry = { at: this.now(), storms };
    this.entries.set(postId, entry);
    // A failed read is not kept.
    storms.catch(() => {
      if (this.entries?.get(postId) === entry) this.entries.delete(postId);
    });
    return storms;
  }

  forget(postId: string): void {
    this.entries?.delete(postId);
  }
}
