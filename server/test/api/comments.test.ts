import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createWorld, type World, type WorldName } from '../support/world.ts';
import { postPhotos } from '../support/photos.ts';

const G = '/api/glimpse/v1';

async function follow(world: World, who: WorldName, whom: WorldName) {
  await world.post(who, `/api/v1/accounts/${world.actors[whom].id}/follow`);
  await world.post(whom, `/api/v1/follow_requests/${world.actors[who].id}/authorize`);
}

const comment = (world: World, as: WorldName, id: string, text: string) => world.post(as, '/api/v1/statuses', { status: text, in_reply_to_id: id });

describe('comments and threads', () => {
  let world: World;
  let post: any;
  before(async () => {
    world = await createWorld({ accounts: ['mara', 'ines', 'sam', 'pat'] });
    post = await postPhotos(world, 'mara', 'party photos');
  });
  after(() => world.close());

  test('a comment is a status replying to the post and notifies the post author with a comment notification', async () => {
    const res = await comment(world, 'ines', post.id, 'So beautiful ❤️');
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.in_reply_to_id, post.id);
    const notes = await world.get('mara', '/api/v1/notifications?types[]=comment');
    assert.ok(notes.body.some((n: any) => n.status?.id === res.body.id && n.account.username === 'ines'));
    assert.equal((await world.get('sam', `/api/v1/statuses/${post.id}`)).body.replies_count, 1);
  });

  test('a reply to a reply joins the same thread and mentions the person it answers', async () => {
    const top = (await comment(world, 'sam', post.id, 'Where was this?')).body;
    const reply = (await comment(world, 'ines', top.id, 'At the lake')).body;
    const deeper = await comment(world, 'pat', reply.id, 'Looks fun');
    assert.equal(deeper.status, 200);
    assert.equal(deeper.body.glimpse.thread_id, top.id);
    assert.match(deeper.body.content, /@<span>ines<\/span>/);
    const notes = await world.get('ines', '/api/v1/notifications?types[]=mention');
    assert.ok(notes.body.some((n: any) => n.status?.id === deeper.body.id));
    const replies = await world.get('mara', `${G}/comments/${top.id}/replies`);
    assert.deepEqual(replies.body.items.map((s: any) => s.id), [reply.id, deeper.body.id]);
    const list = await world.get('mara', `${G}/statuses/${post.id}/comments?sort=newest`);
    const item = list.body.items.find((i: any) => i.status?.id === top.id);
    assert.equal(item.replies_count, 2);
    assert.ok(!list.body.items.some((i: any) => i.status?.id === reply.id), 'replies stay in their thread');
  });

  test('the newest sort pages with a cursor and never repeats or skips a comment', async () => {
    const p = await postPhotos(world, 'mara', 'paging');
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) ids.push((await comment(world, 'ines', p.id, `comment number ${i} with its own words ${'x'.repeat(i)}`)).body.id);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: any = await world.get('sam', `${G}/statuses/${p.id}/comments?sort=newest&limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...res.body.items.map((i: any) => i.status.id));
      cursor = res.body.next_cursor;
    } while (cursor);
    assert.deepEqual(seen, [...ids].reverse());
  });

  test('the top sort puts pinned comments first, then the most liked and replied', async () => {
    const p = await postPhotos(world, 'mara', 'top sort');
    const a = (await comment(world, 'ines', p.id, 'first one')).body;
    const b = (await comment(world, 'sam', p.id, 'second one, liked')).body;
    const c = (await comment(world, 'pat', p.id, 'third one, pinned')).body;
    await world.post('ines', `/api/v1/statuses/${b.id}/favourite`);
    await world.post('pat', `/api/v1/statuses/${b.id}/favourite`);
    await world.post('mara', `${G}/statuses/${p.id}/comments/${c.id}/pin`);
    const res = await world.get('sam', `${G}/statuses/${p.id}/comments?sort=top`);
    assert.deepEqual(res.body.items.map((i: any) => [i.status.id, i.pinned]), [[c.id, true], [b.id, false], [a.id, false]]);
  });

  test('at most three comments can be pinned, only by the post author', async () => {
    const p = await postPhotos(world, 'mara', 'pins');
    const cs = [];
    for (let i = 0; i < 4; i++) cs.push((await comment(world, 'ines', p.id, `pin me ${i} ${'y'.repeat(i)}`)).body);
    assert.equal((await world.post('ines', `${G}/statuses/${p.id}/comments/${cs[0].id}/pin`)).status, 404);
    for (let i = 0; i < 3; i++) assert.equal((await world.post('mara', `${G}/statuses/${p.id}/comments/${cs[i].id}/pin`)).status, 200);
    assert.equal((await world.post('mara', `${G}/statuses/${p.id}/comments/${cs[3].id}/pin`)).status, 422);
    await world.post('mara', `${G}/statuses/${p.id}/comments/${cs[0].id}/unpin`);
    assert.equal((await world.post('mara', `${G}/statuses/${p.id}/comments/${cs[3].id}/pin`)).status, 200);
  });

  test('a comment can be deleted by its author and by the post author, not by others, and the count follows', async () => {
    const p = await postPhotos(world, 'mara', 'delete');
    const one = (await comment(world, 'ines', p.id, 'one')).body;
    const two = (await comment(world, 'sam', p.id, 'two')).body;
    assert.equal((await world.request('pat', 'DELETE', `/api/v1/statuses/${one.id}`)).status, 404);
    assert.equal((await world.request('ines', 'DELETE', `/api/v1/statuses/${one.id}`)).status, 200);
    assert.equal((await world.request('mara', 'DELETE', `/api/v1/statuses/${two.id}`)).status, 200);
    assert.equal((await world.get('pat', `/api/v1/statuses/${p.id}`)).body.replies_count, 0);
  });

  test('empty and over-long comments are refused and nothing is stored', async () => {
    const p = await postPhotos(world, 'mara', 'limits');
    assert.equal((await comment(world, 'ines', p.id, '   ')).status, 422);
    assert.equal((await comment(world, 'ines', p.id, 'a'.repeat(2201))).status, 422);
    assert.equal((await world.get('mara', `/api/v1/statuses/${p.id}`)).body.replies_count, 0);
  });

  test('the context stays bounded however long the thread', async () => {
    const p = await postPhotos(world, 'mara', 'bounded');
    for (let i = 0; i < 70; i++) await comment(world, 'ines', p.id, `flood ${i} ${'z'.repeat(i % 9)} ${i * 7}`);
    const ctx = await world.get('sam', `/api/v1/statuses/${p.id}/context`);
    assert.ok(ctx.body.descendants.length <= 60);
  });
});

describe('who may comment', () => {
  let world: World;
  before(async () => {
    world = await createWorld({ accounts: ['mara', 'ines', 'sam', 'pat', 'bo'] });
    await follow(world, 'ines', 'mara'); // ines follows mara
    await follow(world, 'mara', 'pat'); // mara follows pat
    await world.post('mara', `/api/v1/accounts/${world.actors.bo.id}/block`);
  });
  after(() => world.close());

  const matrix: Array<[string, Record<WorldName, boolean | undefined>]> = [
    ['everyone', { ines: true, pat: true, sam: true, mara: true } as any],
    ['followers', { ines: true, pat: false, sam: false, mara: true } as any],
    ['following', { ines: false, pat: true, sam: false, mara: true } as any],
    ['followers_and_following', { ines: true, pat: true, sam: false, mara: true } as any],
    ['nobody', { ines: false, pat: false, sam: false, mara: true } as any],
  ];
  for (const [policy, expected] of matrix) {
    test(`with "${policy}", only the allowed may comment and a blocked account never may`, async () => {
      const post = await postPhotos(world, 'mara', `policy ${policy}`, { extra: { comment_policy: policy } });
      assert.equal(post.glimpse.comment_policy, policy);
      for (const who of ['ines', 'pat', 'sam', 'mara'] as const) {
        const res = await comment(world, who, post.id, `hello from ${who}`);
        assert.equal(res.status, expected[who] ? 200 : 403, `${who}: ${JSON.stringify(res.body)}`);
      }
      assert.equal((await comment(world, 'bo', post.id, 'blocked')).status, 404);
    });
  }

  test('the account default applies to new posts, and a post edit changes its policy', async () => {
    await world.request('mara', 'PATCH', `${G}/settings`, { default_comment_policy: 'followers' });
    const post = await postPhotos(world, 'mara', 'default');
    assert.equal(post.glimpse.comment_policy, 'followers');
    assert.equal((await comment(world, 'sam', post.id, 'no')).status, 403);
    await world.request('mara', 'PUT', `/api/v1/statuses/${post.id}`, { comment_policy: 'everyone' });
    assert.equal((await comment(world, 'sam', post.id, 'now yes')).status, 200);
    await world.request('mara', 'PATCH', `${G}/settings`, { default_comment_policy: 'everyone' });
  });

  test('replying in a thread follows the post\'s policy too', async () => {
    const post = await postPhotos(world, 'mara', 'thread policy', { extra: { comment_policy: 'followers' } });
    const top = (await comment(world, 'ines', post.id, 'I follow')).body;
    assert.equal((await comment(world, 'sam', top.id, 'sneaky reply')).status, 403);
  });
});

describe('post settings are not edits', () => {
  let world: World;
  before(async () => {
    world = await createWorld({ accounts: ['mara'] });
  });
  after(() => world.close());

  test('changing who may comment does not mark the post edited or add to its history', async () => {
    const post = await postPhotos(world, 'mara', 'settings only');
    const res = await world.request('mara', 'PUT', `/api/v1/statuses/${post.id}`, { comment_policy: 'followers' });
    assert.equal(res.body.glimpse.comment_policy, 'followers');
    assert.equal(res.body.edited_at, null);
    assert.equal((await world.get('mara', `/api/v1/statuses/${post.id}/history`)).body.length, 1);
  });
});
