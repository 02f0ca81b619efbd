import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import WebSocket from 'ws';
import { createWorld, type World, type WorldName } from '../support/world.ts';
import { postPhotos } from '../support/photos.ts';
import { ids, linkTargets } from '../support/http.ts';

const homeIds = async (world: World, who: WorldName) => ids(await world.get(who, '/api/v1/timelines/home?limit=40'));

describe('followed hashtags', () => {
  let world: World;
  before(async () => {
    world = await createWorld({ accounts: ['mara', 'ines', 'nora', 'sam', 'bo'] });
  });
  after(() => world.close());

  test('a followed tag brings a stranger\'s public post into the home feed, once', async () => {
    const follow = await world.post('ines', '/api/v1/tags/Sunset/follow');
    assert.equal(follow.status, 200);
    assert.equal(follow.body.following, true);
    assert.equal(follow.body.name, 'Sunset');
    const post = await postPhotos(world, 'sam', 'golden #sunset');
    const home = await homeIds(world, 'ines');
    assert.deepEqual(home.filter((id) => id === post.id), [post.id]);
    // Followed and tagged: still there once.
    await world.post('ines', `/api/v1/accounts/${world.actors.sam.id}/follow`);
    await world.app.services.jobs.onIdle();
    assert.deepEqual((await homeIds(world, 'ines')).filter((id) => id === post.id), [post.id]);
    await world.post('ines', `/api/v1/accounts/${world.actors.sam.id}/unfollow`);
    await world.app.services.jobs.onIdle();
  });

  test('a followed tag never brings a locked account\'s, an unlisted, a followers-only or a muted or blocked account\'s post, nor a comment', async () => {
    await world.post('ines', '/api/v1/tags/beach/follow');
    const locked = await postPhotos(world, 'nora', 'private #beach');
    const unlisted = await postPhotos(world, 'mara', 'quiet #beach', { extra: { visibility: 'unlisted' } });
    const followers = await postPhotos(world, 'mara', 'friends #beach', { extra: { visibility: 'private' } });
    const muted = await postPhotos(world, 'bo', 'loud #beach');
    const blocked = await postPhotos(world, 'sam', 'blocked #beach');
    const shown = await postPhotos(world, 'mara', 'public #beach');
    const comment = await world.post('mara', '/api/v1/statuses', { status: 'comment #beach', in_reply_to_id: shown.id });
    assert.equal(comment.status, 200);
    await world.post('ines', `/api/v1/accounts/${world.actors.bo.id}/mute`);
    await world.post('ines', `/api/v1/accounts/${world.actors.sam.id}/block`);
    const home = await homeIds(world, 'ines');
    assert.ok(home.includes(shown.id));
    for (const hidden of [locked, unlisted, followers, muted, blocked, comment.body]) assert.ok(!home.includes(hidden.id), hidden.content);
    await world.post('ines', `/api/v1/accounts/${world.actors.sam.id}/unblock`);
    await world.post('ines', `/api/v1/accounts/${world.actors.bo.id}/unmute`);
  });

  test('unfollowing the tag takes its posts out of the home feed', async () => {
    await world.post('sam', '/api/v1/tags/dusk/follow');
    const post = await postPhotos(world, 'mara', 'at #dusk');
    assert.ok((await homeIds(world, 'sam')).includes(post.id));
    const unfollow = await world.post('sam', '/api/v1/tags/dusk/unfollow');
    assert.equal(unfollow.body.following, false);
    assert.ok(!(await homeIds(world, 'sam')).includes(post.id));
  });

  test('followed_tags lists the viewer\'s tags, newest first, paged with Link headers', async () => {
    for (const tag of ['one', 'two', 'three']) assert.equal((await world.post('bo', `/api/v1/tags/${tag}/follow`)).status, 200);
    const first = await world.get('bo', '/api/v1/followed_tags?limit=2');
    assert.deepEqual(first.body.map((t: any) => t.name), ['three', 'two']);
    assert.ok(first.body.every((t: any) => t.following === true));
    const { next } = linkTargets(first, world.config.publicUrl);
    assert.deepEqual((await world.get('bo', next!)).body.map((t: any) => t.name), ['one']);
  });

  test('GET /tags/:name answers following for the viewer; a name no caption could hold is 404; follow needs a user', async () => {
    assert.equal((await world.get('ines', '/api/v1/tags/sunset')).body.following, true);
    assert.equal((await world.get('mara', '/api/v1/tags/sunset')).body.following, false);
    assert.equal((await world.get(undefined, '/api/v1/tags/sunset')).body.following, undefined);
    assert.deepEqual((await world.get('ines', `/api/v1/tags/${encodeURIComponent('not a tag')}`)).body, { error: 'Record not found' });
    // Past 100 characters the router refuses the path parameter itself.
    const overlong = await world.get('ines', `/api/v1/tags/${'x'.repeat(101)}`);
    assert.deepEqual([overlong.status, typeof overlong.body.error], [414, 'string']);
    assert.equal((await world.post(undefined, '/api/v1/tags/sunset/follow')).status, 401);
  });

  test('tag history counts only publicly listable posts: not unlisted, followers-only, a locked account\'s or comments', async () => {
    const a = await postPhotos(world, 'mara', '#harbour one');
    await postPhotos(world, 'mara', '#harbour two');
    await postPhotos(world, 'ines', '#harbour three');
    await postPhotos(world, 'mara', '#harbour unlisted', { extra: { visibility: 'unlisted' } });
    await postPhotos(world, 'mara', '#harbour followers', { extra: { visibility: 'private' } });
    await postPhotos(world, 'nora', '#harbour locked');
    await world.post('sam', '/api/v1/statuses', { status: '#harbour comment', in_reply_to_id: a.id });
    const tag = (await world.get(undefined, '/api/v1/tags/harbour')).body;
    assert.equal(tag.history.length, 7);
    const midnight = Math.floor(world.clock.now().getTime() / 86_400_000) * 86_400;
    assert.deepEqual(tag.history[0], { day: String(midnight), uses: '3', accounts: '2' });
    assert.ok(tag.history.slice(1).every((d: any) => d.uses === '0'));
    const hidden = (await world.get(undefined, '/api/v1/tags/lockedonly')).body;
    await postPhotos(world, 'nora', '#lockedonly');
    assert.deepEqual((await world.get(undefined, '/api/v1/tags/lockedonly')).body, hidden, 'a tag used only where nobody may list it looks unused');
  });

  test('an account follows at most 100 hashtags', async () => {
    const have = (await world.get('mara', '/api/v1/followed_tags?limit=200')).body.length;
    for (let i = have; i < 100; i++) assert.equal((await world.post('mara', `/api/v1/tags/t${i}/follow`)).status, 200);
    const refused = await world.post('mara', '/api/v1/tags/onetoomany/follow');
    assert.equal(refused.status, 422);
    assert.equal((await world.post('mara', '/api/v1/tags/t0/follow')).status, 200, 'following one again is fine');
  });
});

