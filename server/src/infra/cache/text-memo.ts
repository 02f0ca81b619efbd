import { LRUCache } from 'lru-cache';

/** Texts longer than this are computed every time: long comments rarely repeat word for word. */
export const TEXT_MEMO_MAX_LENGTH = 200;

/**
 * The answers of a pure function of a short text, for the texts seen most recently. A comment
 * storm repeats a handful of texts thousands of times ("Not Ines", "not ines!!!"), and each of
 * them is checked for hidden words and scored for tone once, not once per comment. Bounded by
 * entries and by the length of the texts it keeps.
 */
export class TextMemo<V extends object | string> {
  private readonly entries: LRUCache<string, V>;

  constructor(capacity = 64) {
    this.entries = new LRUCache<string, V>({ max: capacity });
  }

  get(text: string, compute: (text: string) => V): V {
    if (text.length > TEXT_MEMO_MAX_LENGTH) return compute(text);
    const kept = this.entries.get(text);
    if (kept !== undefined) return kept;
    const value = compute(text);
    this.entries.set(text, value);
    return value;
  }

  get size(): number {
    return this.entries.size;
  }
}
