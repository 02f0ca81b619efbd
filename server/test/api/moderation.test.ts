import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createWorld, type World, type WorldName } from '../support/world.ts';
import { postPhotos, uploadPhoto } from '../support/photos.ts';
import { tokenWithScopes } from '../support/http.ts';

const G = '/api/glimpse/v1';
const comment = (world: World, as: WorldName, id: string, text: string) => world.post(as, '/api/v1/statuses', { status: text, in_reply_to_id: id });
const listed = async (world: World, as: WorldName | undefined, postId: string) =>
  (await world.get(as, `${G}/statuses/${postId}/comments?sort=newest&limit=80`)).body.items.map((i: any) => i.status.id);

describe('hidden words', () => {
  let world: World;
  let post: any;
  let abusive: any;
  before(async () => {
    world = await createWorld({ accounts: ['mara', 'ines', 'sam', 'pat'] });
    const res = await world.request('mara', 'PUT', `${G}/hidden_words`, { use_default_list: true, words: ['hypocrisy', 'disgust', '🤡'] });
    assert.equal(res.status, 200);
    post = await postPhotos(world, 'mara', 'party');
    abusive = (await comment(world, 'sam', post.id, 'Really Ines? The hypocrisy and disgust!')).body;
  });
  after(() => world.close());

  test('a matching comment is stored and shown to its author as normal', async () => {
    const own = await world.get('sam', `/api/v1/statuses/${abusive.id}`);
    assert.equal(own.status, 200);
    assert.equal(own.body.glimpse.hidden_reason, undefined);
    assert.ok((await listed(world, 'sam', post.id)).includes(abusive.id));
  });

  test('nobody else sees it: not the list, the status, the context, the count or a notification', async () => {
    for (const who of ['ines', 'mara', undefined] as const) {
      assert.ok(!(await listed(world, who, post.id)).includes(abusive.id), String(who));
      assert.equal((await world.get(who, `/api/v1/statuses/${abusive.id}`)).status, 404);
      const ctx = await world.get(who, `/api/v1/statuses/${post.id}/context`);
      assert.ok(!ctx.body.descendants.some((s: any) => s.id === abusive.id));
    }
    assert.equal((await world.get('ines', `/api/v1/statuses/${post.id}`)).body.replies_count, 0);
    const notes = await world.get('mara', '/api/v1/notifications');
    assert.ok(!notes.body.some((n: any) => n.status?.id === abusive.id));
  });

  test('evasions are caught: case, accents, zero-width, look-alikes, spacing, leetspeak, emoji', async () => {
    const evasions = ['HYPOCRISY!!', 'hÿpocrísy', 'hypo\u200bcrisy', 'hypocrisу', 'd i s g u s t', 'd.i.s.g.u.s.t', 'disssgusssst', 'd1sgu5t', 'you 🤡'];
    for (const text of evasions) {
      const c = (await comment(world, 'pat', post.id, text)).body;
      assert.equal((await world.get('ines', `/api/v1/statuses/${c.id}`)).status, 404, text);
    }
  });

  test('innocent words that merely contain a short match stay visible', async () => {
    for (const text of ['What a classy assessment', 'Hello from Scunthorpe', 'Such a good therapist']) {
      const c = (await comment(world, 'ines', post.id, text)).body;
      assert.equal((await world.get('sam', `/api/v1/statuses/${c.id}`)).status, 200, text);
    }
  });

  test('the post author reviews hidden comments and can un-hide one for everyone', async () => {
    const review = await world.get('mara', `${G}/statuses/${post.id}/hidden_comments`);
    assert.ok(review.body.some((s: any) => s.id === abusive.id && s.glimpse.hidden_reason === 'hidden_words'));
    assert.equal((await world.get('ines', `${G}/statuses/${post.id}/hidden_comments`)).status, 404);
    const before = (await world.get('ines', `/api/v1/statuses/${post.id}`)).body.replies_count;
    assert.equal((await world.post('mara', `${G}/comments/${abusive.id}/unhide`)).status, 200);
    assert.equal((await world.get('ines', `/api/v1/statuses/${abusive.id}`)).status, 200);
    assert.equal((await world.get('ines', `/api/v1/statuses/${post.id}`)).body.replies_count, before + 1);
  });

  test('changing the list re-applies it to comments written earlier', async () => {
    const p = await postPhotos(world, 'mara', 'later');
    const c = (await comment(world, 'sam', p.id, 'Not Ines')).body;
    assert.equal((await world.get('ines', `/api/v1/statuses/${c.id}`)).status, 200);
    await world.request('mara', 'PUT', `${G}/hidden_words`, { use_default_list: true, words: ['hypocrisy', 'disgust', '🤡', 'not ines'] });
    await world.app.services.jobs.onIdle();
    assert.equal((await world.get('ines', `/api/v1/statuses/${c.id}`)).status, 404);
    assert.equal((await world.get('sam', `/api/v1/statuses/${c.id}`)).status, 200);
    await world.request('mara', 'PUT', `${G}/hidden_words`, { use_default_list: true, words: ['hypocrisy', 'disgust', '🤡'] });
    await world.app.services.jobs.onIdle();
    assert.equal((await world.get('ines', `/api/v1/statuses/${c.id}`)).status, 200);
  });

  test('re-applying walks every comment and reply of every post page by page, and the counts stay exact', async () => {
    const posts = [await postPhotos(world, 'mara', 'first'), await postPhotos(world, 'mara', 'second')];
    const ids: string[] = [];
    for (const [i, p] of posts.entries()) {
      for (let j = 0; j < 4; j++) ids.push((await comment(world, j % 2 ? 'sam' : 'ines', p.id, `pineapple ${i}.${j}`)).body.id);
      ids.push((await comment(world, 'sam', ids[ids.length - 1], `pineapple reply ${i}`)).body.id);
      ids.push((await comment(world, 'ines', p.id, 'a kind word')).body.id);
    }
    await world.request('mara', 'PUT', `${G}/hidden_words`, { use_default_list: true, words: ['hypocrisy', 'disgust', '🤡', 'pineapple'] });
    await world.app.services.jobs.onIdle();
    // Again by hand with pages of two, so every page boundary (inside threads too) is crossed.
    await world.request('mara', 'PUT', `${G}/hidden_words`, { use_default_list: true, words: ['hypocrisy', 'disgust', '🤡'] });
    await world.app.services.jobs.onIdle();
    await world.app.services.repositories.moderation.saveHiddenWords(world.actors.mara.id, true, ['hypocrisy', 'disgust', '🤡', 'pineapple'], new Date(Date.now() + 1000).toISOString());
    const { changed } = await world.app.services.moderation.reapply(world.actors.mara.id, 2);
    assert.equal(changed, 10, 'the five pineapples of each post');
    for (const p of posts) {
      const visible = (await world.get('pat', `${G}/statuses/${p.id}/comments?sort=newest&limit=40`)).body.items.map((i: any) => i.status?.content ?? '');
      assert.ok(visible.every((c: string) => !c.includes('pineapple')), 'none left in view');
      assert.equal((await world.get('pat', `/api/v1/statuses/${p.id}`)).body.replies_count, 1, 'the count is of visible comments');
    }
  });

  test('hidden words apply to story replies: a caught reply never reaches the author', async () => {
    const media = await uploadPhoto(world, 'mara');
    const story = (await world.post('mara', `${G}/stories`, { media_id: media })).body;
    assert.equal((await world.post('sam', `${G}/stories/${story.id}/replies`, { text: 'such hypocrisy' })).status, 200);
    assert.equal((await world.post('ines', `${G}/stories/${story.id}/replies`, { text: 'love this' })).status, 200);
    const inbox = (await world.get('mara', `${G}/stories/replies`)).body.map((r: any) => r.text);
    assert.deepEqual(inbox, ['love this']);
    const replyNotes = async () => (await world.get('mara', '/api/v1/notifications?types[]=story_reply')).body.map((n: any) => n.story_response?.text);
    assert.ok((await replyNotes()).includes('love this'));
    assert.ok(!(await replyNotes()).includes('such hypocrisy'), 'a caught reply sends no notification');
    // Hiding a word later takes back what the author could read, in the inbox and the notifications.
    const words = (await world.get('mara', `${G}/hidden_words`)).body;
    await world.request('mara', 'PUT', `${G}/hidden_words`, { use_default_list: words.use_default_list, words: [...words.words, 'love'] });
    await world.app.services.jobs.onIdle();
    assert.deepEqual((await world.get('mara', `${G}/stories/replies`)).body.map((r: any) => r.text), []);
    assert.ok(!(await replyNotes()).includes('love this'));
    await world.request('mara', 'PUT', `${G}/hidden_words`, words);
    await world.app.services.jobs.onIdle();
    assert.ok((await replyNotes()).includes('love this'), 'and gives it back when the word goes');
  });

  test('a list over its limits is refused and the stored list is unchanged', async () => {
    const before = (await world.get('mara', `${G}/hidden_words`)).body;
    assert.equal((await world.request('mara', 'PUT', `${G}/hidden_words`, { words: Array.from({ length: 1001 }, (_, i) => `w${i}`) })).status, 422);
    assert.equal((await world.request('mara', 'PUT', `${G}/hidden_words`, { words: ['x'.repeat(101)] })).status, 422);
    assert.equal((await world.request('mara', 'PUT', `${G}/hidden_words`, { words: Array.from({ length: 5001 }, () => 'a') })).status, 422);
    assert.deepEqual((await world.get('mara', `${G}/hidden_words`)).body, before);
  });
});

