import { collapseRepeats, normalizeBase } from '../moderation/text-normalizer.ts';

/**
 * The key under which near-identical comments fold into one counted line: case, accents,
 * punctuation, emoji, repeated letters and spacing do not count, so "Not Ines", "NOT INES 😡"
 * and "not   innnes!!!" share one key. Comments without letters or digits never fold ('').
 */
export function foldKey(text: string): string {
  const words = normalizeBase(text).match(/[\p{L}\p{N}]+/gu) ?? [];
  return words.map((w) => collapseRepeats(w)).join(' ').slice(0, 200);
}
