import { createRequire } from 'node:module';
import { TextMemo } from '../../infra/cache/text-memo.ts';
import { foldConfusables, normalizeBase, removeInvisible, stripAccents, words } from '../moderation/text-normalizer.ts';

export type Tone = 'supportive' | 'critical' | 'question' | 'neutral';

interface VaderScores {
  neg: number;
  neu: number;
  pos: number;
  compound: number;
}

// vader-sentiment is CommonJS without types.
const require = createRequire(import.meta.url);
const vader = (require('vader-sentiment') as { SentimentIntensityAnalyzer: { polarity_scores(text: string): VaderScores } })
  .SentimentIntensityAnalyzer;

/** Thresholds on the compound score (−1 … 1) after the domain supplement is added. */
export const TONE_THRESHOLDS = {
  /** At or above: supportive. */
  supportive: 0.3,
  /** At or below: critical, even when phrased as a question. */
  critical: -0.3,
  /** A question this positive is praise ("Isn't she amazing?"), so supportive. */
  positiveQuestion: 0.6,
} as const;

/**
 * What VADER's general lexicon misses in comments on a public figure's post, on VADER's own
 * scale (−4 … 4). For a word VADER does not know, this is its valence; for the few it knows
 * with a sense wrong for comments ("joke" is +1.2 in VADER, "important" only +0.8), it is
 * what gets added to VADER's value. Negated like VADER does ("not a queen" counts −0.74×).
 */
export const TONE_LEXICON: Readonly<Record<string, number>> = {
  // critical
  hypocrisy: -2.6, hypocrite: -2.6, hypocrites: -2.6, traitor: -2.6, traitors: -2.6, sellout: -2.2,
  disgraceful: -2.6, clown: -1.8, clowns: -1.8, cringe: -1.8, cringey: -1.8, cringy: -1.8,
  unfollow: -1.6, unfollowed: -1.6, unfollowing: -1.8, trash: -2.0, garbage: -2.0, toxic: -2.2,
  yikes: -1.2, ew: -1.5, joke: -2.7, 'delete this': -2.0,
  'how dare': -2.6, 'tone deaf': -2.2, 'lost a fan': -2.2, 'lost all respect': -4.5,
  // critical, in the languages the scenario's commenters write in
  vergogna: -2.4, verguenza: -2.4, honte: -2.4, schande: -2.4, vergonha: -2.4, basura: -2.0,
  // supportive
  queen: 2.2, legend: 2.2, legendary: 2.4, iconic: 2.2, icon: 1.6, slay: 2.0, slayed: 2.0, goat: 1.6,
  important: 1.2, 'the haters': 2.2, 'stand with': 2.0, 'rooting for': 2.0, 'more of this': 2.0,
  // supportive, other languages
  bravo: 2.4, brava: 2.4, bravissima: 2.6, bellissima: 2.6, bellissimo: 2.6, hermosa: 2.6, hermoso: 2.6,
  magnifique: 2.6, grazie: 1.8, merci: 1.8, gracias: 1.8, danke: 1.8, obrigada: 1.8, obrigado: 1.8,
  felicidades: 2.6, felicitations: 2.6, complimenti: 2.4,
};

/** Emoji valence on the same scale (VADER's JavaScript port scores no emoji). Each kind counts at most three times. */
export const EMOJI_VALENCE: Readonly<Record<string, number>> = {
  '❤': 2.6, '♥': 2.6, '💕': 2.6, '💖': 2.6, '💗': 2.6, '💓': 2.6, '💞': 2.6, '💘': 2.4, '💝': 2.4,
  '🧡': 2.4, '💛': 2.4, '💚': 2.4, '💙': 2.4, '💜': 2.4, '🤍': 2.4, '🤎': 2.4, '🖤': 1.8, '🫶': 2.6,
  '😍': 2.8, '🥰': 2.8, '😘': 2.3, '😊': 2.0, '☺': 2.0, '🙂': 1.0, '😀': 2.0, '😃': 2.0, '😄': 2.0,
  '😁': 2.0, '🤗': 2.0, '😇': 1.6, '🥹': 1.6, '👏': 2.0, '🙌': 2.0, '👍': 1.6, '💪': 1.8, '🔥': 1.8,
  '✨': 1.0, '🎉': 2.2, '🥳': 2.2, '🙏': 1.6, '💯': 1.8, '🌹': 1.6, '💐': 1.8, '👑': 2.2,
  '😡': -2.6, '😠': -2.3, '🤬': -3.0, '🤮': -2.8, '🤢': -2.3, '👎': -2.0, '🤡': -2.0, '💩': -2.3,
  '🙄': -1.6, '😤': -1.8, '😒': -1.6, '🐍': -1.8, '💔': -2.0, '😞': -1.8, '😔': -1.5, '🤦': -1.6,
  '🖕': -3.2, '😑': -0.8,
};

