import { createRequire } from 'node:module';

export type Tone = 'supportive' | 'critical' | 'question' | 'neutral';

const require = createRequire(import.meta.url);
const vader = require('vader-sentiment') as { SentimentIntensityAnalyzer: { polarity_scores(text: string): { compound: number } } };

/** Thresholds on VADER's compound score (−1…1), with the supplement below added. */
export const SUPPORTIVE_AT = 0.3;
export const CRITICAL_AT = -0.3;

// What VADER's general lexicon misses in comments on a public figure's post. Each hit moves
// the score by this much in its direction.
const NUDGE = 0.35;
const POSITIVE = /\b(important|respect|proud|queen|legend|beautiful|gorgeous|support|supportive|friendship|congrats|congratulations|happy birthday|stunning|iconic|blessed|grateful)\b|[❤💕💖💗😍🥰👏🎉🙌💪✨🥳]/giu;
const NEGATIVE = /\b(hypocrisy|hypocrite|hypocritical|disgrace|disgraceful|shame|shameful|traitor|fake|cringe|unfollow(ed|ing)?|unfollow|betray(ed|al)?|clown)\b|[😡🤮👎🤡😤💩🙄]/giu;
const INTERROGATIVE = /^\s*(why|how|what|who|whom|whose|where|when|which|is|are|was|were|does|do|did|can|could|should|would|will|has|have)\b/i;

/**
 * Lexicon-based tone: VADER's compound score, nudged by a small domain lexicon, then question
 * detection. Strongly negative wins over a question mark ("Really Ines? The hypocrisy…" is
 * critical); otherwise a question is a question ("why is Ines there????"); then the score.
 */
export function classifyTone(text: string): Tone {
  const compound = vader.SentimentIntensityAnalyzer.polarity_scores(text).compound;
  const positive = (text.match(POSITIVE) ?? []).length;
  const negative = (text.match(NEGATIVE) ?? []).length;
  const score = compound + NUDGE * (positive - negative);
  if (score <= CRITICAL_AT) return 'critical';
  if (text.includes('?') || INTERROGATIVE.test(text)) return 'question';
  if (score >= SUPPORTIVE_AT) return 'supportive';
  return 'neutral';
}
