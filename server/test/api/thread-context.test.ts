import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createWorld, type World } from '../support/world.ts';
import { postPhotos } from '../support/photos.ts';
import { countOwnQueries } from '../support/query-count.ts';

/**
 * A thread's ancestors are read by one recursive query: the context of a reply twelve levels
 * deep costs what the context of one three levels deep costs, and lists its ancestors oldest first.
 */
let world: World;
before(async () => {
  world = await createWorld({ accounts: ['mara', 'ines', 'sam'] });
});
after(() => world.close());

/** A post and a chain of `depth` replies, each answering the one before; answers their ids, oldest first. */
async function chain(depth: number): Promise<string[]> {
  const ids = [(await postPhotos(world, 'mara', `a thread ${depth} deep`)).id];
  for (let i = 0; i < depth; i++) {
    const res = await world.post(i % 2 ? 'sam' : 'ines', '/api/v1/statuses', { status: `level ${i + 1}`, in_reply_to_id: ids[ids.length - 1] });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    ids.push(res.body.id);
  }
  return ids;
}

test('the context of a deep reply lists every ancestor oldest first, in as many queries as a shallow one', async () => {
  const shallow = await chain(3);
  const deep = await chain(12);
  // The notification jobs of the replies are not the measured reads' statements.
  await world.app.services.jobs.onIdle();
  // Both read with empty caches, so neither is counted with content the other left in memory.
  const read = (id: string) => {
    world.app.services.caches.postContent.clear();
    world.app.services.caches.filterRules.clear();
    world.app.services.caches.viewerRelations.clear();
    return countOwnQueries(world.app.services.database.kysely, () => world.get('ines', `/api/v1/statuses/${id}/context`));
  };
  const a = await read(shallow[shallow.length - 1]);
  const b = await read(deep[deep.length - 1]);
  assert.equal(a.result.status, 200);
  assert.deepEqual(a.result.body.ancestors.map((s: { id: string }) => s.id), shallow.slice(0, -1));
  assert.deepEqual(b.result.body.ancestors.map((s: { id: string }) => s.id), deep.slice(0, -1));
  assert.equal(b.queries, a.queries, `${b.queries} queries for 12 ancestors, ${a.queries} for 3`);
});

test('ancestors stop at 40', async () => {
  const ids = await chain(45);
  const res = await world.get('ines', `/api/v1/statuses/${ids[ids.length - 1]}/context`);
  assert.deepEqual(res.body.ancestors.map((s: { id: string }) => s.id), ids.slice(-41, -1));
});

test('deleting a top-level comment removes its whole thread in one go, and the counts and folds stay exact', async () => {
  const post = await postPhotos(world, 'mara', 'a thread to delete');
  const top = (await world.post('ines', '/api/v1/statuses', { status: 'same words', in_reply_to_id: post.id })).body;
  const replies: string[] = [];
  let answering = top.id;
  for (let i = 0; i < 6; i++) {
    const reply = (await world.post(i % 2 ? 'ines' : 'sam', '/api/v1/statuses', { status: 'same words', in_reply_to_id: i % 3 === 0 ? top.id : answering })).body;
    replies.push(reply.id);
    answering = reply.id;
  }
  const stays = (await world.post('sam', '/api/v1/statuses', { status: 'another thought', in_reply_to_id: post.id })).body;
  assert.equal((await world.get('mara', `/api/v1/statuses/${post.id}`)).body.replies_count, 8);
  assert.equal((await world.request('ines', 'DELETE', `/api/v1/statuses/${top.id}`)).status, 200);
  assert.equal((await world.get('mara', `/api/v1/statuses/${post.id}`)).body.replies_count, 1);
  for (const id of [top.id, ...replies]) assert.equal((await world.get('mara', `/api/v1/statuses/${id}`)).status, 404, 'the thread is gone');
  assert.equal((await world.get('mara', `/api/v1/statuses/${stays.id}`)).status, 200, 'another thread stays');
  const db = world.app.services.database.kysely;
  const folded = await db.selectFrom('comment_fold_counts').select((eb) => eb.fn.sum<number>('count').as('n')).where('post_id', '=', post.id).executeTakeFirst();
  assert.equal(Number(folded?.n ?? 0), 1, 'the folds count the one comment left');
});
