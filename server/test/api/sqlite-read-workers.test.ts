import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createWorld, type World } from '../support/world.ts';
import { TEST_DB } from '../support/test-database.ts';
import { postPhotos } from '../support/photos.ts';

/**
 * The app with GLIMPSE_SQLITE_READ_WORKERS=2 on a database file: every answer is the one the
 * main-thread reads give, a write is seen by the next read, and concurrent reads are served. On
 * PostgreSQL the setting does nothing and the same answers are checked.
 */
describe('reads on SQLite worker threads answer exactly what main-thread reads answer', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-read-workers-'));
  let withWorkers: World;
  let post: any;

  before(async () => {
    withWorkers = await createWorld({ databaseFile: path.join(dir, 'glimpse.sqlite'), config: { sqliteReadWorkers: 2 } });
    await withWorkers.post('ines', `/api/v1/accounts/${withWorkers.actors.mara.id}/follow`);
    post = await postPhotos(withWorkers, 'mara', 'cake with @ines #party', { photos: 2 });
    await withWorkers.app.services.jobs.onIdle();
  });
  after(async () => {
    await withWorkers.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('a like, a comment and an edit are each seen by the very next read', async () => {
    assert.equal((await withWorkers.post('ines', `/api/v1/statuses/${post.id}/favourite`)).status, 200);
    assert.equal(((await withWorkers.get('ines', `/api/v1/statuses/${post.id}`)).body as any).favourites_count, 1);
    const comment = await withWorkers.post('ines', '/api/v1/statuses', { status: 'so good', in_reply_to_id: post.id });
    assert.equal(comment.status, 200);
    const context = (await withWorkers.get('mara', `/api/v1/statuses/${post.id}/context`)).body as any;
    assert.deepEqual(context.descendants.map((s: any) => s.id), [(comment.body as any).id]);
    assert.equal((await withWorkers.request('mara', 'PUT', `/api/v1/statuses/${post.id}`, { status: 'cake, edited' })).status, 200);
    const home = (await withWorkers.get('ines', '/api/v1/timelines/home')).body as any[];
    assert.match(home.find((s) => s.id === post.id).content, /cake, edited/);
  });

  test('fifty reads at once all answer, each the same as when read alone', async () => {
    const urls = ['/api/v1/timelines/home', `/api/v1/statuses/${post.id}`, `/api/v1/accounts/${withWorkers.actors.mara.id}/statuses`, '/api/glimpse/v1/stories/tray', '/api/v1/notifications'];
    const alone = new Map<string, unknown>();
    for (const url of urls) alone.set(url, (await withWorkers.get('ines', url)).body);
    const together = await Promise.all(Array.from({ length: 50 }, (_, i) => withWorkers.get('ines', urls[i % urls.length])));
    together.forEach((res, i) => {
      assert.equal(res.status, 200);
      assert.deepEqual(res.body, alone.get(urls[i % urls.length]), urls[i % urls.length]);
    });
  });

  test('a missing post is still 404 and bad input still 422 through the workers', async () => {
    const missing = await withWorkers.get('ines', '/api/v1/statuses/999999999999999');
    assert.equal(missing.status, 404);
    assert.deepEqual(missing.body, { error: 'Record not found' });
    assert.equal((await withWorkers.get('ines', '/api/v1/timelines/home?limit=nope')).status, 422);
  });

  test('on SQLite the reads above ran on the two worker threads; PostgreSQL has none', () => {
    const stats = withWorkers.app.services.database.readWorkerStats?.();
    if (TEST_DB === 'postgres') return assert.equal(stats, undefined);
    assert.equal(stats?.workers, 2);
    assert.ok(stats!.answered > 100, JSON.stringify(stats));
  });
});
