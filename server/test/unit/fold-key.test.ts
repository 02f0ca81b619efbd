import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { FOLD_DISPLAY_MAX, FOLD_KEY_MAX, foldDisplayText, foldKey } from '../../src/domain/comments/fold-key.ts';

describe('foldKey', () => {
  test('variants of one comment fold together: case, punctuation, emoji, repeated letters, spacing, accents', () => {
    const variants = [
      'Not Ines',
      'not ines!!!',
      'NOT INES 😡😡',
      'Not   Innnes',
      'not ines.',
      '  Not Ines  ',
      'Not Inès',
      'not\u200b ines',
      'Not Inеs', // Cyrillic е
      'NOT... INES?!',
      '#NotInes',
      'Not Innes',
    ];
    const keys = new Set(variants.map(foldKey));
    assert.deepEqual([...keys], ['notines']);
  });

  test('different comments do not fold together', () => {
    assert.notEqual(foldKey('Not Ines'), foldKey('Not Mara'));
    assert.notEqual(foldKey('Ines!'), foldKey('Not Ines'));
    assert.notEqual(foldKey('Not Ines'), foldKey('Not Ines at all'));
    assert.notEqual(foldKey('Why Ines?'), foldKey('Not Ines'));
    assert.notEqual(foldKey('Not Ines'), foldKey('Not tines'));
  });

  test('comments without letters or digits do not fold: the key is empty', () => {
    assert.equal(foldKey('😡😡😡'), '');
    assert.equal(foldKey('!!!???'), '');
    assert.equal(foldKey('   '), '');
    assert.equal(foldKey('❤️ 👏'), '');
  });

  test('digits count, and leetspeak is not undone', () => {
    assert.equal(foldKey('10/10'), '1010');
    assert.notEqual(foldKey('b4'), foldKey('ba'));
  });

  test('letters of every script count', () => {
    assert.equal(foldKey('Не Инес!'), foldKey('не   инес'));
    assert.notEqual(foldKey('不是她'), '');
  });

  test('a long key stays at most FOLD_KEY_MAX characters and still tells long comments apart', () => {
    const long = 'Ines '.repeat(100);
    assert.ok(foldKey(long).length <= FOLD_KEY_MAX);
    assert.equal(foldKey(long), foldKey(long.toUpperCase()));
    assert.notEqual(foldKey(`${long} yes`), foldKey(`${long} no`));
  });
});

describe('foldDisplayText', () => {
  test('shows the most common original spelling, trimmed', () => {
    assert.equal(foldDisplayText(['not ines!!!', ' Not Ines ', 'NOT INES 😡', 'Not Ines', 'Not  Ines']), 'Not Ines');
  });

  test('on a tie, the spelling seen first wins', () => {
    assert.equal(foldDisplayText(['Not Ines', 'not ines', 'not ines', 'Not Ines']), 'Not Ines');
  });

  test('is at most FOLD_DISPLAY_MAX characters and never splits an emoji', () => {
    const text = foldDisplayText([`${'a'.repeat(98)}👩‍👩‍👧 and more`]);
    assert.ok(text.length <= FOLD_DISPLAY_MAX, `${text.length}`);
    assert.ok(text.endsWith('…'));
    assert.ok(!/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/.test(text), 'no lone surrogate');
  });

  test('no samples give an empty text', () => {
    assert.equal(foldDisplayText([]), '');
    assert.equal(foldDisplayText(['  ']), '');
  });
});