/** Emoji that ask: a comment with one of them is a question. */
const QUESTION_EMOJI = new Set(['🤔', '🧐', '🤨', '❓', '❔']);

const NEGATIONS = new Set([
  'not', 'no', 'never', 'nor', 'none', 'nobody', 'nothing', 'neither', 'without', 'nowhere', 'hardly', 'dont', 'cant',
  'isnt', 'arent', 'wasnt', 'werent', 'doesnt', 'didnt', 'wont', 'wouldnt', 'shouldnt', 'couldnt', 't',
]);

// Question words opening a clause, even without "?": English and the scenario's other languages.
const WH_ALWAYS = new Set(['why', 'pourquoi', 'warum', 'wieso']);
const WH = new Set(['what', 'who', 'whom', 'whose', 'where', 'when', 'which']);
const AUXILIARIES = new Set(['is', 'are', 'was', 'were', 'am', 'do', 'does', 'did', 'can', 'could', 'should', 'would', 'will', 'has', 'have', 'had', 'shall', 'may', 'might', 's']);
const HOW_QUESTIONS = new Set([...AUXILIARIES, 'come', 'many', 'much', 'long', 'old', 'often', 'far', 'about', 'to']);
const SUBJECTS = new Set([
  'i', 'you', 'he', 'she', 'it', 'we', 'they', 'this', 'that', 'there', 'these', 'those', 'the', 'a', 'an', 'my', 'your',
  'his', 'her', 'our', 'their', 'anyone', 'anybody', 'someone', 'somebody', 'everyone', 'nobody', 'u', 'ya',
]);
const REJECTIONS = new Set(['not', 'no', 'never', 'nope', 'nah']);

const EMPHASIS = { exclamation: 0.292, question: 0.18, manyQuestions: 0.96 } as const;

function lexiconValence(word: string): number {
  return vader.polarity_scores(word).compound;
}

/**
 * Stretched words back to what VADER knows: "loooove" → "love", "goooood" → "good", "sooo" →
 * "so". Three or more of a letter become two when VADER scores that spelling, else one.
 */
function unstretch(text: string): string {
  return text.replace(/\S*(\p{L})\1{2,}\S*/gu, (word) => {
    const two = word.replace(/(\p{L})\1{2,}/gu, '$1$1');
    return lexiconValence(two) !== 0 ? two : word.replace(/(\p{L})\1{2,}/gu, '$1');
  });
}

