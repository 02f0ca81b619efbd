// Jobs on BullMQ (GLIMPSE_REDIS_URL), against the real Redis on these machines: the outbox row
// is written in the change's transaction, the relay moves it into BullMQ, workers run only in
// `all` and `worker` processes, and a job out of attempts waits in BullMQ's failed set.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildApp, type GlimpseApp } from '../../src/app.ts';
import type { Config } from '../../src/config.ts';
import { systemClock } from '../../src/clock.ts';
import { bullJobsAdmin } from '../../src/infra/queue/bullmq-job-queue.ts';
import type { JobFailure } from '../../src/infra/queue/durable-job-queue.ts';
import { JobStore } from '../../src/infra/queue/job-store.ts';
import { createWorld, type World } from '../support/world.ts';
import { postPhotos } from '../support/photos.ts';
import { deleteRedisPrefix, TEST_REDIS_URL, uniqueRedisPrefix } from '../support/test-redis.ts';

const feedHas = async (world: World, accountId: string, statusId: string) =>
  (await world.db.handle.kysely.selectFrom('home_feed').select('status_id').where('account_id', '=', accountId).where('status_id', '=', statusId).execute()).length;

const outbox = (world: World) => world.db.handle.kysely.selectFrom('jobs').select(['id', 'name']).execute();

describe('jobs on BullMQ', () => {
  let world: World;
  const prefix = uniqueRedisPrefix('jobs');
  const others: GlimpseApp[] = [];
  const another = async (overrides: Partial<Config>) => {
    const app = await buildApp({ ...world.config, ...overrides }, { clock: world.clock, database: world.db.handle, logger: false });
    others.push(app);
    return app;
  };
  before(async () => {
    world = await createWorld({ accounts: ['mara', 'ines', 'sam'], config: { redisUrl: TEST_REDIS_URL, redisPrefix: prefix } });
    await world.post('mara', `/api/v1/accounts/${world.actors.ines.id}/follow`);
    await world.app.services.jobs.onIdle();
  });
  after(async () => {
    for (const app of others) await app.close();
    await world.close();
    await deleteRedisPrefix(prefix);
  });

  test("a post's fan-out goes through the outbox and BullMQ into the follower's feed", async () => {
    const post = await postPhotos(world, 'ines', 'through bullmq');
    await world.app.services.jobs.onIdle();
    assert.equal(await feedHas(world, world.actors.mara.id, post.id), 1);
    assert.deepEqual(await outbox(world), [], 'relayed rows leave the outbox');
  });

  test('a row committed while no process relayed is relayed and run by the next process', async () => {
    await world.app.services.jobs.stop();
    const post = await postPhotos(world, 'ines', 'committed, never relayed');
    assert.deepEqual((await outbox(world)).map((r) => r.name), ['feed.fan-out']);
    const next = await another({});
    await next.services.jobs.onIdle();
    assert.equal(await feedHas(world, world.actors.mara.id, post.id), 1);
    assert.deepEqual(await outbox(world), []);
  });

  test('a web process only enqueues and relays; a worker process runs the job', async () => {
    const ranIn: string[] = [];
    const web = await another({ role: 'web' });
    const worker = await another({ role: 'worker' });
    web.services.jobs.define<{ n: number }>('test.where', { handler: async () => void ranIn.push('web') });
    worker.services.jobs.define<{ n: number }>('test.where', { handler: async () => void ranIn.push('worker') });
    for (const n of [1, 2, 3]) await web.services.jobs.enqueue('test.where', { n }, { trx: world.db.handle.kysely });
    // The web process's view: its outbox relayed and the queue drained (by the worker).
    await web.services.jobs.onIdle();
    assert.deepEqual(ranIn, ['worker', 'worker', 'worker']);
  });
});

describe('BullMQ: failed jobs are kept, listed, retried and discarded', () => {
  let world: World;
  const prefix = uniqueRedisPrefix('jobs-failed');
  const failures: JobFailure[] = [];
  let failNext = true;
  let runs = 0;
  before(async () => {
    world = await createWorld({ accounts: ['mara'], config: { redisUrl: TEST_REDIS_URL, redisPrefix: prefix } });
    world.app.services.jobs.onError = (f) => failures.push(f);
    world.app.services.jobs.define<{ n: number }>('test.refused', {
      maxAttempts: 1,
      handler: async ({ n }) => {
        runs += 1;
        if (failNext) throw new Error(`job ${n} refused`);
      },
    });
  });
  after(async () => {
    await world.close();
    await deleteRedisPrefix(prefix);
  });

  test('a job out of attempts is reported once as final and kept with its error; retry runs it again, discard removes it', async () => {
    for (const n of [1, 2]) await world.app.services.jobs.enqueue('test.refused', { n }, { trx: world.db.handle.kysely });
    await world.app.services.jobs.onIdle();
    assert.equal(runs, 2);
    assert.deepEqual(failures.map((f) => [f.name, f.attempt, f.final]), [['test.refused', 1, true], ['test.refused', 1, true]]);

    const admin = await bullJobsAdmin(new JobStore(world.db.handle.kysely, world.db.handle.dialect, systemClock), TEST_REDIS_URL, prefix);
    try {
      assert.ok((await admin.counts()).some((c) => c.queue === 'test.refused' && c.state === 'failed' && c.count === 2));
      const failed = await admin.failed();
      assert.equal(failed.length, 2);
      assert.ok(failed.every((f) => f.name === 'test.refused' && f.attempts === 1));
      assert.deepEqual(failed.map((f) => /job (\d) refused/.exec(f.error)?.[1]).sort(), ['1', '2']);

      failNext = false;
      const one = failed.find((f) => f.payload === '{"n":1}')!;
      assert.equal(await admin.retry(one.id), 1);
      await world.app.services.jobs.onIdle();
      assert.equal(runs, 3);
      assert.deepEqual((await admin.failed()).map((f) => f.payload), ['{"n":2}']);

      assert.equal(await admin.discard('all'), 1);
      assert.deepEqual(await admin.failed(), []);
    } finally {
      await admin.close();
    }
  });
});