describe('restrict', () => {
  let world: World;
  before(async () => {
    world = await createWorld({ accounts: ['mara', 'ines', 'sam'] });
  });
  after(() => world.close());

  test("a restricted account's comments are seen only by that account until approved, and it is not told", async () => {
    await world.post('mara', `${G}/accounts/${world.actors.sam.id}/restrict`);
    const post = await postPhotos(world, 'mara', 'restricted');
    const res = await comment(world, 'sam', post.id, 'Mara….why is Ines there????');
    assert.equal(res.status, 200);
    assert.equal(res.body.glimpse.hidden_reason, undefined);
    assert.equal((await world.get('ines', `/api/v1/statuses/${res.body.id}`)).status, 404);
    assert.equal((await world.get('sam', `/api/v1/statuses/${res.body.id}`)).status, 200);
    const review = await world.get('mara', `${G}/statuses/${post.id}/hidden_comments`);
    assert.equal(review.body[0].glimpse.hidden_reason, 'restricted');
    await world.post('mara', `${G}/comments/${res.body.id}/unhide`);
    assert.equal((await world.get('ines', `/api/v1/statuses/${res.body.id}`)).status, 200);
    await world.post('mara', `${G}/accounts/${world.actors.sam.id}/unrestrict`);
    const free = await comment(world, 'sam', post.id, 'free again');
    assert.equal((await world.get('ines', `/api/v1/statuses/${free.body.id}`)).status, 200);
  });
});