// VADER's JavaScript port compares negations and "but" case-sensitively ("Not bad" scores as
// "bad"), so those words are lower-cased before scoring; VADER gives them no caps emphasis anyway.
const CASE_SENSITIVE_WORDS = /(?<![\p{L}'])(?:not|no|never|none|nope|nor|nothing|nowhere|neither|without|rarely|seldom|despite|but|\p{L}+n't|aint|arent|cannot|cant|couldnt|didnt|doesnt|dont|hadnt|hasnt|havent|isnt|wasnt|werent|wont|wouldnt|shouldnt)(?![\p{L}'])/giu;

function vaderRaw(compound: number): number {
  // VADER's compound is raw / sqrt(raw² + 15); inverted to add the supplement on the same scale.
  const c = Math.max(-0.9999, Math.min(0.9999, compound));
  return c * Math.sqrt(15 / (1 - c * c));
}

function punctuationEmphasis(text: string): number {
  const bangs = Math.min((text.match(/!/g) ?? []).length, 4) * EMPHASIS.exclamation;
  const asks = (text.match(/\?/g) ?? []).length;
  return bangs + (asks > 3 ? EMPHASIS.manyQuestions : asks > 1 ? asks * EMPHASIS.question : 0);
}

function supplement(tokens: string[], text: string): number {
  let sum = 0;
  for (let i = 0; i < tokens.length; i++) {
    const pair = i + 1 < tokens.length ? `${tokens[i]} ${tokens[i + 1]}` : '';
    const triple = i + 2 < tokens.length ? `${pair} ${tokens[i + 2]}` : '';
    const four = i + 3 < tokens.length ? `${triple} ${tokens[i + 3]}` : '';
    const valence = [four, triple, pair, tokens[i], tokens[i].replace(/(\p{L})\1+/gu, '$1')]
      .map((key) => (Object.hasOwn(TONE_LEXICON, key) ? TONE_LEXICON[key] : undefined))
      .find((v) => v !== undefined);
    if (valence === undefined) continue;
    const negated = tokens.slice(Math.max(0, i - 3), i).some((t) => NEGATIONS.has(t));
    sum += negated ? valence * -0.74 : valence;
  }
  const seen = new Map<string, number>();
  for (const [emoji] of text.matchAll(/\p{Extended_Pictographic}/gu)) {
    const valence = Object.hasOwn(EMOJI_VALENCE, emoji) ? EMOJI_VALENCE[emoji] : undefined;
    if (valence === undefined) continue;
    const times = (seen.get(emoji) ?? 0) + 1;
    seen.set(emoji, times);
    if (times <= 3) sum += valence;
  }
  return sum;
}

function clauseIsQuestion(clause: string[]): boolean {
  const [first, second] = clause.map((w) => w.toLowerCase());
  if (first === undefined) return false;
  if (WH_ALWAYS.has(first) || (first === 'por' && second === 'que')) return true;
  if (first === 'how') return second !== undefined && (HOW_QUESTIONS.has(second) || SUBJECTS.has(second));
  if (WH.has(first)) return second !== undefined && AUXILIARIES.has(second);
  // "is this real", "did she …", "is Ines …": an auxiliary, then a subject (a pronoun or a name).
  if (AUXILIARIES.has(first) && first !== 's') return second !== undefined && (SUBJECTS.has(second) || /^\p{Lu}/u.test(clause[1]));
  return false;
}

/**
 * A question: a question mark (any script's: "?", "¿", "؟", "？"), an asking emoji (🤔), or a
 * clause opening like a question without its mark — "why …", "how do/come/many …", "what/who/
 * where/when/which" + is/are/do/can …, "is/are/does/did/can …" + a pronoun or a capitalised
 * name ("is this real", "is Ines …"). Exclamations are not questions: "what a disgrace",
 * "how beautiful", "will miss you".
 */
export function isQuestion(text: string): boolean {
  if (/[?¿؟⸮]/u.test(text.normalize('NFKC'))) return true;
  for (const [emoji] of text.matchAll(/\p{Extended_Pictographic}/gu)) if (QUESTION_EMOJI.has(emoji)) return true;
  // Clauses split at sentence punctuation ("Mara….why is …" opens its second clause with "why"); case is kept for names.
  const plain = stripAccents(foldConfusables(removeInvisible(text.normalize('NFKC')))).replace(/@\S+/gu, ' ');
  return plain.split(/[.!;:,\n…]+/u).some((clause) => clauseIsQuestion(words(clause)));
}

export interface ToneAnalysis {
  tone: Tone;
  /** The compound score (−1 … 1) with the domain supplement. */
  score: number;
  /** VADER's own compound score. */
  vader: number;
  question: boolean;
}

/**
 * Lexicon-based tone of a comment.
 *
 * The score is VADER's compound score of the comment (stretched words restored), with the
 * domain supplement (TONE_LEXICON words and EMOJI_VALENCE emoji) added to VADER's raw sum before
 * it is normalised again. Then, in order:
 * 1. score ≤ −0.3 → critical, question or not ("Really Ines? The hypocrisy and disgust!");
 * 2. a question with score < 0.6 → question ("Mara….why is Ines there????");
 * 3. score ≥ 0.3 → supportive (a very positive question is praise: "isn't she amazing?");
 * 4. a short rejection slogan, "not/no/never" + one to three words → critical ("Not Ines",
 *    "Never again"): storms of this shape are protests, and VADER scores them 0;
 * 5. otherwise neutral.
 */
export function analyzeTone(text: string): ToneAnalysis {
  const prepared = unstretch(stripAccents(foldConfusables(removeInvisible(text.normalize('NFKC')))))
    .replace(/[’ʼ]/gu, "'")
    .replace(CASE_SENSITIVE_WORDS, (w) => w.toLowerCase());
  const compound = vader.polarity_scores(prepared).compound;
  const tokens = words(normalizeBase(prepared));
  const raw = vaderRaw(compound);
  const extra = supplement(tokens, prepared);
  let total = raw + extra;
  // VADER adds punctuation emphasis only to a non-zero sum; do the same when only the supplement scored.
  if (raw === 0 && extra !== 0) total += Math.sign(extra) * punctuationEmphasis(prepared);
  const score = extra === 0 ? compound : Math.max(-1, Math.min(1, total / Math.sqrt(total * total + 15)));
  const question = isQuestion(prepared);

  let tone: Tone;
  if (score <= TONE_THRESHOLDS.critical) tone = 'critical';
  else if (question && score < TONE_THRESHOLDS.positiveQuestion) tone = 'question';
  else if (score >= TONE_THRESHOLDS.supportive) tone = 'supportive';
  else if (tokens.length >= 2 && tokens.length <= 4 && REJECTIONS.has(tokens[0])) tone = 'critical';
  else tone = 'neutral';
  return { tone, score, vader: compound, question };
}

const recentTones = new TextMemo<Tone>(1024);

/** The tone of a comment: see analyzeTone for the method. The tones of recent short texts are kept (a storm repeats a few). */
export function classifyTone(text: string): Tone {
  return recentTones.get(text, (t) => analyzeTone(t).tone);
}
