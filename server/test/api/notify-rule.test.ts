import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createWorld, type World } from '../support/world.ts';
import { postPhotos } from '../support/photos.ts';

/**
 * A notification is created only when the notification list would show it and the recipient
 * may see what it is about (access/account-policy.ts#shouldNotify), the same for posts,
 * comments and stories.
 */
describe('notifications are created by the rule the notification list reads with', () => {
  let world: World;
  before(async () => {
    world = await createWorld({ accounts: ['mara', 'ines', 'sam', 'pat'] });
  });
  after(() => world.close());

  const mentionsOf = async (who: 'ines' | 'sam' | 'pat') => (await world.get(who, '/api/v1/notifications?types[]=mention')).body.length as number;

  test('a mute that hides notifications stops mentions; a mute that keeps them does not', async () => {
    await world.post('ines', `/api/v1/accounts/${world.actors.mara.id}/mute`, { notifications: true });
    await world.post('sam', `/api/v1/accounts/${world.actors.mara.id}/mute`, { notifications: false });
    await postPhotos(world, 'mara', 'Hello @ines and @sam');
    assert.equal(await mentionsOf('ines'), 0);
    assert.equal(await mentionsOf('sam'), 1);
  });

  test("a mention in a comment follows the mentioned account's relation to the commenter, not only to the post's author", async () => {
    const post = await postPhotos(world, 'mara', 'A post');
    await world.post('pat', `/api/v1/accounts/${world.actors.sam.id}/block`);
    const res = await world.post('sam', '/api/v1/statuses', { status: 'look @pat', in_reply_to_id: post.id });
    assert.equal(res.status, 200);
    // Stored, not only filtered when read: the list would never show it.
    const stored = await world.db.handle.kysely.selectFrom('notifications').select('id').where('account_id', '=', world.actors.pat.id).where('from_account_id', '=', world.actors.sam.id).execute();
    assert.deepEqual(stored, [], 'pat blocks sam: no notification is created');
  });
});
