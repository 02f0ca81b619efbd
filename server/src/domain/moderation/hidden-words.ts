import { RegExpMatcher, englishDataset, englishRecommendedTransformers } from 'obscenity';
import { TextMemo } from '../../infra/cache/text-memo.ts';
import { joinSpacedLetters, matchingFormsOfNormalized, normalizeBase, undoLeetspeak, words } from './text-normalizer.ts';

/** Enforced where the list is saved; the matcher itself accepts any list. */
export const HIDDEN_WORDS_LIMITS = { words: 1000, wordLength: 100 } as const;

/** Single words of at least this many letters also hide longer words they begin ("disgust" → "disgusting"). */
export const PREFIX_MIN_LETTERS = 5;

export interface HiddenWordsMatch {
  hidden: boolean;
  /** The owner's entry as they wrote it, or "default list". */
  reason?: string;
}

export interface HiddenWordsMatcher {
  match(text: string): HiddenWordsMatch;
}

/** A word with its repeated letters squeezed out (`key`) and how long each run was (`runs`). */
interface Shape {
  key: string;
  runs: number[];
}

interface WordEntry extends Shape {
  reason: string;
}

interface PhraseEntry {
  words: Shape[];
  reason: string;
}

/** "disssgusttt" → key "disgust", runs [1,1,3,1,1,1,3]. */
function shape(word: string): Shape {
  let key = '';
  const runs: number[] = [];
  let previous = '';
  for (const c of word) {
    if (c === previous) runs[runs.length - 1] += 1;
    else {
      key += c;
      runs.push(1);
      previous = c;
    }
  }
  return { key, runs };
}

/**
 * A text word stands for an entry word when it spells it with each letter repeated at least as
 * often: "disssgusttt" stands for "disgust" and "asss" for "ass", but "as" does not stand for
 * "ass". Only the entry's first `entry.runs.length` runs are compared (prefixes and plurals).
 */
function covers(entry: Shape, word: Shape): boolean {
  if (word.runs.length < entry.runs.length) return false;
  for (let i = 0; i < entry.runs.length; i++) if (word.runs[i] < entry.runs[i]) return false;
  return true;
}

