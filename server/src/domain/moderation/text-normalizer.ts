/**
 * Text normalisation shared by hidden words, storm folding and tone: what people do to slip a
 * word past a list (case, accents, invisible characters, look-alike letters, spacing and
 * punctuation inside a word, leetspeak, repeated letters) is undone here, so the callers
 * compare the underlying words. Every step is a pure string → string function, linear in the
 * length of the text. None of them is for display: callers keep the original text.
 */

/**
 * Characters that render as nothing: every format character (\p{Cf}: soft hyphen U+00AD,
 * U+200B–U+200F zero-width space/joiners and marks, U+202A–U+202E and U+2066–U+2069 bidi
 * controls, U+2060–U+2064 word joiner and invisible operators, U+FEFF, tags …), variation
 * selectors (U+FE00–U+FE0F, U+E0100–U+E01EF), the combining grapheme joiner, the Mongolian
 * free variation selectors, Khmer inherent vowels and the Hangul fillers.
 */
const INVISIBLE = /[\p{Cf}\u034F\u115F\u1160\u17B4\u17B5\u180B-\u180F\u3164\uFE00-\uFE0F\uFFA0\u{E0100}-\u{E01EF}]/gu;

/**
 * Combining marks that are accents, not spelling: the combining diacritics blocks (also what
 * "Zalgo" text stacks), Cyrillic combining marks, and the optional Hebrew and Arabic points.
 * Marks that are part of a script's spelling (Devanagari vowel signs, Thai, Japanese dakuten)
 * are kept, so distinct words in those scripts stay distinct.
 */
const DIACRITICS = /[\u0300-\u036F\u0483-\u0489\u0591-\u05BD\u05BF\u05C1\u05C2\u05C4\u05C5\u05C7\u064B-\u065F\u0670\u1AB0-\u1AFF\u1DC0-\u1DFF\u20D0-\u20FF\uFE20-\uFE2F]/gu;

/**
 * Letters that look like Latin ones. Keys are case-sensitive because the fold runs before lower
 * casing (Greek capital Η looks like H, small η like n). Fullwidth, mathematical, circled and
 * superscript forms need no entry: NFKC already maps them to plain Latin.
 */
export const CONFUSABLES: Readonly<Record<string, string>> = {
  // Cyrillic
  А: 'a', В: 'b', Е: 'e', К: 'k', М: 'm', Н: 'h', О: 'o', Р: 'p', С: 'c', Т: 't', У: 'y', Х: 'x',
  І: 'i', Ј: 'j', Ѕ: 's', Ү: 'y', Һ: 'h', Ӏ: 'l', Ԁ: 'd', Ԛ: 'q', Ԝ: 'w',
  а: 'a', в: 'b', е: 'e', к: 'k', м: 'm', н: 'h', о: 'o', р: 'p', с: 'c', т: 't', у: 'y', х: 'x',
  і: 'i', ј: 'j', ѕ: 's', ү: 'y', һ: 'h', ӏ: 'l', ԁ: 'd', ԛ: 'q', ԝ: 'w', г: 'r', п: 'n', ш: 'w', ь: 'b',
  // Greek
  Α: 'a', Β: 'b', Ε: 'e', Ζ: 'z', Η: 'h', Ι: 'i', Κ: 'k', Μ: 'm', Ν: 'n', Ο: 'o', Ρ: 'p', Τ: 't', Υ: 'y', Χ: 'x',
  α: 'a', β: 'b', γ: 'y', ε: 'e', η: 'n', ι: 'i', κ: 'k', ν: 'v', ο: 'o', ρ: 'p', τ: 't', υ: 'u', χ: 'x', ω: 'w', ϲ: 'c', ϳ: 'j',
  // Armenian
  օ: 'o', ս: 'u', հ: 'h', ո: 'n', զ: 'q',
  // Latin letters that do not decompose, and small capitals
  ı: 'i', ȷ: 'j', ł: 'l', Ł: 'l', ø: 'o', Ø: 'o', đ: 'd', Đ: 'd', ħ: 'h', Ħ: 'h', ŧ: 't', Ŧ: 't', ƀ: 'b',
  ß: 'ss', ẞ: 'ss', æ: 'ae', Æ: 'ae', œ: 'oe', Œ: 'oe', ɑ: 'a', ɡ: 'g', ɩ: 'i',
  ᴀ: 'a', ʙ: 'b', ᴄ: 'c', ᴅ: 'd', ᴇ: 'e', ꜰ: 'f', ɢ: 'g', ʜ: 'h', ɪ: 'i', ᴊ: 'j', ᴋ: 'k', ʟ: 'l', ᴍ: 'm',
  ɴ: 'n', ᴏ: 'o', ᴘ: 'p', ʀ: 'r', ꜱ: 's', ᴛ: 't', ᴜ: 'u', ᴠ: 'v', ᴡ: 'w', ʏ: 'y', ᴢ: 'z',
};

const LATIN = /\p{Script=Latin}/u;
const HAS_CONFUSABLE = new RegExp(`[${Object.keys(CONFUSABLES).join('')}]`, 'u');

/** Removes the characters that render as nothing (see INVISIBLE). */
export function removeInvisible(text: string): string {
  return text.replace(INVISIBLE, '');
}

