#!/usr/bin/env node
// Runs every test suite and ends with one line: "N passed, N failed".
//
// Suites: the typecheck (server, web, e2e, bench); unit tests (no database); API and real-client tests on
// SQLite and again on PostgreSQL; the multi-process suite (two web processes and a worker on
// PostgreSQL, Redis and S3); the web client's unit tests; browser tests in Chromium;
// the benchmark and durability harness checks. PostgreSQL and Chromium are required when
// CI=true (or GLIMPSE_TEST_POSTGRES=required / GLIMPSE_TEST_BROWSER=required); elsewhere a
// missing one is skipped with a message naming the command that enables it.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const tmp = path.join(root, '.tmp');
fs.mkdirSync(tmp, { recursive: true });
const isCI = process.env.CI === 'true' || process.env.CI === '1';
const postgresUrl = process.env.GLIMPSE_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const postgresRequired = isCI || process.env.GLIMPSE_TEST_POSTGRES === 'required';
const browserRequired = isCI || process.env.GLIMPSE_TEST_BROWSER === 'required';
const chromium = process.env.GLIMPSE_CHROMIUM ?? '/usr/bin/chromium';
const nginxRequired = isCI || process.env.GLIMPSE_TEST_NGINX === 'required';
const nginx = process.env.GLIMPSE_NGINX ?? '/usr/sbin/nginx';
const only = process.argv.slice(2); // optional suite names

let passed = 0;
let failed = 0;
const notes = [];
const failures = [];

function findTests(dir) {
  const full = path.join(root, dir);
  if (!fs.existsSync(full)) return [];
  const out = [];
  for (const entry of fs.readdirSync(full, { withFileTypes: true })) {
    const rel = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...findTests(rel));
    else if (entry.name.endsWith('.test.ts')) out.push(rel);
  }
  return out.sort();
}

function run(command, args, env = {}, cwd = root) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, stdio: 'inherit', env: { ...process.env, ...env } });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

async function nodeSuite(name, files, env = {}, concurrency = 3) {
  if (only.length && !only.includes(name)) return;
  if (files.length === 0) return;
  console.log(`\n=== ${name} (${files.length} files) ===`);
  const countsFile = path.join(tmp, `counts-${name}.json`);
  fs.rmSync(countsFile, { force: true });
  const code = await run(process.execPath, [
    '--import', 'tsx', '--test', `--test-concurrency=${concurrency}`,
    '--test-reporter=spec', '--test-reporter-destination=stdout',
    `--test-reporter=${path.join(root, 'scripts/count-reporter.mjs')}`, `--test-reporter-destination=${countsFile}`,
    ...files,
  ], env);
  let counts = { passed: 0, failed: 0, failures: [] };
  try {
    counts = JSON.parse(fs.readFileSync(countsFile, 'utf8'));
  } catch {
    counts.failed = 1;
    counts.failures = [`${name}: the runner produced no counts (exit ${code})`];
  }
  if (code !== 0 && counts.failed === 0) {
    counts.failed = 1;
    counts.failures.push(`${name}: runner exited ${code}`);
  }
  passed += counts.passed;
  failed += counts.failed;
  failures.push(...counts.failures.map((f) => `[${name}] ${f}`));
}

