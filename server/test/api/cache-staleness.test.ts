import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { WORLD_ACCOUNTS, createWorld, type World, type WorldName } from '../support/world.ts';
import { postPhotos, uploadPhoto } from '../support/photos.ts';

/**
 * The caches never show stale data: over the access matrix's fixture world (a public author, a
 * locked one with approved, rejected and removed followers, a blocked account), every viewer
 * reads the pages a post appears on with the caches warm, after each change to a post, its
 * photos, its author or a relationship, and gets exactly what the same reads answer once the
 * caches are emptied (read from the database alone).
 */
describe('no change to a post, its author or a relationship shows stale data to any viewer', () => {
  let world: World;
  let post: any;
  let privatePost: any;
  const viewers: Array<WorldName | undefined> = [undefined, ...WORLD_ACCOUNTS];
  const urls = () => [
    `/api/v1/statuses/${post.id}`,
    `/api/v1/statuses/${post.id}/context`,
    `/api/v1/statuses/${privatePost.id}`,
    '/api/v1/timelines/home',
    `/api/v1/accounts/${world.actors.mara.id}/statuses`,
    `/api/v1/accounts/${world.actors.nora.id}/statuses`,
    '/api/v1/timelines/tag/party',
    '/api/v1/timelines/tag/fresh',
    '/api/glimpse/v1/stories/tray',
  ];
  const readAll = async () => {
    const out: Record<string, { status: number; body: unknown }> = {};
    for (const who of viewers) {
      for (const url of urls()) {
        const res = await world.get(who, url);
        out[`${who ?? 'anonymous'} ${url}`] = { status: res.status, body: res.body };
      }
    }
    return out;
  };
  const fromDatabase = async () => {
    world.app.services.caches.postContent.clear();
    world.app.services.caches.filterRules.clear();
    world.app.services.caches.viewerRelations.clear();
    world.app.services.caches.statusJson.clear();
    world.app.services.caches.accountJson.clear();
    world.app.services.caches.trays.clear();
    return readAll();
  };
  /** Reads everything with warm caches, then with empty ones, and answers both. */
  const afterChange = async () => {
    const warm = await readAll();
    return { warm, fresh: await fromDatabase() };
  };

  before(async () => {
    world = await createWorld();
    const { mara, nora, ines, rex, remi, bo } = world.actors;
    for (const who of ['ines', 'sam', 'pat', 'rex', 'remi'] as const) await world.post(who, `/api/v1/accounts/${nora.id}/follow`);
    for (const who of ['ines', 'sam', 'pat', 'bo'] as const) await world.post(who, `/api/v1/accounts/${mara.id}/follow`);
    await world.post('nora', `/api/v1/follow_requests/${ines.id}/authorize`);
    await world.post('nora', `/api/v1/follow_requests/${rex.id}/reject`);
    await world.post('nora', `/api/v1/follow_requests/${remi.id}/authorize`);
    await world.post('nora', `/api/v1/accounts/${remi.id}/remove_from_followers`);
    await world.post('nora', `/api/v1/accounts/${bo.id}/block`);
    post = await postPhotos(world, 'mara', 'birthday with @sam #party', { photos: 2 });
    privatePost = await postPhotos(world, 'nora', 'close friends only #party @ines', { photos: 1 });
    await world.post('ines', '/api/v1/statuses', { status: 'happy birthday!', in_reply_to_id: post.id });
    // Stories for the tray: one for followers and one for close friends, each author's.
    await world.post('nora', '/api/glimpse/v1/close_friends', { account_ids: [ines.id] });
    for (const [who, audience] of [['mara', 'followers'], ['nora', 'followers'], ['nora', 'close_friends']] as const) {
      const created = await world.post(who, '/api/glimpse/v1/stories', { media_id: await uploadPhoto(world, who), overlays: [], audience });
      assert.equal(created.status, 200, JSON.stringify(created.body));
    }
    await world.app.services.jobs.onIdle();
    await fromDatabase();
  });
  after(() => world.close());

  const changes: Array<[string, () => Promise<unknown>]> = [
    ['the caption is edited with a new mention and hashtag', () => world.request('mara', 'PUT', `/api/v1/statuses/${post.id}`, { status: 'birthday with @ines #party #fresh' })],
    ['alt text is changed through the edit', () => world.request('mara', 'PUT', `/api/v1/statuses/${post.id}`, { media_attributes: [{ id: post.media_attachments[0].id, description: 'a cake' }] })],
    ['a person is tagged in a photo', () => world.request('mara', 'PUT', `/api/v1/statuses/${post.id}`, { media_tags: [{ media_id: post.media_attachments[0].id, account_id: world.actors.ines.id, x: 0.4, y: 0.6 }] })],
    ['a photo is taken out of the carousel', () => world.request('mara', 'PUT', `/api/v1/statuses/${post.id}`, { media_ids: [post.media_attachments[0].id] })],
    ['the private post gets a photo tag and new alt text', () => world.request('nora', 'PUT', `/api/v1/statuses/${privatePost.id}`, { media_attributes: [{ id: privatePost.media_attachments[0].id, description: 'the lake' }], media_tags: [{ media_id: privatePost.media_attachments[0].id, account_id: world.actors.ines.id, x: 0.1, y: 0.1 }] })],
    ['the post is liked', () => world.post('ines', `/api/v1/statuses/${post.id}/favourite`)],
    ['a comment is added', () => world.post('sam', '/api/v1/statuses', { status: 'so fun', in_reply_to_id: post.id })],
    ['the author changes her display name', () => world.request('mara', 'PATCH', '/api/v1/accounts/update_credentials', { display_name: 'Mara B.' })],
    ['the locked author approves a new follower', async () => {
      await world.post('bo', `/api/v1/accounts/${world.actors.nora.id}/unblock`);
      await world.post('nora', `/api/v1/accounts/${world.actors.bo.id}/unblock`);
      await world.post('bo', `/api/v1/accounts/${world.actors.nora.id}/follow`);
      return world.post('nora', `/api/v1/follow_requests/${world.actors.bo.id}/authorize`);
    }],
    ['the author blocks a follower', () => world.post('mara', `/api/v1/accounts/${world.actors.bo.id}/block`)],
    ['a follower mutes the author', () => world.post('pat', `/api/v1/accounts/${world.actors.mara.id}/mute`)],
    ['a follower unmutes the author', () => world.post('pat', `/api/v1/accounts/${world.actors.mara.id}/unmute`)],
    ['the locked author takes a follower off her close friends', () => world.request('nora', 'DELETE', `/api/glimpse/v1/close_friends/${world.actors.ines.id}`)],
    ['a follower unfollows', () => world.post('sam', `/api/v1/accounts/${world.actors.mara.id}/unfollow`)],
    ['a viewer adds a filter matching the caption', () => world.post('ines', '/api/v2/filters', { title: 'fresh', context: ['home', 'public', 'thread', 'account'], filter_action: 'warn', keywords_attributes: [{ keyword: 'fresh' }] })],
    ['the filter starts hiding instead of warning', async () => {
      const [filter] = (await world.get('ines', '/api/v2/filters')).body as any[];
      return world.request('ines', 'PUT', `/api/v2/filters/${filter.id}`, { filter_action: 'hide' });
    }],
    ['the filter is removed', async () => {
      const [filter] = (await world.get('ines', '/api/v2/filters')).body as any[];
      return world.request('ines', 'DELETE', `/api/v2/filters/${filter.id}`);
    }],
    ['a followed author posts a story', async () => world.post('mara', '/api/glimpse/v1/stories', { media_id: await uploadPhoto(world, 'mara'), overlays: [] })],
    ['a follower watches a story', async () => {
      const stories = (await world.get('ines', `/api/glimpse/v1/accounts/${world.actors.mara.id}/stories`)).body as any[];
      assert.ok(stories.length > 0);
      return world.post('ines', `/api/glimpse/v1/stories/${stories[0].id}/seen`);
    }],
    ['the author deletes a story', async () => {
      const stories = (await world.get('mara', `/api/glimpse/v1/accounts/${world.actors.mara.id}/stories`)).body as any[];
      return world.request('mara', 'DELETE', `/api/glimpse/v1/stories/${stories[stories.length - 1].id}`);
    }],
    ['the follower who unfollowed follows the author again, whose stories are live', () => world.post('sam', `/api/v1/accounts/${world.actors.mara.id}/follow`)],
    ['the post is deleted', () => world.request('mara', 'DELETE', `/api/v1/statuses/${post.id}`)],
  ];

  for (const [name, change] of changes) {
    test(`after this change, every viewer reads what the database holds: ${name}`, async () => {
      const before = await readAll();
      const res = (await change()) as { status: number; body: unknown };
      assert.equal(res.status, 200, JSON.stringify(res.body));
      await world.app.services.jobs.onIdle();
      const { warm, fresh } = await afterChange();
      for (const key of Object.keys(fresh)) assert.deepEqual(warm[key], fresh[key], key);
      assert.notDeepEqual(fresh, before, 'the change shows somewhere');
    });
  }

  test('a kept filter rule stops applying the moment its filter expires', async () => {
    const kept = await postPhotos(world, 'mara', 'a spoiler for the finale');
    await world.app.services.jobs.onIdle();
    const created = await world.post('ines', '/api/v2/filters', { title: 'finale', context: ['home'], filter_action: 'warn', expires_in: 3600, keywords_attributes: [{ keyword: 'finale' }] });
    assert.equal(created.status, 200);
    const filteredOnHome = async () => ((await world.get('ines', '/api/v1/timelines/home')).body as any[]).find((s) => s.id === kept.id).filtered.length;
    assert.equal(await filteredOnHome(), 1);
    const hits = world.app.services.caches.filterRules.stats().hits;
    assert.equal(await filteredOnHome(), 1);
    assert.ok(world.app.services.caches.filterRules.stats().hits > hits, 'the rule came from memory');
    world.clock.advance(3600 * 1000 + 1);
    assert.equal(await filteredOnHome(), 0);
  });

  test('a kept relation stops applying the moment a mute with a duration ends', async () => {
    const kept = await postPhotos(world, 'mara', 'muted for an hour');
    await world.app.services.jobs.onIdle();
    const onHome = async () => ((await world.get('ines', '/api/v1/timelines/home')).body as any[]).some((s) => s.id === kept.id);
    assert.equal(await onHome(), true);
    assert.equal((await world.post('ines', `/api/v1/accounts/${world.actors.mara.id}/mute`, { duration: 3600 })).status, 200);
    assert.equal(await onHome(), false);
    const hits = world.app.services.caches.viewerRelations.stats().hits;
    assert.equal(await onHome(), false);
    assert.ok(world.app.services.caches.viewerRelations.stats().hits > hits, 'the relations came from memory');
    world.clock.advance(3600 * 1000 + 1);
    assert.equal(await onHome(), true);
  });

  test('the reads above were served from the caches, so the comparison is not empty', () => {
    assert.ok(world.app.services.caches.viewerRelations.stats().hits > 100, JSON.stringify(world.app.services.caches.viewerRelations.stats()));
    assert.ok(world.app.services.caches.postContent.stats().hits > 100, JSON.stringify(world.app.services.caches.postContent.stats()));
    assert.ok(world.app.services.caches.filterRules.stats().hits > 10, JSON.stringify(world.app.services.caches.filterRules.stats()));
    assert.ok(world.app.services.caches.trays.stats().hits > 10, JSON.stringify(world.app.services.caches.trays.stats()));
  });
});
