import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CompiledQuery, sql } from 'kysely';
import sharp from 'sharp';
import { buildApp, type GlimpseApp } from '../../src/app.ts';
import { openDatabase, type DatabaseHandle } from '../../src/db/database.ts';
import { MEDIA_LEASE_MS, ORIGINAL_NAME, PROCESS_JOB, mediaLeaseHolder, storageNameOf } from '../../src/domain/media/media-service.ts';
import { variantsOf } from '../../src/domain/media/media.ts';
import { createWorld, type World } from '../support/world.ts';

/**
 * The media processing lease (migration 0020): two processes (two apps on one database and one
 * media folder) never both work one upload; the one that loses deletes nothing of the other's;
 * a lease that ran out is taken over, with the abandoned attempt's files.
 */

/** A second app on the same database and data folder, as a second process would be. */
async function secondProcess(world: World): Promise<{ app: GlimpseApp; close(): Promise<void> }> {
  let handle: DatabaseHandle;
  if (world.db.handle.dialect === 'postgres') {
    const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(world.db.handle.kysely);
    handle = await openDatabase({ databaseUrl: world.db.url, dataDir: '', postgres: { schema: rows[0].schema, poolSize: 4 }, migrate: false });
  } else {
    handle = await openDatabase({ databaseUrl: world.db.url, dataDir: '', migrate: false });
  }
  const app = await buildApp({ ...world.config }, { clock: world.clock, database: handle, logger: false });
  return {
    app,
    async close() {
      await app.close();
      await handle.close();
    },
  };
}