// Emoji and other pictographs: entries holding them match as text, not as words.
const SYMBOL = /[\p{Extended_Pictographic}\p{So}]/u;
const SKIN_TONE = /[\u{1F3FB}-\u{1F3FF}]/gu;
// Scripts written without spaces between words: their entries match as text too.
const UNSPACED_SCRIPT = /^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}\p{N}]+$/u;
const APOSTROPHE = /['’ʼ`]/u;

/** The normalised text without spaces or skin tones, where emoji and unspaced-script entries are looked for. */
function compact(normalized: string): string {
  return normalized.replace(/\s+/gu, '').replace(SKIN_TONE, '');
}

let defaultMatcher: RegExpMatcher | undefined;
function defaultList(): RegExpMatcher {
  defaultMatcher ??= new RegExpMatcher({ ...englishDataset.build(), ...englishRecommendedTransformers });
  return defaultMatcher;
}

function pushTo<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * Compiles an owner's hidden words once; `match` then costs time linear in the length of the
 * comment, whatever the size of the list.
 *
 * Both the entries and the comment are normalised (case, accents, invisible characters,
 * look-alike letters, letters spelled out with spaces or dots, leetspeak), then:
 * - an entry of one word shorter than five letters hides that whole word, or its plural
 *   with "s"/"es" ("ass" hides "ass", "asses", "a$$", "asss"; never "class", "assessment" or "as");
 * - an entry of one word of five letters or more hides every word it begins ("disgust" hides
 *   "disgusted", "disgusting"), and the same word split in two ("dis gust"), but never a word
 *   it only appears inside ("rapist" does not hide "therapist");
 * - an entry of several words hides them in sequence, with anything but letters and digits
 *   between them ("not ines" hides "NOT... ines!!"), and the words run together ("#NotInes");
 * - an entry with emoji or other symbols, or in a script written without spaces (Chinese,
 *   Japanese, Thai …), hides any comment that contains it, spaces and skin tones ignored.
 * Repeated letters never count against a match: a word matches when it spells the entry with
 * each letter at least as often ("disssgusttt"). Entries with nothing to match (punctuation
 * only) are ignored.
 *
 * The default list is obscenity's English set with its recommended transformers, which has
 * its own evasion handling and a whitelist against the Scunthorpe problem; it is run on the
 * comment as written and on its normalised, de-spaced form.
 */
export function createHiddenWordsMatcher(options: { useDefaultList: boolean; words: readonly string[] }): HiddenWordsMatcher {
  const exact = new Map<string, WordEntry[]>();
  const prefixes = new Map<string, WordEntry[]>();
  const phrases = new Map<string, PhraseEntry[]>();
  const needles = new Map<string, string>();
  let prefixMin = Infinity;
  let prefixMax = 0;

  for (const raw of options.words) {
    const reason = raw.trim();
    if (reason === '') continue;
    const normalized = normalizeBase(reason);
    if (SYMBOL.test(normalized)) {
      const needle = compact(normalized);
      if (needle) needles.set(needle, reason);
      continue;
    }
    const forms = matchingFormsOfNormalized(normalized);
    // A form that lost characters to leetspeak signs is not the entry: "a$$" as is reads "a".
    const full = words(undoLeetspeak(joinSpacedLetters(normalized))).join('').length;
    for (const form of forms) {
      const ws = words(form);
      if (ws.length === 0 || ws.join('').length !== full) continue;
      if (ws.every((w) => UNSPACED_SCRIPT.test(w)) && ws.some((w) => !/^\p{N}+$/u.test(w))) {
        needles.set(ws.join(''), reason);
      } else if (ws.length === 1) {
        const entry = { ...shape(ws[0]), reason };
        if ([...ws[0]].length >= PREFIX_MIN_LETTERS) {
          pushTo(prefixes, entry.key, entry);
          prefixMin = Math.min(prefixMin, entry.key.length);
          prefixMax = Math.max(prefixMax, entry.key.length);
        } else {
          pushTo(exact, entry.key, entry);
        }
      } else {
        const shapes = ws.map(shape);
        pushTo(phrases, shapes[0].key, { words: shapes, reason });
        pushTo(exact, shape(ws.join('')).key, { ...shape(ws.join('')), reason });
      }
    }
  }

  const lookup = (map: Map<string, WordEntry[]>, key: string, word: Shape): string | undefined =>
    map.get(key)?.find((entry) => covers(entry, word))?.reason;

  function matchWord(word: Shape): string | undefined {
    const { key } = word;
    const found =
      lookup(exact, key, word) ??
      (key.endsWith('s') ? lookup(exact, key.slice(0, -1), word) : undefined) ??
      (key.endsWith('es') ? lookup(exact, key.slice(0, -2), word) : undefined);
    if (found) return found;
    for (let k = prefixMin; k <= Math.min(key.length, prefixMax); k++) {
      const hit = lookup(prefixes, key.slice(0, k), word);
      if (hit) return hit;
    }
    return undefined;
  }

  function matchForm(form: string): string | undefined {
    const tokens: Shape[] = [];
    let previousEnd = -1;
    let previous = '';
    for (const m of form.matchAll(/[\p{L}\p{N}]+/gu)) {
      const word = shape(m[0]);
      const hit = matchWord(word);
      if (hit) return hit;
      // The same long word split in two ("dis gust"), but not across an apostrophe ("she'll").
      if (previous && !APOSTROPHE.test(form.slice(previousEnd, m.index))) {
        const joined = shape(previous + m[0]);
        const pair = lookup(prefixes, joined.key, joined);
        if (pair) return pair;
      }
      tokens.push(word);
      previous = m[0];
      previousEnd = m.index + m[0].length;
    }
    if (phrases.size > 0) {
      for (let i = 0; i < tokens.length; i++) {
        for (const phrase of phrases.get(tokens[i].key) ?? []) {
          if (i + phrase.words.length > tokens.length) continue;
          if (phrase.words.every((w, j) => tokens[i + j].key === w.key && covers(w, tokens[i + j]))) return phrase.reason;
        }
      }
    }
    return undefined;
  }

  function matchText(text: string): HiddenWordsMatch {
    const normalized = normalizeBase(text);
    const forms = matchingFormsOfNormalized(normalized);
    for (const form of forms) {
      const reason = matchForm(form);
      if (reason) return { hidden: true, reason };
    }
    if (needles.size > 0) {
      const haystack = compact(normalized);
      for (const [needle, reason] of needles) if (haystack.includes(needle)) return { hidden: true, reason };
    }
    if (options.useDefaultList) {
      const list = defaultList();
      // obscenity undoes leetspeak itself: the comment as written and its de-spaced form suffice.
      if (list.hasMatch(text) || (forms[0] !== text && list.hasMatch(forms[0]))) return { hidden: true, reason: 'default list' };
    }
    return { hidden: false };
  }

  // A storm repeats the same few texts: each is matched once while it stays among the recent ones.
  const recent = new TextMemo<HiddenWordsMatch>();
  return { match: (text) => recent.get(text, matchText) };
}
