// Durable jobs (the outbox): recorded in the transaction of the change that causes them, worked
// from the jobs table on the embedded default, retried with backoff, left failed with their
// error, recovered after a lease runs out, and seen and handled through `admin jobs`.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildApp } from '../../src/app.ts';
import { backoffMs, DatabaseJobQueue, type JobFailure } from '../../src/infra/queue/durable-job-queue.ts';
import { JobStore } from '../../src/infra/queue/job-store.ts';
import { processHolder } from '../../src/infra/process-holder.ts';
import { createWorld, type World } from '../support/world.ts';
import { postPhotos } from '../support/photos.ts';
import { TEST_DB } from '../support/test-database.ts';
import { adminCommand } from '../support/admin-command.ts';

const jobRows = (world: World, name?: string) => {
  let q = world.db.handle.kysely.selectFrom('jobs').selectAll();
  if (name) q = q.where('name', '=', name);
  return q.orderBy('id').execute();
};

const feedHas = async (world: World, accountId: string, statusId: string) =>
  (await world.db.handle.kysely.selectFrom('home_feed').select('status_id').where('account_id', '=', accountId).where('status_id', '=', statusId).execute()).length;

/** A bounded wait used only as a failure guard, never as synchronisation. */
function guard<T>(promise: Promise<T>, what: string, ms = 20_000): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([promise, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms)))]).finally(() => clearTimeout(timer));
}

describe('the outbox: jobs commit with their change', () => {
  let world: World;
  before(async () => {
    world = await createWorld({ accounts: ['mara', 'ines', 'sam'] });
    await world.post('mara', `/api/v1/accounts/${world.actors.ines.id}/follow`);
    await world.app.services.jobs.onIdle();
  });
  after(() => world.close());

  test('a fan-out committed with its post but never worked (the app stopped first) runs once a new app starts on the same database', async () => {
    // The first app stops working jobs, as if killed right after the commit.
    await world.app.services.jobs.stop();
    const post = await postPhotos(world, 'ines', 'posted just before the crash');
    const queued = await jobRows(world, 'feed.fan-out');
    assert.equal(queued.length, 1);
    assert.equal(queued[0].state, 'queued');
    assert.deepEqual(JSON.parse(queued[0].payload), { statusId: post.id, authorId: world.actors.ines.id });
    assert.equal(await feedHas(world, world.actors.mara.id, post.id), 0);

    const restarted = await buildApp(world.config, { clock: world.clock, database: world.db.handle, logger: false });
    try {
      await restarted.services.jobs.onIdle();
      assert.equal(await feedHas(world, world.actors.mara.id, post.id), 1);
      assert.deepEqual(await jobRows(world), [], 'the done job is gone');
    } finally {
      await restarted.close();
    }
  });

  test('a fan-out leased by a process of this host and data folder that died runs as soon as the app restarts, not after its lease', async () => {
    await world.app.services.jobs.stop();
    const post = await postPhotos(world, 'ines', 'posted while the worker held the job');
    // The state a SIGKILL leaves: claimed by the dead process, leased for another 30 s.
    const leaseEnd = new Date(world.clock.now().getTime() + 30_000).toISOString();
    await world.db.handle.kysely
      .updateTable('jobs')
      .set({ state: 'running', attempts: 1, locked_by: `${processHolder(world.config.dataDir)}.dead-process`, run_at: leaseEnd })
      .where('name', '=', 'feed.fan-out')
      .execute();

    const restarted = await buildApp(world.config, { clock: world.clock, database: world.db.handle, logger: false });
    try {
      await restarted.services.jobs.onIdle();
      assert.equal(await feedHas(world, world.actors.mara.id, post.id), 1, 'run without the clock moving');
      assert.deepEqual(await jobRows(world), []);
    } finally {
      await restarted.close();
    }
  });

  test('a job leased by a process of another data folder waits for its lease', async () => {
    const other = await buildApp({ ...world.config, dataDir: `${world.config.dataDir}-elsewhere` }, { clock: world.clock, database: world.db.handle, logger: false });
    try {
      await other.services.jobs.stop();
      const post = await postPhotos(world, 'ines', 'posted while another process held the job');
      const leaseEnd = new Date(world.clock.now().getTime() + 30_000).toISOString();
      await world.db.handle.kysely
        .updateTable('jobs')
        .set({ state: 'running', attempts: 1, locked_by: `${processHolder(`${world.config.dataDir}-elsewhere`)}.live-process`, run_at: leaseEnd })
        .where('name', '=', 'feed.fan-out')
        .execute();
      const restarted = await buildApp(world.config, { clock: world.clock, database: world.db.handle, logger: false });
      try {
        await restarted.services.jobs.onIdle();
        assert.equal(await feedHas(world, world.actors.mara.id, post.id), 0, 'the other process still holds it');
        world.clock.advance(30_000);
        await restarted.services.jobs.onIdle();
        assert.equal(await feedHas(world, world.actors.mara.id, post.id), 1);
      } finally {
        await restarted.close();
      }
    } finally {
      await other.close();
    }
  });

  test('a rolled-back transaction leaves no job', async () => {
    const db = world.db.handle.kysely;
    // A second app works this database from here on (the first one's queue is stopped).
    const app = await buildApp(world.config, { clock: world.clock, database: world.db.handle, logger: false });
    try {
      await assert.rejects(
        db.transaction().execute(async (trx) => {
          await app.services.jobs.enqueue('feed.backfill', { followerId: world.actors.sam.id, authorId: world.actors.ines.id }, { trx });
          assert.equal((await trx.selectFrom('jobs').select('id').execute()).length, 1, 'visible inside its transaction');
          throw new Error('the change fails');
        }),
        /the change fails/,
      );
      await app.services.jobs.onIdle();
      assert.deepEqual(await jobRows(world), []);
      assert.equal((await db.selectFrom('home_feed').select('status_id').where('account_id', '=', world.actors.sam.id).execute()).length, 0, 'the job never ran');
    } finally {
      await app.close();
    }
  });
});

