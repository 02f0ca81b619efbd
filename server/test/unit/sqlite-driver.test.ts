import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openSqlite } from '../../src/db/dialect/sqlite.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import type { DatabaseHandle } from '../../src/db/database.ts';

/** The SQLite driver's routing: reads beside an open write transaction, writes behind it. */

/**
 * The next turn of the event loop. better-sqlite3 answers synchronously, so a statement that is
 * not waiting for the write connection has finished by then: whatever is still pending is
 * queued behind the open transaction. No clock is involved.
 */
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

function holdOpen(handle: DatabaseHandle, key: string) {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let inside!: () => void;
  const started = new Promise<void>((resolve) => (inside = resolve));
  const done = handle.kysely.transaction().execute(async (trx) => {
    await trx.insertInto('instance_settings').values({ key, value: 'uncommitted' }).execute();
    inside();
    await released;
  });
  return { started, release, done };
}

const valueOf = async (handle: DatabaseHandle, key: string) =>
  (await handle.kysely.selectFrom('instance_settings').select('value').where('key', '=', key).executeTakeFirst())?.value;

describe('SQLite driver on a database file', () => {
  let dir = '';
  let handle: DatabaseHandle;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-driver-'));
    handle = openSqlite(path.join(dir, 'glimpse.sqlite'));
    await migrateToLatest(handle.kysely);
  });
  after(async () => {
    await handle.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('a read outside a transaction is answered while a write transaction is open, and sees only committed rows', async () => {
    const tx = holdOpen(handle, 'open-read');
    await tx.started;
    assert.equal(await valueOf(handle, 'open-read'), undefined, 'not the uncommitted row, and not held up');
    tx.release();
    await tx.done;
    assert.equal(await valueOf(handle, 'open-read'), 'uncommitted');
  });

  test('a write outside a transaction waits for the open one, then runs', async () => {
    const tx = holdOpen(handle, 'open-write');
    await tx.started;
    let written = false;
    const write = handle.kysely.insertInto('instance_settings').values({ key: 'after', value: 'v' }).execute().then(() => (written = true));
    await nextTurn();
    assert.equal(written, false, 'waits for the transaction');
    tx.release();
    await Promise.all([tx.done, write]);
    assert.equal(written, true);
    assert.equal(await valueOf(handle, 'after'), 'v');
  });

  test('a failed transaction rolls back and frees the write connection', async () => {
    await assert.rejects(
      handle.kysely.transaction().execute(async (trx) => {
        await trx.insertInto('instance_settings').values({ key: 'rolled-back', value: 'v' }).execute();
        throw new Error('no');
      }),
      /no/,
    );
    assert.equal(await valueOf(handle, 'rolled-back'), undefined);
    await handle.kysely.insertInto('instance_settings').values({ key: 'next', value: 'v' }).execute();
    assert.equal(await valueOf(handle, 'next'), 'v');
  });
});

describe('SQLite driver in memory (one connection)', () => {
  let handle: DatabaseHandle;
  before(async () => {
    handle = openSqlite(':memory:');
    await migrateToLatest(handle.kysely);
  });
  after(() => handle.close());

  test('a read waits for the open transaction instead of seeing its uncommitted rows', async () => {
    const tx = holdOpen(handle, 'memory');
    await tx.started;
    let seen: string | undefined | null = null;
    const read = valueOf(handle, 'memory').then((v) => (seen = v));
    await nextTurn();
    assert.equal(seen, null, 'still waiting');
    tx.release();
    await Promise.all([tx.done, read]);
    assert.equal(seen, 'uncommitted', 'then sees the committed row');
  });
});