describe('the media processing lease, with two processes on one database', () => {
  let folder: string;
  let world: World;
  let other: { app: GlimpseApp; close(): Promise<void> };
  let jpeg: Buffer;

  before(async () => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-lease-'));
    world = await createWorld({ databaseFile: path.join(folder, 'glimpse.sqlite'), accounts: ['mara'] });
    other = await secondProcess(world);
    jpeg = await sharp({ create: { width: 640, height: 480, channels: 3, background: '#6a8', noise: { type: 'gaussian', mean: 128, sigma: 40 } } }).jpeg().toBuffer();
  });
  after(async () => {
    try {
      await other?.close();
    } finally {
      await world?.close();
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });

  const a = () => world.app.services;
  const b = () => other.app.services;
  const idle = () => Promise.all([a().mediaQueue.onIdle(), b().mediaQueue.onIdle()]);
  const mediaDir = () => path.join(world.config.dataDir, 'media');
  /** Storage folders on disk (dot names are the incoming folder, never storage keys). */
  const folders = () => fs.readdirSync(mediaDir()).filter((name) => !name.startsWith('.'));

  /** A row left 'processing' with its original stored, as an upload interrupted by a restart. */
  async function interruptedUpload(lease: { owner: string; until: string; holder?: string } | null = null) {
    const key = crypto.randomBytes(32).toString('base64url');
    await a().mediaStorage.put(key, ORIGINAL_NAME, jpeg);
    const id = `${world.clock.now().getTime()}${crypto.randomInt(100, 999)}0`.slice(0, 16);
    await a().repositories.media.insert({
      id, account_id: world.actors.mara.id, purpose: 'attachment', state: 'processing', error: null, storage_key: key,
      description: '', focus_x: 0, focus_y: 0, width: null, height: null, blurhash: null, variants: '[]',
      captured_at: null, status_id: null, position: 0, created_at: world.clock.now().toISOString(),
      lease_owner: lease?.owner ?? null, lease_until: lease?.until ?? null, lease_holder: lease?.holder ?? null,
    });
    return { id, key };
  }

  function assertAllFilesExist(row: { storage_key: string; variants: string }) {
    const variants = variantsOf(row);
    assert.ok(variants.length >= 8, `only ${variants.length} variants`);
    for (const variant of variants) {
      assert.ok(fs.existsSync(path.join(mediaDir(), row.storage_key, storageNameOf(variant))), `${storageNameOf(variant)} is missing`);
    }
  }

  test('two workers racing for one upload: exactly one processes it, the row ends ready and all its files exist', async () => {
    const { id, key } = await interruptedUpload();
    const stats = () => ({ committed: a().media.leaseStats.committed + b().media.leaseStats.committed, skipped: a().media.leaseStats.skipped + b().media.leaseStats.skipped });
    const before = stats();
    // The job delivered to both processes at once (as an at-least-once queue may): both read the
    // row without a lease and race to claim it.
    a().mediaQueue.enqueue(PROCESS_JOB, { mediaId: id });
    b().mediaQueue.enqueue(PROCESS_JOB, { mediaId: id });
    await idle();
    const after = stats();
    assert.equal(after.committed - before.committed, 1, 'exactly one worker committed a result');
    assert.equal(after.skipped - before.skipped, 1, 'the other found the lease taken and did nothing');

    const row = await a().repositories.media.findById(id);
    assert.equal(row?.state, 'ready');
    assert.equal(row?.width, 640);
    assertAllFilesExist(row!);
    assert.equal(fs.existsSync(path.join(mediaDir(), key)), false, 'the original is gone');
    assert.deepEqual(folders(), [row!.storage_key], 'no other folder is left behind');
    const served = await other.app.http.inject({ method: 'GET', url: world.app.services.mediaUrls.url(row!, variantsOf(row!)[0], true).replace(world.config.publicUrl, '') });
    assert.equal(served.statusCode, 200);
  });

  test('a live lease held by another process is respected; once it runs out it is taken over, with the abandoned files', async () => {
    for (const name of folders()) fs.rmSync(path.join(mediaDir(), name), { recursive: true, force: true });
    const abandoned = crypto.randomBytes(32).toString('base64url');
    // The dead holder had written one size under its attempt key before it stopped.
    await a().mediaStorage.put(abandoned, 'w1080.jpg', jpeg);
    const { id, key } = await interruptedUpload({ owner: abandoned, until: new Date(world.clock.now().getTime() + MEDIA_LEASE_MS).toISOString() });

    assert.equal(await b().media.resumeInterrupted(), 0, 'a live lease is not resumed');
    assert.equal(await a().media.resumeInterrupted(), 0);
    assert.equal((await a().repositories.media.findById(id))?.state, 'processing');
    assert.equal(fs.existsSync(path.join(mediaDir(), abandoned, 'w1080.jpg')), true, 'nothing deletes the holder\'s files while it holds the lease');

    world.clock.advance(MEDIA_LEASE_MS + 1000);
    assert.equal(await b().media.resumeInterrupted(), 1, 'a lease that ran out is taken over');
    await idle();
    const row = await a().repositories.media.findById(id);
    assert.equal(row?.state, 'ready');
    assert.notEqual(row?.storage_key, abandoned);
    assertAllFilesExist(row!);
    assert.equal(fs.existsSync(path.join(mediaDir(), abandoned)), false, 'the abandoned attempt went with the lease');
    assert.equal(fs.existsSync(path.join(mediaDir(), key)), false);
    assert.deepEqual(folders(), [row!.storage_key]);
  });

  test("a process restarted on the same host and data folder takes over its dead predecessor's live leases at start", async () => {
    for (const name of folders()) fs.rmSync(path.join(mediaDir(), name), { recursive: true, force: true });
    const until = new Date(world.clock.now().getTime() + MEDIA_LEASE_MS).toISOString();
    const mine = crypto.randomBytes(32).toString('base64url');
    await a().mediaStorage.put(mine, 'w640.jpg', jpeg);
    const predecessor = await interruptedUpload({ owner: mine, until, holder: mediaLeaseHolder(world.config.dataDir) });
    const elsewhere = await interruptedUpload({ owner: crypto.randomBytes(32).toString('base64url'), until, holder: 'another-host' });
    // Already running processes leave both alone: the leases are live.
    assert.equal(await a().media.resumeInterrupted(), 0);

    const restarted = await secondProcess(world); // resumes at start
    try {
      await restarted.app.services.mediaQueue.onIdle();
      const row = await a().repositories.media.findById(predecessor.id);
      assert.equal(row?.state, 'ready');
      assertAllFilesExist(row!);
      assert.equal(fs.existsSync(path.join(mediaDir(), mine)), false, "the dead predecessor's attempt went with its lease");
      assert.equal((await a().repositories.media.findById(elsewhere.id))?.state, 'processing', "another host's live lease is respected");
    } finally {
      await restarted.close();
    }
    // Left for the next test to find no live lease: that host's lease runs out.
    world.clock.advance(MEDIA_LEASE_MS + 1000);
    assert.equal(await b().media.resumeInterrupted(), 1);
    await idle();
    assert.equal((await a().repositories.media.findById(elsewhere.id))?.state, 'ready');
  });

  test('an upload through one process is processed once; the other process serves it', async () => {
    for (const name of folders()) fs.rmSync(path.join(mediaDir(), name), { recursive: true, force: true });
    const boundary = `----lease-${crypto.randomBytes(6).toString('hex')}`;
    const body = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="p.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`),
      jpeg,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const committed = () => a().media.leaseStats.committed + b().media.leaseStats.committed;
    const before = committed();
    const res = await world.request('mara', 'POST', '/api/v2/media', body, { 'content-type': `multipart/form-data; boundary=${boundary}` });
    assert.ok(res.status === 200 || res.status === 202, JSON.stringify(res.body));
    // The other process resumes whatever has no live lease: this upload is claimed or queued by A already.
    await b().media.resumeInterrupted();
    await idle();
    assert.equal(committed() - before, 1, 'processed once');
    const row = await b().repositories.media.findById(res.body.id);
    assert.equal(row?.state, 'ready');
    assertAllFilesExist(row!);
    assert.deepEqual(folders(), [row!.storage_key]);
    const shown = await other.app.http.inject({ method: 'GET', url: `/api/v1/media/${res.body.id}`, headers: { authorization: `Bearer ${world.actors.mara.token}` } });
    assert.equal(shown.statusCode, 200);
    const served = await other.app.http.inject({ method: 'GET', url: new URL(JSON.parse(shown.body).url).pathname + new URL(JSON.parse(shown.body).url).search });
    assert.equal(served.statusCode, 200);
  });
});

