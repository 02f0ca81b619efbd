import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import zlib from 'node:zlib';
import sharp from 'sharp';
import { createWorld, type Response, type World, type WorldName } from '../support/world.ts';
import { startHttpServer, type RunningServer } from '../support/http-server.ts';
import { makeJpeg, multipartWithFile } from '../support/photos.ts';
import { UPLOAD_BOUNDS } from '../../src/domain/media/upload-slots.ts';

/**
 * Uploads as they arrive (issue 11, items 3, 4 and 10): refused from the image header when a
 * crafted file would hold a worker, streamed to disk instead of memory, bounded in flight, and
 * malformed multipart bodies answered 400 or 422 in the Mastodon shape, never 500.
 */

/** A PNG written byte by byte: a valid IHDR with the given size and all-black greyscale rows. */
function png(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 0, 0, 0, 0], 8); // 8-bit greyscale, deflate, no filter, no interlace
  // Each row: a filter byte and `width` zero pixels.
  const rows = zlib.deflateSync(Buffer.alloc(height * (width + 1)), { level: 9 });
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', rows), chunk('IEND', Buffer.alloc(0))]);
}

/** A progressive JPEG whose last scan is repeated until it has `scans` start-of-scan markers. */
async function jpegWithScans(scans: number): Promise<Buffer> {
  const progressive = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#3a6' } }).jpeg({ progressive: true }).toBuffer();
  const sos = [];
  for (let at = progressive.indexOf(Buffer.from([0xff, 0xda])); at !== -1; at = progressive.indexOf(Buffer.from([0xff, 0xda]), at + 2)) sos.push(at);
  const lastScan = progressive.subarray(sos[sos.length - 1], progressive.length - 2);
  const extra = Array.from({ length: scans - sos.length }, () => lastScan);
  return Buffer.concat([progressive.subarray(0, progressive.length - 2), ...extra, Buffer.from([0xff, 0xd9])]);
}

function upload(world: World, as: WorldName, url: string, data: Buffer, type = 'image/png', fields: Array<[string, string]> = []): Promise<Response> {
  const { body, contentType } = multipartWithFile('file', { data, filename: 'upload.png', type }, fields);
  return world.request(as, 'POST', url, body, { 'content-type': contentType });
}

/** Files anywhere under the media folder (stored sizes, originals and received uploads). */
function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

/** Waits until `condition` holds, yielding to the server between checks (the test's timeout bounds it). */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}

