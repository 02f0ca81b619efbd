import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildApp, type GlimpseApp } from '../../src/app.ts';
import { NodeLease } from '../../src/db/node-lease.ts';
import { LEASABLE_ID_NODES } from '../../src/db/ids.ts';
import { createWorld, testConfig, type World } from '../support/world.ts';
import { TEST_DB } from '../support/test-database.ts';

const MINUTE = 60_000;

/**
 * Id nodes are leased from the database (db/node-lease.ts): every app built on one database
 * holds a node no other holds, a stopped process's node is reused once its lease expired, and
 * a process that lost its node to such a reuse moves to another.
 */
describe(`id node leases (${TEST_DB})`, () => {
  let world: World;
  const extra: GlimpseApp[] = [];
  const leases: NodeLease[] = [];
  const db = () => world.db.handle.kysely;
  const holders = async () => (await db().selectFrom('node_leases').select(['node', 'holder', 'expires_at']).orderBy('node').execute()).map((r) => ({ ...r, node: Number(r.node) }));
  const secondApp = async () => {
    const app = await buildApp(testConfig(), { clock: world.clock, database: world.db.handle, logger: false });
    extra.push(app);
    return app;
  };

  before(async () => {
    world = await createWorld({ accounts: ['mara'] });
  });
  after(async () => {
    for (const lease of leases) await lease.release();
    for (const app of extra) await app.close();
    await world.close();
  });

  test('the first app gets node 0, and two apps on one database get different nodes', async () => {
    assert.equal(world.app.idNode, 0, 'a single process gets node 0, through the lease');
    const second = await secondApp();
    assert.notEqual(second.idNode, world.app.idNode);
    const rows = await holders();
    assert.deepEqual(rows.map((r) => r.node).sort(), [world.app.idNode, second.idNode].sort());
    assert.notEqual(rows[0].holder, rows[1].holder);
  });

  test('processes racing for nodes at the same moment never get the same one', async () => {
    const before = (await holders()).map((r) => r.node);
    const raced = await Promise.all(Array.from({ length: 8 }, () => NodeLease.acquire(db(), world.clock)));
    leases.push(...raced);
    const nodes = raced.map((l) => l.node);
    assert.equal(new Set([...nodes, ...before]).size, nodes.length + before.length, 'every node distinct');
    assert.ok(nodes.every((n) => n >= 0 && n < LEASABLE_ID_NODES));
    assert.equal((await holders()).length, nodes.length + before.length);
  });

  test('a released lease is free at once; a live one is never taken', async () => {
    const lease = leases.pop()!;
    const node = lease.node;
    await lease.release();
    assert.ok(!(await holders()).some((r) => r.node === node), 'its row is gone');
    const next = await NodeLease.acquire(db(), world.clock);
    leases.push(next);
    assert.equal(next.node, node, 'the lowest free node is taken first');
  });

  test('an expired lease is reused, and its former holder moves to another node when it renews', async () => {
    const old = await NodeLease.acquire(db(), world.clock);
    leases.push(old);
    const oldNode = old.node;
    // Every lease held now expires: the holders' renewal timers run on real time, and the
    // test's clock jumps past the leases' minute, as if all of them had stopped.
    world.clock.advance(2 * MINUTE);
    const third = await secondApp();
    assert.equal(third.idNode, 0, 'the lowest expired node is reused');
    const row = (await holders()).find((r) => r.node === 0)!;
    assert.ok(row.expires_at > world.clock.now().toISOString(), 'the reused lease runs from now');

    // Newcomers take the expired nodes lowest first, until one takes `old`'s.
    let taker: NodeLease;
    do {
      taker = await NodeLease.acquire(db(), world.clock);
      leases.push(taker);
    } while (taker.node !== oldNode);
    assert.equal(await old.renew(), false, 'the former holder finds its lease lost');
    assert.notEqual(old.node, oldNode, 'and holds another node now');
    const live = (await holders()).filter((r) => r.expires_at > world.clock.now().toISOString());
    assert.ok(live.some((r) => r.node === old.node));
    assert.equal(new Set(live.map((r) => r.holder)).size, live.length, 'one holder per live node');
    assert.equal(await taker.renew(), true, 'the new holder keeps it');
  });

  test('a holder that lost its node and then shuts down leaves the new holder alone', async () => {
    world.clock.advance(2 * MINUTE);
    const first = await NodeLease.acquire(db(), world.clock);
    leases.push(first);
    world.clock.advance(2 * MINUTE);
    const second = await NodeLease.acquire(db(), world.clock);
    leases.push(second);
    assert.equal(second.node, first.node, 'the expired node is reused');
    await first.release();
    const rows = await holders();
    assert.ok(rows.some((r) => r.node === second.node), 'still held by the new holder');
    assert.equal(await second.renew(), true);
  });
});
