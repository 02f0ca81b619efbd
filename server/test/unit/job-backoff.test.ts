import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backoffMs } from '../../src/infra/queue/durable-job-queue.ts';

test('a failed job waits 5 s after its first attempt, four times longer after each next one, and never more than an hour', () => {
  assert.deepEqual([1, 2, 3, 4].map(backoffMs), [5_000, 20_000, 80_000, 320_000]);
  assert.equal(backoffMs(7), 60 * 60_000);
  assert.equal(backoffMs(40), 60 * 60_000);
});
