import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { TEXT_MEMO_MAX_LENGTH, TextMemo } from '../../src/infra/cache/text-memo.ts';
import { createHiddenWordsMatcher } from '../../src/domain/moderation/hidden-words.ts';
import { analyzeTone, classifyTone } from '../../src/domain/comments/tone.ts';

describe('TextMemo', () => {
  test('a repeated short text is computed once', () => {
    const memo = new TextMemo<string>(8);
    let calls = 0;
    const upper = (t: string) => ((calls += 1), t.toUpperCase());
    for (let i = 0; i < 1000; i++) assert.equal(memo.get(i % 2 ? 'not ines' : 'Not Ines!!', upper), i % 2 ? 'NOT INES' : 'NOT INES!!');
    assert.equal(calls, 2);
  });

  test('it keeps at most its capacity, the least recently used text leaving first', () => {
    const memo = new TextMemo<string>(3);
    let calls = 0;
    const same = (t: string) => ((calls += 1), t);
    for (const t of ['a', 'b', 'c', 'a', 'd']) memo.get(t, same); // 'b' is the oldest when 'd' comes
    assert.equal(memo.size, 3);
    calls = 0;
    memo.get('a', same);
    memo.get('b', same);
    assert.equal(calls, 1, "'a' was kept, 'b' had left");
  });

  test('a text longer than the limit is computed every time and not kept', () => {
    const memo = new TextMemo<string>(8);
    let calls = 0;
    const long = 'x'.repeat(TEXT_MEMO_MAX_LENGTH + 1);
    for (let i = 0; i < 3; i++) memo.get(long, (t) => ((calls += 1), t));
    assert.equal(calls, 3);
    assert.equal(memo.size, 0);
  });
});

describe('moderation answers through the memo', () => {
  test('a hidden-words matcher answers a repeated text as it did the first time', () => {
    const matcher = createHiddenWordsMatcher({ useDefaultList: false, words: ['not ines'] });
    for (let i = 0; i < 3; i++) {
      assert.deepEqual(matcher.match('NOT... ines!!'), { hidden: true, reason: 'not ines' });
      assert.deepEqual(matcher.match('Happy birthday'), { hidden: false });
    }
    // Each matcher has its own memo: another list decides afresh.
    assert.deepEqual(createHiddenWordsMatcher({ useDefaultList: false, words: [] }).match('NOT... ines!!'), { hidden: false });
  });

  test('the tone of a repeated text is the analysed one', () => {
    for (const text of ['Not Ines', 'So proud of you Mara ❤️', 'Mara….why is Ines there????']) {
      const analysed = analyzeTone(text).tone;
      assert.equal(classifyTone(text), analysed);
      assert.equal(classifyTone(text), analysed);
    }
  });
});
