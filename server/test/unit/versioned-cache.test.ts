import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VersionedCache } from '../../src/infra/cache/versioned-cache.ts';

test('a value is answered only at the version it was kept under', () => {
  const cache = new VersionedCache<string>(10);
  cache.set('a', 3, 'three');
  assert.equal(cache.get('a', 3), 'three');
  assert.equal(cache.get('a', 4), undefined);
  assert.equal(cache.get('a', 2), undefined);
  assert.deepEqual({ hits: cache.stats().hits, misses: cache.stats().misses }, { hits: 1, misses: 2 });
});

test('an older version never replaces a newer one, and a newer one replaces an older', () => {
  const cache = new VersionedCache<string>(10);
  cache.set('a', 5, 'five');
  cache.set('a', 4, 'four');
  assert.equal(cache.get('a', 5), 'five');
  cache.set('a', 6, 'six');
  assert.equal(cache.get('a', 6), 'six');
  assert.equal(cache.get('a', 5), undefined);
});

test('it keeps at most its capacity, dropping the least recently used first', () => {
  const cache = new VersionedCache<number>(2);
  cache.set('a', 0, 1);
  cache.set('b', 0, 2);
  assert.equal(cache.get('a', 0), 1); // b is now the least recently used
  cache.set('c', 0, 3);
  assert.equal(cache.stats().size, 2);
  assert.equal(cache.get('b', 0), undefined);
  assert.equal(cache.get('a', 0), 1);
  assert.equal(cache.get('c', 0), 3);
});

test('capacity 0 keeps nothing', () => {
  const cache = new VersionedCache<number>(0);
  cache.set('a', 0, 1);
  assert.equal(cache.get('a', 0), undefined);
  assert.equal(cache.stats().size, 0);
});
