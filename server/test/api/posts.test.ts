import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createWorld, type World } from '../support/world.ts';
import { postPhotos, uploadPhoto } from '../support/photos.ts';

describe('photo posts', () => {
  let world: World;
  before(async () => {
    world = await createWorld({ accounts: ['mara', 'ines', 'sam', 'bo'] });
  });
  after(() => world.close());

  test('a carousel keeps its photos in the order given, each with its alt text', async () => {
    const ids = [
      await uploadPhoto(world, 'mara', { description: 'first' }),
      await uploadPhoto(world, 'mara', { description: 'second' }),
      await uploadPhoto(world, 'mara', { description: 'third' }),
    ];
    const order = [ids[2], ids[0], ids[1]];
    const res = await world.post('mara', '/api/v1/statuses', { status: 'party', media_ids: order });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(res.body.media_attachments.map((m: any) => m.id), order);
    assert.deepEqual(res.body.media_attachments.map((m: any) => m.description), ['third', 'first', 'second']);
    const again = await world.get('ines', `/api/v1/statuses/${res.body.id}`);
    assert.deepEqual(again.body.media_attachments.map((m: any) => m.id), order);
  });

  test('a caption links mentions of real accounts and hashtags, and escapes everything else', async () => {
    const post = await postPhotos(world, 'mara', 'Happy birthday @ines and @nobody_here #Party <script>alert(1)</script>');
    assert.match(post.content, /<a href="http:\/\/glimpse.test\/@ines" class="u-url mention">@<span>ines<\/span><\/a>/);
    assert.match(post.content, /@nobody_here/);
    assert.doesNotMatch(post.content, /@nobody_here<\/span>/);
    assert.match(post.content, /class="mention hashtag" rel="tag">#<span>Party<\/span>/);
    assert.match(post.content, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
    assert.doesNotMatch(post.content, /<script>/);
    assert.deepEqual(post.mentions.map((m: any) => m.username), ['ines']);
    assert.deepEqual(post.tags.map((t: any) => t.name), ['Party']);
  });

  test('a mentioned account is notified with a mention notification carrying the post', async () => {
    const post = await postPhotos(world, 'mara', 'with @ines');
    const res = await world.get('ines', '/api/v1/notifications?types[]=mention');
    assert.ok(res.body.some((n: any) => n.status?.id === post.id && n.account.username === 'mara'));
  });

  test('an account that blocked the author is not notified of a mention', async () => {
    await world.post('bo', `/api/v1/accounts/${world.actors.mara.id}/block`);
    const post = await postPhotos(world, 'mara', 'hello @bo');
    const res = await world.get('bo', '/api/v1/notifications');
    assert.ok(!res.body.some((n: any) => n.status?.id === post.id));
  });

  test('a post needs at least one photo and at most 20', async () => {
    const none = await world.post('mara', '/api/v1/statuses', { status: 'just words' });
    assert.equal(none.status, 422);
    const many = await world.post('mara', '/api/v1/statuses', { status: 'x', media_ids: Array.from({ length: 21 }, (_, i) => String(1e15 + i)) });
    assert.equal(many.status, 422);
  });

  test('a caption over 2,200 characters is refused and nothing is stored', async () => {
    const media = await uploadPhoto(world, 'mara');
    const before = (await world.get('mara', '/api/v1/accounts/verify_credentials')).body.statuses_count;
    const res = await world.post('mara', '/api/v1/statuses', { status: 'a'.repeat(2201), media_ids: [media] });
    assert.equal(res.status, 422);
    assert.ok(typeof res.body.error === 'string');
    const afterCount = (await world.get('mara', '/api/v1/accounts/verify_credentials')).body.statuses_count;
    assert.equal(afterCount, before);
  });

  test("attaching someone else's photo, or one already posted, is refused with 422", async () => {
    const inesMedia = await uploadPhoto(world, 'ines');
    const res = await world.post('mara', '/api/v1/statuses', { status: 'mine?', media_ids: [inesMedia] });
    assert.equal(res.status, 422);
    const post = await postPhotos(world, 'mara', 'once');
    const reuse = await world.post('mara', '/api/v1/statuses', { status: 'twice', media_ids: [post.media_attachments[0].id] });
    assert.equal(reuse.status, 422);
  });

  test('retrying with the same Idempotency-Key returns the first post and stores one', async () => {
    const media = await uploadPhoto(world, 'mara');
    const before = (await world.get('mara', '/api/v1/accounts/verify_credentials')).body.statuses_count;
    const headers = { 'idempotency-key': 'party-photos-1' };
    const [a, b] = await Promise.all([
      world.request('mara', 'POST', '/api/v1/statuses', { status: 'once only', media_ids: [media] }, headers),
      world.request('mara', 'POST', '/api/v1/statuses', { status: 'once only', media_ids: [media] }, headers),
    ]);
    assert.equal(a.status, 200, JSON.stringify(a.body));
    assert.equal(b.status, 200, JSON.stringify(b.body));
    assert.equal(a.body.id, b.body.id);
    const afterCount = (await world.get('mara', '/api/v1/accounts/verify_credentials')).body.statuses_count;
    assert.equal(afterCount, before + 1);
  });

  test('editing a caption keeps the previous version in the history', async () => {
    const post = await postPhotos(world, 'mara', 'first words');
    const edited = await world.request('mara', 'PUT', `/api/v1/statuses/${post.id}`, { status: 'better words' });
    assert.equal(edited.status, 200);
    assert.match(edited.body.content, /better words/);
    assert.ok(edited.body.edited_at);
    const history = await world.get('ines', `/api/v1/statuses/${post.id}/history`);
    assert.deepEqual(history.body.map((v: any) => v.content.replace(/<[^>]+>/g, '')), ['first words', 'better words']);
  });

  test("only the author can edit or delete a post; others get 404", async () => {
    const post = await postPhotos(world, 'mara', 'mine');
    assert.equal((await world.request('ines', 'PUT', `/api/v1/statuses/${post.id}`, { status: 'hijack' })).status, 404);
    assert.equal((await world.request('ines', 'DELETE', `/api/v1/statuses/${post.id}`)).status, 404);
  });

  test('deleting a post removes it everywhere and lowers the count', async () => {
    const post = await postPhotos(world, 'mara', 'to delete');
    const before = (await world.get('mara', '/api/v1/accounts/verify_credentials')).body.statuses_count;
    const res = await world.request('mara', 'DELETE', `/api/v1/statuses/${post.id}`);
    assert.equal(res.status, 200);
    assert.equal(res.body.text, 'to delete');
    assert.equal((await world.get('mara', `/api/v1/statuses/${post.id}`)).status, 404);
    assert.equal((await world.get('mara', '/api/v1/accounts/verify_credentials')).body.statuses_count, before - 1);
    const grid = await world.get('ines', `/api/v1/accounts/${world.actors.mara.id}/statuses`);
    assert.ok(!grid.body.some((s: any) => s.id === post.id));
  });

  test('a like counts once, shows as favourited, notifies the author and can be undone', async () => {
    const post = await postPhotos(world, 'mara', 'like me');
    const liked = await world.post('ines', `/api/v1/statuses/${post.id}/favourite`);
    await world.post('ines', `/api/v1/statuses/${post.id}/favourite`);
    assert.equal(liked.body.favourited, true);
    assert.equal((await world.get('sam', `/api/v1/statuses/${post.id}`)).body.favourites_count, 1);
    const by = await world.get('sam', `/api/v1/statuses/${post.id}/favourited_by`);
    assert.deepEqual(by.body.map((a: any) => a.username), ['ines']);
    const notes = await world.get('mara', '/api/v1/notifications?types[]=favourite');
    assert.ok(notes.body.some((n: any) => n.status?.id === post.id && n.account.username === 'ines'));
    const unliked = await world.post('ines', `/api/v1/statuses/${post.id}/unfavourite`);
    assert.equal(unliked.body.favourited, false);
    assert.equal(unliked.body.favourites_count, 0);
  });

  test('hidden like counts are shown to the author only', async () => {
    const post = await postPhotos(world, 'mara', 'quiet', { extra: { hide_like_count: true } });
    await world.post('ines', `/api/v1/statuses/${post.id}/favourite`);
    const seenBySam = await world.get('sam', `/api/v1/statuses/${post.id}`);
    assert.equal(seenBySam.body.favourites_count, 0);
    assert.equal(seenBySam.body.glimpse.like_count_hidden, true);
    assert.deepEqual((await world.get('sam', `/api/v1/statuses/${post.id}/favourited_by`)).body, []);
    const seenByMara = await world.get('mara', `/api/v1/statuses/${post.id}`);
    assert.equal(seenByMara.body.favourites_count, 1);
  });

  test('a person tagged on a photo appears at the position given and gets a tag notification', async () => {
    const media = await uploadPhoto(world, 'mara');
    const res = await world.post('mara', '/api/v1/statuses', {
      status: 'tagged',
      media_ids: [media],
      media_tags: [{ media_id: media, account_id: world.actors.ines.id, x: 0.25, y: 0.75 }],
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const tags = res.body.media_attachments[0].glimpse.tags;
    assert.equal(tags.length, 1);
    assert.equal(tags[0].account.username, 'ines');
    assert.deepEqual([tags[0].x, tags[0].y], [0.25, 0.75]);
    const notes = await world.get('ines', '/api/v1/notifications?types[]=tag');
    assert.ok(notes.body.some((n: any) => n.type === 'tag' && n.status?.id === res.body.id));
  });

  test('a tag off the photo or of a missing account is refused with 422', async () => {
    const media = await uploadPhoto(world, 'mara');
    const off = await world.post('mara', '/api/v1/statuses', { status: 't', media_ids: [media], media_tags: [{ media_id: media, account_id: world.actors.ines.id, x: 1.5, y: 0.5 }] });
    assert.equal(off.status, 422);
    const missing = await world.post('mara', '/api/v1/statuses', { status: 't', media_ids: [media], media_tags: [{ media_id: media, account_id: '1234567890123456', x: 0.5, y: 0.5 }] });
    assert.equal(missing.status, 422);
  });
});
