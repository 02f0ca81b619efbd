import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp, { type Sharp } from 'sharp';
import exifr from 'exifr';
import { createWorld, type Actor, type Response, type World, type WorldName } from '../support/world.ts';
import { tokenWithScopes } from '../support/http.ts';
import { ORIGINAL_NAME } from '../../src/domain/media/media-service.ts';

/**
 * The media pipeline through HTTP: uploads (v1 and v2), processing in the queue, the served
 * files and who may fetch them. Fixtures are made here with sharp; abuse case 8 of SECURITY.md.
 */

type Part = { name: string; value: string } | { name: string; filename: string; contentType: string; data: Buffer };

function multipartBody(parts: Part[]): { body: Buffer; contentType: string } {
  const boundary = `----glimpse-media-${crypto.randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const part of parts) {
    if ('data' in part) {
      chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"; filename="${part.filename}"\r\nContent-Type: ${part.contentType}\r\n\r\n`));
      chunks.push(part.data, Buffer.from('\r\n'));
    } else {
      chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"\r\n\r\n${part.value}\r\n`));
    }
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

function send(world: World, as: WorldName | Actor | undefined, method: 'POST' | 'PATCH' | 'PUT', url: string, parts: Part[]): Promise<Response> {
  const { body, contentType } = multipartBody(parts);
  return world.request(as, method, url, body, { 'content-type': contentType });
}

const file = (data: Buffer, contentType = 'image/jpeg', filename = 'photo.jpg'): Part => ({ name: 'file', filename, contentType, data });

function upload(world: World, as: WorldName | Actor, version: 'v1' | 'v2', data: Buffer, fields: Record<string, string> = {}, contentType = 'image/jpeg') {
  return send(world, as, 'POST', `/api/${version}/media`, [file(data, contentType), ...Object.entries(fields).map(([name, value]) => ({ name, value }))]);
}

/** A photo-like picture: smooth, varied colour (a small noise field enlarged), which encodes like a photograph. */
async function photo(width: number, height: number): Promise<Sharp> {
  const seed = await sharp({ create: { width: Math.max(2, Math.ceil(width / 40)), height: Math.max(2, Math.ceil(height / 40)), channels: 3, background: '#6a8', noise: { type: 'gaussian', mean: 128, sigma: 60 } } })
    .png()
    .toBuffer();
  return sharp(seed).resize(width, height, { kernel: 'cubic' });
}

/** GIF blocks after the header: extensions and image blocks, each with their sub-blocks. */
function gifWithFrames(single: Buffer, frames: number): Buffer {
  const packed = single[10];
  let offset = 13 + (packed & 0x80 ? 3 * 2 ** ((packed & 0x07) + 1) : 0);
  const head = single.subarray(0, offset);
  const skipSubBlocks = (at: number) => {
    while (single[at] !== 0) at += single[at] + 1;
    return at + 1;
  };
  const prefix: Buffer[] = [];
  let frame: Buffer | undefined;
  let frameStart = -1;
  while (offset < single.length && single[offset] !== 0x3b) {
    const start = offset;
    if (single[offset] === 0x21) {
      const label = single[offset + 1];
      offset = skipSubBlocks(offset + 2);
      if (label === 0xf9) frameStart = start;
      else prefix.push(single.subarray(start, offset));
    } else if (single[offset] === 0x2c) {
      const flags = single[offset + 9];
      offset += 10 + (flags & 0x80 ? 3 * 2 ** ((flags & 0x07) + 1) : 0);
      offset = skipSubBlocks(offset + 1);
      frame = single.subarray(frameStart >= 0 ? frameStart : start, offset);
      break;
    } else {
      throw new Error(`unexpected GIF block 0x${single[offset].toString(16)}`);
    }
  }
  if (!frame) throw new Error('no image block in the GIF');
  return Buffer.concat([head, ...prefix, ...Array.from({ length: frames }, () => frame!), Buffer.from([0x3b])]);
}

const pathOf = (world: World, url: string) => (url.startsWith(world.config.publicUrl) ? url.slice(world.config.publicUrl.length) : url);

