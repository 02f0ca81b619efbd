import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createWorld, type World, type WorldName } from '../support/world.ts';
import { postPhotos } from '../support/photos.ts';
import { ids, linkTargets } from '../support/http.ts';
import { countQueries } from '../support/query-count.ts';
import { suspendAccount } from '../../src/domain/moderation/suspend-account.ts';

const DAY = 86_400_000;

const like = async (world: World, who: WorldName, id: string) => assert.equal((await world.post(who, `/api/v1/statuses/${id}/favourite`)).status, 200);
const comment = async (world: World, who: WorldName, id: string, text = 'nice') => {
  const res = await world.post(who, '/api/v1/statuses', { status: text, in_reply_to_id: id });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body;
};
const trendingIds = async (world: World, as?: WorldName, query = '') => ids(await world.get(as, `/api/v1/trends/statuses${query}`));
const trendingTags = async (world: World, query = '') => (await world.get(undefined, `/api/v1/trends/tags${query}`)).body.map((t: any) => t.name);

// One world for the file: ids are time-ordered per process, so a second world starting at an
// earlier clock would make ids ahead of its time.
let world: World;
before(async () => {
  world = await createWorld();
});
after(() => world.close());

describe('trending statuses', () => {

  test('ranks publicly listable posts by likes and comments of the last 7 days, a comment weighing two likes and older engagement less', async () => {
    const old = await postPhotos(world, 'sam', 'liked four days ago');
    for (const who of ['mara', 'ines', 'pat'] as const) await like(world, who, old.id);
    world.clock.advance(4 * DAY + 3600_000);
    const liked = await postPhotos(world, 'mara', 'liked once today');
    await like(world, 'ines', liked.id);
    const commented = await postPhotos(world, 'ines', 'commented today');
    await comment(world, 'sam', commented.id);
    const both = await postPhotos(world, 'pat', 'liked and commented today');
    await like(world, 'mara', both.id);
    await comment(world, 'sam', both.id);
    // Weights: today's like 1000, comment 2000; a like four days old 250 (halved every two days).
    assert.deepEqual(await trendingIds(world), [both.id, commented.id, liked.id, old.id]);
    world.clock.advance(3 * DAY);
    assert.deepEqual(await trendingIds(world), [both.id, commented.id, liked.id], 'engagement older than 7 days no longer counts');
    world.clock.advance(4 * DAY + 1);
    assert.deepEqual(await trendingIds(world), []);
  });

  test('never trends an unlisted, followers-only, locked account\'s or suspended account\'s post, nor a comment, nor a post only its author engaged with', async () => {
    const shown = await postPhotos(world, 'mara', 'listable');
    const unlisted = await postPhotos(world, 'mara', 'unlisted', { extra: { visibility: 'unlisted' } });
    const followers = await postPhotos(world, 'mara', 'followers only', { extra: { visibility: 'private' } });
    const locked = await postPhotos(world, 'nora', 'locked account');
    const suspended = await postPhotos(world, 'bo', 'soon suspended');
    const self = await postPhotos(world, 'rex', 'only I like this');
    await like(world, 'rex', self.id);
    await comment(world, 'rex', self.id, 'and I comment on it myself');
    const aComment = await comment(world, 'ines', shown.id, 'a comment');
    await like(world, 'ines', shown.id);
    await world.post('ines', `/api/v1/accounts/${world.actors.nora.id}/follow`);
    await world.post('nora', `/api/v1/follow_requests/${world.actors.ines.id}/authorize`);
    await world.post('ines', `/api/v1/accounts/${world.actors.mara.id}/follow`);
    for (const target of [unlisted, followers, locked, suspended, aComment]) {
      for (const who of ['ines', 'sam', 'pat'] as const) await world.post(who, `/api/v1/statuses/${target.id}/favourite`);
    }
    await suspendAccount(world.db.handle.kysely, world.clock, world.actors.bo.id);
    assert.deepEqual(await trendingIds(world, 'ines'), [shown.id]);
    assert.deepEqual(await trendingIds(world), [shown.id]);
  });

  test('likes and comments of an account suspended since do not count', async () => {
    world.clock.advance(8 * DAY);
    const post = await postPhotos(world, 'mara', 'engaged by the suspended');
    await like(world, 'remi', post.id);
    await comment(world, 'remi', post.id);
    const counted = await postPhotos(world, 'ines', 'liked by pat');
    await like(world, 'pat', counted.id);
    assert.deepEqual(await trendingIds(world), [post.id, counted.id]);
    await suspendAccount(world.db.handle.kysely, world.clock, world.actors.remi.id);
    assert.deepEqual(await trendingIds(world), [counted.id]);
  });

  test('limit (default 20, at most 40) and offset page the ranking, with Link headers carrying the offset; anonymous callers are welcome', async () => {
    world.clock.advance(8 * DAY);
    const posts = [];
    for (let i = 0; i < 5; i++) {
      const p = await postPhotos(world, 'mara', `ranked ${i}`);
      posts.push(p);
      // i + 1 likes: the later, the higher.
      for (const who of (['ines', 'sam', 'pat', 'rex', 'nora'] as const).slice(0, i + 1)) await like(world, who, p.id);
    }
    const ranked = posts.map((p) => p.id).reverse();
    const first = await world.get(undefined, '/api/v1/trends/statuses?limit=2');
    assert.deepEqual(ids(first), ranked.slice(0, 2));
    const { next } = linkTargets(first, world.config.publicUrl);
    assert.match(next!, /offset=2/);
    const second = await world.get(undefined, next!);
    assert.deepEqual(ids(second), ranked.slice(2, 4));
    assert.match(linkTargets(second, world.config.publicUrl).prev!, /offset=0/);
    assert.deepEqual(await trendingIds(world, undefined, '?limit=2&offset=4'), ranked.slice(4));
    assert.deepEqual(await trendingIds(world, undefined, '?limit=500'), ranked, 'a limit past the maximum is clamped');
    assert.equal((await world.get(undefined, '/api/v1/trends/statuses?limit=0')).status, 422);
    assert.equal((await world.get(undefined, '/api/v1/trends/statuses?offset=-1')).status, 422);
    assert.deepEqual((await world.get(undefined, '/api/v1/trends/statuses?offset=5000')).body, []);
  });

  test('statuses are presented like timelines and hydrated in batch: the same number of queries for 1 or 5 posts', async () => {
    // Background jobs of the writes before (fan-out, pushes) are not the read's queries.
    await world.app.services.jobs.onIdle();
    const five = await countQueries(world.db.handle.kysely, () => world.get('ines', '/api/v1/trends/statuses'));
    const one = await countQueries(world.db.handle.kysely, () => world.get('ines', '/api/v1/trends/statuses?limit=1'));
    assert.equal(five.result.body.length, 5);
    assert.equal(one.result.body.length, 1);
    assert.equal(five.queries, one.queries);
    const [top] = five.result.body;
    assert.equal(top.account.username, 'mara');
    assert.equal(top.favourites_count, 5);
    assert.equal(top.media_attachments.length, 1);
  });

  test('a viewer does not see trending posts of an account they block, are blocked by or mute', async () => {
    await world.post('sam', `/api/v1/accounts/${world.actors.mara.id}/block`);
    await world.post('mara', `/api/v1/accounts/${world.actors.pat.id}/block`);
    await world.post('rex', `/api/v1/accounts/${world.actors.mara.id}/mute`);
    for (const who of ['sam', 'pat', 'rex'] as const) assert.deepEqual(await trendingIds(world, who), [], who);
    assert.equal((await trendingIds(world, 'ines')).length, 5);
    assert.equal((await trendingIds(world)).length, 5);
    await world.post('sam', `/api/v1/accounts/${world.actors.mara.id}/unblock`);
    await world.post('mara', `/api/v1/accounts/${world.actors.pat.id}/unblock`);
    await world.post('rex', `/api/v1/accounts/${world.actors.mara.id}/unmute`);
  });

  test('trending links are always an empty list', async () => {
    assert.deepEqual((await world.get(undefined, '/api/v1/trends/links')).body, []);
  });
});

