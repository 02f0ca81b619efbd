import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TEST_REDIS_URL } from '../support/test-redis.ts';

/**
 * `serve` refuses settings that cannot work together with one line on stderr and exit code 1,
 * before it opens anything (the database URL below points nowhere: a refusal never reaches it).
 */
const ROOT = path.resolve(import.meta.dirname, '../../..');
const NOWHERE_POSTGRES = 'postgres://glimpse@127.0.0.1:1/none';

function serve(env: Record<string, string>): Promise<{ code: number | null; stderr: string; stdout: string }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-startup-'));
  const clean: NodeJS.ProcessEnv = {};
  // Only this test's settings: none of the caller's GLIMPSE_* leak in.
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('GLIMPSE_')) clean[k] = v;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts', 'serve'], {
      cwd: ROOT,
      env: { ...clean, GLIMPSE_DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      fs.rmSync(dataDir, { recursive: true, force: true });
      resolve({ code, stderr, stdout });
    });
  });
}

async function assertRefused(env: Record<string, string>, expected: RegExp) {
  const { code, stderr, stdout } = await serve(env);
  assert.equal(code, 1, `exit code (stderr: ${stderr})`);
  const lines = stderr.split('\n').filter((l) => l.trim() !== '');
  assert.equal(lines.length, 1, `one line on stderr, got:\n${stderr}`);
  assert.match(lines[0], /^Glimpse cannot start: /);
  assert.match(lines[0], expected);
  assert.equal(stdout, '', 'nothing started');
}

describe('serve refuses combinations that cannot work, with one line', () => {
  test('a role other than all without Redis', async () => {
    await assertRefused({ GLIMPSE_ROLE: 'web', GLIMPSE_DATABASE_URL: NOWHERE_POSTGRES, GLIMPSE_SECRET: 's' }, /GLIMPSE_ROLE=web needs GLIMPSE_REDIS_URL/);
    await assertRefused({ GLIMPSE_ROLE: 'worker', GLIMPSE_DATABASE_URL: NOWHERE_POSTGRES, GLIMPSE_SECRET: 's' }, /GLIMPSE_ROLE=worker needs GLIMPSE_REDIS_URL/);
  });

  test('a role other than all on SQLite (several processes on one SQLite file)', async () => {
    await assertRefused({ GLIMPSE_ROLE: 'web', GLIMPSE_REDIS_URL: TEST_REDIS_URL, GLIMPSE_SECRET: 's' }, /GLIMPSE_ROLE=web needs PostgreSQL \(GLIMPSE_DATABASE_URL\)/);
  });

  test('GLIMPSE_REDIS_URL with SQLite, even with role all', async () => {
    await assertRefused({ GLIMPSE_REDIS_URL: TEST_REDIS_URL, GLIMPSE_SECRET: 's' }, /GLIMPSE_REDIS_URL is for running several processes, which need PostgreSQL/);
  });

  test('several processes (a role other than all, or Redis) without GLIMPSE_SECRET', async () => {
    await assertRefused({ GLIMPSE_REDIS_URL: TEST_REDIS_URL, GLIMPSE_DATABASE_URL: NOWHERE_POSTGRES }, /several processes need one GLIMPSE_SECRET/);
    await assertRefused({ GLIMPSE_ROLE: 'web', GLIMPSE_REDIS_URL: TEST_REDIS_URL, GLIMPSE_DATABASE_URL: NOWHERE_POSTGRES }, /several processes need one GLIMPSE_SECRET/);
  });

  test('a Redis that does not answer PING at start', async () => {
    await assertRefused({ GLIMPSE_REDIS_URL: 'redis://127.0.0.1:1', GLIMPSE_DATABASE_URL: NOWHERE_POSTGRES, GLIMPSE_SECRET: 's' }, /Redis at redis:\/\/127\.0\.0\.1:1 \(GLIMPSE_REDIS_URL\) does not answer PING/);
  });

  test('a setting that cannot be read is one line too, not a stack trace', async () => {
    await assertRefused({ GLIMPSE_ROLE: 'everything' }, /GLIMPSE_ROLE must be all, web or worker, got "everything"/);
  });
});
