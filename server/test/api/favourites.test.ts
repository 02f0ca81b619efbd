import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createWorld, type World } from '../support/world.ts';
import { ids, linkTargets } from '../support/http.ts';
import { postPhotos } from '../support/photos.ts';

let world: World;
before(async () => {
  world = await createWorld({ accounts: ['mara', 'ines', 'nora', 'sam'] });
});
after(() => world.close());

describe('GET /api/v1/favourites', () => {
  test('lists the viewer\'s liked posts newest like first, whatever order the posts were written in', async () => {
    const first = await postPhotos(world, 'mara', 'first');
    const second = await postPhotos(world, 'ines', 'second');
    await world.post('sam', `/api/v1/statuses/${second.id}/favourite`);
    world.clock.advance(1000);
    await world.post('sam', `/api/v1/statuses/${first.id}/favourite`);
    const res = await world.get('sam', '/api/v1/favourites');
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(ids(res), [first.id, second.id]);
    assert.ok(res.body.every((s: { favourited: boolean }) => s.favourited));
    const unliked = await world.post('sam', `/api/v1/statuses/${first.id}/unfavourite`);
    assert.equal(unliked.status, 200);
    assert.deepEqual(ids(await world.get('sam', '/api/v1/favourites')), [second.id]);
  });

  test('pages with Link by the like\'s id: next goes to older likes, prev to newer', async () => {
    const fan = await world.addActor('paging_fan');
    const posts = [];
    for (let i = 0; i < 3; i++) posts.push(await postPhotos(world, 'mara', `page ${i}`));
    for (const p of posts) {
      world.clock.advance(1000);
      await world.post(fan, `/api/v1/statuses/${p.id}/favourite`);
    }
    const page1 = await world.get(fan, '/api/v1/favourites?limit=2');
    assert.deepEqual(ids(page1), [posts[2].id, posts[1].id]);
    const { next, prev } = linkTargets(page1, world.config.publicUrl);
    assert.ok(next && prev, String(page1.headers.link));
    const page2 = await world.get(fan, next);
    assert.deepEqual(ids(page2), [posts[0].id]);
    // The keys are likes, not statuses: the next link names a like id, which no post has.
    assert.ok(!posts.some((p) => next.includes(p.id)));
    const newer = await world.get(fan, linkTargets(page2, world.config.publicUrl).prev!);
    assert.deepEqual(ids(newer), [posts[2].id, posts[1].id]);
  });

  test('a liked post the viewer may no longer see is left out (a private account\'s post after the follow ends)', async () => {
    const fan = await world.addActor('former_follower');
    await world.post(fan, `/api/v1/accounts/${world.actors.nora.id}/follow`);
    await world.post('nora', `/api/v1/follow_requests/${fan.id}/authorize`);
    const hidden = await postPhotos(world, 'nora', 'for followers');
    const shown = await postPhotos(world, 'mara', 'public');
    await world.post(fan, `/api/v1/statuses/${hidden.id}/favourite`);
    await world.post(fan, `/api/v1/statuses/${shown.id}/favourite`);
    assert.deepEqual(ids(await world.get(fan, '/api/v1/favourites')), [shown.id, hidden.id]);
    await world.post(fan, `/api/v1/accounts/${world.actors.nora.id}/unfollow`);
    assert.deepEqual(ids(await world.get(fan, '/api/v1/favourites')), [shown.id]);
  });

  test('needs a signed-in user: anonymous is 401', async () => {
    assert.equal((await world.get(undefined, '/api/v1/favourites')).status, 401);
  });
});

describe('GET /api/v1/preferences', () => {
  test('a public account posts publicly by default; a private one to followers; the rest are Mastodon\'s defaults', async () => {
    const pub = await world.get('mara', '/api/v1/preferences');
    assert.equal(pub.status, 200);
    assert.deepEqual(pub.body, {
      'posting:default:visibility': 'public',
      'posting:default:sensitive': false,
      'posting:default:language': null,
      'reading:expand:media': 'default',
      'reading:expand:spoilers': false,
      'reading:autoplay:gifs': false,
    });
    assert.equal((await world.get('nora', '/api/v1/preferences')).body['posting:default:visibility'], 'private');
    assert.equal((await world.get(undefined, '/api/v1/preferences')).status, 401);
  });
});
