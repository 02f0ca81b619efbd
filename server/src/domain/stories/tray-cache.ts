import { LRUCache } from 'lru-cache';
import { type CacheStats, CountedLru } from '../../infra/cache/versioned-cache.ts';
import type { TrayRow } from './story-repository.ts';

/** What a viewer's tray was read from: its live story rows, and every account whose stories it shows. */
interface TrayEntry {
  /** When the read began (the cache's own clock of changes, not time). */
  at: number;
  /** When it was kept (ms, performance.now()), for TRAY_CACHE_MAX_AGE_MS. */
  keptAt?: number;
  /** The viewer's users.relations_version when read: any follow change of theirs bumps it. */
  relationsVersion: number;
  rows: TrayRow[];
  /** The viewer and everyone they follow: a change to any of their stories, or a view by the viewer, ends the entry. */
  accounts: readonly string[];
}

/** How many accounts' last change each process remembers; forgetting one ends every entry older than it. */
const CHANGES_KEPT = 100_000;
/** An entry is read afresh after this long whatever it was told: the bound on staleness should a change's message between processes be lost. */
export const TRAY_CACHE_MAX_AGE_MS = 60_000;

/**
 * The story rows of viewers' trays, kept in each process. A tray is the live stories of the
 * viewer and of everyone they follow, with the viewer's seen marks: one indexed read per
 * followed account, which every story-tray request paid though trays rarely change. An entry is
 * used only while nothing it was read from has changed:
 * - the viewer's follows: the token's relations_version must be the one it was read at;
 * - a story created or deleted by the viewer or anyone they follow, or a story the viewer
 *   watched: StoryService reports each (`changed`), and with Redis every process hears of it
 *   (services.ts), so each drops the same entries;
 * - expiry needs nothing: the rows carry expires_at, which the tray checks at request time (the
 *   viewer's own stories too), as the rules read the viewer's relations (blocks, mutes, close
 *   friends) and the accounts afresh.
 * A read notes the clock before it starts, so a change that lands while it runs ends the entry
 * it makes. Should a message between processes be lost (Redis reconnecting), an entry is still
 * read afresh after TRAY_CACHE_MAX_AGE_MS. Bounded by viewers, least recently used first out;
 * capacity 0 keeps nothing.
 */
export class TrayCache {
  private clock = 0;
  /** Entries read at or before this are not used: a change older than the remembered ones was forgotten. */
  private floor = 0;
  private readonly entries: CountedLru<TrayEntry>;
  private readonly changes: LRUCache<string, number>;

  constructor(
    readonly capacity: number,
    changesKept = CHANGES_KEPT,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.entries = new CountedLru(capacity);
    this.changes = new LRUCache<string, number>({
      max: changesKept,
      dispose: (at, _key, reason) => {
        if (reason === 'evict' && at > this.floor) this.floor = at;
      },
    });
  }

  /** The kept rows of the viewer's tray, when nothing they were read from has changed since. */
  get(viewerId: string, relationsVersion: number): TrayRow[] | undefined {
    const oldest = this.now() - TRAY_CACHE_MAX_AGE_MS;
    return this.entries.find(
      viewerId,
      (e) => e.relationsVersion === relationsVersion && e.at > this.floor && (e.keptAt ?? 0) > oldest && e.accounts.every((id) => (this.changes.peek(id) ?? 0) < e.at),
    )?.rows;
  }

  /** The moment a read of a tray begins, for `set`. */
  begin(): number {
    return ++this.clock;
  }

  set(viewerId: string, entry: TrayEntry): void {
    if (this.capacity > 0) this.entries.set(viewerId, { ...entry, keptAt: this.now() });
  }

  /** These accounts' stories changed, or they watched one: every tray showing them is read afresh. */
  changed(accountIds: readonly string[]): void {
    if (this.capacity === 0) return;
    const at = ++this.clock;
    for (const id of accountIds) this.changes.set(id, at);
  }

  clear(): void {
    this.entries.clear();
  }

  stats(): CacheStats {
    return this.entries.stats();
  }
}
