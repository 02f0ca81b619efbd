export interface CacheStats {
  hits: number;
  misses: number;
  size: number;
  capacity: number;
}

/**
 * Values kept in a process under a version that lives in the database, bumped in the same
 * transaction as every change to what the value was built from. A reader that has just read the
 * current version (in a row it reads anyway) asks for the value at that version: an entry is
 * never used once it is out of date, in this process or any other, and no process has to be
 * told to drop anything.
 *
 * A value is built after its version was read, so it is at least as new as the version it is
 * kept under, never older; an older version never replaces a newer one. Bounded by entries,
 * least recently used first out; capacity 0 keeps nothing.
 */
export class VersionedCache<V> {
  private readonly entries = new Map<string, { version: number; value: V }>();
  private hits = 0;
  private misses = 0;

  constructor(readonly capacity: number) {}

  /** The value kept for this key at this version, or undefined. */
  get(key: string, version: number): V | undefined {
    const entry = this.entries.get(key);
    if (!entry || entry.version !== version) {
      this.misses += 1;
      return undefined;
    }
    this.hits += 1;
    // Most recently used last.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value;
  }

  set(key: string, version: number, value: V): void {
    if (this.capacity <= 0) return;
    const kept = this.entries.get(key);
    if (kept && kept.version > version) return;
    this.entries.delete(key);
    this.entries.set(key, { version, value });
    while (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
  }

  clear(): void {
    this.entries.clear();
  }

  stats(): CacheStats {
    return { hits: this.hits, misses: this.misses, size: this.entries.size, capacity: this.capacity };
  }
}