const boundary = 'glimpse-test-boundary';
const multipartType = `multipart/form-data; boundary=${boundary}`;
const fieldPart = (name: string, value: string) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
const filePart = (name: string, data: Buffer) =>
  Buffer.concat([Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="x.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`), data, Buffer.from('\r\n')]);
const end = `--${boundary}--\r\n`;

describe('uploads', () => {
  let world: World;
  let jpeg: Buffer;
  const mediaDir = () => path.join(world.config.dataDir, 'media');
  const mediaRows = async (as: WorldName) =>
    Number((await world.app.services.database.kysely.selectFrom('media').select((eb) => eb.fn.countAll().as('n')).where('account_id', '=', world.actors[as].id).executeTakeFirst())?.n);

  before(async () => {
    world = await createWorld();
    jpeg = await makeJpeg(160, 120);
  });
  after(() => world.close());

  describe('an image that would hold a media worker is refused at upload, from its header', () => {
    const refused: Array<[string, () => Promise<Buffer> | Buffer, string, RegExp]> = [
      ['a 1 × 30,000,000 PNG (within the pixel limit) is refused: a side is longer than 16,384 pixels', () => png(1, 30_000_000), 'image/png', /each side may be at most 16,384 pixels/],
      ['a 16,385 × 1,000 PNG is refused: a side is longer than 16,384 pixels', () => png(16_385, 1_000), 'image/png', /each side may be at most 16,384 pixels/],
      ['a 2,100 × 100 PNG is refused: wider than 20:1', () => png(2_100, 100), 'image/png', /one side may be at most 20 times the other/],
      ['a 100 × 2,100 PNG is refused: taller than 1:20', () => png(100, 2_100), 'image/png', /one side may be at most 20 times the other/],
      ['a JPEG of 40 progressive scans is refused: more than 32 scans', () => jpegWithScans(40), 'image/jpeg', /too many progressive scans \(maximum is 32\)/],
    ];
    for (const [name, make, type, message] of refused) {
      test(`${name}, with 422 on v1 and v2, storing no row and no file`, async () => {
        const data = await make();
        await world.app.services.mediaQueue.onIdle();
        const rowsBefore = await mediaRows('bo');
        const filesBefore = filesUnder(mediaDir());
        for (const url of ['/api/v1/media', '/api/v2/media']) {
          const res = await upload(world, 'bo', url, data, type);
          assert.equal(res.status, 422, `${url}: ${JSON.stringify(res.body)}`);
          assert.match(res.body.error, message);
        }
        assert.equal(await mediaRows('bo'), rowsBefore);
        assert.deepEqual(filesUnder(mediaDir()), filesBefore);
      });
    }

    test('an image of exactly 1:20 and an ordinary progressive JPEG are accepted', async () => {
      const res = await upload(world, 'bo', '/api/v1/media', await sharp({ create: { width: 2000, height: 100, channels: 3, background: '#48c' } }).png().toBuffer());
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const progressive = await sharp({ create: { width: 300, height: 200, channels: 3, background: '#c84' } }).jpeg({ progressive: true }).toBuffer();
      const second = await upload(world, 'bo', '/api/v1/media', progressive, 'image/jpeg');
      assert.equal(second.status, 200, JSON.stringify(second.body));
    });
  });

  describe('uploads stream to disk and leave nothing behind', () => {
    const incoming = () => filesUnder(path.join(mediaDir(), '.incoming'));

    test('fields before and after the file are both read', async () => {
      const before = await upload(world, 'mara', '/api/v2/media', jpeg, 'image/jpeg', [['description', 'before the file']]);
      assert.ok([200, 202].includes(before.status), JSON.stringify(before.body));
      assert.equal(before.body.description, 'before the file');
      const body = Buffer.concat([filePart('file', jpeg), Buffer.from(fieldPart('description', 'after the file') + fieldPart('focus', '0.5,0.5') + end)]);
      const afterFile = await world.request('mara', 'POST', '/api/v2/media', body, { 'content-type': multipartType });
      assert.ok([200, 202].includes(afterFile.status), JSON.stringify(afterFile.body));
      assert.equal(afterFile.body.description, 'after the file');
      assert.deepEqual(afterFile.body.meta.focus, { x: 0.5, y: 0.5 });
      assert.deepEqual(incoming(), []);
    });

    test('an over-size file answers 413 and leaves no received file behind', async () => {
      const huge = Buffer.concat([jpeg, Buffer.alloc(16 * 1024 * 1024)]);
      const res = await upload(world, 'mara', '/api/v1/media', huge, 'image/jpeg');
      assert.equal(res.status, 413, JSON.stringify(res.body));
      assert.match(res.body.error, /too large \(maximum is 16 MiB\)/);
      assert.deepEqual(incoming(), []);
    });

    test('a file whose first bytes are not an image answers 422 and leaves no received file behind', async () => {
      const html = Buffer.concat([Buffer.from('<!doctype html><script>alert(1)</script>'), Buffer.alloc(1024 * 1024, 0x20)]);
      const res = await upload(world, 'mara', '/api/v1/media', html, 'image/jpeg');
      assert.equal(res.status, 422, JSON.stringify(res.body));
      assert.equal(res.body.error, 'File type not supported');
      assert.deepEqual(incoming(), []);
    });

    test('update_credentials: a refused avatar leaves no received file behind; a header and a text field in one body both apply', async () => {
      const bad = await world.request('nora', 'PATCH', '/api/v1/accounts/update_credentials', Buffer.concat([Buffer.from(fieldPart('display_name', 'Never')), filePart('avatar', png(1, 30_000)), Buffer.from(end)]), { 'content-type': multipartType });
      assert.equal(bad.status, 422, JSON.stringify(bad.body));
      assert.deepEqual(incoming(), []);
      const good = await world.request('nora', 'PATCH', '/api/v1/accounts/update_credentials', Buffer.concat([filePart('header', jpeg), Buffer.from(fieldPart('display_name', 'Nora N') + end)]), { 'content-type': multipartType });
      assert.equal(good.status, 200, JSON.stringify(good.body));
      assert.equal(good.body.display_name, 'Nora N');
      assert.match(good.body.header, /\/w1080\.jpg$/);
      assert.deepEqual(incoming(), []);
    });

    test('a JSON body cannot pass a path off as an uploaded file', async () => {
      const res = await world.request('mara', 'POST', '/api/v1/media', { file: { path: '/etc/passwd', size: 10 } });
      assert.equal(res.status, 422);
      assert.equal(res.body.error, 'Validation failed: File is missing');
    });
  });

  describe('uploads in flight are bounded per account and in total', () => {
    /** An upload whose body stays open until `finish()`: it holds its slot meanwhile. */
    const held = (as: WorldName) => {
      const body = new PassThrough();
      body.write(Buffer.concat([Buffer.from(fieldPart('description', 'held')), filePart('file', jpeg).subarray(0, 200)]));
      const answer = world.request(as, 'POST', '/api/v2/media', body, { 'content-type': multipartType });
      return { answer, finish: () => body.end(Buffer.concat([filePart('file', jpeg).subarray(200), Buffer.from(end)])) };
    };
    const slots = () => world.app.services.media.uploadSlots;

    test(`past ${UPLOAD_BOUNDS.perAccount} uploads of one account in flight, the next answers 429 with Retry-After before its body is read`, async () => {
      const holding = Array.from({ length: UPLOAD_BOUNDS.perAccount }, () => held('ines'));
      await until(() => slots().inFlight(world.actors.ines.id) === UPLOAD_BOUNDS.perAccount);
      const extra = held('ines');
      const refused = await extra.answer; // answered while its body is still open
      extra.finish();
      assert.equal(refused.status, 429, JSON.stringify(refused.body));
      assert.equal(typeof refused.body.error, 'string');
      assert.ok(Number(refused.headers['retry-after']) >= 1, `Retry-After: ${refused.headers['retry-after']}`);
      // Another account is not held up by this one.
      const other = await upload(world, 'sam', '/api/v2/media', jpeg, 'image/jpeg');
      assert.ok([200, 202].includes(other.status), JSON.stringify(other.body));
      for (const h of holding) h.finish();
      for (const res of await Promise.all(holding.map((h) => h.answer))) assert.ok([200, 202].includes(res.status), JSON.stringify(res.body));
      assert.equal(slots().inFlight(), 0);
      await world.app.services.mediaQueue.onIdle();
    });

    test(`past ${UPLOAD_BOUNDS.total} uploads in flight in total, any account's next one answers 429 with Retry-After`, async () => {
      const holders: WorldName[] = ['mara', 'ines', 'sam', 'pat', 'rex', 'remi'];
      const holding = Array.from({ length: UPLOAD_BOUNDS.total }, (_, i) => held(holders[i % holders.length]));
      await until(() => slots().inFlight() === UPLOAD_BOUNDS.total);
      const refused = await upload(world, 'bo', '/api/v2/media', jpeg, 'image/jpeg');
      assert.equal(refused.status, 429, JSON.stringify(refused.body));
      assert.ok(Number(refused.headers['retry-after']) >= 1);
      for (const h of holding) h.finish();
      await Promise.all(holding.map((h) => h.answer));
      assert.equal(slots().inFlight(), 0);
      const afterwards = await upload(world, 'bo', '/api/v2/media', jpeg, 'image/jpeg');
      assert.ok([200, 202].includes(afterwards.status), JSON.stringify(afterwards.body));
      await world.app.services.mediaQueue.onIdle();
    });
  });

  describe('a malformed multipart body answers 400 or 422 in the Mastodon shape, never 500', () => {
    const cases: Array<[string, string | Buffer, string, number, RegExp]> = [
      ['a body that is not multipart', 'status=hello&visibility=public', multipartType, 400, /Malformed multipart body/],
      ['a multipart Content-Type without a boundary', fieldPart('status', 'hello') + end, 'multipart/form-data', 400, /Malformed multipart body/],
      ['a truncated body', fieldPart('status', 'hello') + `--${boundary}\r\nContent-Disposition: form-data; name="visibility"\r\n\r\npub`, multipartType, 400, /Malformed multipart body/],
      ['too many fields', Array.from({ length: 201 }, (_, i) => fieldPart(`f${i}`, 'x')).join('') + end, multipartType, 422, /too many fields \(maximum is 200\)/],
      ['a field over 64 KiB', fieldPart('status', 'x'.repeat(64 * 1024 + 1)) + end, multipartType, 422, /status is too long \(maximum is 64 KiB\)/],
      ['a field name over 100 bytes', fieldPart('n'.repeat(101), 'x') + end, multipartType, 422, /field name is too long/],
      ['a field named after a prototype property', fieldPart('constructor', 'x') + end, multipartType, 400, /Malformed multipart body/],
    ];
    for (const [name, body, contentType, status, message] of cases) {
      test(`${name} answers ${status}, on a text route and on an upload route`, async () => {
        for (const url of ['/api/v1/statuses', '/api/v2/media']) {
          const res = await world.request('mara', 'POST', url, typeof body === 'string' ? Buffer.from(body) : body, { 'content-type': contentType });
          assert.equal(res.status, status, `${url}: ${res.status} ${JSON.stringify(res.body)}`);
          assert.match(res.body.error, message, url);
        }
      });
    }

    test('a file sent to a route that takes none answers 422', async () => {
      const res = await world.request('mara', 'POST', '/api/v1/statuses', Buffer.concat([Buffer.from(fieldPart('status', 'hi')), filePart('file', jpeg), Buffer.from(end)]), { 'content-type': multipartType });
      assert.equal(res.status, 422, JSON.stringify(res.body));
      assert.match(res.body.error, /takes no files/);
    });

    test('more than two files answers 422', async () => {
      const res = await world.request('mara', 'POST', '/api/v2/media', Buffer.concat([filePart('file', jpeg), filePart('thumbnail', jpeg), filePart('other', jpeg), Buffer.from(end)]), { 'content-type': multipartType });
      assert.equal(res.status, 422, JSON.stringify(res.body));
      assert.match(res.body.error, /too many files \(maximum is 2\)/);
    });

    test('text fields over 1 MiB together answer 413', async () => {
      const fields = Array.from({ length: 17 }, (_, i) => fieldPart(`f${i}`, 'x'.repeat(63 * 1024))).join('') + end;
      const res = await world.request('mara', 'POST', '/api/v1/statuses', Buffer.from(fields), { 'content-type': multipartType });
      assert.equal(res.status, 413, JSON.stringify(res.body));
      assert.equal(typeof res.body.error, 'string');
    });

    test('a text-only multipart body still works everywhere, as a form would', async () => {
      const res = await world.request('mara', 'POST', '/api/v1/statuses', Buffer.from(fieldPart('status', 'multipart text') + fieldPart('media_ids[]', 'nope') + end), { 'content-type': multipartType });
      // Parsed (not a 400): the media id is simply not the caller's.
      assert.equal(res.status, 422, JSON.stringify(res.body));
      assert.doesNotMatch(res.body.error, /multipart/i);
    });
  });
});

describe('a client that disconnects mid-upload', () => {
  let server: RunningServer;
  let token: string;

  before(async () => {
    server = await startHttpServer();
    const account = await server.app.services.accounts.register({ username: 'leaver', email: 'leaver@example.com', password: 'leaver-password', agreement: true });
    token = (await server.app.services.auth.issue({ appId: null, accountId: account.id, scopes: ['read', 'write'], withRefresh: false })).access_token;
  });
  after(() => server.close());

  test('leaves no received file behind and frees its upload slot', async () => {
    const incomingDir = path.join(server.config.dataDir, 'media', '.incoming');
    const jpeg = await makeJpeg(64, 48);
    const request = http.request(`${server.url}/api/v2/media`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': multipartType } });
    request.on('error', () => undefined);
    request.write(filePart('file', Buffer.concat([jpeg, crypto.randomBytes(256 * 1024)])).subarray(0, 128 * 1024));
    // The server has started writing the file to disk...
    await until(() => filesUnder(incomingDir).length === 1 && fs.statSync(filesUnder(incomingDir)[0]).size > 0);
    // ...when the client goes away.
    request.destroy();
    await until(() => server.app.services.media.uploadSlots.inFlight() === 0);
    assert.deepEqual(filesUnder(incomingDir), []);
    assert.equal(Number((await server.app.services.database.kysely.selectFrom('media').select((eb) => eb.fn.countAll().as('n')).executeTakeFirst())?.n), 0);
  });
});
