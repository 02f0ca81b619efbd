import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyTone, type Tone } from '../../src/domain/comments/tone.ts';

/** A labelled sample written for this test, in the spirit of the scenario's comment storm. */
const SAMPLE: Array<[string, Tone]> = [
  // The scenario's own lines.
  ['Mara….why is Ines there????', 'question'],
  ['Really Ines? The hypocrisy and disgust!', 'critical'],
  ['it shows how important it is to have conversations with people with different opinions', 'supportive'],
  // Supportive
  ['Happy birthday Ines! ❤️', 'supportive'],
  ['I love you both so much', 'supportive'],
  ['Beautiful friendship, this made my day', 'supportive'],
  ['So proud of you for this', 'supportive'],
  ['What a gorgeous photo 😍', 'supportive'],
  ['Respect for standing by your friend', 'supportive'],
  ['You two are the best 👏👏', 'supportive'],
  ['This is so sweet, thank you for sharing', 'supportive'],
  ['Queen behaviour honestly', 'supportive'],
  ['Friendship over politics, love it', 'supportive'],
  ['Congratulations on the party, looks amazing', 'supportive'],
  ['Such a lovely moment 🥰', 'supportive'],
  ['Great people stay friends no matter what', 'supportive'],
  ['I support you Mara', 'supportive'],
  ['Wonderful, the babies are adorable', 'supportive'],
  ['This is what kindness looks like', 'supportive'],
  // Critical
  ['What a disgrace', 'critical'],
  ['Shame on you Mara', 'critical'],
  ['Unfollowed. Pathetic.', 'critical'],
  ['This is disgusting 🤮', 'critical'],
  ['You are a hypocrite', 'critical'],
  ['Terrible choice of friends', 'critical'],
  ['I hate this so much', 'critical'],
  ['Fake activism, nothing else', 'critical'],
  ['Worst post ever 👎', 'critical'],
  ['So disappointed in you', 'critical'],
  ['Awful, just awful', 'critical'],
  ['You betrayed your fans', 'critical'],
  ['Cringe and sad', 'critical'],
  ['This is so wrong and ugly', 'critical'],
  ['Embarrassing behaviour 😡', 'critical'],
  // Questions
  ['Why would you invite her?', 'question'],
  ['Is that Ines?', 'question'],
  ['Who took the photos?', 'question'],
  ['Where was the party?', 'question'],
  ['How do you two know each other?', 'question'],
  ['What happened to your old friends?', 'question'],
  ['Did Ines really come??', 'question'],
  ['Are you serious', 'question'],
  ['When is the next party?', 'question'],
  ['Can someone explain this?', 'question'],
  ['Wait, is this from last year?', 'question'],
  ['What camera did you use?', 'question'],
  ['Does she know about the comments?', 'question'],
  ['How old are the girls now?', 'question'],
  // Neutral
  ['Not Ines', 'neutral'],
  ['Ines', 'neutral'],
  ['The party was on Saturday', 'neutral'],
  ['Photo 3', 'neutral'],
  ['Saw this on the news', 'neutral'],
  ['Same dress as last time', 'neutral'],
  ['First', 'neutral'],
  ['Tagging my sister', 'neutral'],
  ['Back in 2019', 'neutral'],
  ['Posted at 9pm', 'neutral'],
  ['Okay', 'neutral'],
  ['Reading the comments now', 'neutral'],
];

test('the labelled sample has at least 60 comments of all four tones', () => {
  assert.ok(SAMPLE.length >= 60);
  for (const tone of ['supportive', 'critical', 'question', 'neutral']) assert.ok(SAMPLE.some(([, t]) => t === tone), tone);
});

test("the scenario's quoted lines are classified exactly", () => {
  for (const [text, tone] of SAMPLE.slice(0, 3)) assert.equal(classifyTone(text), tone, text);
});

test('the tone method is right on at least 80% of the labelled sample', (t) => {
  const confusion: Record<string, Record<string, number>> = {};
  let right = 0;
  const wrong: string[] = [];
  for (const [text, expected] of SAMPLE) {
    const got = classifyTone(text);
    confusion[expected] ??= {};
    confusion[expected][got] = (confusion[expected][got] ?? 0) + 1;
    if (got === expected) right += 1;
    else wrong.push(`${expected}→${got}: ${text}`);
  }
  const accuracy = right / SAMPLE.length;
  t.diagnostic(`accuracy ${(accuracy * 100).toFixed(1)}% (${right}/${SAMPLE.length}); confusion ${JSON.stringify(confusion)}`);
  for (const w of wrong) t.diagnostic(`miss ${w}`);
  assert.ok(accuracy >= 0.8, `accuracy ${accuracy}`);
});
