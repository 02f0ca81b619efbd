import { type CacheStats, CountedLru } from './versioned-cache.ts';

/**
 * What a value was built from: rows (compared field by field) and plain values (compared with
 * ===), in a fixed order per cache.
 */
export type Sources = ReadonlyArray<object | string | number | boolean | null | undefined>;

/**
 * Values kept in a process beside the rows they were built from, for values that cost more to
 * build than their sources cost to compare (a serialised Status or Account). The reader has just
 * read those rows from the database; an entry is used only when every source still holds the
 * same values, so a kept value is never stale, in this process or any other, and nothing has to
 * be broadcast or dropped. A row field listed in `ignored` is never compared: the caller promises
 * the value does not depend on it (a counter presented per viewer, say). Bounded by entries,
 * least recently used first out; capacity 0 keeps nothing.
 */
export class RowCheckedCache<V> {
  private readonly store: CountedLru<{ sources: Sources; value: V }>;

  constructor(
    readonly capacity: number,
    private readonly ignored: ReadonlySet<string> = new Set(),
  ) {
    this.store = new CountedLru(capacity);
  }

  get(key: string, sources: Sources): V | undefined {
    return this.store.find(key, (entry) => this.same(entry.sources, sources))?.value;
  }

  set(key: string, sources: Sources, value: V): void {
    this.store.set(key, { sources, value });
  }

  clear(): void {
    this.store.clear();
  }

  stats(): CacheStats {
    return this.store.stats();
  }

  private same(kept: Sources, now: Sources): boolean {
    if (kept.length !== now.length) return false;
    for (let i = 0; i < kept.length; i++) {
      const a = kept[i];
      const b = now[i];
      if (a === b) continue;
      if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || !this.sameRow(a, b)) return false;
    }
    return true;
  }

  private sameRow(a: object, b: object): boolean {
    const ra = a as Record<string, unknown>;
    const rb = b as Record<string, unknown>;
    let fields = 0;
    for (const key in ra) {
      fields += 1;
      if (this.ignored.has(key)) continue;
      if (ra[key] !== rb[key] && !(ra[key] instanceof Date && rb[key] instanceof Date && ra[key].getTime() === rb[key].getTime())) return false;
    }
    for (const _ in rb) fields -= 1;
    return fields === 0;
  }
}