/** Decomposes and removes accents ("dísgúst" → "disgust"), then recomposes what is left. */
export function stripAccents(text: string): string {
  return text.normalize('NFD').replace(DIACRITICS, '').normalize('NFC');
}

/**
 * Look-alike letters → Latin, word by word. A word is folded when it already holds a Latin
 * letter ("hypocrisу" with a Cyrillic у) or when every letter in it has a Latin look-alike
 * ("сор" written to read as "cop"); a real Russian or Greek word with letters that have no
 * look-alike ("привет") is left alone.
 */
export function foldConfusables(text: string): string {
  return text.replace(/\p{L}+/gu, (word) => {
    if (!HAS_CONFUSABLE.test(word)) return word;
    const chars = [...word];
    if (!LATIN.test(word) && !chars.every((c) => Object.hasOwn(CONFUSABLES, c))) return word;
    return chars.map((c) => CONFUSABLES[c] ?? c).join('');
  });
}

/**
 * Compatibility forms (NFKC: fullwidth, mathematical, ligatures, odd spaces), invisible
 * characters, accents, look-alike letters and case, in that order. The result is lower case.
 */
export function normalizeBase(text: string): string {
  const plain = stripAccents(removeInvisible(text.normalize('NFKC')));
  // Lower casing can bring marks back ("İ" → "i̇"), so accents go once more.
  return stripAccents(foldConfusables(plain).toLowerCase());
}

const WORD_CHAR = '\\p{L}\\p{N}';
// One separator between single letters: a space or a punctuation mark people put inside words.
const SPACED_SEPARATOR = "[\\s.\\-_*·•,/\\\\+~:;'\"`^=]";
const SPACED_RUN = new RegExp(
  `(?<![${WORD_CHAR}])[${WORD_CHAR}](?:${SPACED_SEPARATOR}[${WORD_CHAR}](?![${WORD_CHAR}])){2,}`,
  'gu',
);

/**
 * Joins words spelled out one character at a time: "d i s g u s t", "d.i.s.g.u.s.t",
 * "d-i-s-g-u-s-t" → "disgust". Only runs of three or more single characters, each separated by
 * exactly one space or punctuation mark, are joined, so ordinary text is never glued together
 * ("a, b and c" and "I am a fan" stay as they are).
 */
export function joinSpacedLetters(text: string): string {
  return text.replace(SPACED_RUN, (run) => run.replace(new RegExp(`[^${WORD_CHAR}]`, 'gu'), ''));
}

const LEET: Readonly<Record<string, string>> = { '0': 'o', '3': 'e', '4': 'a', '5': 's', '7': 't', $: 's', '@': 'a', '!': 'i' };
const LEET_RUN = /[\p{L}\p{N}@$!|]+/gu;

/**
 * Common leetspeak, inside words only: 0→o, 1→i (or l), 3→e, 4→a, 5→s, 7→t, @→a, $→s, !→i,
 * |→i (or l), with `one` choosing how 1 and | read. A run of letters, digits and those signs is converted only when it holds a
 * letter, so numbers ("2024", "$100") and punctuation ("wow!!!") stay. "!" and "|" count only
 * inside the word ("d!sgust", not "ines!!"), and a leading "@" is a mention,
 * not an "a".
 */
export function undoLeetspeak(text: string, one: 'i' | 'l' = 'i'): string {
  return text.replace(LEET_RUN, (run) => {
    if (!/[\d@$!|]/u.test(run) || !/\p{L}/u.test(run)) return run;
    // "!" and "|" at either end of the run are punctuation, not letters.
    const [, lead, core, trail] = /^([!|]*)(.*?)([!|]*)$/su.exec(run) as RegExpExecArray;
    const converted = [...core]
      .map((c, i) => {
        if (c === '1' || c === '|') return one;
        if (c === '@' && i === 0 && lead === '') return c;
        return LEET[c] ?? c;
      })
      .join('');
    return lead + converted + trail;
  });
}

/**
 * Collapses runs of the same letter: with `minRun` 3 (the default) "disssgusttt" → "disgust"
 * but "good" stays; with `minRun` 2 every doubled letter goes too ("innes" → "ines"). Digits
 * and other characters are never collapsed.
 */
export function collapseRepeats(text: string, minRun: 2 | 3 = 3): string {
  return text.replace(minRun === 2 ? /(\p{L})\1+/gu : /(\p{L})\1{2,}/gu, '$1');
}

/** The words of a text: maximal runs of letters and digits. */
export function words(text: string): string[] {
  return text.match(/[\p{L}\p{N}]+/gu) ?? [];
}

/**
 * The forms of a text that word lists are matched against: normalised and de-spaced, then
 * as is, with leetspeak undone reading 1 as i, and reading 1 as l. Duplicates are dropped,
 * so a text without digits or signs gives one form.
 */
export function matchingForms(text: string): string[] {
  return matchingFormsOfNormalized(normalizeBase(text));
}

/** matchingForms for a text that has already been through normalizeBase. */
export function matchingFormsOfNormalized(normalized: string): string[] {
  const joined = joinSpacedLetters(normalized);
  return [...new Set([joined, undoLeetspeak(joined, 'i'), undoLeetspeak(joined, 'l')])];
}
