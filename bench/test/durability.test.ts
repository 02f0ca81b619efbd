// SIGKILL durability: 10 rounds on SQLite and 10 on PostgreSQL at a small size. PostgreSQL is
// required in CI (CI=true or GLIMPSE_TEST_POSTGRES=required); elsewhere an unreachable one is
// skipped with a message.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import pg from 'pg';
import { BENCH_POSTGRES_URL, postgresUrlFor } from '../src/db.ts';
import { runDurability } from '../src/durability.ts';

const required = process.env.CI === 'true' || process.env.CI === '1' || process.env.GLIMPSE_TEST_POSTGRES === 'required';

async function postgresReachable(): Promise<true | string> {
  const client = new pg.Client({ connectionString: postgresUrlFor('postgres', BENCH_POSTGRES_URL), connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch (error) {
    return String((error as Error).message ?? error);
  } finally {
    await client.end().catch(() => undefined);
  }
}

for (const db of ['sqlite', 'postgres'] as const) {
  test(`SIGKILL at random moments, 10 rounds on ${db}: answered writes survive, refused ones leave nothing, the database is intact`, { timeout: 300_000 }, async (t) => {
    if (db === 'postgres') {
      const reachable = await postgresReachable();
      if (reachable !== true) {
        if (required) assert.fail(`PostgreSQL is required here but unreachable at ${BENCH_POSTGRES_URL}: ${reachable}`);
        t.skip(`PostgreSQL unreachable at ${BENCH_POSTGRES_URL} (${reachable}); run with a server there, or GLIMPSE_TEST_POSTGRES=required to make this a failure`);
        return;
      }
    }
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `glimpse-durability-${db}-`));
    try {
      const report = await runDurability({ db, rounds: 10, dataDir, database: `glimpse_durability_${process.pid}`, log: (l) => t.diagnostic(l) });
      assert.deepEqual(report.failures, []);
      assert.ok(report.ops.ok > 0, 'some writes were answered before the kills');
      assert.ok(report.byKind.post + report.byKind.reply + report.byKind.like + report.byKind.follow > 0);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
}
