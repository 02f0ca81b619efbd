import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import pg from 'pg';
import { knownMigrations } from '../../src/db/migrate.ts';
import { ROOT, type GlimpseProcess, startGlimpse } from '../support/processes.ts';
import { TEST_DB, TEST_POSTGRES_URL } from '../support/test-database.ts';
import { makeJpeg, multipartWithFile } from '../support/photos.ts';

/**
 * `backup DIR` and `restore DIR` as an admin runs them, against a real server process (the
 * embedded default, GLIMPSE_ROLE=all) that keeps answering writes through HTTP meanwhile.
 *
 * On SQLite the backup command copies the database (SQLite's online backup API) and the media.
 * On PostgreSQL the database is dumped with the pg_dump command README gives and restored with
 * its pg_restore command into a new database; the backup command copies the media and says it
 * did not dump the database. Either way a server started on the restored data folder has every
 * write answered before the backup began, and serves its photos.
 */

const RUN = crypto.randomBytes(4).toString('hex');
const LOGS = path.join(ROOT, '.tmp', 'backup-test', RUN);
const SOURCE_DB = `glimpse_backup_${RUN}`;
const RESTORED_DB = `glimpse_backup_${RUN}_restored`;

function databaseUrl(name: string): string {
  const url = new URL(TEST_POSTGRES_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

async function onPostgres(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/** A child's environment: this process's, without any GLIMPSE_* of its own or node:test's marker. */
function environment(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (key.startsWith('GLIMPSE_') || key === 'NODE_TEST_CONTEXT') continue;
    env[key] = value;
  }
  return { ...env, ...extra };
}

/** Runs a program to its end, answering its exit code and output (stdout and stderr together). */
function run(command: string, args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, env: environment(env), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out }));
  });
}

/** `npm run admin -- <args>`: the command line as a process of its own. */
const glimpse = (args: string[], env: Record<string, string>) => run(process.execPath, ['--import', 'tsx', 'server/src/main.ts', ...args], env);

interface Answer {
  status: number;
  body: any;
  headers: Headers;
}

async function call(base: string, method: string, url: string, options: { token?: string; json?: unknown; body?: Buffer; contentType?: string } = {}): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: BodyInit | undefined;
  if (options.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.json);
  } else if (options.body) {
    headers['content-type'] = options.contentType ?? 'application/octet-stream';
    body = new Uint8Array(options.body);
  }
  const res = await fetch(`${base}${url}`, { method, headers, body, signal: AbortSignal.timeout(30_000) });
  const text = await res.text();
  const parsed = (res.headers.get('content-type') ?? '').includes('json') && text ? JSON.parse(text) : text;
  return { status: res.status, body: parsed, headers: res.headers };
}

interface Write {
  kind: 'post' | 'comment';
  id: string;
  /** The post's photo (unsigned: a public post of an unlocked account). */
  mediaUrl?: string;
  /** Answered before the backup began. */
  beforeBackup: boolean;
}

