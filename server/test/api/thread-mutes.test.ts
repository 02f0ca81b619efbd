import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createWorld, type Actor, type World } from '../support/world.ts';
import { postPhotos } from '../support/photos.ts';

let world: World;
before(async () => {
  world = await createWorld({ accounts: ['mara', 'ines', 'nora', 'sam'] });
});
after(() => world.close());

const comment = async (as: Actor | 'mara' | 'ines' | 'sam', inReplyTo: string, text: string) => {
  const res = await world.post(as, '/api/v1/statuses', { status: text, in_reply_to_id: inReplyTo });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body;
};
/** The viewer's notifications about statuses: [type, status id]. */
const told = async (as: Actor | 'mara' | 'ines') =>
  ((await world.get(as, '/api/v1/notifications?types[]=mention&types[]=favourite&types[]=comment')).body as Array<{ type: string; status: { id: string } | null }>).map((n) => [n.type, n.status?.id]);

describe('muting a thread: POST /api/v1/statuses/:id/mute', () => {
  test('a muted post sends its author no more notifications of comments, replies or likes, and shows muted; unmuting brings them back', async () => {
    const post = await postPhotos(world, 'mara', 'the party');
    const before = await comment('ines', post.id, 'lovely');
    assert.equal((await told('mara')).length, 1, 'the first comment is told');

    const muted = await world.post('mara', `/api/v1/statuses/${post.id}/mute`);
    assert.equal(muted.status, 200, JSON.stringify(muted.body));
    assert.equal(muted.body.muted, true);
    assert.equal((await world.get('mara', `/api/v1/statuses/${post.id}`)).body.muted, true);
    assert.equal((await world.get('ines', `/api/v1/statuses/${post.id}`)).body.muted, false, 'a mute is the viewer\'s own');

    await comment('sam', post.id, 'great');
    await comment('sam', before.id, '@mara agreed');
    await world.post('sam', `/api/v1/statuses/${post.id}/favourite`);
    assert.equal((await told('mara')).length, 1, 'nothing new while muted');

    const unmuted = await world.post('mara', `/api/v1/statuses/${post.id}/unmute`);
    assert.equal(unmuted.body.muted, false);
    await world.post('ines', `/api/v1/statuses/${post.id}/favourite`);
    assert.deepEqual((await told('mara'))[0], ['favourite', post.id]);
  });

  test('muting a comment silences its thread only: likes and replies there, not the rest of the post', async () => {
    // Earlier tests in this file told ines of things already; only what comes after counts.
    const earlier = await told('ines');
    const post = await postPhotos(world, 'mara', 'another');
    const mine = await comment('ines', post.id, 'my comment');
    const other = await comment('sam', post.id, 'another comment');
    const res = await world.post('ines', `/api/v1/statuses/${mine.id}/mute`);
    assert.equal(res.body.muted, true);
    const reply = await comment('sam', mine.id, 'a reply to ines');
    assert.equal(reply.muted, false, 'the replier did not mute it');
    assert.equal((await world.get('ines', `/api/v1/statuses/${reply.id}`)).body.muted, true, 'a reply in a muted thread shows muted');
    await world.post('sam', `/api/v1/statuses/${mine.id}/favourite`);
    assert.deepEqual(await told('ines'), earlier, 'no mention and no like from the muted thread');
    // Elsewhere in the post, ines is still told.
    await comment('sam', other.id, '@ines look');
    assert.equal((await told('ines')).length, earlier.length + 1);
    assert.equal((await world.get('ines', `/api/v1/statuses/${other.id}`)).body.muted, false);
  });

  test('only a status the viewer may see can be muted: a private account\'s post is 404 to a stranger', async () => {
    const hidden = await postPhotos(world, 'nora', 'followers only');
    const res = await world.post('sam', `/api/v1/statuses/${hidden.id}/mute`);
    assert.equal(res.status, 404);
    assert.deepEqual(res.body, { error: 'Record not found' });
    assert.equal((await world.post('sam', '/api/v1/statuses/9999999999999999/mute')).status, 404);
  });

  test('muting twice or unmuting what is not muted changes nothing', async () => {
    const post = await postPhotos(world, 'mara', 'idempotent');
    assert.equal((await world.post('sam', `/api/v1/statuses/${post.id}/unmute`)).body.muted, false);
    await world.post('sam', `/api/v1/statuses/${post.id}/mute`);
    assert.equal((await world.post('sam', `/api/v1/statuses/${post.id}/mute`)).body.muted, true);
  });
});
