import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { InProcessJobQueue, JobTimeoutError, QueueFullError, QueueStoppedError } from '../../src/infra/queue/job-queue.ts';

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('the in-process job queue', () => {
  test('never runs more jobs at once than its concurrency', async () => {
    const queue = new InProcessJobQueue({ concurrency: 2 });
    let running = 0;
    let peak = 0;
    queue.define<number>('work', {
      handler: async () => {
        running += 1;
        peak = Math.max(peak, running);
        await new Promise((r) => setTimeout(r, 5));
        running -= 1;
      },
    });
    queue.start();
    for (let i = 0; i < 10; i++) queue.enqueue('work', i);
    await queue.onIdle();
    assert.equal(peak, 2);
    assert.deepEqual(queue.stats(), { running: 0, waiting: 0, completed: 10, failed: 0 });
  });

  test('refuses jobs beyond the backlog bound with QueueFullError', async () => {
    const gate = deferred();
    const queue = new InProcessJobQueue({ concurrency: 1, maxWaiting: 2 });
    queue.define('block', { handler: () => gate.promise });
    queue.start();
    queue.enqueue('block', {});
    queue.enqueue('block', {});
    queue.enqueue('block', {});
    assert.equal(queue.hasCapacity(), false);
    assert.throws(() => queue.enqueue('block', {}), QueueFullError);
    gate.resolve();
    await queue.onIdle();
    assert.equal(queue.hasCapacity(), true);
  });

  test('a job past its timeout is failed, reported once, and gives its slot back', async () => {
    const failures: Error[] = [];
    let aborted = false;
    const queue = new InProcessJobQueue({ concurrency: 1 });
    queue.define('slow', {
      timeoutMs: 20,
      handler: (_payload, { signal }) =>
        new Promise<void>((resolve) => {
          signal.addEventListener('abort', () => {
            aborted = true;
            resolve();
          });
        }),
      onFailure: (_payload, error) => {
        failures.push(error);
      },
    });
    let quickRan = false;
    queue.define('quick', { handler: async () => void (quickRan = true) });
    queue.start();
    queue.enqueue('slow', {});
    queue.enqueue('quick', {});
    await queue.onIdle();
    assert.equal(aborted, true);
    assert.equal(failures.length, 1);
    assert.ok(failures[0] instanceof JobTimeoutError);
    assert.equal(quickRan, true);
    assert.equal(queue.stats().failed, 1);
  });

  test('a throwing handler is reported to onFailure and the queue carries on', async () => {
    const seen: string[] = [];
    const queue = new InProcessJobQueue({ concurrency: 1 });
    queue.define<string>('maybe', {
      handler: async (p) => {
        if (p === 'bad') throw new Error('boom');
        seen.push(p);
      },
      onFailure: (p, error) => void seen.push(`${p}:${error.message}`),
    });
    queue.start();
    for (const p of ['a', 'bad', 'b']) queue.enqueue('maybe', p);
    await queue.onIdle();
    assert.deepEqual(seen, ['a', 'bad:boom', 'b']);
  });

  test('jobs wait until start(); stop() drops waiting jobs, waits for running ones and refuses new ones', async () => {
    const gate = deferred();
    const ran: number[] = [];
    const queue = new InProcessJobQueue({ concurrency: 1 });
    queue.define<number>('job', {
      handler: async (n) => {
        ran.push(n);
        await gate.promise;
      },
    });
    queue.enqueue('job', 1);
    queue.enqueue('job', 2);
    assert.deepEqual(ran, []);
    queue.start();
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(ran, [1]);
    const stopped = queue.stop({ graceMs: 1000 });
    gate.resolve();
    await stopped;
    assert.deepEqual(ran, [1]);
    assert.throws(() => queue.enqueue('job', 3), QueueStoppedError);
    await queue.onIdle();
  });
});
