/**
 * Text normalisation for moderation and folding: what people do to slip past a word list
 * (case, accents, invisible characters, look-alike letters, spacing, leetspeak, repeated
 * letters) is undone here, so matching and folding compare the underlying words.
 */

// Soft hyphen, joiners, bidi controls, word joiners, variation selectors, BOM and fillers.
const INVISIBLE = /[\u00AD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180B-\u180F\u200B-\u200F\u202A-\u202E\u2060-\u206F\u3164\uFE00-\uFE0F\uFEFF]/gu;

// Letters from other scripts that look like Latin ones.
const CONFUSABLES: Record<string, string> = {
  а: 'a', в: 'b', е: 'e', ё: 'e', к: 'k', м: 'm', н: 'h', о: 'o', р: 'p', с: 'c', т: 't', у: 'y', х: 'x',
  і: 'i', ї: 'i', ј: 'j', ѕ: 's', ԁ: 'd', ɡ: 'g', һ: 'h', ԛ: 'q', ԝ: 'w', ӏ: 'l',
  α: 'a', β: 'b', ε: 'e', η: 'n', ι: 'i', κ: 'k', ν: 'v', ο: 'o', ρ: 'p', τ: 't', υ: 'u', χ: 'x', ϲ: 'c',
  ı: 'i', ł: 'l', ø: 'o', đ: 'd', ħ: 'h', ß: 'ss', æ: 'ae', œ: 'oe',
};

const LEET: Record<string, string> = { '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', '@': 'a', $: 's', '!': 'i', '|': 'l' };

/** Case, compatibility forms, accents, invisible characters and look-alike letters. */
export function normalizeBase(text: string): string {
  const folded = text
    .normalize('NFKC')
    .toLowerCase()
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(INVISIBLE, '');
  let out = '';
  for (const ch of folded) out += CONFUSABLES[ch] ?? ch;
  return out;
}

/** "d i s g u s t", "d.i.s.g.u.s.t", "d-i-s-g-u-s-t" → "disgust": runs of three or more single letters. */
export function joinSpacedLetters(text: string): string {
  return text.replace(/(?<![\p{L}\p{N}])\p{L}(?:[\s.\-_*·,/]\p{L}(?![\p{L}\p{N}])){2,}/gu, (run) => run.replace(/[^\p{L}]/gu, ''));
}

/** Leetspeak inside words only: a token must hold a letter for its digits and signs to count. */
export function undoLeetspeak(text: string): string {
  return text.replace(/[\p{L}\p{N}@$!|]+/gu, (token) => (/\p{L}/u.test(token) ? [...token].map((c) => LEET[c] ?? c).join('') : token));
}

/** Three or more of the same letter become one; with `all`, any repeat does. Digits stay. */
export function collapseRepeats(word: string, all = true): string {
  return word.replace(all ? /(\p{L})\1+/gu : /(\p{L})\1{2,}/gu, '$1');
}

/** The words of a text after every step, repeats collapsed: what word lists are matched against. */
export function canonicalWords(text: string): string[] {
  const prepared = undoLeetspeak(joinSpacedLetters(normalizeBase(text)));
  return (prepared.match(/[\p{L}\p{N}]+/gu) ?? []).map((w) => collapseRepeats(w));
}
