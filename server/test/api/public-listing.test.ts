import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createWorld, type Actor, type World } from '../support/world.ts';
import { postPhotos } from '../support/photos.ts';
import { ids } from '../support/http.ts';

const G = '/api/glimpse/v1';

/**
 * "Publicly listable" (access/post-policy.ts) decides every surface that lists posts nobody
 * asked for by id: public posts, not unlisted ones, of public accounts that are not suspended,
 * and posts only, never comments. Hashtag search finds and counts tags only there.
 */
describe('public listing: timelines and hashtag search show only publicly listable posts', () => {
  let world: World;
  let suspended: Actor;
  const posted: Record<string, string> = {};

  const searchTags = async (q: string) => {
    const res = await world.get(undefined, `/api/v2/search?type=hashtags&q=${encodeURIComponent(q)}`);
    assert.equal(res.status, 200);
    return (res.body.hashtags as Array<{ name: string }>).map((h) => h.name.toLowerCase());
  };

  before(async () => {
    world = await createWorld({ accounts: ['mara', 'ines', 'nora', 'sam'] });
    suspended = await world.addActor('sus');
    // Ines hides a word from comments on her posts: sam's comment with it is hidden.
    await world.request('ines', 'PUT', `${G}/hidden_words`, { words: ['awful'] });
    const post = await postPhotos(world, 'ines', 'Morning light #listed');
    posted.public = post.id;
    const hidden = await world.post('sam', '/api/v1/statuses', { status: 'awful #onlyhiddencomment', in_reply_to_id: post.id });
    assert.equal(hidden.status, 200);
    const visible = await world.post('sam', '/api/v1/statuses', { status: 'lovely #onlycomment', in_reply_to_id: post.id });
    assert.equal(visible.status, 200);
    posted.comment = visible.body.id;
    posted.unlisted = (await postPhotos(world, 'ines', 'Quiet one #onlyunlisted #listed', { extra: { visibility: 'unlisted' } })).id;
    posted.private = (await postPhotos(world, 'ines', 'Friends only #onlyprivate #listed', { extra: { visibility: 'private' } })).id;
    posted.locked = (await postPhotos(world, 'nora', 'Private account #onlylocked #listed', { extra: { visibility: 'public' } })).id;
    posted.suspended = (await postPhotos(world, suspended, 'Soon gone #onlysuspended #listed')).id;
    await world.app.services.repositories.accounts.update(suspended.id, { suspended_at: world.clock.now().toISOString() });
  });
  after(() => world.close());

  test('a tag used only in a hidden comment is not found by hashtag search', async () => {
    assert.deepEqual(await searchTags('onlyhiddencomment'), []);
  });

  test('a tag used only in comments is not found, even in a visible one', async () => {
    assert.deepEqual(await searchTags('onlycomment'), []);
  });

  test('a tag used only in a followers-only post, an unlisted post, a locked account or a suspended account is not found', async () => {
    for (const tag of ['onlyprivate', 'onlyunlisted', 'onlylocked', 'onlysuspended']) assert.deepEqual(await searchTags(tag), [], tag);
  });

  test('a tag is found once a publicly listable post uses it', async () => {
    await postPhotos(world, 'mara', 'Now in the open #onlyhiddencomment #onlyprivate');
    assert.deepEqual(await searchTags('onlyhiddencomment'), ['onlyhiddencomment']);
    assert.deepEqual(await searchTags('onlyprivate'), ['onlyprivate']);
  });

  test('the tag timeline lists public posts of public accounts only: no unlisted, private, locked or suspended authors\' posts, no comments', async () => {
    const res = await world.get(undefined, '/api/v1/timelines/tag/listed');
    assert.equal(res.status, 200);
    assert.deepEqual(ids(res), [posted.public]);
    const asSam = await world.get('sam', '/api/v1/timelines/tag/onlycomment');
    assert.deepEqual(ids(asSam), []);
  });

  test('the public timeline leaves out unlisted posts, locked and suspended accounts and comments', async () => {
    const res = await world.get(undefined, '/api/v1/timelines/public?limit=40');
    assert.equal(res.status, 200);
    const listed = ids(res);
    assert.ok(listed.includes(posted.public));
    for (const key of ['unlisted', 'private', 'locked', 'suspended', 'comment']) assert.ok(!listed.includes(posted[key]), key);
  });

  test('an unlisted post of a public account is still embeddable, though never listed', async () => {
    const res = await world.get(undefined, `/@ines/${posted.unlisted}/embed`);
    assert.equal(res.status, 200);
  });
});
