import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createWorld, type World, type WorldName } from '../support/world.ts';
import { makeJpeg, multipartWithFile, uploadPhoto } from '../support/photos.ts';
import { adminCommand } from '../support/admin-command.ts';
import { startTestS3, type TestS3 } from '../support/test-s3.ts';
import { TEST_DB } from '../support/test-database.ts';

/**
 * The media lifecycle (domain/media/media-lifecycle.ts) through HTTP, on the world's clock: an
 * upload never attached goes (row and files) 24 hours after it was made; a deleted post's photos
 * 24 hours after the deletion (a redraft may reuse them); a deleted story's photo at once,
 * unless a reshare still shows it; expired stories and highlights keep theirs. The sweep is the
 * periodic run (`mediaSweeper.tick()`, as its timer calls it), its files job the durable queue.
 */

const S = '/api/glimpse/v1';
const HOUR = 60 * 60 * 1000;

async function storageKey(world: World, mediaId: string): Promise<string | undefined> {
  const row = await world.db.handle.kysely.selectFrom('media').select('storage_key').where('id', '=', mediaId).executeTakeFirst();
  return row?.storage_key;
}

/** The media's files on local disk (`<dataDir>/media/<key>/`). */
function localFiles(world: World, key: string): string[] {
  const folder = path.join(world.config.dataDir, 'media', key);
  return fs.existsSync(folder) ? fs.readdirSync(folder) : [];
}

/** One sweep as the timer runs it, then its files job. */
async function sweep(world: World): Promise<void> {
  await world.app.services.mediaSweeper.tick();
  await world.app.services.jobs.onIdle();
}

/** GET /api/v1/media/:id: the owner's unattached uploads (as on Mastodon, attached ones answer 404). */
async function mediaStatus(world: World, as: WorldName, id: string): Promise<number> {
  return (await world.get(as, `/api/v1/media/${id}`)).status;
}

/** The path of a media's served file (its `url`, signature included), as its owner sees it. */
async function servedPath(world: World, as: WorldName, id: string): Promise<string> {
  const res = await world.get(as, `/api/v1/media/${id}`);
  assert.equal(res.status, 200);
  const url = new URL(res.body.url);
  return `${url.pathname}${url.search}`;
}

