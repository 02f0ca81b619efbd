import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createWorld, type World, type WorldName } from '../support/world.ts';
import { uploadPhoto } from '../support/photos.ts';
import { countStatements } from '../support/query-count.ts';

const S = '/api/glimpse/v1';
const HOUR = 60 * 60 * 1000;

async function postStory(world: World, as: WorldName, body: Record<string, unknown> = {}) {
  const media_id = body.reshare_of_id ? undefined : await uploadPhoto(world, as);
  const res = await world.post(as, `${S}/stories`, { media_id, overlays: [], ...body });
  if (res.status !== 200) throw new Error(`story failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

async function follow(world: World, who: WorldName, whom: WorldName) {
  await world.post(who, `/api/v1/accounts/${world.actors[whom].id}/follow`);
  await world.post(whom, `/api/v1/follow_requests/${world.actors[who].id}/authorize`);
}

const trayNames = async (world: World, who: WorldName) => (await world.get(who, `${S}/stories/tray`)).body.map((e: any) => e.account.username) as string[];

describe('stories: the birthday story with text and a mention', () => {
  let world: World;
  let story: any;
  before(async () => {
    world = await createWorld({ accounts: ['mara', 'ines', 'sam'] });
    await follow(world, 'ines', 'mara');
    story = await postStory(world, 'mara', {
      overlays: [
        { type: 'text', text: 'Happy Birthday to the most thoughtful sweetest soul', x: 0.5, y: 0.2, color: '#ffffff', background: '#00000080', font: 'modern', align: 'center', rotation: -8, scale: 1.2 },
        { type: 'mention', account_id: world.actors.ines.id, x: 0.5, y: 0.4 },
        { type: 'text', text: 'Our babies are so small here 😢 👩‍👧 مرحبا', x: 0.3, y: 0.8 },
      ],
    });
  });
  after(() => world.close());

  test('keeps overlays as structured data and their words as text for screen readers', () => {
    assert.equal(story.overlays.length, 3);
    assert.equal(story.overlays[0].text, 'Happy Birthday to the most thoughtful sweetest soul');
    assert.equal(story.overlays[2].text, 'Our babies are so small here 😢 👩‍👧 مرحبا');
    assert.match(story.text, /@ines/);
    assert.match(story.media_attachment.description, /Happy Birthday/);
    assert.deepEqual(story.mentions.map((m: any) => m.username), ['ines']);
    assert.equal(Date.parse(story.expires_at) - Date.parse(story.created_at), 24 * HOUR);
  });

  test('a text layer may have an outline colour, kept as given; anything but a colour is 422', async () => {
    const outlined = await postStory(world, 'mara', { overlays: [{ type: 'text', text: 'Party!', x: 0.5, y: 0.5, color: '#ffffff', outline: '#000000' }] });
    assert.equal(outlined.overlays[0].outline, '#000000');
    const media_id = await uploadPhoto(world, 'mara');
    const bad = await world.post('mara', `${S}/stories`, { media_id, overlays: [{ type: 'text', text: 'x', x: 0.5, y: 0.5, outline: 'red; background: url(x)' }] });
    assert.equal(bad.status, 422);
    assert.match(bad.body.error, /outline/);
  });

  test('the mentioned friend gets a story_mention notification carrying the story', async () => {
    const res = await world.get('ines', '/api/v1/notifications?types[]=story_mention');
    assert.equal(res.body.length, 1);
    assert.equal(res.body[0].account.username, 'mara');
    assert.equal(res.body[0].story.id, story.id);
  });

  test('the photo of a story is only handed out as a signed URL', () => {
    const url = new URL(story.media_attachment.url);
    assert.ok(url.searchParams.get('sig'));
  });

  test('the viewers list is the author\'s alone and records who saw it, once', async () => {
    await world.post('ines', `${S}/stories/${story.id}/seen`);
    await world.post('ines', `${S}/stories/${story.id}/seen`);
    const viewers = await world.get('mara', `${S}/stories/${story.id}/viewers`);
    assert.deepEqual(viewers.body.map((v: any) => v.account.username), ['ines']);
    assert.equal((await world.get('mara', `${S}/stories/${story.id}`)).body.viewers_count, 1);
    assert.equal((await world.get('ines', `${S}/stories/${story.id}/viewers`)).status, 404);
    assert.equal((await world.get('ines', `${S}/stories/${story.id}`)).body.viewers_count, undefined);
  });

  test('a private reply reaches only the author, as a notification with its words and in the replies inbox', async () => {
    const res = await world.post('ines', `${S}/stories/${story.id}/replies`, { text: 'Thank you!! ❤️' });
    assert.equal(res.status, 200);
    const notes = await world.get('mara', '/api/v1/notifications?types[]=story_reply');
    assert.equal(notes.body[0].story.id, story.id);
    const message = await world.get('mara', `/api/v1/statuses/${res.body.id}`);
    assert.deepEqual(notes.body[0].story_response, { id: res.body.id, text: 'Thank you!! ❤️', emoji: null, conversation_id: message.body.glimpse.conversation_id });
    assert.ok(message.body.glimpse.conversation_id);
    const inbox = await world.get('mara', `${S}/stories/replies`);
    assert.deepEqual(inbox.body.map((r: any) => [r.account.username, r.text]), [['ines', 'Thank you!! ❤️']]);
    assert.deepEqual((await world.get('ines', `${S}/stories/replies`)).body, []);
  });

  test('an emoji reaction notifies the author; words are not emoji', async () => {
    assert.equal((await world.post('ines', `${S}/stories/${story.id}/reactions`, { emoji: '😍' })).status, 200);
    assert.equal((await world.post('ines', `${S}/stories/${story.id}/reactions`, { emoji: 'lol' })).status, 422);
    const notes = await world.get('mara', '/api/v1/notifications?types[]=story_reaction');
    assert.equal(notes.body.length, 1);
    assert.equal(notes.body[0].story_response.emoji, '😍', 'the notification says which emoji');
  });

  test('the mentioned friend can add it to her own story, credited to the original', async () => {
    const reshare = await postStory(world, 'ines', { reshare_of_id: story.id });
    assert.equal(reshare.reshare_of.id, story.id);
    assert.equal(reshare.reshare_of.account.username, 'mara');
  });

  test('someone not mentioned cannot reshare it', async () => {
    const res = await world.post('sam', `${S}/stories`, { reshare_of_id: story.id });
    assert.equal(res.status, 422);
  });

  test('the owner renames and reorders highlights, and nobody else can change them', async () => {
    const a = (await world.post('mara', `${S}/highlights`, { title: 'First', story_ids: [story.id] })).body;
    const b = (await world.post('mara', `${S}/highlights`, { title: 'Second', story_ids: [story.id] })).body;
    const order = async () => (await world.get('sam', `${S}/accounts/${world.actors.mara.id}/highlights`)).body.map((h: any) => h.title);
    assert.deepEqual(await order(), ['First', 'Second']);
    assert.equal((await world.request('mara', 'PUT', `${S}/highlights/${a.id}`, { title: 'Renamed', position: 1 })).status, 200);
    assert.equal((await world.request('mara', 'PUT', `${S}/highlights/${b.id}`, { position: 0 })).status, 200);
    assert.deepEqual(await order(), ['Second', 'Renamed']);
    assert.equal((await world.request('ines', 'PUT', `${S}/highlights/${a.id}`, { title: 'mine now' })).status, 404);
    assert.equal((await world.request('mara', 'PUT', `${S}/highlights/${a.id}`, { title: 'x'.repeat(101) })).status, 422);
    for (const h of [a, b]) assert.equal((await world.request('mara', 'DELETE', `${S}/highlights/${h.id}`)).status, 200);
    assert.deepEqual(await order(), []);
  });

  test('after 24 hours it is gone for viewers but kept for the author and in a highlight', async () => {
    const hl = await world.post('mara', `${S}/highlights`, { title: 'Ines 🎂', story_ids: [story.id] });
    assert.equal(hl.status, 200, JSON.stringify(hl.body));
    world.clock.advance(25 * HOUR);
    try {
      assert.equal((await world.get('sam', `${S}/accounts/${world.actors.mara.id}/stories`)).body.length, 0);
      assert.ok(!(await trayNames(world, 'ines')).includes('mara'));
      assert.equal((await world.post('ines', `${S}/stories/${story.id}/replies`, { text: 'late' })).status, 404);
      const highlights = await world.get('sam', `${S}/accounts/${world.actors.mara.id}/highlights`);
      assert.deepEqual(highlights.body.map((h: any) => h.title), ['Ines 🎂']);
      assert.equal(highlights.body[0].stories[0].id, story.id);
      assert.equal((await world.get('sam', `${S}/stories/${story.id}`)).status, 200);
    } finally {
      world.clock.advance(-25 * HOUR);
    }
  });
});

describe('story visibility', () => {
  let world: World;
  before(async () => {
    world = await createWorld({ accounts: ['mara', 'ines', 'nora', 'sam', 'bo', 'remi'] });
    await follow(world, 'ines', 'mara');
    await follow(world, 'remi', 'mara');
    await follow(world, 'ines', 'nora');
    await world.post('mara', `/api/v1/accounts/${world.actors.bo.id}/block`);
  });
  after(() => world.close());

  const canSee = async (who: WorldName | undefined, id: string) => (await world.get(who, `${S}/stories/${id}`)).status === 200;

  test("a public account's story is seen by followers and strangers, never by a blocked account", async () => {
    const story = await postStory(world, 'mara');
    assert.ok(await canSee('ines', story.id));
    assert.ok(await canSee('sam', story.id));
    assert.ok(!(await canSee('bo', story.id)));
    assert.equal((await world.post('bo', `${S}/stories/${story.id}/replies`, { text: 'hi' })).status, 404);
    assert.equal((await world.post('bo', `${S}/stories/${story.id}/seen`)).status, 404);
  });

  test("a private account's story is seen by approved followers only", async () => {
    const story = await postStory(world, 'nora');
    assert.ok(await canSee('ines', story.id));
    assert.ok(!(await canSee('sam', story.id)));
    assert.ok(!(await canSee(undefined, story.id)));
  });

  test('a close-friends story is seen by close friends only, and hidden at once from a removed one', async () => {
    await world.post('mara', `${S}/close_friends`, { account_ids: [world.actors.ines.id, world.actors.remi.id] });
    const story = await postStory(world, 'mara', { audience: 'close_friends' });
    assert.ok(await canSee('ines', story.id));
    assert.ok(await canSee('remi', story.id));
    assert.ok(!(await canSee('sam', story.id)));
    const tray = (await world.get('remi', `${S}/stories/tray`)).body.find((e: any) => e.account.username === 'mara');
    assert.equal(tray.has_close_friends, true);
    assert.equal((await world.request('mara', 'DELETE', `${S}/close_friends/${world.actors.remi.id}`)).status, 200);
    assert.ok(!(await canSee('remi', story.id)));
    const after = (await world.get('remi', `${S}/stories/tray`)).body.find((e: any) => e.account.username === 'mara');
    assert.equal(after?.has_close_friends ?? false, false);
    const list = await world.get('mara', `${S}/close_friends`);
    assert.deepEqual(list.body.map((a: any) => a.username), ['ines']);
  });

  test('a close-friends story in a highlight stays close-friends', async () => {
    const story = await postStory(world, 'mara', { audience: 'close_friends' });
    await world.post('mara', `${S}/highlights`, { title: 'Just us', story_ids: [story.id] });
    world.clock.advance(30 * HOUR);
    try {
      const forSam = (await world.get('sam', `${S}/accounts/${world.actors.mara.id}/highlights`)).body;
      assert.ok(!forSam.some((h: any) => h.title === 'Just us'));
      const forInes = (await world.get('ines', `${S}/accounts/${world.actors.mara.id}/highlights`)).body;
      assert.ok(forInes.some((h: any) => h.title === 'Just us'));
    } finally {
      world.clock.advance(-30 * HOUR);
    }
  });

  test('a mention on a close-friends story notifies only a mentioned close friend', async () => {
    const story = await postStory(world, 'mara', {
      audience: 'close_friends',
      overlays: [
        { type: 'mention', account_id: world.actors.ines.id, x: 0.1, y: 0.1 },
        { type: 'mention', account_id: world.actors.sam.id, x: 0.2, y: 0.2 },
      ],
    });
    const ines = await world.get('ines', '/api/v1/notifications?types[]=story_mention');
    const sam = await world.get('sam', '/api/v1/notifications?types[]=story_mention');
    assert.ok(ines.body.some((n: any) => n.story?.id === story.id));
    assert.ok(!sam.body.some((n: any) => n.story?.id === story.id));
  });

  test('a close-friends story cannot be reshared, even by a mentioned close friend', async () => {
    const story = await postStory(world, 'mara', { audience: 'close_friends', overlays: [{ type: 'mention', account_id: world.actors.ines.id, x: 0.5, y: 0.5 }] });
    const res = await world.post('ines', `${S}/stories`, { reshare_of_id: story.id });
    assert.equal(res.status, 422);
  });

  test("a private account's story cannot be reshared out of its audience", async () => {
    const story = await postStory(world, 'nora', { overlays: [{ type: 'mention', account_id: world.actors.ines.id, x: 0.5, y: 0.5 }] });
    assert.equal((await world.post('ines', `${S}/stories`, { reshare_of_id: story.id })).status, 422);
  });

  test('a reshare is hidden from anyone who may not see the original', async () => {
    const original = await postStory(world, 'mara', { overlays: [{ type: 'mention', account_id: world.actors.ines.id, x: 0.5, y: 0.5 }] });
    const reshare = await postStory(world, 'ines', { reshare_of_id: original.id });
    assert.ok(await canSee('sam', reshare.id));
    assert.ok(!(await canSee('bo', reshare.id)), 'bo is blocked by the original author');
  });
});

describe('the story tray', () => {
  let world: World;
  before(async () => {
    world = await createWorld({ accounts: ['mara', 'ines', 'nora', 'sam'] });
    for (const whom of ['mara', 'ines', 'nora'] as const) await follow(world, 'sam', whom);
  });
  after(() => world.close());

  test('shows own stories first, then unseen, then seen, newest first, with counts', async () => {
    const m1 = await postStory(world, 'mara');
    world.clock.advance(60_000);
    await postStory(world, 'ines');
    world.clock.advance(60_000);
    const n1 = await postStory(world, 'nora');
    world.clock.advance(60_000);
    await postStory(world, 'sam');
    assert.deepEqual(await trayNames(world, 'sam'), ['sam', 'nora', 'ines', 'mara']);
    await world.post('sam', `${S}/stories/${n1.id}/seen`);
    assert.deepEqual(await trayNames(world, 'sam'), ['sam', 'ines', 'mara', 'nora']);
    world.clock.advance(60_000);
    await postStory(world, 'mara');
    const tray = (await world.get('sam', `${S}/stories/tray`)).body;
    assert.deepEqual(tray.map((e: any) => e.account.username), ['sam', 'mara', 'ines', 'nora']);
    const mara = tray.find((e: any) => e.account.username === 'mara');
    assert.equal(mara.stories_count, 2);
    assert.equal(mara.unseen_count, 2);
    await world.post('sam', `${S}/stories/${m1.id}/seen`);
    const again = (await world.get('sam', `${S}/stories/tray`)).body.find((e: any) => e.account.username === 'mara');
    assert.equal(again.unseen_count, 1);
  });

  test("an account's stories list oldest first with the viewer's seen state", async () => {
    const list = (await world.get('sam', `${S}/accounts/${world.actors.mara.id}/stories`)).body;
    assert.equal(list.length, 2);
    assert.ok(list[0].created_at < list[1].created_at);
    assert.deepEqual(list.map((s: any) => s.seen), [true, false]);
  });

  test("a warm tray is two statements (the token and the authors' accounts): its stories are kept until one of them changes", async () => {
    const tray = () => countStatements(world.db.handle, () => world.get('sam', `${S}/stories/tray`));
    const noraStories = (body: any[]) => body.find((e: any) => e.account.username === 'nora').stories_count;
    // A new story by someone sam follows: his tray is read afresh, then kept.
    await postStory(world, 'nora');
    const cold = await tray();
    const warm = await tray();
    assert.deepEqual(warm.result.body, cold.result.body);
    assert.equal(warm.statements, 2, warm.sql.join('\n'));
    assert.ok(cold.statements > warm.statements, `${cold.statements} > ${warm.statements}`);
    await postStory(world, 'nora');
    const after = await tray();
    assert.ok(after.statements > warm.statements);
    assert.equal(noraStories(after.result.body), noraStories(cold.result.body) + 1);
  });

  test('a new story costs one write whatever the follower count', async () => {
    const before = await world.db.handle.kysely.selectFrom('stories').select('id').execute();
    await postStory(world, 'ines');
    const afterRows = await world.db.handle.kysely.selectFrom('stories').select('id').execute();
    assert.equal(afterRows.length, before.length + 1);
    assert.ok((await trayNames(world, 'sam')).includes('ines'));
  });

  // Last: it moves the clock past every story's end.
  test("a kept tray still drops stories as they expire, the viewer's own included", async () => {
    assert.ok((await trayNames(world, 'sam')).includes('sam'));
    const hits = world.app.services.caches.trays.stats().hits;
    assert.ok((await trayNames(world, 'sam')).includes('sam'));
    assert.ok(world.app.services.caches.trays.stats().hits > hits, 'the tray was kept');
    world.clock.advance(25 * 60 * 60 * 1000);
    assert.deepEqual(await trayNames(world, 'sam'), []);
  });
});

describe('bad story input is refused with 422 and stores nothing', () => {
  let world: World;
  before(async () => {
    world = await createWorld({ accounts: ['mara', 'ines', 'bo'] });
    await world.post('bo', `/api/v1/accounts/${world.actors.mara.id}/block`);
  });
  after(() => world.close());

  const count = async () => (await world.db.handle.kysely.selectFrom('stories').select('id').execute()).length;
  const cases: Array<[string, (media: string, w: World) => Record<string, unknown>]> = [
    ['an overlay off the picture', (m) => ({ media_id: m, overlays: [{ type: 'text', text: 'hi', x: 1.2, y: 0.5 }] })],
    ['more than 10 overlays', (m) => ({ media_id: m, overlays: Array.from({ length: 11 }, () => ({ type: 'text', text: 'x', x: 0.5, y: 0.5 })) })],
    ['a text layer over 500 characters', (m) => ({ media_id: m, overlays: [{ type: 'text', text: 'a'.repeat(501), x: 0.5, y: 0.5 }] })],
    ['a mention of an account that does not exist', (m) => ({ media_id: m, overlays: [{ type: 'mention', account_id: '1234567890123456', x: 0.5, y: 0.5 }] })],
    ['a mention of an account that blocked the author', (m, w) => ({ media_id: m, overlays: [{ type: 'mention', account_id: w.actors.bo.id, x: 0.5, y: 0.5 }] })],
    ['an unknown audience', (m) => ({ media_id: m, audience: 'everyone' })],
  ];
  for (const [name, body] of cases) {
    test(name, async () => {
      const media = await uploadPhoto(world, 'mara');
      const before = await count();
      const res = await world.post('mara', `${S}/stories`, body(media, world));
      assert.equal(res.status, 422, JSON.stringify(res.body));
      assert.equal(typeof res.body.error, 'string');
      assert.equal(await count(), before);
    });
  }

  test("someone else's media id", async () => {
    const media = await uploadPhoto(world, 'ines');
    const res = await world.post('mara', `${S}/stories`, { media_id: media });
    assert.equal(res.status, 422);
  });

  test('a highlight of someone else\'s story', async () => {
    const media = await uploadPhoto(world, 'ines');
    const story = (await world.post('ines', `${S}/stories`, { media_id: media })).body;
    const res = await world.post('mara', `${S}/highlights`, { title: 'stolen', story_ids: [story.id] });
    assert.equal(res.status, 422);
  });
});