describe(`backup and restore of a running instance (${TEST_DB})`, () => {
  let tmp: string;
  let env: Record<string, string>;
  let restoredEnv: Record<string, string>;
  let source: GlimpseProcess | undefined;
  let restored: GlimpseProcess | undefined;
  let databasesCreated = false;
  const sourceDir = () => path.join(tmp, 'data');
  const backupDir = () => path.join(tmp, 'backup');
  const restoredDir = () => path.join(tmp, 'restored');

  before(async () => {
    // Each run keeps its server logs for reading after a failure; those older than a day go.
    const parent = path.dirname(LOGS);
    for (const entry of fs.existsSync(parent) ? fs.readdirSync(parent) : []) {
      const folder = path.join(parent, entry);
      if (Date.now() - fs.statSync(folder).mtimeMs > 86_400_000) fs.rmSync(folder, { recursive: true, force: true });
    }
    fs.mkdirSync(LOGS, { recursive: true });
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-backup-'));
    env = {
      GLIMPSE_RATE_LIMITS: 'off',
      GLIMPSE_SQLITE_READ_WORKERS: '1',
      GLIMPSE_MEDIA_CONCURRENCY: '1',
      GLIMPSE_LOG_LEVEL: 'info',
    };
    restoredEnv = { ...env };
    if (TEST_DB === 'postgres') {
      await onPostgres(`CREATE DATABASE ${SOURCE_DB}`);
      await onPostgres(`CREATE DATABASE ${RESTORED_DB}`);
      databasesCreated = true;
      env.GLIMPSE_DATABASE_URL = databaseUrl(SOURCE_DB);
      restoredEnv.GLIMPSE_DATABASE_URL = databaseUrl(RESTORED_DB);
    }
  });

  after(async () => {
    await Promise.allSettled([source, restored].filter((p): p is GlimpseProcess => p !== undefined).map((p) => p.stop()));
    if (databasesCreated) {
      await onPostgres(`DROP DATABASE IF EXISTS ${SOURCE_DB} WITH (FORCE)`);
      await onPostgres(`DROP DATABASE IF EXISTS ${RESTORED_DB} WITH (FORCE)`);
    }
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('a backup taken while writes run restores every write answered before it began, with its photos', async () => {
    source = await startGlimpse({ name: 'source', role: 'all', env, dataDir: sourceDir(), logFile: path.join(LOGS, 'source.log') });
    const base = source.url;
    const app = await call(base, 'POST', '/api/v1/apps', { json: { client_name: 'backup test', redirect_uris: 'urn:ietf:wg:oauth:2.0:oob', scopes: 'read write' } });
    assert.equal(app.status, 200, JSON.stringify(app.body));
    const appToken = await call(base, 'POST', '/oauth/token', { json: { grant_type: 'client_credentials', client_id: app.body.client_id, client_secret: app.body.client_secret, scope: 'read write' } });
    assert.equal(appToken.status, 200, JSON.stringify(appToken.body));
    const registered = await call(base, 'POST', '/api/v1/accounts', { token: appToken.body.access_token, json: { username: 'bea', email: 'bea@backup.test', password: 'bea-password-1', agreement: true } });
    assert.equal(registered.status, 200, JSON.stringify(registered.body));
    const token = registered.body.access_token as string;

    let backupBegan = false;
    const writes: Write[] = [];
    const photoPost = async (text: string) => {
      const { body, contentType } = multipartWithFile('file', { data: await makeJpeg(48, 32, `#${crypto.randomBytes(3).toString('hex')}`), filename: 'photo.jpg', type: 'image/jpeg' });
      const media = await call(base, 'POST', '/api/v1/media', { token, body, contentType });
      assert.equal(media.status, 200, JSON.stringify(media.body));
      const posted = await call(base, 'POST', '/api/v1/statuses', { token, json: { status: text, media_ids: [media.body.id], visibility: 'public' } });
      assert.equal(posted.status, 200, JSON.stringify(posted.body));
      writes.push({ kind: 'post', id: posted.body.id, mediaUrl: posted.body.media_attachments[0].url, beforeBackup: !backupBegan });
      return posted.body.id as string;
    };
    const first = await photoPost('the first post');

    // Two writers: comments on the first post, and every fourth write a new photo post.
    let writing = true;
    let answeredDuringBackup = 0;
    let backupRunning = false;
    const writer = async (name: string) => {
      for (let i = 0; writing; i++) {
        if (i % 4 === 3) await photoPost(`${name} post ${i}`);
        else {
          const res = await call(base, 'POST', '/api/v1/statuses', { token, json: { status: `${name} comment ${i}`, in_reply_to_id: first } });
          assert.equal(res.status, 200, JSON.stringify(res.body));
          writes.push({ kind: 'comment', id: res.body.id, beforeBackup: !backupBegan });
        }
        if (backupRunning) answeredDuringBackup += 1;
      }
    };
    const writers = [writer('a'), writer('b')];
    const settled = Promise.all(writers);
    settled.catch(() => undefined);
    while (writes.length < 12) await new Promise((resolve) => setTimeout(resolve, 20));

    let backupOut: string;
    if (TEST_DB === 'sqlite') {
      backupBegan = true;
      backupRunning = true;
      const made = await glimpse(['backup', backupDir()], { ...env, GLIMPSE_DATA_DIR: sourceDir() });
      backupRunning = false;
      assert.equal(made.code, 0, made.out);
      backupOut = made.out;
      assert.match(backupOut, /database: SQLite/);
    } else {
      // README's commands: the dump first, then the media (as on SQLite: the database, then the files).
      fs.mkdirSync(backupDir());
      const dump = path.join(tmp, 'glimpse.dump');
      backupBegan = true;
      backupRunning = true;
      const dumped = await run('pg_dump', ['--format=custom', `--file=${dump}`, databaseUrl(SOURCE_DB)]);
      assert.equal(dumped.code, 0, dumped.out);
      const made = await glimpse(['backup', path.join(backupDir(), 'files')], { ...env, GLIMPSE_DATA_DIR: sourceDir() });
      backupRunning = false;
      assert.equal(made.code, 0, made.out);
      backupOut = made.out;
      assert.match(backupOut, /PostgreSQL, NOT dumped/);
      assert.match(backupOut, /pg_dump/);
      const restoredDump = await run('pg_restore', ['--no-owner', `--dbname=${databaseUrl(RESTORED_DB)}`, dump]);
      assert.equal(restoredDump.code, 0, restoredDump.out);
    }
    writing = false;
    await settled;
    assert.ok(answeredDuringBackup > 0, 'writes were answered while the backup ran');
    const files = TEST_DB === 'sqlite' ? backupDir() : path.join(backupDir(), 'files');

    const manifest = JSON.parse(fs.readFileSync(path.join(files, 'manifest.json'), 'utf8'));
    assert.equal(manifest.format, 'glimpse-backup');
    assert.equal(manifest.database.dialect, TEST_DB);
    assert.equal(manifest.database.included, TEST_DB === 'sqlite');
    assert.deepEqual(manifest.database.migrations, knownMigrations());
    assert.equal(manifest.database.migrationLevel, knownMigrations().at(-1));
    assert.equal(manifest.media.storage, 'local');
    assert.equal(manifest.media.included, true);
    const mediaDir = path.join(files, 'media');
    const copied = (fs.readdirSync(mediaDir, { recursive: true }) as string[]).filter((name) => fs.statSync(path.join(mediaDir, name)).isFile());
    assert.equal(manifest.media.files, copied.length);
    assert.equal(manifest.media.bytes, copied.reduce((sum, name) => sum + fs.statSync(path.join(mediaDir, name)).size, 0));
    assert.ok(!copied.some((name) => name.split(path.sep).some((part) => part.startsWith('.'))), 'no upload being received or half-written file is copied');
    assert.equal(manifest.secret, true);
    assert.equal(fs.existsSync(path.join(files, 'glimpse.sqlite')), TEST_DB === 'sqlite');

    const restoring = await glimpse(['restore', files], { ...restoredEnv, GLIMPSE_DATA_DIR: restoredDir() });
    assert.equal(restoring.code, 0, restoring.out);
    await source.stop();
    source = undefined;

    restored = await startGlimpse({ name: 'restored', role: 'all', env: restoredEnv, dataDir: restoredDir(), logFile: path.join(LOGS, 'restored.log') });
    const before = writes.filter((w) => w.beforeBackup);
    assert.ok(before.length >= 12 && before.some((w) => w.kind === 'post') && before.some((w) => w.kind === 'comment'));
    for (const write of before) {
      const res = await call(restored.url, 'GET', `/api/v1/statuses/${write.id}`, { token });
      assert.equal(res.status, 200, `${write.kind} ${write.id}, answered before the backup began, is restored: ${JSON.stringify(res.body)}`);
      if (write.kind === 'comment') assert.equal(res.body.in_reply_to_id, first);
      if (write.mediaUrl) {
        const photo = res.body.media_attachments[0].url as string;
        assert.equal(new URL(photo).pathname, new URL(write.mediaUrl).pathname);
        const served: Response = await fetch(`${restored.url}${new URL(photo).pathname}`);
        assert.equal(served.status, 200, `the photo of ${write.id} is served`);
        assert.match(served.headers.get('content-type') ?? '', /^image\//);
        assert.ok((await served.arrayBuffer()).byteLength > 0);
      }
    }
    // Counters and the database's own check agree with the rows restored.
    const integrity = await glimpse(['admin', 'integrity'], { ...restoredEnv, GLIMPSE_DATA_DIR: restoredDir() });
    assert.equal(integrity.code, 0, integrity.out);
  });

  it('backup refuses a folder that is not empty; restore refuses a data folder that is not empty and a backup newer than the code', async () => {
    const files = TEST_DB === 'sqlite' ? backupDir() : path.join(backupDir(), 'files');
    const again = await glimpse(['backup', files], { ...env, GLIMPSE_DATA_DIR: sourceDir() });
    assert.equal(again.code, 1, again.out);
    assert.match(again.out, /not empty/);

    const over = await glimpse(['restore', files], { ...restoredEnv, GLIMPSE_DATA_DIR: restoredDir() });
    assert.equal(over.code, 1, over.out);
    assert.match(over.out, /data folder .* is not empty/);

    const newer = path.join(tmp, 'newer');
    fs.cpSync(files, newer, { recursive: true });
    const manifest = JSON.parse(fs.readFileSync(path.join(newer, 'manifest.json'), 'utf8'));
    manifest.database.migrations.push('9999-from-the-future');
    manifest.database.migrationLevel = '9999-from-the-future';
    fs.writeFileSync(path.join(newer, 'manifest.json'), JSON.stringify(manifest));
    const fresh = path.join(tmp, 'fresh');
    const refused = await glimpse(['restore', newer], { ...restoredEnv, GLIMPSE_DATA_DIR: fresh });
    assert.equal(refused.code, 1, refused.out);
    assert.match(refused.out, /newer than this code/);
    assert.equal(fs.existsSync(fresh), false, 'nothing is written');

    const incomplete = path.join(tmp, 'incomplete');
    fs.mkdirSync(incomplete);
    const notBackup = await glimpse(['restore', incomplete], { ...restoredEnv, GLIMPSE_DATA_DIR: fresh });
    assert.equal(notBackup.code, 1, notBackup.out);
    assert.match(notBackup.out, /not a complete Glimpse backup/);
  });
});
