import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createWorld, type World } from '../support/world.ts';
import { postPhotos, uploadPhoto } from '../support/photos.ts';

const S = '/api/glimpse/v1';

/** What the viewer may do is decided in access/capabilities.ts and presented as `glimpse.can`. */
describe('capabilities: the server presents what the viewer may do with each item', () => {
  let world: World;
  let post: any;
  let comment: any;
  let story: any;

  before(async () => {
    world = await createWorld({ accounts: ['mara', 'ines', 'sam'] });
    await world.post('ines', `/api/v1/accounts/${world.actors.mara.id}/follow`);
    post = await postPhotos(world, 'mara', 'Followers may comment', { extra: { comment_policy: 'followers' } });
    comment = (await world.post('ines', '/api/v1/statuses', { status: 'So good', in_reply_to_id: post.id })).body;
    const media_id = await uploadPhoto(world, 'mara');
    story = (await world.post('mara', `${S}/stories`, { media_id, overlays: [{ type: 'mention', account_id: world.actors.ines.id, x: 0.5, y: 0.5 }] })).body;
  });
  after(() => world.close());

  const statusCan = async (as: 'mara' | 'ines' | 'sam' | undefined, id: string) => (await world.get(as, `/api/v1/statuses/${id}`)).body.glimpse.can;
  const storyCan = async (as: 'mara' | 'ines' | 'sam', id: string) => (await world.get(as, `${S}/stories/${id}`)).body.glimpse.can;

  test("a post's author may comment, pin, edit and delete it", async () => {
    assert.deepEqual(await statusCan('mara', post.id), { comment: true, pin: true, edit: true, delete: true });
  });

  test('a follower may comment under a followers-only-comments post; a stranger and an anonymous reader may not; neither manages it', async () => {
    assert.deepEqual(await statusCan('ines', post.id), { comment: true, pin: false, edit: false, delete: false });
    assert.deepEqual(await statusCan('sam', post.id), { comment: false, pin: false, edit: false, delete: false });
    assert.deepEqual(await statusCan(undefined, post.id), { comment: false, pin: false, edit: false, delete: false });
  });

  test("a comment: the post's author may pin and delete it, its author may edit and delete it", async () => {
    assert.deepEqual(await statusCan('mara', comment.id), { comment: true, pin: true, edit: false, delete: true });
    assert.deepEqual(await statusCan('ines', comment.id), { comment: true, pin: false, edit: true, delete: true });
    assert.deepEqual(await statusCan('sam', comment.id), { comment: false, pin: false, edit: false, delete: false });
  });

  test('a story: only someone mentioned may reshare it, only its author may delete it, and the author does not respond to it', async () => {
    assert.deepEqual(await storyCan('ines', story.id), { respond: true, reshare: true, delete: false });
    assert.deepEqual(await storyCan('sam', story.id), { respond: true, reshare: false, delete: false });
    assert.deepEqual(await storyCan('mara', story.id), { respond: false, reshare: false, delete: true });
  });
});