describe('retries, backoff, the failed state and leases', () => {
  let world: World;
  const failures: JobFailure[] = [];
  before(async () => {
    world = await createWorld({ accounts: ['mara', 'ines', 'sam'] });
    world.app.services.jobs.onError = (f) => failures.push(f);
    for (const who of ['mara', 'sam'] as const) await world.post(who, `/api/v1/accounts/${world.actors.ines.id}/follow`);
    await world.app.services.jobs.onIdle();
  });
  after(() => world.close());

  test('a job that fails after applying its effect is retried after its backoff, and the effect is there exactly once', async () => {
    const post = await postPhotos(world, 'ines', 'fanned out twice');
    await world.app.services.jobs.onIdle();
    let runs = 0;
    // The real fan-out insert, then a failure: the retry inserts again.
    world.app.services.jobs.define<{ statusId: string; authorId: string }>('test.fan-out-then-fail', {
      handler: async ({ statusId, authorId }) => {
        runs += 1;
        await world.app.services.repositories.feeds.pushToFollowers(statusId, authorId);
        if (runs === 1) throw new Error('lost the connection after the insert');
      },
    });
    await world.app.services.jobs.enqueue('test.fan-out-then-fail', { statusId: post.id, authorId: world.actors.ines.id }, { trx: world.db.handle.kysely });
    await world.app.services.jobs.onIdle();
    assert.equal(runs, 1);
    const [waiting] = await jobRows(world, 'test.fan-out-then-fail');
    assert.equal(waiting.state, 'queued');
    assert.equal(waiting.attempts, 1);
    assert.match(waiting.last_error ?? '', /lost the connection after the insert/);
    assert.equal(failures.filter((f) => f.name === 'test.fan-out-then-fail' && !f.final).length, 1, 'the failed attempt was reported');

    world.clock.advance(backoffMs(1));
    await world.app.services.jobs.onIdle();
    assert.equal(runs, 2);
    assert.deepEqual(await jobRows(world, 'test.fan-out-then-fail'), []);
    for (const who of ['mara', 'sam'] as const) assert.equal(await feedHas(world, world.actors[who].id, post.id), 1, who);
  });

  test('a job that keeps failing waits its backoff between attempts, then stays failed with its error, reported once as final', async () => {
    let runs = 0;
    let gaveUp = 0;
    world.app.services.jobs.define<{ n: number }>('test.always-fails', {
      maxAttempts: 3,
      handler: async () => {
        runs += 1;
        throw new Error(`refused, attempt ${runs}`);
      },
      onFailure: () => {
        gaveUp += 1;
      },
    });
    await world.app.services.jobs.enqueue('test.always-fails', { n: 1 }, { trx: world.db.handle.kysely });
    await world.app.services.jobs.onIdle();
    assert.equal(runs, 1);
    for (const attempt of [1, 2]) {
      // Not before its backoff has passed.
      world.clock.advance(backoffMs(attempt) - 1);
      await world.app.services.jobs.onIdle();
      assert.equal(runs, attempt, `no attempt ${attempt + 1} before the backoff ends`);
      world.clock.advance(1);
      await world.app.services.jobs.onIdle();
      assert.equal(runs, attempt + 1);
    }
    const [row] = await jobRows(world, 'test.always-fails');
    assert.equal(row.state, 'failed');
    assert.equal(row.attempts, 3);
    assert.match(row.last_error ?? '', /refused, attempt 3/);
    assert.equal(gaveUp, 1);
    const reported = failures.filter((f) => f.name === 'test.always-fails');
    assert.deepEqual(reported.map((f) => [f.attempt, f.final]), [[1, false], [2, false], [3, true]]);
    assert.match(reported[2].error.message, /refused, attempt 3/);
    world.clock.advance(24 * 3600_000);
    await world.app.services.jobs.onIdle();
    assert.equal(runs, 3, 'a failed job is not run again by itself');
    await world.db.handle.kysely.deleteFrom('jobs').where('name', '=', 'test.always-fails').execute();
  });

  test('a job whose process died while running it runs again once its lease runs out, not before', async () => {
    let runs = 0;
    world.app.services.jobs.define<{ n: number }>('test.lease', {
      handler: async () => {
        runs += 1;
      },
    });
    // The state a killed process leaves: claimed (attempt 1), leased for 30 s, never finished.
    await world.app.services.jobs.enqueue('test.lease', { n: 1 }, { trx: world.db.handle.kysely, delayMs: 3600_000 });
    const leaseEnd = new Date(world.clock.now().getTime() + 30_000).toISOString();
    await world.db.handle.kysely.updateTable('jobs').set({ state: 'running', attempts: 1, locked_by: 'a-dead-process', run_at: leaseEnd }).where('name', '=', 'test.lease').execute();
    await world.app.services.jobs.onIdle();
    assert.equal(runs, 0, 'the lease still holds');
    world.clock.advance(30_000);
    await world.app.services.jobs.onIdle();
    assert.equal(runs, 1);
    assert.deepEqual(await jobRows(world, 'test.lease'), []);
  });

  test('a lease that ran out on the last attempt leaves the job failed, without running it again', async () => {
    let runs = 0;
    world.app.services.jobs.define<{ n: number }>('test.lease-last', {
      maxAttempts: 2,
      handler: async () => {
        runs += 1;
      },
    });
    await world.app.services.jobs.enqueue('test.lease-last', { n: 1 }, { trx: world.db.handle.kysely, delayMs: 3600_000 });
    await world.db.handle.kysely
      .updateTable('jobs')
      .set({ state: 'running', attempts: 2, locked_by: 'a-dead-process', run_at: world.clock.now().toISOString() })
      .where('name', '=', 'test.lease-last')
      .execute();
    await world.app.services.jobs.onIdle();
    assert.equal(runs, 0);
    const [row] = await jobRows(world, 'test.lease-last');
    assert.equal(row.state, 'failed');
    assert.match(row.last_error ?? '', /lease ran out/);
    await world.db.handle.kysely.deleteFrom('jobs').where('name', '=', 'test.lease-last').execute();
  });
});