async function fetchFile(world: World, url: string): Promise<Response> {
  return world.request(undefined, 'GET', pathOf(world, url));
}

const bytesOf = (res: Response): Buffer => res.raw.rawPayload;

/** Every file an attachment offers: its sizes in each of its formats, through its URL template. */
function servedFiles(attachment: any): Array<{ name: string; format: 'jpeg' | 'webp'; width: number; height: number; url: string }> {
  const { url_template: template, sizes, formats } = attachment.glimpse;
  return sizes.flatMap((size: { name: string; width: number; height: number }) =>
    formats.map((extension: string) => ({
      ...size,
      format: extension === 'jpg' ? 'jpeg' : extension,
      url: template.replace('{name}', size.name).replace('{format}', extension),
    })),
  );
}

/** Asserts a served variant carries no metadata at all: no EXIF (so no GPS), XMP, IPTC or ICC. */
async function assertNoMetadata(bytes: Buffer, label: string): Promise<void> {
  const meta = await sharp(bytes).metadata();
  assert.equal(meta.exif, undefined, `${label}: EXIF present`);
  assert.equal(meta.xmp, undefined, `${label}: XMP present`);
  assert.equal(meta.iptc, undefined, `${label}: IPTC present`);
  assert.equal(meta.icc, undefined, `${label}: ICC profile present`);
  assert.equal(bytes.includes(Buffer.from('Exif\0\0')), false, `${label}: an Exif header in the bytes`);
  if (meta.format === 'jpeg') {
    assert.equal(await exifr.gps(bytes).catch(() => undefined), undefined, `${label}: exifr finds GPS`);
    assert.equal(await exifr.parse(bytes, { tiff: true, exif: true, gps: true, xmp: true, iptc: true }), undefined, `${label}: exifr finds tags`);
  }
}