async function postgresReachable() {
  const require = createRequire(path.join(root, 'server/package.json'));
  const pg = require('pg');
  const client = new pg.Client({ connectionString: postgresUrl, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch (error) {
    return String(error.message ?? error);
  } finally {
    await client.end().catch(() => {});
  }
}

async function typecheck() {
  if (only.length && !only.includes('typecheck')) return;
  console.log('\n=== typecheck ===');
  // The server, the web client, the browser tests and the benchmark harness.
  for (const project of ['server', 'web', 'e2e', 'bench']) {
    const code = await run(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', project, '--noEmit']);
    if (code === 0) passed += 1;
    else {
      failed += 1;
      failures.push(`[typecheck] tsc -p ${project} found type errors`);
    }
  }
}

async function vitest() {
  if (only.length && !only.includes('web')) return;
  console.log('\n=== web ===');
  const out = path.join(tmp, 'vitest.json');
  fs.rmSync(out, { force: true });
  const code = await run(process.execPath, [path.join(root, 'node_modules/vitest/vitest.mjs'), 'run', '--root', 'web', '--reporter=default', '--reporter=json', `--outputFile=${out}`]);
  try {
    const result = JSON.parse(fs.readFileSync(out, 'utf8'));
    passed += result.numPassedTests;
    failed += result.numFailedTests;
    for (const file of result.testResults ?? []) {
      for (const t of file.assertionResults ?? []) if (t.status === 'failed') failures.push(`[web] ${t.fullName}`);
    }
    if (code !== 0 && result.numFailedTests === 0) {
      failed += 1;
      failures.push(`[web] vitest exited ${code}`);
    }
  } catch {
    failed += 1;
    failures.push(`[web] vitest produced no results (exit ${code})`);
  }
}

console.log(`Node.js ${process.version} (${process.execPath})`);
const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  console.log('Glimpse tests run on Node.js 24: run them with `npm test`, which uses the Node 24 that `npm ci` installs into node_modules/.bin.');
  console.log('0 passed, 1 failed');
  process.exit(1);
}

await typecheck();
await nodeSuite('unit', findTests('server/test/unit'));
const dbTests = [...findTests('server/test/api'), ...findTests('server/test/clients')];
await nodeSuite('sqlite', dbTests, { GLIMPSE_TEST_DB: 'sqlite' });

if (!only.length || only.includes('postgres')) {
  const reachable = await postgresReachable();
  if (reachable === true) {
    await nodeSuite('postgres', dbTests, { GLIMPSE_TEST_DB: 'postgres', GLIMPSE_TEST_POSTGRES_URL: postgresUrl }, 3);
  } else if (postgresRequired) {
    failed += 1;
    failures.push(`[postgres] PostgreSQL is required here but unreachable at ${postgresUrl}: ${reachable}`);
  } else {
    notes.push(`SKIPPED the PostgreSQL suite: no server at ${postgresUrl} (${reachable}). Start one, or point GLIMPSE_TEST_POSTGRES_URL at one, then run: GLIMPSE_TEST_POSTGRES=required npm test`);
  }
}

// Two `web` processes and a `worker`, real processes, on PostgreSQL, Redis and S3 (s3rver, started
// by the test). Without PostgreSQL it cannot run: required in CI like the PostgreSQL suite,
// skipped elsewhere with a note. Redis is never optional: a missing one fails the suite.
if (!only.length || only.includes('multiprocess')) {
  const reachable = await postgresReachable();
  if (reachable === true) {
    await nodeSuite('multiprocess', findTests('server/test/multiprocess'), { GLIMPSE_TEST_POSTGRES_URL: postgresUrl }, 1);
  } else if (postgresRequired) {
    failed += 1;
    failures.push(`[multiprocess] PostgreSQL is required here but unreachable at ${postgresUrl}: ${reachable}`);
  } else {
    notes.push(`SKIPPED the multi-process suite: no PostgreSQL at ${postgresUrl} (${reachable}). Start one, or point GLIMPSE_TEST_POSTGRES_URL at one, then run: GLIMPSE_TEST_POSTGRES=required npm test`);
  }
}

// Debian's nginx in front of Glimpse, configured by deploy/nginx/glimpse.conf, on both databases.
if (!only.length || only.includes('proxy')) {
  const proxyTests = findTests('server/test/proxy');
  if (fs.existsSync(nginx)) {
    await nodeSuite('proxy-sqlite', proxyTests, { GLIMPSE_TEST_DB: 'sqlite', GLIMPSE_NGINX: nginx }, 1);
    if ((await postgresReachable()) === true) await nodeSuite('proxy-postgres', proxyTests, { GLIMPSE_TEST_DB: 'postgres', GLIMPSE_TEST_POSTGRES_URL: postgresUrl, GLIMPSE_NGINX: nginx }, 1);
  } else if (nginxRequired) {
    failed += 1;
    failures.push(`[proxy] nginx is required here but missing at ${nginx}`);
  } else {
    notes.push(`SKIPPED the reverse-proxy suite: no nginx at ${nginx}. Install it with: apt-get install -y nginx`);
  }
}

await vitest();

if (!only.length || only.includes('browser')) {
  const browserTests = findTests('e2e/tests');
  if (fs.existsSync(chromium)) {
    // The browser tests serve web/dist: build it from the sources being tested, never a stale one.
    const built = await run(process.execPath, [path.join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], {}, path.join(root, 'web'));
    if (built !== 0) {
      failed += 1;
      failures.push(`[browser] the web client did not build (vite exited ${built})`);
    }
    await nodeSuite('browser', browserTests, { GLIMPSE_CHROMIUM: chromium }, 1);
  } else if (browserRequired) {
    failed += 1;
    failures.push(`[browser] Chromium is required here but missing at ${chromium}`);
  } else {
    notes.push(`SKIPPED the browser suite: no Chromium at ${chromium}. Install it with: apt-get install -y chromium`);
  }
}

await nodeSuite('harness', findTests('bench/test'), {}, 1);

console.log('');
for (const note of notes) console.log(note);
if (failures.length) {
  console.log('Failures:');
  for (const f of failures) console.log(`  - ${f}`);
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
