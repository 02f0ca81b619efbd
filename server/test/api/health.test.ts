import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { createWorld, type World } from '../support/world.ts';
import { JOB_DELAY_LIMIT_MS } from '../../src/infra/health/readiness.ts';

const probe = (world: World, url: string) => world.app.http.inject({ method: 'GET', url });

describe('GET /livez and /readyz', () => {
  let world: World;
  before(async () => {
    world = await createWorld({ accounts: ['mara', 'ines'] });
  });
  after(() => world.close());

  test('/livez answers 200 to anyone, uncached, without reading the database', async () => {
    const before = world.db.handle.statements;
    let statements = 0;
    const stop = before.listen(() => statements++);
    const res = await probe(world, '/livez');
    stop();
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), { status: 'ok' });
    assert.equal(res.headers['cache-control'], 'no-store');
    assert.equal(statements, 0);
  });

  test('/readyz answers 200 with every check passing on a migrated database with idle queues', async () => {
    const res = await probe(world, '/readyz');
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json();
    assert.equal(body.status, 'ok');
    assert.deepEqual(Object.keys(body.checks).sort(), ['database', 'jobs', 'migrations', 'queues']);
    for (const [name, check] of Object.entries<{ ok: boolean }>(body.checks)) assert.equal(check.ok, true, name);
  });

  test('/readyz answers 503 naming the migrations when the database lacks one of this code', async () => {
    const { kysely } = world.db.handle;
    const last = await sql<{ name: string; timestamp: string }>`SELECT name, timestamp FROM kysely_migration ORDER BY name DESC LIMIT 1`.execute(kysely);
    const row = last.rows[0]!;
    await sql`DELETE FROM kysely_migration WHERE name = ${row.name}`.execute(kysely);
    try {
      const res = await probe(world, '/readyz');
      assert.equal(res.statusCode, 503);
      const body = res.json();
      assert.equal(body.error, 'Not ready: migrations');
      assert.equal(body.checks.migrations.ok, false);
      assert.match(body.checks.migrations.detail, /1 migration\(s\) not run/);
      assert.equal(body.checks.database.ok, true);
    } finally {
      await sql`INSERT INTO kysely_migration (name, timestamp) VALUES (${row.name}, ${row.timestamp})`.execute(kysely);
    }
    assert.equal((await probe(world, '/readyz')).statusCode, 200);
  });
});

describe('GET /readyz while no worker drains the jobs', () => {
  let world: World;
  before(async () => {
    world = await createWorld({ accounts: ['mara', 'ines'] });
  });
  after(() => world.close());

  test('is ready while a job is due for less than the limit, and answers 503 naming the jobs once one has waited longer', async () => {
    // As a process whose workers are gone: nothing claims the jobs a follow records.
    await world.app.services.jobs.stop();
    const follow = await world.post('ines', `/api/v1/accounts/${world.actors.mara.id}/follow`);
    assert.equal(follow.status, 200);
    world.clock.advance(JOB_DELAY_LIMIT_MS - 1000);
    assert.equal((await probe(world, '/readyz')).statusCode, 200);
    world.clock.advance(2000);
    const res = await probe(world, '/readyz');
    assert.equal(res.statusCode, 503);
    const body = res.json();
    assert.equal(body.error, 'Not ready: jobs');
    assert.match(body.checks.jobs.detail, /a job has waited 30[01] s to run/);
    assert.equal(body.checks.database.ok, true);
    assert.equal(body.checks.migrations.ok, true);
  });
});