describe('media uploads and their processing', () => {
  let world: World;
  let dataDir: string;
  let jpeg: Buffer;

  before(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-media-'));
    world = await createWorld({ config: { dataDir } });
    jpeg = await (await photo(800, 600)).jpeg({ quality: 85 }).toBuffer();
  });
  after(async () => {
    await world.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const idle = () => world.app.services.mediaQueue.onIdle();
  const storedFolder = (key: string) => path.join(dataDir, 'media', key);
  const rowOf = (id: string) => world.app.services.repositories.media.findById(id);

  test('POST /api/v1/media answers 200 with a ready MediaAttachment: sizes, blurhash, focus and alt text', async () => {
    const res = await upload(world, 'mara', 'v1', jpeg, { description: 'A green field', focus: '0.5,-0.25' });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const m = res.body;
    assert.equal(m.type, 'image');
    assert.match(m.url, /\/w1080\.jpg\?exp=\d+&sig=/);
    assert.match(m.preview_url, /\/w320\.jpg\?exp=\d+&sig=/);
    assert.equal(m.remote_url, null);
    assert.deepEqual(m.meta.original, { width: 800, height: 600, size: '800x600', aspect: 800 / 600 });
    assert.deepEqual(m.meta.small, { width: 320, height: 240, size: '320x240', aspect: 320 / 240 });
    assert.deepEqual(m.meta.focus, { x: 0.5, y: -0.25 });
    assert.equal(m.description, 'A green field');
    assert.equal(typeof m.blurhash, 'string');
    assert.ok(m.blurhash.length >= 6);
    const names = servedFiles(m).map((v) => `${v.name}.${v.format}`).sort();
    assert.deepEqual(names, ['preview.jpeg', 'preview.webp', 'w1080.jpeg', 'w1080.webp', 'w320.jpeg', 'w320.webp', 'w640.jpeg', 'w640.webp']);
    const preview = m.glimpse.sizes.find((v: any) => v.name === 'preview');
    assert.equal(preview.width, 64);
    // One template, signed once for the whole photo: the compact form of every size and format.
    assert.match(m.glimpse.url_template, /\/\{name\}\.\{format\}\?exp=\d+&sig=/);
    assert.deepEqual(m.glimpse.formats.sort(), ['jpg', 'webp']);
  });

  test('PNG, WebP and AVIF are accepted by their bytes, whatever label the client sends', async () => {
    const picture = await photo(300, 200);
    for (const data of [await picture.clone().png().toBuffer(), await picture.clone().webp().toBuffer(), await picture.clone().avif().toBuffer()]) {
      const res = await upload(world, 'mara', 'v1', data, {}, 'application/octet-stream');
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual([res.body.meta.original.width, res.body.meta.original.height], [300, 200]);
    }
  });

  test('a small picture is never enlarged: every size is at most the original', async () => {
    const small = await (await photo(500, 300)).png().toBuffer();
    const res = await upload(world, 'mara', 'v1', small, {}, 'image/png');
    assert.equal(res.status, 200, JSON.stringify(res.body));
    for (const v of res.body.glimpse.sizes) assert.ok(v.width <= 500 && v.height <= 300, `${v.name} is ${v.width}x${v.height}`);
    const w1080 = res.body.glimpse.sizes.find((v: any) => v.name === 'w1080');
    assert.deepEqual([w1080.width, w1080.height], [500, 300]);
  });

  test('a photo is turned upright by its EXIF orientation, and its size is the upright size', async () => {
    const sideways = await (await photo(400, 200)).withMetadata({ orientation: 6 }).jpeg().toBuffer();
    const res = await upload(world, 'mara', 'v1', sideways);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual([res.body.meta.original.width, res.body.meta.original.height], [200, 400]);
    const served = await fetchFile(world, res.body.url);
    const meta = await sharp(bytesOf(served)).metadata();
    assert.deepEqual([meta.width, meta.height, meta.orientation], [200, 400, undefined]);
  });

  test('the capture date is kept as captured_at while GPS and all other metadata are gone from every served size', async () => {
    const withGps = await (await photo(1200, 900))
      .jpeg()
      .withExif({
        IFD0: { Make: 'GlimpseCam', Model: 'Test 1' },
        IFD2: { DateTimeOriginal: '2024:05:01 12:34:56', OffsetTimeOriginal: '+02:00' },
        IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '48/1 51/1 2964/100', GPSLongitudeRef: 'E', GPSLongitude: '2/1 17/1 4024/100' },
      })
      .toBuffer();
    // The fixture really carries GPS, so the test below can fail.
    const gps = await exifr.gps(withGps);
    assert.ok(gps && Math.abs(gps.latitude - 48.858) < 0.01);

    const res = await upload(world, 'mara', 'v1', withGps);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.glimpse.captured_at, '2024-05-01T10:34:56.000Z');
    assert.equal(servedFiles(res.body).length, 8);
    for (const variant of servedFiles(res.body)) {
      const served = await fetchFile(world, variant.url);
      assert.equal(served.status, 200, `${variant.name}.${variant.format}`);
      assert.equal(served.headers['content-type'], variant.format === 'jpeg' ? 'image/jpeg' : 'image/webp');
      await assertNoMetadata(bytesOf(served), `${variant.name}.${variant.format}`);
      assert.equal(bytesOf(served).includes(Buffer.from('GlimpseCam')), false);
    }
  });

  test('a capture date without a zone is stored as the wall-clock time', async () => {
    const data = await (await photo(300, 200)).jpeg().withExif({ IFD2: { DateTimeOriginal: '2023:12:24 18:00:00' } }).toBuffer();
    const res = await upload(world, 'mara', 'v1', data);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.glimpse.captured_at, '2023-12-24T18:00:00.000Z');
  });

  test('a JPEG with a script appended is re-encoded: no served size contains the script', async () => {
    const payload = Buffer.from('<script>alert(document.cookie)</script><html><body onload="x()">');
    const polyglot = Buffer.concat([jpeg, payload]);
    const res = await upload(world, 'mara', 'v1', polyglot);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    for (const variant of servedFiles(res.body)) {
      const served = await fetchFile(world, variant.url);
      assert.equal(served.status, 200);
      assert.equal(served.headers['x-content-type-options'], 'nosniff');
      const bytes = bytesOf(served);
      assert.equal(bytes.includes(Buffer.from('<script')), false, `${variant.name}.${variant.format} contains the script`);
      assert.equal(bytes.includes(Buffer.from('<html')), false);
      assert.notDeepEqual(bytes, polyglot);
    }
  });

  test('a truncated JPEG is refused: v1 answers 422 and the media ends failed with no stored bytes', async () => {
    const whole = await (await photo(600, 400)).jpeg({ quality: 90 }).toBuffer();
    const truncated = whole.subarray(0, Math.floor(whole.length / 2));
    const v1 = await upload(world, 'mara', 'v1', truncated);
    assert.equal(v1.status, 422, JSON.stringify(v1.body));
    assert.match(v1.body.error, /damaged|incomplete/i);

    const v2 = await upload(world, 'mara', 'v2', truncated);
    assert.ok(v2.status === 202 || v2.status === 422, `v2 answered ${v2.status}`);
    await idle();
    const rows = await world.app.services.database.kysely.selectFrom('media').selectAll().where('account_id', '=', world.actors.mara.id).where('state', '=', 'failed').execute();
    assert.ok(rows.length >= 2);
    for (const row of rows) {
      assert.equal(row.variants, '[]');
      assert.match(row.error ?? '', /damaged|incomplete/i);
      assert.equal(fs.existsSync(storedFolder(row.storage_key)), false, 'a failed upload keeps no bytes');
    }
    const latest = rows.sort((a, b) => (a.id < b.id ? 1 : -1))[0];
    const shown = await world.get('mara', `/api/v1/media/${latest.id}`);
    assert.equal(shown.status, 422);
    assert.match(shown.body.error, /damaged|incomplete/i);
  });

  const refused: Array<[string, () => Promise<Buffer>, string, RegExp]> = [
    ['a 100-megapixel PNG of a few hundred KB', () => sharp({ create: { width: 10000, height: 10000, channels: 3, background: '#fff' } }).png({ compressionLevel: 9 }).toBuffer(), 'image/png', /too large|pixels/i],
    [
      'a GIF bomb of many large frames',
      async () => gifWithFrames(await sharp({ create: { width: 1000, height: 1000, channels: 3, background: '#f00' } }).gif().toBuffer(), 40),
      'image/gif',
      /too large|pixels/i,
    ],
    ['an SVG', async () => Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script><rect width="10" height="10"/></svg>'), 'image/svg+xml', /not supported/i],
    ['HTML labelled image/jpeg', async () => Buffer.from('<!doctype html><html><body><script>alert(1)</script></body></html>'), 'image/jpeg', /not supported/i],
    ['a TIFF', async () => (await photo(50, 50)).tiff().toBuffer(), 'image/tiff', /not supported/i],
    ['a PDF', async () => Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n'), 'image/jpeg', /not supported/i],
    ['an empty file', async () => Buffer.alloc(0), 'image/jpeg', /empty|not supported/i],
  ];
  for (const [name, make, contentType, message] of refused) {
    test(`${name} is refused with 422 before anything is stored, on v1 and v2`, async () => {
      const data = await make();
      const before = await world.app.services.database.kysely.selectFrom('media').select((eb) => eb.fn.countAll().as('n')).executeTakeFirst();
      for (const version of ['v1', 'v2'] as const) {
        const res = await upload(world, 'ines', version, data, {}, contentType);
        assert.equal(res.status, 422, `${version}: ${JSON.stringify(res.body)}`);
        assert.match(res.body.error, message);
      }
      const afterCount = await world.app.services.database.kysely.selectFrom('media').select((eb) => eb.fn.countAll().as('n')).executeTakeFirst();
      assert.equal(Number(afterCount?.n), Number(before?.n));
    });
  }

  test('a GIF is accepted as its first frame only', async () => {
    const single = await sharp({ create: { width: 120, height: 80, channels: 3, background: '#00f' } }).gif().toBuffer();
    const res = await upload(world, 'mara', 'v1', gifWithFrames(single, 3), {}, 'image/gif');
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual([res.body.meta.original.width, res.body.meta.original.height], [120, 80]);
  });

  test('a 20 MiB file is refused with 413 and an error body', async () => {
    const huge = crypto.randomBytes(20 * 1024 * 1024);
    huge.set([0xff, 0xd8, 0xff, 0xe0], 0);
    const res = await upload(world, 'ines', 'v1', huge);
    assert.ok(res.status === 413 || res.status === 422, `answered ${res.status}`);
    assert.equal(typeof res.body.error, 'string');
  });

  test('an upload without a file, an over-long description or a focus outside -1..1 is refused with 422', async () => {
    const noFile = await send(world, 'mara', 'POST', '/api/v2/media', [{ name: 'description', value: 'nothing' }]);
    assert.equal(noFile.status, 422);
    const long = await upload(world, 'mara', 'v2', jpeg, { description: 'x'.repeat(1501) });
    assert.equal(long.status, 422);
    assert.match(long.body.error, /description/i);
    for (const focus of ['2,0', '0,-1.5', 'a,b', '0.5']) {
      const res = await upload(world, 'mara', 'v2', jpeg, { focus });
      assert.equal(res.status, 422, `focus ${focus}`);
      assert.match(res.body.error, /focus/i);
    }
  });

  test('PUT /api/v1/media/:id changes alt text and focus; out-of-range values are refused with 422', async () => {
    const created = await upload(world, 'mara', 'v1', jpeg);
    const res = await world.request('mara', 'PUT', `/api/v1/media/${created.body.id}`, { description: 'A sunny field', focus: '-1,1' });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.description, 'A sunny field');
    assert.deepEqual(res.body.meta.focus, { x: -1, y: 1 });
    const shown = await world.get('mara', `/api/v1/media/${created.body.id}`);
    assert.equal(shown.body.description, 'A sunny field');
    assert.equal((await world.request('mara', 'PUT', `/api/v1/media/${created.body.id}`, { description: 'x'.repeat(1501) })).status, 422);
    assert.equal((await world.request('mara', 'PUT', `/api/v1/media/${created.body.id}`, { focus: '1.01,0' })).status, 422);
  });

  test("someone else's media answers GET and PUT with 404, the same body as a missing id", async () => {
    const created = await upload(world, 'mara', 'v1', jpeg);
    const missing = await world.get('ines', '/api/v1/media/1234567890123456');
    assert.equal(missing.status, 404);
    for (const res of [
      await world.get('ines', `/api/v1/media/${created.body.id}`),
      await world.request('ines', 'PUT', `/api/v1/media/${created.body.id}`, { description: 'mine now' }),
    ]) {
      assert.equal(res.status, 404);
      assert.deepEqual(res.body, missing.body);
    }
    assert.equal((await rowOf(created.body.id))?.description, '');
  });

  test('media endpoints need the write:media scope: a read token gets 403', async () => {
    const reader = await tokenWithScopes(world, world.actors.mara, ['read']);
    const res = await upload(world, reader, 'v2', jpeg);
    assert.equal(res.status, 403);
    assert.equal((await world.get(reader, '/api/v1/media/1234567890123456')).status, 403);
    assert.equal((await upload(world, undefined as unknown as WorldName, 'v2', jpeg)).status, 401);
  });

  describe('while the queue is busy', () => {
    let release: () => void = () => undefined;
    let gate: Promise<void> = Promise.resolve();
    const block = () => {
      gate = new Promise((resolve) => (release = resolve));
    };

    before(() => {
      world.app.services.mediaQueue.define('test.block', { handler: () => gate });
    });

    test('POST /api/v2/media answers 202 with null URLs, GET answers 206 until processed, then 200 with URLs', async () => {
      block();
      const queue = world.app.services.mediaQueue;
      queue.enqueue('test.block', {});
      queue.enqueue('test.block', {});
      const res = await upload(world, 'mara', 'v2', jpeg, { description: 'later' });
      assert.equal(res.status, 202, JSON.stringify(res.body));
      assert.equal(res.body.url, null);
      assert.equal(res.body.preview_url, null);
      assert.equal(res.body.description, 'later');
      const pending = await world.get('mara', `/api/v1/media/${res.body.id}`);
      assert.equal(pending.status, 206);
      assert.equal(pending.body.url, null);
      release();
      await idle();
      const done = await world.get('mara', `/api/v1/media/${res.body.id}`);
      assert.equal(done.status, 200);
      assert.match(done.body.url, /w1080\.jpg/);
      // The original was deleted once processed, and never has a URL.
      const row = await rowOf(res.body.id);
      assert.equal(fs.existsSync(path.join(storedFolder(row!.storage_key), ORIGINAL_NAME)), false);
    });

    test('a full queue refuses further uploads with 503 and stores nothing', async () => {
      block();
      const queue = world.app.services.mediaQueue;
      while (queue.hasCapacity()) queue.enqueue('test.block', {});
      const before = await world.app.services.database.kysely.selectFrom('media').select((eb) => eb.fn.countAll().as('n')).executeTakeFirst();
      const res = await upload(world, 'sam', 'v2', jpeg);
      assert.equal(res.status, 503, JSON.stringify(res.body));
      assert.equal(typeof res.body.error, 'string');
      const afterCount = await world.app.services.database.kysely.selectFrom('media').select((eb) => eb.fn.countAll().as('n')).executeTakeFirst();
      assert.equal(Number(afterCount?.n), Number(before?.n));
      release();
      await idle();
    });
  });

  test('media left processing by a restart is processed when the service resumes', async () => {
    const services = world.app.services;
    const key = crypto.randomBytes(32).toString('base64url');
    await services.mediaStorage.put(key, ORIGINAL_NAME, jpeg);
    const id = `${Date.now()}999`;
    await services.repositories.media.insert({
      id, account_id: world.actors.mara.id, purpose: 'attachment', state: 'processing', error: null, storage_key: key,
      description: '', focus_x: 0, focus_y: 0, width: null, height: null, blurhash: null, variants: '[]',
      captured_at: null, status_id: null, position: 0, created_at: new Date().toISOString(),
    });
    assert.equal(await services.media.resumeInterrupted(), 1);
    await idle();
    const row = await rowOf(id);
    assert.equal(row?.state, 'ready');
    assert.equal(row?.width, 800);
    assert.equal(fs.existsSync(path.join(storedFolder(key), ORIGINAL_NAME)), false);
  });

  test('50 parallel uploads are each answered 200, 429 or 503, and every 200 is ready and served', async () => {
    const small = await (await photo(160, 120)).jpeg().toBuffer();
    const uploaders: WorldName[] = ['mara', 'ines', 'sam', 'pat', 'rex'];
    const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => upload(world, uploaders[i % uploaders.length], 'v1', small)));
    await idle();
    for (const res of answers) {
      assert.ok([200, 429, 503].includes(res.status), `answered ${res.status} ${JSON.stringify(res.body)}`);
      if (res.status !== 200) {
        assert.equal(typeof res.body.error, 'string');
        continue;
      }
      assert.equal((await rowOf(res.body.id))?.state, 'ready');
      assert.equal((await fetchFile(world, res.body.preview_url)).status, 200);
    }
    assert.ok(answers.filter((r) => r.status === 200).length >= 10);
  });
});

