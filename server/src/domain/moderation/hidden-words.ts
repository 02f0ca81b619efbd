import { RegExpMatcher, englishDataset, englishRecommendedTransformers } from 'obscenity';
import { canonicalWords, joinSpacedLetters, normalizeBase, undoLeetspeak } from './text-normalizer.ts';

export const HIDDEN_WORDS_LIMITS = { words: 1000, wordLength: 100 } as const;

/** Words of at least this many letters also hide longer words they start ("disgust" → "disgusting"). */
const PREFIX_MIN = 5;

let defaultMatcher: RegExpMatcher | undefined;
function defaultList(): RegExpMatcher {
  defaultMatcher ??= new RegExpMatcher({ ...englishDataset.build(), ...englishRecommendedTransformers });
  return defaultMatcher;
}

export interface HiddenWordsMatcher {
  match(text: string): { hidden: boolean; reason?: string };
}

/**
 * Compiles an owner's list once. Single words match whole words of the normalised comment
 * (and, from five letters, words they begin), so "ass" never hides "class" or "assessment";
 * phrases match as consecutive words; entries without letters or digits (emoji) match as
 * text. The default list is obscenity's English set, which handles its own evasions and
 * avoids the Scunthorpe problem; it is also run on the de-spaced, de-leeted text.
 */
export function createHiddenWordsMatcher(options: { useDefaultList: boolean; words: string[] }): HiddenWordsMatcher {
  const singles = new Set<string>();
  const prefixes: string[] = [];
  const phrases: string[][] = [];
  const symbols: string[] = [];
  for (const entry of options.words) {
    const words = canonicalWords(entry);
    if (words.length === 0) {
      const symbol = normalizeBase(entry).replace(/\s+/g, '');
      if (symbol) symbols.push(symbol);
    } else if (words.length === 1) {
      singles.add(words[0]);
      if (words[0].length >= PREFIX_MIN) prefixes.push(words[0]);
    } else {
      phrases.push(words);
    }
  }
  return {
    match(text: string) {
      const words = canonicalWords(text);
      for (const w of words) {
        if (singles.has(w)) return { hidden: true, reason: w };
        for (const p of prefixes) if (w.startsWith(p)) return { hidden: true, reason: p };
      }
      for (const phrase of phrases) {
        for (let i = 0; i + phrase.length <= words.length; i++) {
          if (phrase.every((p, j) => words[i + j] === p)) return { hidden: true, reason: phrase.join(' ') };
        }
      }
      if (symbols.length) {
        const base = normalizeBase(text).replace(/\s+/g, '');
        for (const s of symbols) if (base.includes(s)) return { hidden: true, reason: s };
      }
      if (options.useDefaultList) {
        const m = defaultList();
        if (m.hasMatch(text) || m.hasMatch(undoLeetspeak(joinSpacedLetters(normalizeBase(text))))) return { hidden: true, reason: 'default list' };
      }
      return { hidden: false };
    },
  };
}