describe('reports', () => {
  let world: World;
  before(async () => {
    // mara registers first, so she is the instance's admin.
    world = await createWorld({ accounts: ['mara', 'ines', 'sam'] });
  });
  after(() => world.close());

  test('a comment can be reported, and the admin queue hides it for everyone', async () => {
    const post = await postPhotos(world, 'ines', 'report me');
    const bad = (await comment(world, 'sam', post.id, 'nasty words')).body;
    const report = await world.post('ines', '/api/v1/reports', { account_id: world.actors.sam.id, status_ids: [bad.id], comment: 'abuse', category: 'violation' });
    assert.equal(report.status, 200, JSON.stringify(report.body));
    const admin = await tokenWithScopes(world, world.actors.mara, ['read', 'write', 'admin:read', 'admin:write']);
    const notAdmin = await tokenWithScopes(world, world.actors.ines, ['read', 'write', 'admin:read', 'admin:write']);
    assert.equal((await world.get(notAdmin, `${G}/admin/reports`)).status, 403);
    assert.equal((await world.get('mara', `${G}/admin/reports`)).status, 403, 'a token without admin scopes');
    const queue = await world.get(admin, `${G}/admin/reports`);
    assert.equal(queue.body[0].statuses[0].id, bad.id);
    assert.equal((await world.post(admin, `${G}/admin/reports/${report.body.id}/resolve`, { action: 'hide' })).status, 200);
    assert.equal((await world.get('ines', `/api/v1/statuses/${bad.id}`)).status, 404);
    assert.equal((await world.get(admin, `${G}/admin/reports`)).body.length, 0);
  });

  test('reporting a post one cannot see is refused', async () => {
    const res = await world.post('ines', '/api/v1/reports', { account_id: world.actors.sam.id, status_ids: ['1700000000000000'] });
    assert.equal(res.status, 422);
  });
});
