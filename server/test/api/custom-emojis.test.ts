import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { createWorld, type World } from '../support/world.ts';
import { postPhotos } from '../support/photos.ts';
import { TEST_DB } from '../support/test-database.ts';
import { adminCommand } from '../support/admin-command.ts';
import { countQueries } from '../support/query-count.ts';
import { EMOJI_CACHE_MS } from '../../src/domain/emojis/emoji-service.ts';

let world: World;
let dir: string;
const emoji = (...args: string[]) => adminCommand(world, dir, 'emoji', ...args);
const list = async () => (await world.get(undefined, '/api/v1/custom_emojis')).body as Array<Record<string, unknown>>;
/** The server trusts its cached set for EMOJI_CACHE_MS: after the admin command (another process) changed it, time moves on. */
const letCacheExpire = () => world.clock.advance(EMOJI_CACHE_MS);

async function imageFile(name: string, width: number, height: number, format: 'png' | 'jpeg' = 'png'): Promise<string> {
  const image = sharp({ create: { width, height, channels: 4, background: { r: 200, g: 40, b: 90, alpha: 0.5 } } });
  const file = path.join(dir, name);
  fs.writeFileSync(file, await (format === 'png' ? image.png() : image.jpeg()).toBuffer());
  return file;
}

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-emoji-'));
  // The admin command (another process) must find the world's database and media storage.
  world = await createWorld({ accounts: ['mara', 'ines'], config: { dataDir: dir }, databaseFile: TEST_DB === 'sqlite' ? path.join(dir, 'glimpse.sqlite') : undefined });
});
after(async () => {
  await world.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('custom emojis', () => {
  test('admin emoji add stores the image fitted in 128×128, listed to anyone by GET /api/v1/custom_emojis and served as a public WebP', async () => {
    const added = await emoji('add', 'blobcat', await imageFile('cat.png', 300, 200), '--category', 'Cats');
    assert.equal(added.code, 0, added.out);
    const emojis = await list();
    assert.equal(emojis.length, 1);
    const [entry] = emojis;
    assert.match(String(entry.url), /^http:\/\/glimpse\.test\/media\/[A-Za-z0-9_-]{43}\/emoji128\.webp$/);
    assert.deepEqual(entry, { shortcode: 'blobcat', url: entry.url, static_url: entry.url, visible_in_picker: true, category: 'Cats' });
    const served = await world.get(undefined, new URL(String(entry.url)).pathname);
    assert.equal(served.status, 200);
    assert.equal(served.headers['content-type'], 'image/webp');
    const meta = await sharp(served.raw.rawPayload).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height, meta.hasAlpha], ['webp', 128, 85, true]);
    // A signature is never ignored, even on a public file.
    assert.equal((await world.get(undefined, `${new URL(String(entry.url)).pathname}?exp=1&sig=x`)).status, 404);
  });

  test('a taken shortcode (in any case), a malformed one and a file that is not an image exit 1 and add nothing', async () => {
    const png = await imageFile('other.png', 64, 64);
    const duplicate = await emoji('add', 'BlobCat', png);
    assert.equal(duplicate.code, 1);
    assert.match(duplicate.out, /already been taken/);
    for (const bad of ['x', 'a'.repeat(33), 'no-dash']) {
      const refused = await emoji('add', bad, png);
      assert.equal(refused.code, 1, bad);
      assert.match(refused.out, /Shortcode must be/);
    }
    const text = path.join(dir, 'not-an-image.png');
    fs.writeFileSync(text, '<svg xmlns="http://www.w3.org/2000/svg"></svg>');
    const notImage = await emoji('add', 'svgcat', text);
    assert.equal(notImage.code, 1);
    assert.match(notImage.out, /File type not supported/);
    assert.equal((await emoji('add', 'nofile', path.join(dir, 'missing.png'))).code, 1);
    assert.equal((await emoji('add', 'onlyone')).code, 2);
    letCacheExpire();
    assert.deepEqual((await list()).map((e) => e.shortcode), ['blobcat']);
  });

  test('a status lists the emojis its caption names in `emojis` and keeps :shortcode: in content; an account those of its display name and note', async () => {
    const post = await postPhotos(world, 'mara', 'party :blobcat: and :blobcat: again, not :nosuch: nor :BLOBCAT:');
    assert.match(post.content, /party :blobcat: and :blobcat: again/);
    assert.deepEqual(post.emojis.map((e: any) => e.shortcode), ['blobcat']);
    assert.deepEqual(Object.keys(post.emojis[0]).sort(), ['category', 'shortcode', 'static_url', 'url', 'visible_in_picker']);
    const plain = await postPhotos(world, 'ines', 'no emoji here: just colons:');
    assert.deepEqual(plain.emojis, []);
    const comment = await world.post('ines', '/api/v1/statuses', { status: 'so :blobcat:', in_reply_to_id: post.id });
    assert.deepEqual(comment.body.emojis.map((e: any) => e.shortcode), ['blobcat']);

    const updated = await world.request('ines', 'PATCH', '/api/v1/accounts/update_credentials', { display_name: 'Ines :blobcat:', note: 'hi' });
    assert.equal(updated.status, 200);
    assert.deepEqual(updated.body.emojis.map((e: any) => e.shortcode), ['blobcat']);
    const shown = await world.get(undefined, `/api/v1/accounts/${world.actors.ines.id}`);
    assert.equal(shown.body.display_name, 'Ines :blobcat:');
    assert.deepEqual(shown.body.emojis.map((e: any) => e.shortcode), ['blobcat']);
    assert.deepEqual((await world.get(undefined, `/api/v1/accounts/${world.actors.mara.id}`)).body.emojis, []);
  });

  test('presenting emojis costs no query: a status naming one reads as many queries as one naming none', async () => {
    const withEmoji = await postPhotos(world, 'mara', 'look :blobcat:');
    const without = await postPhotos(world, 'mara', 'look');
    // The posts' fan-out jobs run in the background: counted here they would not be the read's.
    await world.app.services.jobs.onIdle();
    const read = (id: string) => countQueries(world.db.handle.kysely, () => world.get('ines', `/api/v1/statuses/${id}`));
    // Each read once first, so both are counted with the same caches warm (filter rules, content).
    await read(withEmoji.id);
    await read(without.id);
    const a = await read(withEmoji.id);
    const b = await read(without.id);
    assert.equal(a.result.body.emojis.length, 1);
    assert.equal(a.queries, b.queries);
  });

  test('a server picks up an emoji the admin command added once its cached set is a minute old; emoji list prints it', async () => {
    assert.deepEqual((await list()).map((e) => e.shortcode), ['blobcat']);
    assert.equal((await emoji('add', 'party_parrot', await imageFile('parrot.jpg', 40, 100, 'jpeg'))).code, 0);
    assert.deepEqual((await list()).map((e) => e.shortcode), ['blobcat'], 'still the cached set');
    world.clock.advance(EMOJI_CACHE_MS - 1);
    assert.deepEqual((await list()).map((e) => e.shortcode), ['blobcat']);
    world.clock.advance(1);
    const emojis = await list();
    assert.deepEqual(emojis.map((e) => [e.shortcode, e.category]), [['party_parrot', null], ['blobcat', 'Cats']]);
    const printed = await emoji('list');
    assert.equal(printed.code, 0);
    assert.match(printed.out, /^party_parrot\t\t\/media\/\S+\/emoji128\.webp$/m);
    assert.match(printed.out, /^blobcat\tCats\t\/media\/\S+\/emoji128\.webp$/m);
  });

  test('admin emoji remove takes it out of the list and the captions\' emojis, and its image is gone; an unknown one exits 1', async () => {
    const url = String((await list()).find((e) => e.shortcode === 'party_parrot')!.url);
    const removed = await emoji('remove', 'party_parrot');
    assert.equal(removed.code, 0, removed.out);
    letCacheExpire();
    assert.deepEqual((await list()).map((e) => e.shortcode), ['blobcat']);
    assert.equal((await world.get(undefined, new URL(url).pathname)).status, 404);
    const post = await postPhotos(world, 'mara', ':party_parrot: :blobcat:');
    assert.deepEqual(post.emojis.map((e: any) => e.shortcode), ['blobcat']);
    const unknown = await emoji('remove', 'party_parrot');
    assert.equal(unknown.code, 1);
    assert.match(unknown.out, /no such emoji/);
  });
});