describe('waking after the commit', () => {
  let world: World;
  before(async () => {
    world = await createWorld({ accounts: ['mara'] });
  });
  after(() => world.close());

  test('a job runs as soon as its transaction commits, with no poll and no onIdle, and sees what the transaction wrote', async () => {
    const store = new JobStore(world.db.handle.kysely, world.db.handle.dialect, world.clock);
    // A poll of an hour: only the wake after the commit can start this job.
    const queue = new DatabaseJobQueue(store, { pollMs: 3600_000 });
    let ran!: (note: string | undefined) => void;
    const seen = new Promise<string | undefined>((resolve) => (ran = resolve));
    queue.define<{ accountId: string }>('test.wake', {
      handler: async ({ accountId }) => {
        const row = await world.db.handle.kysely.selectFrom('account_notes').select('comment').where('account_id', '=', accountId).executeTakeFirst();
        ran(row?.comment);
      },
    });
    queue.start();
    try {
      const mara = world.actors.mara.id;
      const now = world.clock.now().toISOString();
      await world.db.handle.kysely.transaction().execute(async (trx) => {
        await queue.enqueue('test.wake', { accountId: mara }, { trx });
        // Written after the job inside the same transaction: the job must see it.
        await trx.insertInto('account_notes').values({ account_id: mara, target_account_id: mara, comment: 'committed with the job', updated_at: now } as any).execute();
      });
      assert.equal(await guard(seen, 'the job after its commit'), 'committed with the job');
    } finally {
      await queue.stop();
    }
  });
});