describe('trending tags', () => {

  test('ranks tags by uses in and engagement with publicly listable posts of the last 7 days, each a Tag with its 7-day history', async () => {
    await postPhotos(world, 'mara', 'one #Sunset');
    await postPhotos(world, 'ines', 'two #Sunset');
    const beach = await postPhotos(world, 'sam', 'at the #beach');
    await postPhotos(world, 'mara', 'and #dusk');
    // #beach: one use and two likes, more than #sunset's two uses; #dusk one use.
    await like(world, 'mara', beach.id);
    await like(world, 'ines', beach.id);
    // Never counted: unlisted, followers-only, a locked account's, a comment's tag.
    for (let i = 0; i < 4; i++) {
      await postPhotos(world, 'mara', `#hidden ${i}`, { extra: { visibility: i % 2 ? 'unlisted' : 'private' } });
      await postPhotos(world, 'nora', `#hidden locked ${i}`);
      await comment(world, 'pat', beach.id, `#hidden comment ${i}`);
    }
    const res = await world.get(undefined, '/api/v1/trends/tags');
    assert.equal(res.status, 200);
    assert.deepEqual(res.body.map((t: any) => t.name), ['beach', 'Sunset', 'dusk']);
    const sunset = res.body[1];
    assert.equal(sunset.url, 'http://glimpse.test/tags/sunset');
    assert.equal(sunset.history.length, 7);
    const midnight = Math.floor(world.clock.now().getTime() / DAY) * 86_400;
    assert.deepEqual(sunset.history[0], { day: String(midnight), uses: '2', accounts: '2' });
    assert.deepEqual((await world.get(undefined, '/api/v1/trends')).body, res.body, '/api/v1/trends is the same list');
    const signedIn = (await world.get('mara', '/api/v1/trends/tags')).body;
    assert.deepEqual(signedIn.map((t: any) => t.following), [false, false, false]);
  });

  test('limit (default 10, at most 20) and offset; uses older than 7 days no longer count', async () => {
    assert.deepEqual(await trendingTags(world, '?limit=1&offset=1'), ['Sunset']);
    assert.deepEqual(await trendingTags(world, '?limit=200'), ['beach', 'Sunset', 'dusk']);
    const first = await world.get(undefined, '/api/v1/trends/tags?limit=2');
    assert.match(linkTargets(first, world.config.publicUrl).next!, /offset=2/);
    // A minute past the window: the test clock stands still while ids are made, so ids (31 a
    // millisecond per node) run a few milliseconds ahead of it.
    world.clock.advance(7 * DAY + 60_000);
    assert.deepEqual(await trendingTags(world), []);
  });
});