describe('the user stream follows the home feed\'s rule', () => {
  let world: World;
  before(async () => {
    world = await createWorld({ accounts: ['mara', 'ines', 'sam', 'bo'] });
    await world.app.http.listen({ port: 0, host: '127.0.0.1' });
  });
  after(() => world.close());

  test('a followed tag\'s public post reaches the user stream; an exclusive list member\'s post does not', async () => {
    await world.post('ines', `/api/v1/accounts/${world.actors.mara.id}/follow`);
    await world.post('ines', '/api/v1/tags/comet/follow');
    const list = (await world.post('ines', '/api/v1/lists', { title: 'Mara apart', exclusive: true })).body;
    assert.equal((await world.post('ines', `/api/v1/lists/${list.id}/accounts`, { account_ids: [world.actors.mara.id] })).status, 200);
    const { port } = world.app.http.server.address() as AddressInfo;
    const socket = new WebSocket(`ws://127.0.0.1:${port}/api/v1/streaming?stream=user&access_token=${world.actors.ines.token}`);
    const events: Array<{ event: string; payload: string }> = [];
    const waiters: Array<() => void> = [];
    socket.on('message', (data) => {
      events.push(JSON.parse(String(data)));
      for (const wake of waiters.splice(0)) wake();
    });
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    const tagged = await postPhotos(world, 'bo', 'a #comet tonight');
    await postPhotos(world, 'mara', 'read in the list only');
    // The sentinel: a notification published after both posts reached the streams (their
    // fan-out jobs are done); events arrive in order.
    await world.app.services.jobs.onIdle();
    await world.post('sam', `/api/v1/accounts/${world.actors.ines.id}/follow`);
    while (!events.some((e) => e.event === 'notification')) await new Promise<void>((wake) => waiters.push(wake));
    const updates = events.slice(0, events.findIndex((e) => e.event === 'notification')).filter((e) => e.event === 'update');
    assert.deepEqual(updates.map((e) => JSON.parse(e.payload).id), [tagged.id]);
    socket.close();
  });
});