describe('who may fetch a stored image', () => {
  let world: World;
  let dataDir: string;
  let jpeg: Buffer;

  before(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-media-'));
    world = await createWorld({ config: { dataDir } });
    jpeg = await (await photo(640, 480)).jpeg().toBuffer();
  });
  after(async () => {
    await world.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  async function post(as: WorldName, visibility: string) {
    const media = await upload(world, as, 'v1', jpeg);
    assert.equal(media.status, 200, JSON.stringify(media.body));
    const status = await world.post(as, '/api/v1/statuses', { status: 'a photo', media_ids: [media.body.id], visibility });
    assert.equal(status.status, 200, JSON.stringify(status.body));
    return { media: media.body, status: status.body };
  }

  const unsigned = (url: string) => url.replace(/\?.*$/, '');

  test('a public post of a public account has unsigned URLs, served to anyone with a long public cache', async () => {
    const { status } = await post('mara', 'public');
    const url: string = status.media_attachments[0].url;
    assert.doesNotMatch(url, /sig=/);
    const res = await fetchFile(world, url);
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-type'], 'image/jpeg');
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    assert.match(String(res.headers['cache-control']), /public/);
    assert.match(String(res.headers['cache-control']), /max-age=31536000/);
  });

  test('a signature that does not verify is never ignored, even on a public image', async () => {
    const { status } = await post('mara', 'public');
    const res = await fetchFile(world, `${status.media_attachments[0].url}?exp=9999999999&sig=forged`);
    assert.equal(res.status, 404);
    assert.deepEqual(res.body, { error: 'Record not found' });
  });

  test("a private account's media is presented signed; the unsigned path answers 404", async () => {
    const { status } = await post('nora', 'private');
    const attachment = status.media_attachments[0];
    assert.match(attachment.url, /\?exp=\d+&sig=[A-Za-z0-9_-]+$/);
    for (const v of servedFiles(attachment)) {
      assert.match(v.url, /sig=/);
      assert.equal((await fetchFile(world, v.url)).status, 200, `${v.name}.${v.format} is served with the photo's one signature`);
    }
    const signed = await fetchFile(world, attachment.url);
    assert.equal(signed.status, 200);
    assert.match(String(signed.headers['cache-control']), /^private, max-age=\d+$/);
    const bare = await fetchFile(world, unsigned(attachment.url));
    assert.equal(bare.status, 404);
    assert.deepEqual(bare.body, { error: 'Record not found' });
  });

  test("one photo's signature opens every size of that photo and no other photo", async () => {
    const first = (await post('nora', 'private')).status.media_attachments[0];
    const second = (await post('nora', 'private')).status.media_attachments[0];
    const query = (url: string) => url.slice(url.indexOf('?'));
    assert.equal((await fetchFile(world, unsigned(second.url) + query(second.url))).status, 200);
    const borrowed = await fetchFile(world, unsigned(second.url) + query(first.url));
    assert.equal(borrowed.status, 404);
    assert.deepEqual(borrowed.body, { error: 'Record not found' });
  });

  test('a public post of a locked account is still signed: the account decides', async () => {
    const { status } = await post('nora', 'public');
    assert.match(status.media_attachments[0].url, /sig=/);
    assert.equal((await fetchFile(world, unsigned(status.media_attachments[0].url))).status, 404);
  });

  test('a followers-only post of a public account is signed, and its unsigned path is 404', async () => {
    const { status } = await post('mara', 'private');
    assert.match(status.media_attachments[0].url, /sig=/);
    assert.equal((await fetchFile(world, unsigned(status.media_attachments[0].url))).status, 404);
  });

  test('media not yet posted is shown to its owner with signed URLs only', async () => {
    const media = await upload(world, 'mara', 'v1', jpeg);
    assert.match(media.body.url, /sig=/);
    assert.equal((await fetchFile(world, media.body.url)).status, 200);
    assert.equal((await fetchFile(world, unsigned(media.body.url))).status, 404);
  });

  test('a tampered signature, a moved expiry and an expired one all answer 404; the signature covers the sizes of its photo', async () => {
    const { status } = await post('nora', 'private');
    const attachment = status.media_attachments[0];
    const url = new URL(attachment.url);
    const sig = url.searchParams.get('sig')!;
    const exp = url.searchParams.get('exp')!;
    const tampered = `${url.pathname}?exp=${exp}&sig=${sig.slice(0, -2)}${sig.endsWith('AA') ? 'BB' : 'AA'}`;
    assert.equal((await fetchFile(world, tampered)).status, 404);
    const later = `${url.pathname}?exp=${Number(exp) + 3600}&sig=${sig}`;
    assert.equal((await fetchFile(world, later)).status, 404);
    // Signed per photo (its folder): another size of the same photo opens, another photo does not
    // (the test above).
    const otherSize = `${url.pathname.replace('w1080.jpg', 'w640.webp')}?exp=${exp}&sig=${sig}`;
    assert.equal((await fetchFile(world, otherSize)).status, 200);
    assert.equal((await fetchFile(world, attachment.url)).status, 200);
    world.clock.advance(3 * 3600 * 1000);
    const expired = await fetchFile(world, attachment.url);
    assert.equal(expired.status, 404);
    assert.deepEqual(expired.body, { error: 'Record not found' });
  });

  test('the original and unknown names are never served; paths cannot leave the media folder', async () => {
    const { status } = await post('mara', 'public');
    const url = new URL(status.media_attachments[0].url);
    const folder = url.pathname.replace(/\/[^/]+$/, '');
    for (const name of ['original', 'original.jpg', 'w1080.png', 'w1080.jpg.bak', '..%2F..%2Fglimpse.sqlite', '.tmp-0', '%2E%2E']) {
      const res = await world.get(undefined, `${folder}/${name}`);
      assert.equal(res.status, 404, name);
    }
    for (const probe of ['/media/..%2F..%2Fsecret/w1080.jpg', `/media/${'A'.repeat(43)}/w1080.jpg`, `${folder}%2F..%2F..%2Fsecret`]) {
      assert.equal((await world.get(undefined, probe)).status, 404, probe);
    }
  });

  test('a new avatar goes through the pipeline: a square, public URL even for a locked account; the old one is deleted', async () => {
    const first = await send(world, 'nora', 'PATCH', '/api/v1/accounts/update_credentials', [
      { name: 'avatar', filename: 'me.png', contentType: 'image/png', data: await (await photo(900, 600)).png().toBuffer() },
      { name: 'display_name', value: 'Nora' },
    ]);
    assert.equal(first.status, 200, JSON.stringify(first.body));
    assert.equal(first.body.display_name, 'Nora');
    assert.match(first.body.avatar, /^http:\/\/glimpse\.test\/media\/[A-Za-z0-9_-]{43}\/square400\.jpg$/);
    const served = await fetchFile(world, first.body.avatar);
    assert.equal(served.status, 200);
    const meta = await sharp(bytesOf(served)).metadata();
    assert.deepEqual([meta.width, meta.height], [400, 400]);
    const seenByStranger = await world.get('sam', `/api/v1/accounts/${world.actors.nora.id}`);
    assert.equal(seenByStranger.body.avatar, first.body.avatar);

    const second = await send(world, 'nora', 'PATCH', '/api/v1/accounts/update_credentials', [
      { name: 'avatar', filename: 'me2.jpg', contentType: 'image/jpeg', data: jpeg },
      { name: 'header', filename: 'header.jpg', contentType: 'image/jpeg', data: await (await photo(1500, 500)).jpeg().toBuffer() },
    ]);
    assert.equal(second.status, 200, JSON.stringify(second.body));
    assert.notEqual(second.body.avatar, first.body.avatar);
    assert.match(second.body.header, /\/media\/[A-Za-z0-9_-]{43}\/w1080\.jpg$/);
    assert.equal((await fetchFile(world, second.body.header)).status, 200);
    assert.equal((await fetchFile(world, first.body.avatar)).status, 404);
    const oldKey = new URL(first.body.avatar).pathname.split('/')[2];
    assert.equal(fs.existsSync(path.join(dataDir, 'media', oldKey)), false);
  });

  test('a refused avatar answers 422 and leaves the profile as it was', async () => {
    const before = await world.get('mara', '/api/v1/accounts/verify_credentials');
    const res = await send(world, 'mara', 'PATCH', '/api/v1/accounts/update_credentials', [
      { name: 'avatar', filename: 'evil.svg', contentType: 'image/png', data: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>') },
      { name: 'display_name', value: 'Changed' },
    ]);
    assert.equal(res.status, 422);
    const afterwards = await world.get('mara', '/api/v1/accounts/verify_credentials');
    assert.equal(afterwards.body.avatar, before.body.avatar);
    assert.equal(afterwards.body.display_name, before.body.display_name);
  });
});
