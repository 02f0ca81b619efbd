import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createWorld, type World, type WorldName } from '../support/world.ts';
import { postPhotos } from '../support/photos.ts';

/**
 * The visibility matrix for a private account's post and its photos: only approved followers
 * (and the author) see it; everyone else gets the same 404 as for a post that does not exist.
 */
describe("a private account's post", () => {
  let world: World;
  let post: any;
  let missing: { status: number; body: unknown };
  const hidden: Array<WorldName | undefined> = [undefined, 'sam', 'pat', 'rex', 'remi', 'bo'];
  const label = (who: WorldName | undefined) => who ?? 'anonymous';

  before(async () => {
    world = await createWorld();
    const nora = world.actors.nora.id;
    for (const who of ['ines', 'pat', 'rex', 'remi'] as const) await world.post(who, `/api/v1/accounts/${nora}/follow`);
    await world.post('nora', `/api/v1/follow_requests/${world.actors.ines.id}/authorize`);
    await world.post('nora', `/api/v1/follow_requests/${world.actors.rex.id}/reject`);
    await world.post('nora', `/api/v1/follow_requests/${world.actors.remi.id}/authorize`);
    await world.post('nora', `/api/v1/accounts/${world.actors.remi.id}/remove_from_followers`);
    await world.post('nora', `/api/v1/accounts/${world.actors.bo.id}/block`);
    post = await postPhotos(world, 'nora', 'close circle only #secret', { photos: 2 });
    await world.app.services.jobs.onIdle();
    const res = await world.get('sam', '/api/v1/statuses/1700000000000000');
    missing = { status: res.status, body: res.body };
  });
  after(() => world.close());

  for (const who of hidden) {
    test(`${label(who)} gets the same 404 as for a missing post, on the post, its context and its likes`, async () => {
      for (const path of ['', '/context', '/favourited_by']) {
        const res = await world.get(who, `/api/v1/statuses/${post.id}${path}`);
        assert.equal(res.status, missing.status, `${path}`);
        assert.deepEqual(res.body, missing.body);
      }
    });

    if (who !== undefined) {
      test(`${label(who)} cannot like, reply to or bookmark it (404)`, async () => {
        assert.equal((await world.post(who, `/api/v1/statuses/${post.id}/favourite`)).status, 404);
        assert.equal((await world.post(who, `/api/v1/statuses/${post.id}/bookmark`)).status, 404);
        assert.equal((await world.post(who, '/api/v1/statuses', { status: 'hi', in_reply_to_id: post.id })).status, 404);
      });

      test(`${label(who)} finds it in no feed, grid or hashtag timeline`, async () => {
        const paths = ['/api/v1/timelines/home', `/api/v1/accounts/${world.actors.nora.id}/statuses`, '/api/v1/timelines/tag/secret', '/api/v1/timelines/public'];
        for (const path of paths) {
          const res = await world.get(who, path);
          const ids = Array.isArray(res.body) ? res.body.map((s: any) => s.id) : [];
          assert.ok(!ids.includes(post.id), path);
        }
      });
    }
  }

  test('an approved follower sees it in the post, the grid and the home feed', async () => {
    assert.equal((await world.get('ines', `/api/v1/statuses/${post.id}`)).status, 200);
    const grid = await world.get('ines', `/api/v1/accounts/${world.actors.nora.id}/statuses`);
    assert.ok(grid.body.some((s: any) => s.id === post.id));
    const home = await world.get('ines', '/api/v1/timelines/home');
    assert.ok(home.body.some((s: any) => s.id === post.id));
  });

  test('its photos are handed out only as signed, expiring URLs that work for the follower', async () => {
    const seen = (await world.get('ines', `/api/v1/statuses/${post.id}`)).body;
    for (const media of seen.media_attachments) {
      const url = new URL(media.url);
      assert.ok(url.searchParams.get('sig') && url.searchParams.get('exp'), media.url);
      const file = await world.get(undefined, url.pathname + url.search);
      assert.equal(file.status, 200);
      assert.match(String(file.headers['content-type']), /^image\//);
    }
  });

  test('the photo path without a signature, with a forged one or after expiry answers 404', async () => {
    const media = (await world.get('ines', `/api/v1/statuses/${post.id}`)).body.media_attachments[0];
    const url = new URL(media.url);
    assert.equal((await world.get(undefined, url.pathname)).status, 404);
    const forged = new URL(url);
    forged.searchParams.set('sig', 'A'.repeat(43));
    assert.equal((await world.get(undefined, forged.pathname + forged.search)).status, 404);
    world.clock.advance(3 * 60 * 60 * 1000);
    assert.equal((await world.get(undefined, url.pathname + url.search)).status, 404);
    world.clock.advance(-3 * 60 * 60 * 1000);
  });

  test('a mention notification is not sent to a mentioned stranger who cannot see the post', async () => {
    const mentioned = await postPhotos(world, 'nora', 'hey @sam and @ines');
    const sam = await world.get('sam', '/api/v1/notifications');
    assert.ok(!sam.body.some((n: any) => n.status?.id === mentioned.id));
    const ines = await world.get('ines', '/api/v1/notifications?types[]=mention');
    assert.ok(ines.body.some((n: any) => n.status?.id === mentioned.id));
  });
});

describe("a public account's post", () => {
  let world: World;
  before(async () => {
    world = await createWorld({ accounts: ['mara', 'sam', 'bo'] });
  });
  after(() => world.close());

  test('is visible to anonymous visitors with stable, unsigned photo URLs', async () => {
    const post = await postPhotos(world, 'mara', 'public');
    const res = await world.get(undefined, `/api/v1/statuses/${post.id}`);
    assert.equal(res.status, 200);
    const url = new URL(res.body.media_attachments[0].url);
    assert.equal(url.search, '');
    assert.equal((await world.get(undefined, url.pathname)).status, 200);
  });

  test('is hidden from an account the author blocked', async () => {
    const post = await postPhotos(world, 'mara', 'not for bo');
    await world.post('mara', `/api/v1/accounts/${world.actors.bo.id}/block`);
    assert.equal((await world.get('bo', `/api/v1/statuses/${post.id}`)).status, 404);
  });

  test('becomes followers-only, photos included, when the account turns private', async () => {
    const post = await postPhotos(world, 'mara', 'was public');
    const url = new URL((await world.get(undefined, `/api/v1/statuses/${post.id}`)).body.media_attachments[0].url);
    await world.request('mara', 'PATCH', '/api/v1/accounts/update_credentials', { locked: true });
    assert.equal((await world.get('sam', `/api/v1/statuses/${post.id}`)).status, 404);
    assert.equal((await world.get(undefined, url.pathname)).status, 404);
  });
});
