import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { WORLD_ACCOUNTS, createWorld, type World, type WorldName } from '../support/world.ts';
import { postPhotos } from '../support/photos.ts';
import type { Viewer } from '../../src/access/viewer-context.ts';
import type { HydratedPost } from '../../src/domain/posts/post-hydrator.ts';
import type { Filtered } from '../../src/domain/filters/filter-matcher.ts';
import { presentStatus } from '../../src/http/mastodon/presenters/status.presenter.ts';
import { StatusJson } from '../../src/http/mastodon/presenters/status-json.ts';

/**
 * The timelines answer JSON text made from kept parts (status-json.ts). Over the access matrix's
 * world, every viewer's page from those parts is exactly the entity presentStatus makes of the
 * same posts, cold and warm, and a kept part is used only while everything it shows is unchanged.
 */
describe('statuses serialised from kept parts are exactly the presented entity', () => {
  let world: World;
  let serializer: StatusJson;
  let publicPost: any;
  let lockedPost: any;
  const viewers: Array<WorldName | undefined> = [undefined, ...WORLD_ACCOUNTS];

  const viewerOf = async (who: WorldName | undefined): Promise<Viewer | undefined> =>
    who === undefined ? undefined : (await world.app.services.auth.authenticate(world.actors[who].token, 'oauth')).viewer;

  /** The pages each viewer reads, hydrated and filtered as the timeline routes do. */
  const pages = async (who: WorldName | undefined): Promise<Array<Array<HydratedPost & Filtered>>> => {
    const { feeds, filters } = world.app.services;
    const viewer = await viewerOf(who);
    const paging = { limit: 20 };
    const profile = async (accountId: string) => {
      try {
        return (await feeds.account(viewer, accountId, paging, { onlyMedia: false, excludeReplies: false, pinned: false })).posts;
      } catch (err) {
        if ((err as { status?: number }).status === 404) return []; // a profile hidden from this viewer (a block)
        throw err;
      }
    };
    const out = [
      await filters.apply(viewer, 'account', await profile(world.actors.mara.id)),
      await filters.apply(viewer, 'account', await profile(world.actors.nora.id)),
      await filters.apply(viewer, 'public', (await feeds.tag(viewer, 'party', paging)).posts),
    ];
    if (viewer) out.push(await filters.apply(viewer, 'home', (await feeds.home(viewer, paging)).posts));
    return out;
  };

  /** Each viewer's pages from kept parts and from presentStatus, side by side; how many posts were compared. */
  const compareAll = async () => {
    const ctx = { ...world.app.services.config, mediaUrls: world.app.services.mediaUrls };
    let compared = 0;
    for (const who of viewers) {
      for (const page of await pages(who)) {
        const expected = JSON.parse(JSON.stringify(page.map((p) => presentStatus(ctx, p))));
        assert.deepEqual(JSON.parse(serializer.list(page)), expected, `${who ?? 'anonymous'}`);
        compared += page.length;
      }
    }
    return compared;
  };

  const caches = () => world.app.services.caches;

  before(async () => {
    world = await createWorld();
    serializer = new StatusJson({ ...world.app.services.config, mediaUrls: world.app.services.mediaUrls }, { statuses: caches().statusJson, accounts: caches().accountJson });
    const { mara, nora, ines, rex, bo } = world.actors;
    for (const who of ['ines', 'sam', 'rex'] as const) await world.post(who, `/api/v1/accounts/${nora.id}/follow`);
    for (const who of ['ines', 'sam', 'pat', 'bo'] as const) await world.post(who, `/api/v1/accounts/${mara.id}/follow`);
    await world.post('nora', `/api/v1/follow_requests/${ines.id}/authorize`);
    await world.post('nora', `/api/v1/follow_requests/${rex.id}/reject`);
    await world.post('nora', `/api/v1/accounts/${bo.id}/block`);
    publicPost = await postPhotos(world, 'mara', 'birthday with @sam #party', { photos: 2 });
    await world.request('mara', 'PUT', `/api/v1/statuses/${publicPost.id}`, { media_tags: [{ media_id: publicPost.media_attachments[0].id, account_id: ines.id, x: 0.4, y: 0.6 }] });
    lockedPost = await postPhotos(world, 'nora', 'the lake with @ines #party', { photos: 1 });
    await world.post('ines', `/api/v1/statuses/${publicPost.id}/favourite`);
    await world.post('ines', `/api/v1/statuses/${publicPost.id}/bookmark`);
    await world.post('ines', '/api/v1/statuses', { status: 'happy birthday!', in_reply_to_id: publicPost.id });
    await world.post('sam', '/api/v2/filters', { title: 'party', context: ['home', 'public', 'account'], filter_action: 'warn', keywords_attributes: [{ keyword: 'party' }] });
    await world.app.services.jobs.onIdle();
  });
  after(() => world.close());

  test('cold, then warm: every viewer reads the same entity, and the warm read used kept parts', async () => {
    caches().statusJson.clear();
    caches().accountJson.clear();
    const compared = await compareAll();
    assert.ok(compared >= 20, `compared ${compared} posts`);
    const hits = caches().statusJson.stats().hits;
    assert.equal(await compareAll(), compared);
    assert.ok(caches().statusJson.stats().hits - hits >= compared, 'every post of the warm read came from a kept part');
  });

  test('a new follower of the author remakes her Account, not the posts\' shared parts', async () => {
    await compareAll();
    const statusHits = caches().statusJson.stats().hits;
    const accountMisses = caches().accountJson.stats().misses;
    await world.post('remi', `/api/v1/accounts/${world.actors.mara.id}/follow`);
    await compareAll();
    assert.ok(caches().statusJson.stats().hits > statusHits);
    assert.ok(caches().accountJson.stats().misses > accountMisses, 'her Account was made again');
    const page = (await world.get('ines', `/api/v1/accounts/${world.actors.mara.id}/statuses`)).body as any[];
    assert.equal(page[0].account.followers_count, 5);
  });

  test('an edit, a like and a new photo tag each show at once', async () => {
    await compareAll();
    await world.request('mara', 'PUT', `/api/v1/statuses/${publicPost.id}`, { status: 'birthday with @sam and @pat #party' });
    await world.post('sam', `/api/v1/statuses/${publicPost.id}/favourite`);
    await world.request('mara', 'PUT', `/api/v1/statuses/${publicPost.id}`, { media_tags: [{ media_id: publicPost.media_attachments[1].id, account_id: world.actors.sam.id, x: 0.1, y: 0.2 }] });
    await world.app.services.jobs.onIdle();
    await compareAll();
    const [shown] = ((await world.get('ines', `/api/v1/accounts/${world.actors.mara.id}/statuses`)).body as any[]).filter((s) => s.id === publicPost.id);
    assert.ok(shown.content.includes('pat'), shown.content);
    assert.equal(shown.favourites_count, 2);
    assert.equal(shown.media_attachments[1].glimpse.tags[0].account.id, world.actors.sam.id);
  });

  test('restricted photo URLs kept from one hour are signed again in the next', async () => {
    const url = async () => ((await world.get('ines', `/api/v1/accounts/${world.actors.nora.id}/statuses`)).body as any[]).find((s) => s.id === lockedPost.id).media_attachments[0].url as string;
    const first = await url();
    assert.match(first, /[?&]exp=\d+&sig=/);
    assert.equal(await url(), first);
    world.clock.advance(3600 * 1000);
    const next = await url();
    assert.notEqual(next, first);
    assert.equal((await world.request(undefined, 'GET', new URL(next).pathname + new URL(next).search)).status, 200, 'the new URL opens the photo');
    await compareAll();
  });

  test('a custom emoji added to the instance shows in kept statuses and accounts', async () => {
    await world.request('mara', 'PATCH', '/api/v1/accounts/update_credentials', { display_name: 'Mara :cake:' });
    const cakePost = await postPhotos(world, 'mara', 'cake time :cake: #party');
    const shown = async () => ((await world.get('ines', `/api/v1/accounts/${world.actors.mara.id}/statuses`)).body as any[]).find((s) => s.id === cakePost.id);
    assert.deepEqual((await shown()).emojis, []);
    await compareAll();
    const file = path.join(world.config.dataDir, 'cake.png');
    fs.writeFileSync(file, await sharp({ create: { width: 64, height: 64, channels: 4, background: { r: 200, g: 40, b: 90, alpha: 1 } } }).png().toBuffer());
    await world.app.services.customEmojis.add('cake', file);
    const after = await shown();
    assert.deepEqual(after.emojis.map((e: any) => e.shortcode), ['cake']);
    assert.deepEqual(after.account.emojis.map((e: any) => e.shortcode), ['cake']);
    await compareAll();
  });
});
