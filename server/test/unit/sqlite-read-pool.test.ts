import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { SqliteReadPool } from '../../src/db/dialect/sqlite-read-pool.ts';

describe('SQLite read workers', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-read-pool-'));
  const file = path.join(dir, 'db.sqlite');
  let writer: BetterSqlite3.Database;
  let pool: SqliteReadPool;

  before(() => {
    writer = new BetterSqlite3(file);
    writer.pragma('journal_mode = WAL');
    writer.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, score REAL, note TEXT)');
    pool = new SqliteReadPool(file, 2);
  });
  after(async () => {
    await pool.close();
    writer.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('a row committed on the write connection is read back by the workers at once, with its types', async () => {
    for (let i = 1; i <= 20; i++) {
      writer.prepare('INSERT INTO t (id, name, score, note) VALUES (?, ?, ?, ?)').run(i, `n${i}`, i / 2, i % 2 ? null : 'even');
      const rows = await pool.all('SELECT * FROM t WHERE id = ?', [i]);
      assert.deepEqual(rows, [{ id: i, name: `n${i}`, score: i / 2, note: i % 2 ? null : 'even' }]);
    }
  });

  test('many reads at once are all answered, each with its own rows, spread over the workers', async () => {
    const before = pool.answered;
    const answers = await Promise.all(Array.from({ length: 200 }, (_, i) => pool.all('SELECT name FROM t WHERE id = ?', [(i % 20) + 1])));
    answers.forEach((rows, i) => assert.deepEqual(rows, [{ name: `n${(i % 20) + 1}` }]));
    assert.equal(pool.answered - before, 200);
  });

  test("SQLite's error reaches the caller with its message and code, and the worker goes on", async () => {
    await assert.rejects(pool.all('SELECT * FROM missing_table', []), (error: Error & { code?: string }) => /no such table/.test(error.message) && error.code === 'SQLITE_ERROR');
    assert.deepEqual(await pool.all('SELECT count(*) AS n FROM t', []), [{ n: 20 }]);
  });

  test('a closed pool refuses reads instead of waiting forever', async () => {
    const other = new SqliteReadPool(file, 1);
    await other.close();
    await assert.rejects(other.all('SELECT 1', []), /closed/);
  });
});
