import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TRAY_CACHE_MAX_AGE_MS, TrayCache } from '../../src/domain/stories/tray-cache.ts';
import type { TrayRow } from '../../src/domain/stories/story-repository.ts';

const row = (id: string, accountId: string): TrayRow => ({ id, account_id: accountId, audience: 'followers', created_at: '2026-12-04T00:00:00.000Z', expires_at: '2026-12-05T00:00:00.000Z', reshare_of_id: null, seen: false });

/** Keeps `rows` for viewer v, who follows a and b, read at relations version 1. */
function kept(cache: TrayCache, rows: TrayRow[] = [row('1', 'a')]) {
  const at = cache.begin();
  cache.set('v', { at, relationsVersion: 1, rows, accounts: ['v', 'a', 'b'] });
  return rows;
}

describe('the story tray cache', () => {
  test('answers the kept rows while nothing they came from changed', () => {
    const cache = new TrayCache(10);
    const rows = kept(cache);
    cache.changed(['someone-else']);
    assert.equal(cache.get('v', 1), rows);
    assert.equal(cache.stats().hits, 1);
  });

  test('a change to the stories of anyone the viewer follows, or a view of theirs, ends the entry', () => {
    for (const who of ['a', 'b', 'v']) {
      const cache = new TrayCache(10);
      kept(cache);
      cache.changed([who]);
      assert.equal(cache.get('v', 1), undefined, who);
    }
  });

  test('a follow change of the viewer (a new relations version) ends the entry', () => {
    const cache = new TrayCache(10);
    kept(cache);
    assert.equal(cache.get('v', 2), undefined);
  });

  test('a change that lands while the tray is being read ends the entry that read makes', () => {
    const cache = new TrayCache(10);
    const at = cache.begin();
    cache.changed(['a']);
    cache.set('v', { at, relationsVersion: 1, rows: [], accounts: ['v', 'a'] });
    assert.equal(cache.get('v', 1), undefined);
  });

  test('once a change is forgotten (too many to remember), every entry older than it is read afresh', () => {
    const cache = new TrayCache(10, 2);
    kept(cache);
    cache.changed(['x']);
    cache.changed(['y']);
    // Remembering z forgets x's change: v's entry could have depended on it, so it is not used.
    cache.changed(['z']);
    assert.equal(cache.get('v', 1), undefined);
    const rows = kept(cache);
    assert.equal(cache.get('v', 1), rows);
  });

  test('an entry is read afresh after its longest life, should a change between processes have been lost', () => {
    let now = 0;
    const cache = new TrayCache(10, 100, () => now);
    const rows = kept(cache);
    now = TRAY_CACHE_MAX_AGE_MS - 1;
    assert.equal(cache.get('v', 1), rows);
    now = TRAY_CACHE_MAX_AGE_MS + 1;
    assert.equal(cache.get('v', 1), undefined);
  });

  test('capacity 0 keeps nothing', () => {
    const cache = new TrayCache(0);
    kept(cache);
    assert.equal(cache.get('v', 1), undefined);
  });
});
