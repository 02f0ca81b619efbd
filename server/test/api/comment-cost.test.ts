import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createWorld, type World } from '../support/world.ts';
import { postPhotos } from '../support/photos.ts';
import { countStatements } from '../support/query-count.ts';

/**
 * What a new comment costs the database, counted statement by statement (inside the
 * transaction too), and proof that the answer built from what the write read is the status
 * any later read presents.
 */
let world: World;
before(async () => {
  world = await createWorld({ accounts: ['mara', 'ines', 'sam', 'pat'] });
});
after(() => world.close());

const comment = (as: 'ines' | 'sam' | 'pat' | 'mara', inReplyTo: string, text: string, key?: string) =>
  world.request(as, 'POST', '/api/v1/statuses', { status: text, in_reply_to_id: inReplyTo }, key ? { 'Idempotency-Key': key } : {});

test('a comment in a storm costs at most 12 statements, its authentication, Idempotency-Key and notification included', async () => {
  const post = await postPhotos(world, 'mara', 'my birthday');
  for (const as of ['ines', 'pat'] as const) assert.equal((await comment(as, post.id, 'happy birthday!!')).status, 200);
  await world.app.services.jobs.onIdle();
  const { result, statements, sql } = await countStatements(world.app.services.database, () => comment('sam', post.id, 'Happy birthday!', 'storm-1'));
  assert.equal(result.status, 200, JSON.stringify(result.body));
  assert.ok(statements <= 12, `${statements} statements:\n${sql.join('\n')}`);
  // The post's author was told, inside those statements.
  const notes = await world.get('mara', '/api/v1/notifications?types[]=mention');
  assert.ok(notes.body.some((n: { status?: { id: string } }) => n.status?.id === result.body.id));
});

test('a repeated Idempotency-Key answers the first comment and writes nothing more', async () => {
  const post = await postPhotos(world, 'mara', 'once only');
  const first = await comment('sam', post.id, 'just once', 'once-1');
  const again = await comment('sam', post.id, 'just once', 'once-1');
  assert.equal(again.status, 200);
  assert.equal(again.body.id, first.body.id);
  assert.equal((await world.get('mara', `/api/v1/statuses/${post.id}`)).body.replies_count, 1);
});

test('the answer to a new comment is what reading it gives: a comment, a reply that names whom it answers, one in a muted thread, a restricted one', async () => {
  const post = await postPhotos(world, 'mara', 'read it back');
  /** Comments and reads it back at once, before anything else changes it. */
  const commentAndRead = async (as: 'ines' | 'sam' | 'pat', inReplyTo: string, text: string) => {
    const res = await comment(as, inReplyTo, text);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(res.body, (await world.get(as, `/api/v1/statuses/${res.body.id}`)).body);
    return res.body;
  };
  const top = await commentAndRead('ines', post.id, 'lovely #party @pat');
  assert.equal(top.tags[0].name, 'party');
  assert.equal(top.mentions[0].username, 'pat');
  const reply = await commentAndRead('sam', top.id, 'agreed');
  assert.match(reply.content, /@ines/);
  assert.equal((await world.post('sam', `/api/v1/statuses/${top.id}/mute`)).status, 200);
  assert.equal((await commentAndRead('sam', top.id, 'still agreed')).muted, true);
  assert.equal((await world.post('mara', `/api/glimpse/v1/accounts/${world.actors.pat.id}/restrict`)).status, 200);
  await commentAndRead('pat', post.id, 'hidden from others');
  assert.equal((await world.get('ines', `/api/v1/statuses/${post.id}`)).body.replies_count, 3);
});

test('a comment on a post one cannot see, or on a missing one, is 404 and writes nothing', async () => {
  const hidden = await postPhotos(world, 'mara', 'followers only', { extra: { visibility: 'private' } });
  assert.equal((await comment('sam', '9000000000000000', 'hello?')).status, 404);
  const refused = await comment('sam', hidden.id, 'let me in');
  assert.equal(refused.status, 404);
  assert.deepEqual(refused.body, { error: 'Record not found' });
  assert.equal((await world.get('mara', `/api/v1/statuses/${hidden.id}`)).body.replies_count, 0);
});
