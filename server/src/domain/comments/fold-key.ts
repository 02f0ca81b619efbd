import { createHash } from 'node:crypto';
import { collapseRepeats, normalizeBase, words } from '../moderation/text-normalizer.ts';

/** Keys longer than this keep their start and a hash of the rest, so they stay indexable. */
export const FOLD_KEY_MAX = 200;
/** The longest display text of a folded line, in UTF-16 code units. */
export const FOLD_DISPLAY_MAX = 100;

/**
 * The key under which near-identical comments on one post fold into one counted line.
 * Case, accents, look-alike letters, invisible characters, punctuation, emoji, spacing and
 * doubled letters do not count: "Not Ines", "not ines!!!", "NOT INES 😡😡", "Not   Innnes",
 * "not ines." and "#NotInes" all give "notines". Words are squeezed together after their
 * repeated letters are collapsed, so "Not Ines" and "Ines!" or "Not Mara" stay apart.
 * Leetspeak is not undone ("b4" is not "ba"). A comment with no letters or digits (emoji only,
 * punctuation only) gives '' and never folds. Keys over FOLD_KEY_MAX characters end with a
 * hash of the whole key instead of being cut, so two long comments fold only when equal.
 */
export function foldKey(text: string): string {
  const key = words(normalizeBase(text))
    .map((w) => collapseRepeats(w, 2))
    .join('');
  if (key.length <= FOLD_KEY_MAX) return key;
  const hash = createHash('sha256').update(key).digest('hex').slice(0, 32);
  return `${cutAt(key, FOLD_KEY_MAX - 33)}#${hash}`;
}

/** The longest start of `text` within `max` UTF-16 units that does not split a character. */
function cutAt(text: string, max: number): string {
  let out = '';
  for (const c of text) {
    if (out.length + c.length > max) break;
    out += c;
  }
  return out;
}

/** Cuts to `max` UTF-16 units on a grapheme boundary, ending with "…" when something was cut. */
function truncateGraphemes(text: string, max: number): string {
  if (text.length <= max) return text;
  let out = '';
  for (const { segment } of new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(text)) {
    if (out.length + segment.length > max - 1) break;
    out += segment;
  }
  return `${out.trimEnd()}…`;
}

/**
 * The text shown for a folded line: the most common spelling among the samples (originals,
 * trimmed, runs of whitespace made one space), the earliest of equals on a tie, at most
 * FOLD_DISPLAY_MAX characters without splitting an emoji or accented letter. '' for no samples.
 */
export function foldDisplayText(samples: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const sample of samples) {
    const spelling = sample.trim().replace(/\s+/gu, ' ');
    if (spelling !== '') counts.set(spelling, (counts.get(spelling) ?? 0) + 1);
  }
  let best = '';
  let bestCount = 0;
  // Map order is first-seen order, so a strict > keeps the earliest of equals.
  for (const [spelling, count] of counts) {
    if (count > bestCount) {
      best = spelling;
      bestCount = count;
    }
  }
  return truncateGraphemes(best, FOLD_DISPLAY_MAX);
}