describe('the periodic resume of uploads', () => {
  let world: World;
  before(async () => {
    world = await createWorld({ accounts: ['mara'] });
  });
  after(async () => world?.close());

  test('finds the processing uploads through their partial index, not by walking every photo', async () => {
    const { kysely } = world.db.handle;
    // The statement the repository sends, as compiled, caught at the executor.
    const executor = kysely.getExecutor() as unknown as { executeQuery: (query: CompiledQuery, ...rest: unknown[]) => Promise<unknown> };
    const original = executor.executeQuery;
    let caught: CompiledQuery | undefined;
    executor.executeQuery = function (this: unknown, query, ...rest) {
      if (/from "media"/i.test(query.sql)) caught = query;
      return original.call(this, query, ...rest);
    };
    try {
      await world.app.services.repositories.media.findProcessing(500, new Date().toISOString());
    } finally {
      executor.executeQuery = original;
    }
    assert.ok(caught, 'the pick reads the media table');
    let plan: string;
    if (world.db.handle.dialect === 'postgres') {
      // A test's table is tiny, so PostgreSQL would scan it whatever the indexes: scans are ruled
      // out to see which index the planner can use.
      plan = await kysely.transaction().execute(async (trx) => {
        await sql`set local enable_seqscan = off`.execute(trx);
        const { rows } = await trx.executeQuery<Record<string, string>>(CompiledQuery.raw(`explain ${caught!.sql}`, [...caught!.parameters]));
        return rows.map((r) => Object.values(r).join(' ')).join('\n');
      });
    } else {
      const { rows } = await kysely.executeQuery<{ detail: string }>(CompiledQuery.raw(`explain query plan ${caught.sql}`, [...caught.parameters]));
      plan = rows.map((r) => r.detail).join('\n');
    }
    assert.match(plan, /media_processing/, plan);
  });
});
