import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { STORM_CACHE_MIN_COMMENTS, STORM_CACHE_MS, StormCache, type Storm } from '../../src/domain/comments/storm-cache.ts';

const notInes: Storm = { key: 'notines', text: 'Not Ines', count: 42_000, accounts: 900 };

describe('the storm cache of big posts', () => {
  const counted = () => {
    let reads = 0;
    return { read: async () => (reads++, [notInes]), reads: () => reads };
  };

  test(`a post of ${STORM_CACHE_MIN_COMMENTS} comments or more reads its storms once per ${STORM_CACHE_MS} ms, and readers at the same moment share the read`, async () => {
    let now = 0;
    const cache = new StormCache(10, STORM_CACHE_MS, () => now);
    const source = counted();
    const [a, b] = await Promise.all([cache.get('1', STORM_CACHE_MIN_COMMENTS, source.read), cache.get('1', 50_000, source.read)]);
    assert.deepEqual([a, b], [[notInes], [notInes]]);
    assert.equal(source.reads(), 1);
    now = STORM_CACHE_MS - 1;
    await cache.get('1', 50_000, source.read);
    assert.equal(source.reads(), 1);
    now = STORM_CACHE_MS;
    await cache.get('1', 50_000, source.read);
    assert.equal(source.reads(), 2, 'read again once the kept storms are too old');
  });

  test('a smaller post is read every time, so an ordinary conversation folds at once', async () => {
    const cache = new StormCache(10, STORM_CACHE_MS, () => 0);
    const source = counted();
    for (let i = 0; i < 3; i++) await cache.get('1', STORM_CACHE_MIN_COMMENTS - 1, source.read);
    assert.equal(source.reads(), 3);
  });

  test('forgetting a post (a bulk action, an un-hide) reads it afresh; capacity 0 never keeps anything; a failed read is not kept', async () => {
    const cache = new StormCache(10, STORM_CACHE_MS, () => 0);
    const source = counted();
    await cache.get('1', 50_000, source.read);
    cache.forget('1');
    await cache.get('1', 50_000, source.read);
    assert.equal(source.reads(), 2);

    const off = new StormCache(0, STORM_CACHE_MS, () => 0);
    const other = counted();
    await off.get('1', 50_000, other.read);
    await off.get('1', 50_000, other.read);
    assert.equal(other.reads(), 2);

    await assert.rejects(cache.get('2', 50_000, async () => Promise.reject(new Error('database gone'))));
    assert.deepEqual(await cache.get('2', 50_000, async () => [notInes]), [notInes]);
  });
});
