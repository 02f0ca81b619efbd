import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createWorld, type World, type WorldName } from '../support/world.ts';
import { postPhotos } from '../support/photos.ts';
import { formRequest, ids, linkTargets } from '../support/http.ts';

/** Lists: CRUD, members (followed accounts only), the list timeline and exclusive lists. */
describe('lists', () => {
  let world: World;
  const follow = async (who: WorldName, target: WorldName) => assert.equal((await world.post(who, `/api/v1/accounts/${world.actors[target].id}/follow`)).status, 200);
  const createList = async (who: WorldName, body: Record<string, unknown>) => {
    const res = await world.post(who, '/api/v1/lists', body);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body as { id: string; title: string; replies_policy: string; exclusive: boolean };
  };
  const addMembers = (who: WorldName, listId: string, members: WorldName[]) => world.post(who, `/api/v1/lists/${listId}/accounts`, { account_ids: members.map((m) => world.actors[m].id) });
  const listTimeline = async (who: WorldName, listId: string) => ids(await world.get(who, `/api/v1/timelines/list/${listId}?limit=40`));
  const homeIds = async (who: WorldName) => ids(await world.get(who, '/api/v1/timelines/home?limit=40'));

  before(async () => {
    world = await createWorld({ accounts: ['mara', 'ines', 'nora', 'sam', 'pat'] });
    for (const target of ['mara', 'sam'] as const) await follow('ines', target);
    await world.app.services.jobs.onIdle();
  });
  after(() => world.close());

  test('a list is created, read, renamed and deleted by its owner, with replies_policy and exclusive', async () => {
    const list = await createList('ines', { title: 'Family', replies_policy: 'followed', exclusive: true });
    assert.deepEqual({ ...list, id: undefined }, { id: undefined, title: 'Family', replies_policy: 'followed', exclusive: true });
    assert.deepEqual((await world.get('ines', `/api/v1/lists/${list.id}`)).body, list);
    const renamed = await world.request('ines', 'PUT', `/api/v1/lists/${list.id}`, { title: 'Close family', exclusive: false });
    assert.deepEqual(renamed.body, { id: list.id, title: 'Close family', replies_policy: 'followed', exclusive: false });
    assert.ok(ids(await world.get('ines', '/api/v1/lists')).includes(list.id));
    assert.deepEqual((await world.request('ines', 'DELETE', `/api/v1/lists/${list.id}`)).body, {});
    assert.equal((await world.get('ines', `/api/v1/lists/${list.id}`)).status, 404);
  });

  test('a list is its owner\'s alone: anyone else gets 404 for it, its members and its timeline', async () => {
    const list = await createList('ines', { title: 'Mine' });
    const missing = { error: 'Record not found' };
    for (const [method, url] of [['GET', `/api/v1/lists/${list.id}`], ['PUT', `/api/v1/lists/${list.id}`], ['DELETE', `/api/v1/lists/${list.id}`], ['GET', `/api/v1/lists/${list.id}/accounts`], ['GET', `/api/v1/timelines/list/${list.id}`]] as const) {
      const res = await world.request('sam', method, url, method === 'PUT' ? { title: 'taken' } : undefined);
      assert.deepEqual([res.status, res.body], [404, missing], `${method} ${url}`);
    }
    assert.equal((await world.post('sam', `/api/v1/lists/${list.id}/accounts`, { account_ids: [world.actors.ines.id] })).status, 404);
    assert.equal((await world.get('ines', `/api/v1/lists/${list.id}`)).body.title, 'Mine');
  });

  test('a list needs a title of at most 100 characters and a known replies_policy', async () => {
    assert.equal((await world.post('ines', '/api/v1/lists', { title: '   ' })).status, 422);
    assert.equal((await world.post('ines', '/api/v1/lists', {})).status, 422);
    assert.equal((await world.post('ines', '/api/v1/lists', { title: 'x'.repeat(101) })).status, 422);
    assert.equal((await world.post('ines', '/api/v1/lists', { title: 'ok', replies_policy: 'everyone' })).status, 422);
    assert.equal((await formRequest(world, 'ines', 'POST', '/api/v1/lists', { title: 'from a form', exclusive: 'true' })).body.exclusive, true);
  });

  test('only accounts the owner follows may be added: a stranger is refused and nothing is added; an unknown account is 404', async () => {
    const list = await createList('ines', { title: 'Friends' });
    const refused = await addMembers('ines', list.id, ['mara', 'pat']);
    assert.equal(refused.status, 422);
    assert.match(refused.body.error, /follow/);
    assert.deepEqual(ids(await world.get('ines', `/api/v1/lists/${list.id}/accounts`)), []);
    assert.equal((await world.post('ines', `/api/v1/lists/${list.id}/accounts`, { account_ids: ['1234567890123456'] })).status, 404);
    assert.equal((await addMembers('ines', list.id, ['mara'])).status, 200);
    assert.equal((await addMembers('ines', list.id, ['mara'])).status, 200, 'adding a member again changes nothing');
    assert.deepEqual(ids(await world.get('ines', `/api/v1/lists/${list.id}/accounts`)), [world.actors.mara.id]);
  });

  test('the list timeline shows the members\' photo posts, newest first, paged with Link headers', async () => {
    const list = await createList('ines', { title: 'Both' });
    assert.equal((await addMembers('ines', list.id, ['mara', 'sam'])).status, 200);
    const posted: string[] = [];
    for (let i = 0; i < 3; i++) {
      posted.push((await postPhotos(world, 'mara', `mara ${i}`)).id);
      posted.push((await postPhotos(world, 'sam', `sam ${i}`)).id);
    }
    const outsider = await postPhotos(world, 'pat', 'not a member');
    await world.post('ines', '/api/v1/statuses', { status: 'a comment is no post', in_reply_to_id: posted[0] });
    const newest = [...posted].reverse();
    const first = await world.get('ines', `/api/v1/timelines/list/${list.id}?limit=4`);
    assert.deepEqual(ids(first), newest.slice(0, 4));
    assert.ok(!ids(first).includes(outsider.id));
    const { next, prev } = linkTargets(first, world.config.publicUrl);
    assert.ok(next && prev);
    assert.deepEqual(ids(await world.get('ines', next!)).slice(0, 2), newest.slice(4, 6));
    assert.deepEqual(ids(await world.get('ines', `/api/v1/timelines/list/${list.id}?min_id=${newest[3]}&limit=2`)), [newest[1], newest[2]]);
  });

  test('a list holding a private account shows its posts only while the owner follows it, and unfollowing takes it off the list', async () => {
    await follow('pat', 'nora');
    assert.equal((await world.post('nora', `/api/v1/follow_requests/${world.actors.pat.id}/authorize`)).status, 200);
    const list = await createList('pat', { title: 'Private friends' });
    assert.equal((await addMembers('pat', list.id, ['nora'])).status, 200);
    const post = await postPhotos(world, 'nora', 'followers only', { extra: { visibility: 'private' } });
    assert.deepEqual(await listTimeline('pat', list.id), [post.id]);
    assert.equal((await world.post('pat', `/api/v1/accounts/${world.actors.nora.id}/unfollow`)).status, 200);
    assert.deepEqual(await listTimeline('pat', list.id), [], 'gone at once');
    await world.app.services.jobs.onIdle();
    assert.deepEqual(ids(await world.get('pat', `/api/v1/accounts/${world.actors.nora.id}/lists`)), []);
    // Following again does not put the account back on the list, as on Mastodon.
    await follow('pat', 'nora');
    assert.equal((await world.post('nora', `/api/v1/follow_requests/${world.actors.pat.id}/authorize`)).status, 200);
    assert.deepEqual(await listTimeline('pat', list.id), []);
  });

  test('a muted member\'s posts leave the list timeline', async () => {
    const list = await createList('ines', { title: 'Muted inside' });
    assert.equal((await addMembers('ines', list.id, ['sam'])).status, 200);
    const post = await postPhotos(world, 'sam', 'while muted');
    assert.ok((await listTimeline('ines', list.id)).includes(post.id));
    await world.post('ines', `/api/v1/accounts/${world.actors.sam.id}/mute`);
    assert.ok(!(await listTimeline('ines', list.id)).includes(post.id));
    await world.post('ines', `/api/v1/accounts/${world.actors.sam.id}/unmute`);
  });

  test('an exclusive list takes its members\' posts out of the home feed; a non-exclusive one leaves them there', async () => {
    const list = await createList('ines', { title: 'Mara only' });
    assert.equal((await addMembers('ines', list.id, ['mara'])).status, 200);
    const post = await postPhotos(world, 'mara', 'exclusive?');
    await world.app.services.jobs.onIdle();
    assert.ok((await homeIds('ines')).includes(post.id));
    assert.equal((await world.request('ines', 'PUT', `/api/v1/lists/${list.id}`, { exclusive: true })).status, 200);
    assert.ok(!(await homeIds('ines')).includes(post.id), 'the post left the home feed');
    assert.ok((await listTimeline('ines', list.id)).includes(post.id), 'and is read in the list');
    await world.request('ines', 'DELETE', `/api/v1/lists/${list.id}`);
    assert.ok((await homeIds('ines')).includes(post.id), 'deleting the list brings it back');
  });

  test('GET /accounts/:id/lists names the viewer\'s lists holding the account, and members are removed by DELETE', async () => {
    const a = await createList('ines', { title: 'A' });
    const b = await createList('ines', { title: 'B' });
    await addMembers('ines', a.id, ['sam']);
    await addMembers('ines', b.id, ['sam', 'mara']);
    const holding = ids(await world.get('ines', `/api/v1/accounts/${world.actors.sam.id}/lists`));
    assert.ok(holding.includes(a.id) && holding.includes(b.id));
    assert.deepEqual(ids(await world.get('sam', `/api/v1/accounts/${world.actors.sam.id}/lists`)), [], 'only one\'s own lists');
    const removed = await world.request('ines', 'DELETE', `/api/v1/lists/${b.id}/accounts`, { account_ids: [world.actors.sam.id] });
    assert.deepEqual([removed.status, removed.body], [200, {}]);
    assert.deepEqual(ids(await world.get('ines', `/api/v1/lists/${b.id}/accounts?limit=0`)), [world.actors.mara.id]);
    const paged = await world.get('ines', `/api/v1/lists/${a.id}/accounts?limit=1`);
    assert.deepEqual(ids(paged), [world.actors.sam.id]);
  });

  test('an account owns at most 50 lists', async () => {
    const owned = (await world.get('mara', '/api/v1/lists')).body.length;
    for (let i = owned; i < 50; i++) await createList('mara', { title: `list ${i}` });
    const refused = await world.post('mara', '/api/v1/lists', { title: 'one too many' });
    assert.equal(refused.status, 422);
    assert.match(refused.body.error, /50/);
  });
});
