import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import zlib from 'node:zlib';
import sharp from 'sharp';
import tar from 'tar-stream';
import { createWorld, type World } from '../support/world.ts';
import { postPhotos } from '../support/photos.ts';
import { ARCHIVE_FILE, ARCHIVE_LIFETIME_MS } from '../../src/domain/portability/data-archive.ts';

/**
 * "Download your data" through HTTP: asked for, built by its durable job, announced by a
 * notification, downloaded by its owner only, and gone once its link has run out. The archive
 * is read back with a tar reader, file by file.
 */
const ARCHIVES = '/api/glimpse/v1/archives';

/** Every file of a tar.gz, by name. */
async function untar(data: Buffer): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  const extract = tar.extract();
  extract.on('entry', (header, stream, next) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c) => chunks.push(c as Buffer));
    stream.on('end', () => {
      files.set(header.name, Buffer.concat(chunks));
      next();
    });
  });
  const done = new Promise<void>((resolve, reject) => {
    extract.on('finish', resolve);
    extract.on('error', reject);
  });
  Readable.from([zlib.gunzipSync(data)]).pipe(extract);
  await done;
  return files;
}

describe('downloading your data', () => {
  let world: World;
  let post: any;
  before(async () => {
    world = await createWorld({ accounts: ['mara', 'ines', 'sam'] });
    post = await postPhotos(world, 'mara', 'birthday cake 🎂', { photos: 2 });
    const theirs = await postPhotos(world, 'ines', 'the lake');
    assert.equal((await world.post('mara', '/api/v1/statuses', { status: 'So pretty!', in_reply_to_id: theirs.id })).status, 200);
    assert.equal((await world.post('mara', `/api/v1/statuses/${theirs.id}/favourite`)).status, 200);
    assert.equal((await world.post('mara', `/api/v1/accounts/${world.actors.ines.id}/follow`)).status, 200);
    assert.equal((await world.post('mara', `/api/v1/accounts/${world.actors.sam.id}/block`)).status, 200);
    await world.app.services.jobs.onIdle();
  });
  after(() => world.close());

  test('an archive is asked for (202, pending), built by its job, and announced to its owner only on the Glimpse API', async () => {
    const asked = await world.post('mara', ARCHIVES);
    assert.equal(asked.status, 202, JSON.stringify(asked.body));
    assert.equal(asked.body.state, 'pending');
    assert.equal(asked.body.url, null);
    await world.app.services.jobs.onIdle();
    const list = await world.get('mara', ARCHIVES);
    assert.equal(list.status, 200);
    assert.equal(list.body.length, 1);
    assert.equal(list.body[0].state, 'ready');
    assert.equal(list.body[0].url, `${world.config.publicUrl}${ARCHIVES}/${asked.body.id}/download`);
    assert.ok(list.body[0].size > 0);
    assert.equal(Date.parse(list.body[0].expires_at) - Date.parse(list.body[0].ready_at), ARCHIVE_LIFETIME_MS);

    const glimpse = await world.get('mara', '/api/glimpse/v1/notifications');
    assert.ok(glimpse.body.some((n: any) => n.type === 'archive_ready' && n.account.username === 'mara'), JSON.stringify(glimpse.body.map((n: any) => n.type)));
    const mastodon = await world.get('mara', '/api/v1/notifications');
    assert.ok(!mastodon.body.some((n: any) => n.type === 'archive_ready'), 'a type Mastodon lacks is not sent to its clients unasked');
    assert.deepEqual((await world.get('ines', ARCHIVES)).body, [], 'nobody else sees it');
  });

  test('one archive a day: asking again answers 429 with Retry-After', async () => {
    const again = await world.post('mara', ARCHIVES);
    assert.equal(again.status, 429);
    assert.ok(Number(again.headers['retry-after']) > 3600);
  });

  test('the download holds the profile, posts with their photos in the largest size, comments, likes, follows and blocks', async () => {
    const [archive] = (await world.get('mara', ARCHIVES)).body;
    const res = await world.app.http.inject({ method: 'GET', url: `${ARCHIVES}/${archive.id}/download`, headers: { authorization: `Bearer ${world.actors.mara.token}` } });
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['content-type'], 'application/gzip');
    assert.match(String(res.headers['content-disposition']), /^attachment; filename="glimpse-archive-\d{4}-\d\d-\d\d\.tar\.gz"$/);
    assert.equal(res.headers['cache-control'], 'private, no-store');
    const files = await untar(res.rawPayload);
    const read = (name: string) => JSON.parse(files.get(`glimpse-archive/${name}`)!.toString('utf8'));
    assert.equal(read('profile.json').username, 'mara');
    const posts = read('posts.json');
    const mine = posts.find((p: any) => p.id === post.id);
    assert.equal(mine.text, 'birthday cake 🎂');
    assert.equal(mine.media.length, 2);
    const row = await world.db.handle.kysely.selectFrom('media').select(['variants']).where('status_id', '=', post.id).executeTakeFirstOrThrow();
    const widest = Math.max(...JSON.parse(row.variants).map((v: { width: number }) => v.width));
    for (const m of mine.media) {
      const photo = files.get(`glimpse-archive/${m.file}`);
      assert.ok(photo, `${m.file} is in the archive`);
      assert.equal((await sharp(photo).metadata()).width, widest);
    }
    assert.deepEqual(read('comments.json').map((c: any) => c.text), ['So pretty!']);
    assert.equal(read('likes.json').length, 1);
    assert.deepEqual(read('following.json').map((f: any) => f.username), ['ines']);
    assert.deepEqual(read('blocks.json').map((f: any) => f.username), ['sam']);
    assert.deepEqual(read('stories.json'), []);
  });

  test("another account's archive answers 404, like a missing one", async () => {
    const [archive] = (await world.get('mara', ARCHIVES)).body;
    const theirs = await world.get('ines', `${ARCHIVES}/${archive.id}/download`);
    const missing = await world.get('ines', `${ARCHIVES}/1700000000000000/download`);
    assert.equal(theirs.status, 404);
    assert.deepEqual(theirs.body, missing.body);
    assert.equal((await world.get(undefined, `${ARCHIVES}/${archive.id}/download`)).status, 401);
  });

  test('once the link has run out: 404, then the sweep removes the file and the row', async () => {
    const [archive] = (await world.get('mara', ARCHIVES)).body;
    const key = (await world.db.handle.kysely.selectFrom('data_archives').select('storage_key').where('id', '=', archive.id).executeTakeFirstOrThrow()).storage_key!;
    assert.equal(await world.app.services.mediaStorage.exists(key, ARCHIVE_FILE), true);
    world.clock.advance(ARCHIVE_LIFETIME_MS + 1000);
    assert.equal((await world.get('mara', `${ARCHIVES}/${archive.id}/download`)).status, 404);
    assert.equal((await world.get('mara', ARCHIVES)).body[0].url, null);
    assert.equal(await world.app.services.dataArchives.sweep(), 1);
    assert.equal(await world.app.services.mediaStorage.exists(key, ARCHIVE_FILE), false);
    assert.deepEqual((await world.get('mara', ARCHIVES)).body, []);
    // A new one may be asked for again.
    assert.equal((await world.post('mara', ARCHIVES)).status, 202);
  });
});