for (const storage of ['local', 's3'] as const) {
  describe(`an upload never attached (${storage} storage, ${TEST_DB})`, () => {
    let world: World;
    let s3: TestS3 | undefined;
    let dir: string;

    before(async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-lifecycle-'));
      if (storage === 's3') s3 = await startTestS3();
      world = await createWorld({ config: { dataDir: dir, ...(s3 ? { storage: s3.storage } : {}) }, accounts: ['mara', 'ines'] });
    });
    after(async () => {
      try {
        await world?.close();
      } finally {
        await s3?.stop();
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    const filesOf = async (key: string) => (s3 ? await s3.keys(`${key}/`) : localFiles(world, key));

    test('is removed with its files 24 hours after it was made, and not before; attached uploads of the same age stay', async () => {
      const loose = await uploadPhoto(world, 'mara');
      const attached = await uploadPhoto(world, 'mara');
      assert.equal((await world.post('mara', '/api/v1/statuses', { status: 'kept', media_ids: [attached] })).status, 200);
      const key = (await storageKey(world, loose))!;
      const served = await servedPath(world, 'mara', loose);
      assert.ok((await filesOf(key)).length > 0, 'the upload has files');
      assert.equal((await world.request(undefined, 'GET', served)).status, 200);

      world.clock.advance(23 * HOUR);
      await sweep(world);
      assert.equal(await mediaStatus(world, 'mara', loose), 200, 'kept before 24 hours');
      assert.ok((await filesOf(key)).length > 0);

      world.clock.advance(1 * HOUR);
      await sweep(world);
      assert.equal(await mediaStatus(world, 'mara', loose), 404, 'the row is gone');
      assert.deepEqual(await filesOf(key), [], 'and its files');
      assert.equal((await world.request(undefined, 'GET', served)).status, 404);

      const kept = await storageKey(world, attached);
      assert.ok(kept && (await filesOf(kept)).length > 0, "a post's photo stays, with its files");
    });
  });
}

describe(`deleted posts and stories, expired stories and highlights (${TEST_DB})`, () => {
  let world: World;

  before(async () => {
    world = await createWorld({ accounts: ['mara', 'ines'] });
    await world.post('ines', `/api/v1/accounts/${world.actors.mara.id}/follow`);
  });
  after(() => world?.close());

  test("a deleted post's photos stay 24 hours for a redraft, then go with their files", async () => {
    const redrafted = await uploadPhoto(world, 'mara');
    const first = await world.post('mara', '/api/v1/statuses', { status: 'first try', media_ids: [redrafted] });
    assert.equal(first.status, 200);
    const deleted = await world.request('mara', 'DELETE', `/api/v1/statuses/${first.body.id}`);
    assert.equal(deleted.status, 200);
    assert.equal(deleted.body.media_attachments[0].id, redrafted, 'answered with its photos, for a redraft');

    world.clock.advance(23 * HOUR);
    await sweep(world);
    const again = await world.post('mara', '/api/v1/statuses', { status: 'second try', media_ids: [redrafted] });
    assert.equal(again.status, 200, 'the photos can still be posted again');

    const gone = await uploadPhoto(world, 'mara');
    const other = await world.post('mara', '/api/v1/statuses', { status: 'not kept', media_ids: [gone] });
    const goneKey = (await storageKey(world, gone))!;
    assert.equal((await world.request('mara', 'DELETE', `/api/v1/statuses/${other.body.id}`)).status, 200);
    world.clock.advance(23 * HOUR);
    await sweep(world);
    assert.equal(await mediaStatus(world, 'mara', gone), 200);
    world.clock.advance(2 * HOUR);
    await sweep(world);
    assert.equal(await mediaStatus(world, 'mara', gone), 404);
    assert.deepEqual(localFiles(world, goneKey), []);
    const redraftKey = await storageKey(world, redrafted);
    assert.ok(redraftKey && localFiles(world, redraftKey).length > 0, 'the redraft keeps its photo');
    const photo = new URL(again.body.media_attachments[0].url);
    assert.equal((await world.request(undefined, 'GET', `${photo.pathname}${photo.search}`)).status, 200);
  });

  test("delete_media=true (Mastodon's) removes a deleted post's photos and their files at once", async () => {
    const photo = await uploadPhoto(world, 'mara');
    const post = await world.post('mara', '/api/v1/statuses', { status: 'gone for good', media_ids: [photo] });
    const key = (await storageKey(world, photo))!;
    assert.ok(localFiles(world, key).length > 0);
    const deleted = await world.request('mara', 'DELETE', `/api/v1/statuses/${post.body.id}?delete_media=true`);
    assert.equal(deleted.status, 200);
    await world.app.services.jobs.onIdle();
    assert.equal(await storageKey(world, photo), undefined, 'the row is gone');
    assert.deepEqual(localFiles(world, key), [], 'and its files');
    assert.equal((await world.post('mara', '/api/v1/statuses', { status: 'redraft', media_ids: [photo] })).status, 422);
  });

  test("a deleted story's photo goes at once with its files; a deleted reshare leaves the original's", async () => {
    const alone = await uploadPhoto(world, 'mara');
    const story = await world.post('mara', `${S}/stories`, { media_id: alone, overlays: [] });
    assert.equal(story.status, 200);
    const key = (await storageKey(world, alone))!;
    assert.ok(localFiles(world, key).length > 0);
    assert.equal((await world.request('mara', 'DELETE', `${S}/stories/${story.body.id}`)).status, 200);
    await world.app.services.jobs.onIdle();
    assert.equal(await mediaStatus(world, 'mara', alone), 404);
    assert.deepEqual(localFiles(world, key), []);

    const shared = await uploadPhoto(world, 'mara');
    const original = await world.post('mara', `${S}/stories`, { media_id: shared, overlays: [{ type: 'mention', account_id: world.actors.ines.id, x: 0.5, y: 0.5 }] });
    assert.equal(original.status, 200, JSON.stringify(original.body));
    const reshare = await world.post('ines', `${S}/stories`, { reshare_of_id: original.body.id });
    assert.equal(reshare.status, 200, JSON.stringify(reshare.body));
    const sharedKey = (await storageKey(world, shared))!;
    assert.equal((await world.request('ines', 'DELETE', `${S}/stories/${reshare.body.id}`)).status, 200);
    await world.app.services.jobs.onIdle();
    assert.ok(localFiles(world, sharedKey).length > 0, "deleting the reshare leaves the original's photo");
    const again = await world.post('ines', `${S}/stories`, { reshare_of_id: original.body.id });
    assert.equal(again.status, 200);
    assert.equal((await world.request('mara', 'DELETE', `${S}/stories/${original.body.id}`)).status, 200);
    await world.app.services.jobs.onIdle();
    assert.deepEqual(localFiles(world, sharedKey), [], 'deleting the original takes the photo, and the reshares that showed it');
    assert.equal((await world.get('ines', `${S}/stories/${again.body.id}`)).status, 404);
  });

  test('an expired story keeps its photo, in a highlight and out of one', async () => {
    const inHighlight = await uploadPhoto(world, 'mara');
    const archived = await uploadPhoto(world, 'mara');
    const a = await world.post('mara', `${S}/stories`, { media_id: inHighlight, overlays: [] });
    const b = await world.post('mara', `${S}/stories`, { media_id: archived, overlays: [] });
    const highlight = await world.post('mara', `${S}/highlights`, { title: 'Summer', story_ids: [a.body.id] });
    assert.equal(highlight.status, 200, JSON.stringify(highlight.body));
    world.clock.advance(72 * HOUR);
    await sweep(world);
    for (const id of [inHighlight, archived]) {
      const key = await storageKey(world, id);
      assert.ok(key && localFiles(world, key).length > 0, 'the row and its files stay');
    }
    const highlights = await world.get('ines', `${S}/accounts/${world.actors.mara.id}/highlights`);
    assert.equal(highlights.status, 200);
    assert.ok(JSON.stringify(highlights.body).includes(a.body.id));
    assert.ok(b.body.id);
  });

  test("deleting an account (the hook account deletion calls in its transaction) removes every one of its files", async () => {
    const leaving = await world.addActor('leaving');
    const { body, contentType } = multipartWithFile('avatar', { data: await makeJpeg(200, 200), filename: 'me.jpg', type: 'image/jpeg' });
    assert.equal((await world.request(leaving, 'PATCH', '/api/v1/accounts/update_credentials', body, { 'content-type': contentType })).status, 200);
    const photo = await uploadPhoto(world, leaving);
    assert.equal((await world.post(leaving, '/api/v1/statuses', { status: 'bye', media_ids: [photo] })).status, 200);
    await uploadPhoto(world, leaving);
    const keys = (await world.db.handle.kysely.selectFrom('media').select('storage_key').where('account_id', '=', leaving.id).execute()).map((r) => r.storage_key);
    assert.equal(keys.length, 3);
    assert.ok(keys.every((key) => localFiles(world, key).length > 0));
    await world.db.handle.kysely.transaction().execute(async (trx) => {
      await world.app.services.mediaLifecycle.accountDeleting(leaving.id, trx);
      await trx.deleteFrom('accounts').where('id', '=', leaving.id).execute();
    });
    await world.app.services.jobs.onIdle();
    assert.deepEqual(keys.flatMap((key) => localFiles(world, key)), []);
  });

  test('two sweeps at once remove a due upload once and queue its files once', async () => {
    const loose = await uploadPhoto(world, 'mara');
    const key = (await storageKey(world, loose))!;
    world.clock.advance(25 * HOUR);
    const lifecycle = world.app.services.mediaLifecycle;
    const [x, y] = await Promise.all([lifecycle.sweep(), lifecycle.sweep()]);
    assert.equal(x + y, 1);
    await world.app.services.jobs.onIdle();
    assert.deepEqual(localFiles(world, key), []);
    assert.equal(await mediaStatus(world, 'mara', loose), 404);
  });
});

describe(`admin media: storage use, files without rows and rows without files (${TEST_DB})`, () => {
  let world: World;
  let dir: string;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-admin-media-'));
    world = await createWorld({ config: { dataDir: dir }, accounts: ['mara', 'ines'], databaseFile: TEST_DB === 'sqlite' ? path.join(dir, 'glimpse.sqlite') : undefined });
  });
  after(async () => {
    await world?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('reports use per kind and type, and finds a file without a row and a row without its file', async () => {
    const photo = await uploadPhoto(world, 'mara');
    assert.equal((await world.post('mara', '/api/v1/statuses', { status: 'counted', media_ids: [photo] })).status, 200);
    const { body, contentType } = multipartWithFile('avatar', { data: await makeJpeg(200, 200), filename: 'me.jpg', type: 'image/jpeg' });
    assert.equal((await world.request('ines', 'PATCH', '/api/v1/accounts/update_credentials', body, { 'content-type': contentType })).status, 200);
    await uploadPhoto(world, 'ines');
    const photoKey = (await storageKey(world, photo))!;
    const photoFiles = localFiles(world, photoKey);

    const clean = await adminCommand(world, dir, 'media');
    assert.equal(clean.code, 0, clean.out);
    assert.match(clean.out, /unattached 1 \(/, 'the upload never attached');
    // Two attachments (the post's photo and the loose upload) of the same sizes, one avatar.
    assert.match(clean.out, new RegExp(`derivatives\\s+${2 * photoFiles.length} files`));
    assert.match(clean.out, /avatars and headers\s+[1-9]\d* files/);
    assert.match(clean.out, /\n {2}webp\s+[1-9]/);
    assert.match(clean.out, /\n {2}jpg\s+[1-9]/);
    assert.match(clean.out, /files without rows: 0 keys/);
    assert.match(clean.out, /rows without files: 0/);

    const stray = 'stray-key-without-a-row';
    fs.mkdirSync(path.join(dir, 'media', stray));
    fs.writeFileSync(path.join(dir, 'media', stray, 'w320.jpg'), Buffer.alloc(1234));
    const lost = photoFiles.find((name) => name.startsWith('w640'))!;
    fs.rmSync(path.join(dir, 'media', photoKey, lost));

    const found = await adminCommand(world, dir, 'media');
    assert.equal(found.code, 1, found.out);
    assert.match(found.out, /files without rows: 1 keys, 1 files, 1\.2 KiB/);
    assert.ok(found.out.includes(`  ${stray}\n`), found.out);
    assert.match(found.out, /rows without files: 1\n/);
    assert.ok(found.out.includes(`media ${photo}: missing ${lost}`), found.out);
  });
});
