import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { S3Storage, StorageUnavailableError } from '../../src/infra/storage/s3-storage.ts';
import { storageNameOf } from '../../src/domain/media/media-service.ts';
import { variantsOf } from '../../src/domain/media/media.ts';
import { EMOJI_CACHE_MS } from '../../src/domain/emojis/emoji-service.ts';
import { createWorld, type World, type WorldName } from '../support/world.ts';
import { multipartWithFile } from '../support/photos.ts';
import { adminCommand } from '../support/admin-command.ts';
import { TEST_DB } from '../support/test-database.ts';
import { startTestS3, type TestS3 } from '../support/test-s3.ts';

/**
 * GLIMPSE_STORAGE=s3: media kept in an S3-compatible bucket (s3rver on loopback, started here).
 * The adapter itself, then the whole pipeline through the API: uploads stored in the bucket,
 * processed there, served through /media with the same access rules as on local disk, and
 * deleted from the bucket; avatars and custom emojis too.
 */

async function photo(width: number, height: number): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: '#6a8', noise: { type: 'gaussian', mean: 128, sigma: 40 } } }).jpeg().toBuffer();
}

describe('S3Storage against an S3-compatible server', () => {
  let s3: TestS3;
  let dataDir: string;
  let storage: S3Storage;

  before(async () => {
    s3 = await startTestS3();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-s3-adapter-'));
    storage = new S3Storage(s3.storage, dataDir);
  });
  after(async () => {
    await storage.close();
    await s3.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const key = () => crypto.randomBytes(32).toString('base64url');

  test('put, read, stream, exists and remove of one object and of a whole key', async () => {
    const k = key();
    const bytes = crypto.randomBytes(70_000);
    await storage.put(k, 'w1080.jpg', bytes);
    await storage.put(k, 'w640.webp', Buffer.from('small'));
    assert.deepEqual(await s3.keys(`${k}/`), [`${k}/w1080.jpg`, `${k}/w640.webp`]);
    assert.deepEqual(await storage.read(k, 'w1080.jpg'), bytes);
    const streamed = await storage.stream(k, 'w1080.jpg');
    assert.equal(streamed?.size, bytes.length);
    const chunks: Buffer[] = [];
    for await (const chunk of streamed!.stream) chunks.push(chunk as Buffer);
    assert.deepEqual(Buffer.concat(chunks), bytes);
    assert.equal(await storage.exists(k, 'w1080.jpg'), true);
    assert.equal(await storage.exists(k, 'w320.jpg'), false);
    assert.equal(await storage.read(k, 'w320.jpg'), undefined);
    assert.equal(await storage.stream(key(), 'w320.jpg'), undefined);

    await storage.remove(k, 'w640.webp');
    assert.deepEqual(await s3.keys(`${k}/`), [`${k}/w1080.jpg`]);
    await storage.remove(k);
    assert.deepEqual(await s3.keys(`${k}/`), []);
    await storage.remove(k); // removing what is gone changes nothing
  });

  test('a received file is streamed to the bucket with its length and is gone from the incoming folder', async () => {
    const k = key();
    const file = await storage.incomingFile();
    assert.equal(path.dirname(file), path.join(dataDir, 'media', '.incoming'));
    const bytes = crypto.randomBytes(3 * 1024 * 1024 + 17);
    fs.writeFileSync(file, bytes);
    await storage.putFile(k, 'original', file);
    assert.equal(fs.existsSync(file), false);
    assert.deepEqual(await storage.read(k, 'original'), bytes);
    await storage.remove(k);
  });

  test('paths outside the incoming folder and unsafe keys or names are refused before any request', async () => {
    const outside = path.join(dataDir, 'elsewhere');
    fs.writeFileSync(outside, 'x');
    await assert.rejects(storage.putFile(key(), 'original', outside), /not a received upload/);
    assert.equal(fs.existsSync(outside), true);
    for (const [k, name] of [['..', 'w1080.jpg'], ['a/b', 'w1080.jpg'], [key(), '../x'], [key(), '.tmp-1']]) {
      await assert.rejects(storage.put(k, name, Buffer.from('x')), /unsafe media storage/);
    }
  });

  test('received files left by a crash are removed once old enough', async () => {
    const file = await storage.incomingFile();
    fs.writeFileSync(file, 'left over');
    assert.equal(await storage.removeStaleIncoming(60_000), 0);
    const old = new Date(Date.now() - 120_000);
    fs.utimesSync(file, old, old);
    assert.equal(await storage.removeStaleIncoming(60_000), 1);
    assert.equal(fs.existsSync(file), false);
  });
});

describe('media in an S3 bucket through the API (GLIMPSE_STORAGE=s3)', () => {
  let s3: TestS3;
  let dir: string;
  let world: World;
  let jpeg: Buffer;

  before(async () => {
    s3 = await startTestS3();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-s3-api-'));
    world = await createWorld({ config: { dataDir: dir, storage: s3.storage }, databaseFile: TEST_DB === 'sqlite' ? path.join(dir, 'glimpse.sqlite') : undefined });
    jpeg = await photo(800, 600);
  });
  after(async () => {
    try {
      await world?.close();
    } finally {
      await s3?.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  const idle = () => world.app.services.mediaQueue.onIdle();
  const rowOf = (id: string) => world.app.services.repositories.media.findById(id);
  const pathOf = (url: string) => (url.startsWith(world.config.publicUrl) ? url.slice(world.config.publicUrl.length) : url);
  const fetchFile = (as: WorldName | undefined, url: string) => world.request(as, 'GET', pathOf(url));
  const unsigned = (url: string) => url.replace(/\?.*$/, '');
  /** Files under the data folder's media/ other than the (empty) incoming folder. */
  const localMediaFiles = () => (fs.existsSync(path.join(dir, 'media')) ? fs.readdirSync(path.join(dir, 'media')).filter((n) => n !== '.incoming') : []);

  async function upload(as: WorldName, data: Buffer, url = '/api/v1/media') {
    const { body, contentType } = multipartWithFile('file', { data, filename: 'photo.jpg', type: 'image/jpeg' });
    return world.request(as, 'POST', url, body, { 'content-type': contentType });
  }

  async function post(as: WorldName, visibility: string) {
    const media = await upload(as, jpeg);
    assert.equal(media.status, 200, JSON.stringify(media.body));
    const status = await world.post(as, '/api/v1/statuses', { status: 'a photo', media_ids: [media.body.id], visibility });
    assert.equal(status.status, 200, JSON.stringify(status.body));
    return { media: media.body, status: status.body };
  }

  test('an upload is processed and its sizes are stored in the bucket, nothing on local disk; served with the stored bytes', async () => {
    const res = await upload('mara', jpeg);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const row = await rowOf(res.body.id);
    assert.equal(row?.state, 'ready');
    const names = variantsOf(row!).map(storageNameOf).sort();
    assert.ok(names.includes('w1080.jpg') && names.includes('preview.webp'), names.join());
    assert.deepEqual(await s3.keys(`${row!.storage_key}/`), names.map((n) => `${row!.storage_key}/${n}`), 'every size, and no original, in the bucket');
    assert.deepEqual(localMediaFiles(), []);
    assert.deepEqual(fs.readdirSync(path.join(dir, 'media', '.incoming')), [], 'the received file was streamed away');

    const served = await fetchFile('mara', res.body.url);
    assert.equal(served.status, 200);
    assert.equal(served.headers['content-type'], 'image/jpeg');
    assert.equal(served.headers['x-content-type-options'], 'nosniff');
    const { Body } = await s3.client.send(new (await import('@aws-sdk/client-s3')).GetObjectCommand({ Bucket: s3.bucket, Key: `${row!.storage_key}/w1080.jpg` }));
    assert.deepEqual(served.raw.rawPayload, Buffer.from(await Body!.transformToByteArray()));
    assert.equal(Number(served.headers['content-length']), served.raw.rawPayload.length);
  });

  test('the same access rules as on local disk: a followers-only photo is refused to a stranger, a public one served to anyone', async () => {
    const open = await post('mara', 'public');
    const publicUrl: string = open.status.media_attachments[0].url;
    assert.doesNotMatch(publicUrl, /sig=/);
    const anyone = await fetchFile(undefined, publicUrl);
    assert.equal(anyone.status, 200);
    assert.match(String(anyone.headers['cache-control']), /public, max-age=31536000/);

    const { status } = await post('mara', 'private');
    const signed: string = status.media_attachments[0].url;
    assert.match(signed, /sig=/);
    // The stranger cannot see the post, so never gets a signed URL; the bare path is refused.
    assert.equal((await world.get('sam', `/api/v1/statuses/${status.id}`)).status, 404);
    for (const as of ['sam', undefined] as const) {
      const refused = await fetchFile(as, unsigned(signed));
      assert.equal(refused.status, 404);
      assert.deepEqual(refused.body, { error: 'Record not found' });
    }
    const tampered = await fetchFile('sam', signed.replace(/sig=[^&]+/, 'sig=forged'));
    assert.equal(tampered.status, 404);
    const own = await fetchFile('mara', signed);
    assert.equal(own.status, 200);
    assert.match(String(own.headers['cache-control']), /^private, max-age=\d+$/);
    // A suspended owner's files are refused even with a signature handed out earlier.
    await world.app.services.database.kysely.updateTable('accounts').set({ suspended_at: world.clock.now().toISOString() }).where('id', '=', world.actors.mara.id).execute();
    try {
      assert.equal((await fetchFile(undefined, signed)).status, 404);
      assert.equal((await fetchFile(undefined, publicUrl)).status, 404);
    } finally {
      await world.app.services.database.kysely.updateTable('accounts').set({ suspended_at: null }).where('id', '=', world.actors.mara.id).execute();
    }
  });

  test('a failed upload keeps no objects in the bucket', async () => {
    const truncated = jpeg.subarray(0, Math.floor(jpeg.length / 2));
    const res = await upload('ines', truncated);
    assert.equal(res.status, 422, JSON.stringify(res.body));
    await idle();
    const rows = await world.app.services.database.kysely.selectFrom('media').selectAll().where('account_id', '=', world.actors.ines.id).where('state', '=', 'failed').execute();
    assert.equal(rows.length, 1);
    assert.deepEqual(await s3.keys(`${rows[0].storage_key}/`), []);
  });

  test('an avatar is stored in the bucket and served; replacing and removing it deletes its objects', async () => {
    const send = (parts: Buffer) => multipartWithFile('avatar', { data: parts, filename: 'me.jpg', type: 'image/jpeg' });
    const first = send(await photo(900, 600));
    const one = await world.request('nora', 'PATCH', '/api/v1/accounts/update_credentials', first.body, { 'content-type': first.contentType });
    assert.equal(one.status, 200, JSON.stringify(one.body));
    assert.match(one.body.avatar, /\/media\/[A-Za-z0-9_-]{43}\/square400\.jpg$/);
    const firstKey = new URL(one.body.avatar).pathname.split('/')[2];
    assert.ok((await s3.keys(`${firstKey}/`)).includes(`${firstKey}/square400.jpg`));
    const served = await fetchFile(undefined, one.body.avatar);
    assert.equal(served.status, 200);
    assert.deepEqual([(await sharp(served.raw.rawPayload).metadata()).width, (await sharp(served.raw.rawPayload).metadata()).height], [400, 400]);

    const second = send(jpeg);
    const two = await world.request('nora', 'PATCH', '/api/v1/accounts/update_credentials', second.body, { 'content-type': second.contentType });
    assert.equal(two.status, 200, JSON.stringify(two.body));
    const secondKey = new URL(two.body.avatar).pathname.split('/')[2];
    assert.deepEqual(await s3.keys(`${firstKey}/`), [], 'the replaced avatar is gone from the bucket');
    assert.equal((await fetchFile(undefined, one.body.avatar)).status, 404);
    assert.equal((await fetchFile(undefined, two.body.avatar)).status, 200);

    assert.equal((await world.request('nora', 'DELETE', '/api/v1/profile/avatar')).status, 200);
    assert.deepEqual(await s3.keys(`${secondKey}/`), [], 'the removed avatar is gone from the bucket');
    assert.equal((await fetchFile(undefined, two.body.avatar)).status, 404);
  });

  test('a custom emoji added by the admin command (another process) is stored in the bucket, served, and removed from it', async () => {
    const image = path.join(dir, 'cat.png');
    fs.writeFileSync(image, await sharp({ create: { width: 300, height: 200, channels: 4, background: { r: 200, g: 40, b: 90, alpha: 0.5 } } }).png().toBuffer());
    // The command reads its storage from the environment, as a server would.
    const s3Env = {
      GLIMPSE_STORAGE: 's3', GLIMPSE_S3_ENDPOINT: s3.storage.endpoint, GLIMPSE_S3_BUCKET: s3.bucket, GLIMPSE_S3_REGION: s3.storage.region,
      GLIMPSE_S3_ACCESS_KEY_ID: s3.storage.accessKeyId, GLIMPSE_S3_SECRET_ACCESS_KEY: s3.storage.secretAccessKey, GLIMPSE_S3_FORCE_PATH_STYLE: 'true',
    };
    const saved = Object.fromEntries(Object.keys(s3Env).map((name) => [name, process.env[name]]));
    Object.assign(process.env, s3Env);
    try {
      const added = await adminCommand(world, dir, 'emoji', 'add', 'blobcat', image);
      assert.equal(added.code, 0, added.out);
      world.clock.advance(EMOJI_CACHE_MS);
      const [entry] = (await world.get(undefined, '/api/v1/custom_emojis')).body;
      const key = new URL(String(entry.url)).pathname.split('/')[2];
      assert.deepEqual(await s3.keys(`${key}/`), [`${key}/emoji128.webp`]);
      const served = await world.get(undefined, new URL(String(entry.url)).pathname);
      assert.equal(served.status, 200);
      assert.equal(served.headers['content-type'], 'image/webp');
      assert.deepEqual(localMediaFiles(), []);

      const removed = await adminCommand(world, dir, 'emoji', 'remove', 'blobcat');
      assert.equal(removed.code, 0, removed.out);
      assert.deepEqual(await s3.keys(`${key}/`), []);
    } finally {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });
});

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('an S3 store that cannot be reached', () => {
  let s3: TestS3;
  let dir: string;
  let world: World;

  before(async () => {
    s3 = await startTestS3();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-s3-down-'));
    world = await createWorld({ config: { dataDir: dir, storage: { ...s3.storage, endpoint: `http://127.0.0.1:${await closedPort()}` } }, accounts: ['mara'] });
  });
  after(async () => {
    try {
      await world?.close();
    } finally {
      await s3?.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the adapter says unavailable (503), never a bare SDK error', async () => {
    await assert.rejects(world.app.services.mediaStorage.put(crypto.randomBytes(32).toString('base64url'), 'w1080.jpg', Buffer.from('x')), (error: unknown) => {
      assert.ok(error instanceof StorageUnavailableError);
      assert.equal(error.status, 503);
      return true;
    });
  });

  test('an upload answers 503 with an error body, stores no row and leaves no received file', async () => {
    const { body, contentType } = multipartWithFile('file', { data: await photo(320, 240), filename: 'p.jpg', type: 'image/jpeg' });
    const res = await world.request('mara', 'POST', '/api/v1/media', body, { 'content-type': contentType });
    assert.equal(res.status, 503, JSON.stringify(res.body));
    assert.match(res.body.error, /storage is unavailable/);
    const rows = await world.app.services.database.kysely.selectFrom('media').select('id').execute();
    assert.equal(rows.length, 0);
    assert.deepEqual(fs.readdirSync(path.join(dir, 'media', '.incoming')), []);
  });

  test('a media URL answers 503, not 500, while the store is down', async () => {
    const key = crypto.randomBytes(32).toString('base64url');
    await world.app.services.repositories.media.insert({
      id: `${world.clock.now().getTime()}0001`, account_id: world.actors.mara.id, purpose: 'avatar', state: 'ready', error: null, storage_key: key,
      description: '', focus_x: 0, focus_y: 0, width: 400, height: 400, blurhash: null, variants: JSON.stringify([{ name: 'square400', format: 'jpeg', width: 400, height: 400 }]),
      captured_at: null, status_id: null, position: 0, created_at: world.clock.now().toISOString(),
    });
    const res = await world.get(undefined, `/media/${key}/square400.jpg`);
    assert.equal(res.status, 503);
    assert.match(res.body.error, /storage is unavailable/);
  });
});