describe('npm run admin -- jobs', () => {
  let world: World;
  let dir: string;
  let failNext = true;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-jobs-admin-'));
    world = await createWorld({ accounts: ['mara'], config: { dataDir: dir }, databaseFile: TEST_DB === 'sqlite' ? path.join(dir, 'glimpse.sqlite') : undefined });
    world.app.services.jobs.onError = () => undefined;
    world.app.services.jobs.define<{ n: number }>('test.admin', {
      maxAttempts: 1,
      handler: async ({ n }) => {
        if (failNext) throw new Error(`job ${n} refused`);
      },
    });
    for (const n of [1, 2]) await world.app.services.jobs.enqueue('test.admin', { n }, { trx: world.db.handle.kysely });
    await world.app.services.jobs.onIdle();
  });
  after(() => world.close());

  test('counts per queue and state, lists failures with their errors, retries one and discards the rest', async () => {
    const rows = await jobRows(world, 'test.admin');
    const first = rows.find((r) => r.payload === '{"n":1}')!;
    const second = rows.find((r) => r.payload === '{"n":2}')!;
    const counts = await adminCommand(world, dir, 'jobs');
    assert.equal(counts.code, 0, counts.out);
    assert.match(counts.out, /^test\.admin\tfailed\t2$/m);

    const failed = await adminCommand(world, dir, 'jobs', 'failed');
    assert.equal(failed.code, 0, failed.out);
    assert.match(failed.out, new RegExp(`^${first.id}\\ttest\\.admin\\tattempts 1\\t.*payload \\{"n":1\\}$`, 'm'));
    assert.match(failed.out, /job 1 refused/);
    assert.match(failed.out, /job 2 refused/);

    // The app's fallback poll may take the retried job as soon as the command commits.
    failNext = false;
    const retried = await adminCommand(world, dir, 'jobs', 'retry', first.id);
    assert.equal(retried.code, 0, retried.out);
    assert.match(retried.out, /1 failed job queued again/);
    await world.app.services.jobs.onIdle();
    assert.deepEqual((await jobRows(world, 'test.admin')).map((r) => [r.id, r.state]), [[second.id, 'failed']]);

    const unknown = await adminCommand(world, dir, 'jobs', 'retry', first.id);
    assert.equal(unknown.code, 1);
    assert.match(unknown.out, /no failed job/);

    const discarded = await adminCommand(world, dir, 'jobs', 'discard', 'all');
    assert.equal(discarded.code, 0, discarded.out);
    assert.match(discarded.out, /1 failed job discarded/);
    assert.deepEqual(await jobRows(world, 'test.admin'), []);
    assert.match((await adminCommand(world, dir, 'jobs')).out, /no jobs/);
  });
});