describe('featured hashtags', () => {
  let world: World;
  before(async () => {
    world = await createWorld({ accounts: ['nora', 'ines', 'sam'] });
    await world.post('ines', `/api/v1/accounts/${world.actors.nora.id}/follow`);
    await world.post('nora', `/api/v1/follow_requests/${world.actors.ines.id}/authorize`);
  });
  after(() => world.close());

  test('featured tags count only the posts the reader may see', async () => {
    await postPhotos(world, 'nora', 'a #garden');
    await postPhotos(world, 'nora', 'b #garden', { extra: { visibility: 'private' } });
    const featured = await world.post('nora', '/api/v1/featured_tags', { name: 'Garden' });
    assert.equal(featured.status, 200);
    assert.equal(featured.body.statuses_count, 2);
    assert.equal(featured.body.name, 'Garden');
    assert.match(featured.body.last_status_at, /^\d{4}-\d{2}-\d{2}$/);
    const url = `/api/v1/accounts/${world.actors.nora.id}/featured_tags`;
    assert.equal((await world.get('ines', url)).body[0].statuses_count, 2, 'an approved follower sees both');
    const stranger = (await world.get('sam', url)).body[0];
    assert.deepEqual([stranger.statuses_count, stranger.last_status_at], [0, null], 'a stranger sees none of a locked account\'s posts');
    assert.deepEqual((await world.get('ines', '/api/v1/featured_tags')).body, []);
    await world.post('nora', `/api/v1/accounts/${world.actors.sam.id}/block`);
    assert.equal((await world.get('sam', url)).status, 404);
  });

  test('suggestions are the viewer\'s most used tags not featured yet', async () => {
    await postPhotos(world, 'sam', '#cats #dogs');
    await postPhotos(world, 'sam', '#cats');
    await postPhotos(world, 'sam', '#cats #birds');
    await world.post('sam', '/api/v1/featured_tags', { name: 'birds' });
    const names = (await world.get('sam', '/api/v1/featured_tags/suggestions')).body.map((t: any) => t.name);
    assert.deepEqual(names, ['cats', 'dogs']);
  });

  test('a featured tag is removed only by its owner, and an account features at most 10', async () => {
    const tag = (await world.post('ines', '/api/v1/featured_tags', { name: 'mine' })).body;
    assert.deepEqual((await world.request('sam', 'DELETE', `/api/v1/featured_tags/${tag.id}`)).body, { error: 'Record not found' });
    assert.deepEqual((await world.request('ines', 'DELETE', `/api/v1/featured_tags/${tag.id}`)).body, {});
    assert.deepEqual((await world.get('ines', '/api/v1/featured_tags')).body, []);
    for (let i = 0; i < 10; i++) assert.equal((await world.post('ines', '/api/v1/featured_tags', { name: `f${i}` })).status, 200);
    assert.equal((await world.post('ines', '/api/v1/featured_tags', { name: 'eleven' })).status, 422);
    assert.equal((await world.post('ines', '/api/v1/featured_tags', { name: 'not a tag' })).status, 404);
  });
});
