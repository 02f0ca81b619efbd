import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createWorld, type World, type WorldName } from '../support/world.ts';
import { uploadPhoto } from '../support/photos.ts';
import { TEST_DB } from '../support/test-database.ts';

const S = '/api/glimpse/v1';
const HOUR = 60 * 60 * 1000;

async function story(world: World, as: WorldName): Promise<string> {
  const res = await world.post(as, `${S}/stories`, { media_id: await uploadPhoto(world, as), overlays: [] });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.id;
}

describe(`the story archive: GET /api/glimpse/v1/stories/archive (${TEST_DB})`, () => {
  let world: World;
  const expired: string[] = [];
  let live: string;

  before(async () => {
    world = await createWorld({ accounts: ['mara', 'ines'] });
    await world.post('ines', `/api/v1/accounts/${world.actors.mara.id}/follow`);
    for (let i = 0; i < 3; i++) {
      expired.push(await story(world, 'mara'));
      world.clock.advance(60_000);
    }
    world.clock.advance(25 * HOUR);
    live = await story(world, 'mara');
  });
  after(() => world?.close());

  test("lists the author's expired stories, newest first, paged with max_id and a Link header", async () => {
    const first = await world.get('mara', `${S}/stories/archive?limit=2`);
    assert.equal(first.status, 200);
    assert.deepEqual(first.body.map((s: any) => s.id), [expired[2], expired[1]]);
    assert.ok(!first.body.some((s: any) => s.id === live), 'a live story is not archived yet');
    const next = /<([^>]+)>; rel="next"/.exec(String(first.headers.link))?.[1];
    assert.ok(next, 'a next link');
    const second = await world.get('mara', new URL(next).pathname + new URL(next).search);
    assert.deepEqual(second.body.map((s: any) => s.id), [expired[0]]);
  });

  test('an archived story keeps its photo, served to its author', async () => {
    const page = await world.get('mara', `${S}/stories/archive`);
    const url = new URL(page.body[0].media_attachment.url);
    assert.equal((await world.request('mara', 'GET', `${url.pathname}${url.search}`)).status, 200);
  });

  test("is always the viewer's own: a follower sees only theirs, and no one signed out sees any", async () => {
    const theirs = await world.get('ines', `${S}/stories/archive`);
    assert.equal(theirs.status, 200);
    assert.deepEqual(theirs.body, []);
    assert.equal((await world.get(undefined, `${S}/stories/archive`)).status, 401);
    assert.equal((await world.get('ines', `${S}/stories/${expired[0]}`)).status, 404, 'an expired story stays hidden from others');
  });

  test('moves on with the clock: a story is archived once it expires', async () => {
    world.clock.advance(25 * HOUR);
    const page = await world.get('mara', `${S}/stories/archive?limit=1`);
    assert.deepEqual(page.body.map((s: any) => s.id), [live]);
  });
});
