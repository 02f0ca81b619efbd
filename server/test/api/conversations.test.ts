import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createWorld, type Actor, type World, type WorldName } from '../support/world.ts';
import { postPhotos, uploadPhoto } from '../support/photos.ts';
import { linkTargets, tokenWithScopes } from '../support/http.ts';
import { countQueries } from '../support/query-count.ts';
import { checkCounters } from '../../src/domain/integrity/integrity-check.ts';

const S = '/api/glimpse/v1';
const HOUR = 60 * 60 * 1000;

async function dm(world: World, as: WorldName | Actor, status: string, extra: Record<string, unknown> = {}) {
  const res = await world.post(as, '/api/v1/statuses', { status, visibility: 'direct', ...extra });
  if (res.status !== 200) throw new Error(`direct message failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

async function follow(world: World, who: WorldName, whom: WorldName) {
  await world.post(who, `/api/v1/accounts/${world.actors[whom].id}/follow`);
  await world.post(whom, `/api/v1/follow_requests/${world.actors[who].id}/authorize`);
}

const conversationsOf = async (world: World, as: WorldName | Actor, query = '') => {
  const res = await world.get(as, `/api/v1/conversations${query}`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body as any[];
};

describe('direct messages and conversations', () => {
  let world: World;
  before(async () => {
    world = await createWorld();
    // ines follows mara: ines's notification policy lets mara's private mentions through.
    await follow(world, 'ines', 'mara');
  });
  after(() => world.close());

  test('a direct status may be text only, goes to the mentioned account and nobody else, and is not counted as a post', async () => {
    const before = (await world.get('mara', `/api/v1/accounts/${world.actors.mara.id}`)).body.statuses_count;
    const status = await dm(world, 'mara', '@ines are you free tonight?');
    assert.equal(status.visibility, 'direct');
    assert.deepEqual(status.media_attachments, []);
    assert.deepEqual(status.mentions.map((m: any) => m.username), ['ines']);
    assert.equal((await world.get('ines', `/api/v1/statuses/${status.id}`)).status, 200);
    assert.equal((await world.get('sam', `/api/v1/statuses/${status.id}`)).status, 404);
    assert.equal((await world.get(undefined, `/api/v1/statuses/${status.id}`)).status, 404);
    assert.equal((await world.get('mara', `/api/v1/accounts/${world.actors.mara.id}`)).body.statuses_count, before);
  });

  test('a direct message may carry photos, handed out only as signed URLs', async () => {
    const media = await uploadPhoto(world, 'mara');
    const status = await dm(world, 'mara', '@ines look', { media_ids: [media] });
    const seen = await world.get('ines', `/api/v1/statuses/${status.id}`);
    assert.equal(seen.body.media_attachments.length, 1);
    assert.ok(new URL(seen.body.media_attachments[0].url).searchParams.get('sig'));
  });

  test('editing a message keeps its recipients: a mention added later does not open it to anyone', async () => {
    const status = await dm(world, 'mara', '@ines draft');
    const edited = await world.request('mara', 'PUT', `/api/v1/statuses/${status.id}`, { status: '@ines @sam final' });
    assert.equal(edited.status, 200, JSON.stringify(edited.body));
    assert.deepEqual(edited.body.mentions.map((m: any) => m.username), ['ines']);
    assert.equal((await world.get('sam', `/api/v1/statuses/${status.id}`)).status, 404);
  });

  test('a top-level post that is not direct still needs a photo, with the same error', async () => {
    const res = await world.post('mara', '/api/v1/statuses', { status: 'just words', visibility: 'public' });
    assert.equal(res.status, 422);
    assert.equal(res.body.error, 'Validation failed: A post needs at least one photo');
  });

  test('a direct status never enters the home, public, tag or list timelines, nor the profile grid, for sender or recipient', async () => {
    const status = await dm(world, 'mara', '@ines secret #dinner plans');
    await world.app.services.jobs.onIdle();
    for (const who of ['mara', 'ines'] as const) {
      for (const url of ['/api/v1/timelines/home', '/api/v1/timelines/public', '/api/v1/timelines/tag/dinner', `/api/v1/accounts/${world.actors.mara.id}/statuses`]) {
        const res = await world.get(who, url);
        assert.equal(res.status, 200, url);
        assert.ok(!res.body.some((s: any) => s.id === status.id), `${who} ${url}`);
      }
    }
    const list = await world.post('ines', '/api/v1/lists', { title: 'Friends' });
    await world.post('ines', `/api/v1/lists/${list.body.id}/accounts`, { account_ids: [world.actors.mara.id] });
    assert.ok(!(await world.get('ines', `/api/v1/timelines/list/${list.body.id}`)).body.some((s: any) => s.id === status.id));
    assert.equal((await world.post('mara', `/api/v1/statuses/${status.id}/pin`)).status, 422);
  });

  test('the sender and the recipient each see the conversation, the recipient unread, with the other participant and the last status', async () => {
    const sent = await dm(world, 'nora', '@sam hello from a private account');
    const samList = await conversationsOf(world, 'sam');
    const mine = samList.find((c) => c.last_status?.id === sent.id);
    assert.ok(mine);
    assert.equal(mine.unread, true);
    assert.deepEqual(mine.accounts.map((a: any) => a.username), ['nora']);
    const noraList = await conversationsOf(world, 'nora');
    const theirs = noraList.find((c) => c.id === mine.id);
    assert.equal(theirs.unread, false);
    assert.deepEqual(theirs.accounts.map((a: any) => a.username), ['sam']);
    assert.deepEqual((await conversationsOf(world, 'pat')).filter((c) => c.id === mine.id), []);
  });

  test('mentioning nobody, or only accounts that cannot receive it (missing, suspended, blocking or blocked), is 422 with the same answer', async () => {
    const none = await world.post('rex', '/api/v1/statuses', { status: 'to nobody', visibility: 'direct' });
    assert.equal(none.status, 422);
    const gone = await world.addActor('gone_dm');
    await world.app.services.repositories.accounts.update(gone.id, { suspended_at: world.clock.now().toISOString() });
    await world.post('bo', `/api/v1/accounts/${world.actors.rex.id}/block`);
    await world.post('rex', `/api/v1/accounts/${world.actors.remi.id}/block`);
    const answers = [];
    for (const text of ['@nosuchaccount hi', '@gone_dm hi', '@bo hi', '@remi hi', '@rex hi']) {
      const res = await world.post('rex', '/api/v1/statuses', { status: text, visibility: 'direct' });
      answers.push([res.status, res.body.error]);
    }
    assert.deepEqual(answers, Array(5).fill([422, 'Validation failed: This message cannot be delivered']));
    // With one account that can receive it, it goes to that one only.
    const partial = await dm(world, 'rex', '@bo @pat hello');
    assert.deepEqual(partial.mentions.map((m: any) => m.username), ['pat']);
    assert.equal((await world.get('bo', `/api/v1/statuses/${partial.id}`)).status, 404);
    assert.deepEqual((await conversationsOf(world, 'bo')).filter((c) => c.last_status?.id === partial.id), []);
  });

  test('a direct message is sent to at most 20 accounts', async () => {
    const names = Array.from({ length: 21 }, (_, i) => `@many${i}`).join(' ');
    const res = await world.post('mara', '/api/v1/statuses', { status: names, visibility: 'direct' });
    assert.equal(res.status, 422);
    assert.match(res.body.error, /at most 20/);
  });

  test('in_reply_to_id continues the conversation: the answer is unread for the other side, and a reply names whom it answers', async () => {
    const first = await dm(world, 'pat', '@remi can you lend me your camera?');
    const [remiSide] = (await conversationsOf(world, 'remi')).filter((c) => c.last_status?.id === first.id);
    const answer = await world.post('remi', '/api/v1/statuses', { status: 'sure!', in_reply_to_id: first.id });
    assert.equal(answer.status, 200);
    assert.equal(answer.body.visibility, 'direct');
    assert.equal(answer.body.in_reply_to_id, first.id);
    assert.deepEqual(answer.body.mentions.map((m: any) => m.username), ['pat']);
    const patSide = (await conversationsOf(world, 'pat')).find((c) => c.id === remiSide.id);
    assert.equal(patSide.last_status.id, answer.body.id);
    assert.equal(patSide.unread, true);
    const context = await world.get('pat', `/api/v1/statuses/${answer.body.id}/context`);
    assert.deepEqual(context.body.ancestors.map((s: any) => s.id), [first.id]);
    assert.equal((await world.get('sam', `/api/v1/statuses/${first.id}/context`)).status, 404);
    // A direct reply to a post that is not a message is refused rather than made public.
    const photo = await postPhotos(world, 'pat', 'a photo');
    assert.equal((await world.post('remi', '/api/v1/statuses', { status: '@pat psst', visibility: 'direct', in_reply_to_id: photo.id })).status, 422);
  });

  test('read marks a conversation read, remove hides it until a new message arrives, and the unread count follows both', async () => {
    const unreadOf = async (as: WorldName) => {
      const res = await world.get(as, `${S}/conversations/unread_count`);
      assert.equal(res.status, 200);
      return res.body.count as number;
    };
    const before = await unreadOf('sam');
    const sent = await dm(world, 'mara', '@sam one');
    assert.equal(await unreadOf('sam'), before + 1);
    const senderUnread = await unreadOf('mara');
    const conversation = (await conversationsOf(world, 'sam')).find((c) => c.last_status?.id === sent.id);
    const read = await world.post('sam', `/api/v1/conversations/${conversation.id}/read`);
    assert.equal(read.status, 200);
    assert.equal(read.body.unread, false);
    assert.equal(await unreadOf('sam'), before);
    assert.equal(await unreadOf('mara'), senderUnread, "the sender's own message is not unread for them");
    assert.equal((await world.get('sam', `${S}/conversations/unread_count?limit=0`)).status, 422);
    assert.equal((await world.get(undefined, `${S}/conversations/unread_count`)).status, 401);
    assert.equal((await conversationsOf(world, 'sam')).find((c) => c.id === conversation.id).unread, false);
    const removed = await world.request('sam', 'DELETE', `/api/v1/conversations/${conversation.id}`);
    assert.deepEqual([removed.status, removed.body], [200, {}]);
    assert.equal((await conversationsOf(world, 'sam')).find((c) => c.id === conversation.id), undefined);
    assert.ok((await conversationsOf(world, 'mara')).some((c) => c.id === conversation.id), 'still there for the sender');
    assert.equal((await world.post('sam', `/api/v1/conversations/${conversation.id}/read`)).status, 404);
    const again = await dm(world, 'mara', '@sam two');
    const back = (await conversationsOf(world, 'sam')).find((c) => c.id === conversation.id);
    assert.equal(back.last_status.id, again.id);
    assert.equal(back.unread, true);
    assert.equal(await unreadOf('sam'), before + 1);
  });

  test("a conversation's thread lists the messages its reader reads, newest first, paged with Link headers, and is 404 to anyone else", async () => {
    const a = await dm(world, 'mara', '@remi shall we shoot at dawn?');
    const b = (await world.post('remi', '/api/v1/statuses', { status: 'yes, 6am', in_reply_to_id: a.id })).body;
    const c = (await world.post('mara', '/api/v1/statuses', { status: 'see you there', in_reply_to_id: b.id })).body;
    const conversationId = a.glimpse.conversation_id;
    assert.ok(conversationId, 'a message names its conversation');
    assert.deepEqual([b.glimpse.conversation_id, c.glimpse.conversation_id], [conversationId, conversationId]);
    for (const reader of ['mara', 'remi'] as const) {
      const thread = await world.get(reader, `${S}/conversations/${conversationId}/messages`);
      assert.equal(thread.status, 200);
      assert.deepEqual(thread.body.map((m: any) => m.id), [c.id, b.id, a.id], reader);
    }
    const first = await world.get('remi', `${S}/conversations/${conversationId}/messages?limit=2`);
    assert.deepEqual(first.body.map((m: any) => m.id), [c.id, b.id]);
    const next = linkTargets(first, world.config.publicUrl).next!;
    assert.deepEqual((await world.get('remi', next)).body.map((m: any) => m.id), [a.id]);
    const one = await world.get('remi', `${S}/conversations/${conversationId}`);
    assert.equal(one.status, 200);
    assert.deepEqual([one.body.id, one.body.last_status.id, one.body.unread], [conversationId, c.id, true]);
    assert.deepEqual(one.body.accounts.map((x: any) => x.username), ['mara']);
    // Not a participant, or nothing there: the same 404.
    for (const url of [`${S}/conversations/${conversationId}`, `${S}/conversations/${conversationId}/messages`, `${S}/conversations/999999/messages`]) {
      const res = await world.get('sam', url);
      assert.deepEqual([res.status, res.body], [404, { error: 'Record not found' }], url);
    }
    assert.equal((await world.get(undefined, `${S}/conversations/${conversationId}/messages`)).status, 401);
    // Removed from the list: its thread is gone for that participant too, until a new message.
    await world.request('remi', 'DELETE', `/api/v1/conversations/${conversationId}`);
    assert.equal((await world.get('remi', `${S}/conversations/${conversationId}/messages`)).status, 404);
    assert.equal((await world.get('mara', `${S}/conversations/${conversationId}/messages`)).status, 200);
  });

  test("someone else's conversation is 404 to read or remove", async () => {
    const sent = await dm(world, 'mara', '@ines private');
    const conversation = (await conversationsOf(world, 'ines')).find((c) => c.last_status?.id === sent.id);
    assert.equal((await world.post('sam', `/api/v1/conversations/${conversation.id}/read`)).status, 404);
    assert.equal((await world.request('sam', 'DELETE', `/api/v1/conversations/${conversation.id}`)).status, 404);
    assert.equal((await world.post('sam', '/api/v1/conversations/nope/read')).status, 404);
  });

  test('listing needs read:statuses; read and remove need write:conversations', async () => {
    const readOnly = await tokenWithScopes(world, world.actors.ines, ['read:statuses']);
    const [conversation] = await conversationsOf(world, readOnly);
    assert.equal((await world.post(readOnly, `/api/v1/conversations/${conversation.id}/read`)).status, 403);
    assert.equal((await world.request(readOnly, 'DELETE', `/api/v1/conversations/${conversation.id}`)).status, 403);
    const writer = await tokenWithScopes(world, world.actors.ines, ['write:conversations']);
    assert.equal((await world.get(writer, '/api/v1/conversations')).status, 403);
    assert.equal((await world.post(writer, `/api/v1/conversations/${conversation.id}/read`)).status, 200);
    assert.equal((await world.get(undefined, '/api/v1/conversations')).status, 401);
  });

  test('the recipient gets a mention notification; a private-mentions policy of drop keeps it out', async () => {
    const sent = await dm(world, 'mara', '@ines see you at 8');
    const notes = await world.get('ines', '/api/v1/notifications?types[]=mention');
    assert.ok(notes.body.some((n: any) => n.status?.id === sent.id));
    await world.request('pat', 'PATCH', '/api/v2/notifications/policy', { for_private_mentions: 'drop', for_not_following: 'accept', for_not_followers: 'accept', for_new_accounts: 'accept' });
    const dropped = await dm(world, 'mara', '@pat hello');
    const patNotes = await world.get('pat', '/api/v1/notifications?types[]=mention&include_filtered=true');
    assert.ok(!patNotes.body.some((n: any) => n.status?.id === dropped.id));
    assert.ok((await conversationsOf(world, 'pat')).some((c) => c.last_status?.id === dropped.id), 'the message itself arrives');
  });

  test('deleting the last message shows the one before it; deleting the only one removes the conversation', async () => {
    const one = await world.addActor('del_one');
    const two = await world.addActor('del_two');
    const first = await dm(world, one, '@del_two first');
    const second = await dm(world, one, '@del_two second');
    const [conversation] = await conversationsOf(world, two);
    assert.equal(conversation.last_status.id, second.id);
    assert.equal((await world.request(one, 'DELETE', `/api/v1/statuses/${second.id}`)).status, 200);
    assert.equal((await conversationsOf(world, two))[0].last_status.id, first.id);
    await world.request(one, 'DELETE', `/api/v1/statuses/${first.id}`);
    assert.deepEqual(await conversationsOf(world, two), []);
    assert.deepEqual(await checkCounters(world.db.handle.kysely), []);
  });

  test('conversations page by their last status with limit, max_id, min_id and Link headers', async () => {
    const me = await world.addActor('pager');
    const friends = [];
    for (let i = 0; i < 5; i++) friends.push(await world.addActor(`pagerfriend${i}`));
    const sent = [];
    for (const f of friends) sent.push(await dm(world, me, `@${f.username} hi`));
    const first = await world.get(me, '/api/v1/conversations?limit=2');
    assert.deepEqual(first.body.map((c: any) => c.last_status.id), [sent[4].id, sent[3].id]);
    const links = linkTargets(first, world.config.publicUrl);
    assert.ok(links.next && links.prev);
    const second = await world.get(me, links.next!);
    assert.deepEqual(second.body.map((c: any) => c.last_status.id), [sent[2].id, sent[1].id]);
    const newer = await world.get(me, `/api/v1/conversations?limit=2&min_id=${sent[1].id}`);
    assert.deepEqual(newer.body.map((c: any) => c.last_status.id), [sent[3].id, sent[2].id]);
    const since = await world.get(me, `/api/v1/conversations?since_id=${sent[3].id}`);
    assert.deepEqual(since.body.map((c: any) => c.last_status.id), [sent[4].id]);
  });

  test('a page of conversations costs the same number of queries for 2 conversations as for 12', async () => {
    const costOf = async (n: number) => {
      const me = await world.addActor(`cost_${n}`);
      for (let i = 0; i < n; i++) {
        const peer = await world.addActor(`cost_${n}_${i}`);
        await dm(world, peer, `@${me.username} hello ${i}`);
      }
      const { result, queries } = await countQueries(world.db.handle.kysely, () => world.get(me, '/api/v1/conversations?limit=40'));
      assert.equal(result.body.length, n);
      return queries;
    };
    const small = await costOf(2);
    const large = await costOf(12);
    assert.equal(large, small);
  });

  test('the integrity check agrees with statuses_count after messages', async () => {
    assert.deepEqual(await checkCounters(world.db.handle.kysely), []);
  });
});

describe('story replies and reactions land in conversations', () => {
  let world: World;
  let story: any;
  before(async () => {
    world = await createWorld({ accounts: ['mara', 'ines', 'sam'] });
    await follow(world, 'ines', 'mara');
    await follow(world, 'sam', 'mara');
    const media_id = await uploadPhoto(world, 'mara');
    story = (await world.post('mara', `${S}/stories`, { media_id, overlays: [] })).body;
    await world.request('mara', 'PUT', `${S}/hidden_words`, { use_default_list: false, words: ['pineapple'] });
  });
  after(() => world.close());

  test('a reply is a direct message to the author showing the story it answers; the existing replies endpoints still work', async () => {
    const res = await world.post('ines', `${S}/stories/${story.id}/replies`, { text: 'Love this!' });
    assert.equal(res.status, 200);
    assert.equal(res.body.text, 'Love this!');
    const [conversation] = await conversationsOf(world, 'mara');
    assert.equal(conversation.unread, true);
    assert.deepEqual(conversation.accounts.map((a: any) => a.username), ['ines']);
    assert.equal(conversation.last_status.content, '<p>Love this!</p>');
    assert.equal(conversation.last_status.visibility, 'direct');
    assert.equal(conversation.last_status.glimpse.story.id, story.id);
    assert.equal(conversation.last_status.glimpse.story.expired, false);
    assert.ok(new URL(conversation.last_status.glimpse.story.preview_url).searchParams.get('sig'));
    const inbox = await world.get('mara', `${S}/stories/replies`);
    assert.ok(inbox.body.some((r: any) => r.text === 'Love this!'));
    assert.ok((await conversationsOf(world, 'ines')).some((c) => c.id === conversation.id && c.unread === false));
  });

  test('a reaction lands in the same conversation with the emoji as its text', async () => {
    await world.post('ines', `${S}/stories/${story.id}/reactions`, { emoji: '🔥' });
    const list = await conversationsOf(world, 'mara');
    assert.equal(list.length, 1);
    assert.equal(list[0].last_status.content, '<p>🔥</p>');
    assert.equal(list[0].last_status.glimpse.story.id, story.id);
  });

  test('the author answers with a normal direct reply, which the sender reads in the same conversation', async () => {
    const [conversation] = await conversationsOf(world, 'mara');
    const answer = await world.post('mara', '/api/v1/statuses', { status: 'thank you ❤️', in_reply_to_id: conversation.last_status.id, visibility: 'direct' });
    assert.equal(answer.status, 200);
    const inesSide = (await conversationsOf(world, 'ines')).find((c) => c.id === conversation.id);
    assert.equal(inesSide.last_status.id, answer.body.id);
    assert.equal(inesSide.unread, true);
  });

  test('the author answers from the story_reply notification: the reply id is the message id, and the replier receives the answer', async () => {
    const reply = (await world.post('sam', `${S}/stories/${story.id}/replies`, { text: 'great shot' })).body;
    const notifications = (await world.get('mara', '/api/v1/notifications?types[]=story_reply')).body;
    const notified = notifications.find((n: any) => n.story_response?.id === reply.id);
    assert.ok(notified, 'the author is told of the reply');
    const answer = await world.post('mara', '/api/v1/statuses', { status: 'thanks!', in_reply_to_id: notified.story_response.id, visibility: 'direct' });
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    assert.deepEqual(answer.body.mentions.map((m: any) => m.username), ['sam']);
    const samSide = (await conversationsOf(world, 'sam')).find((c) => c.last_status?.id === answer.body.id);
    assert.ok(samSide, 'the replier has the answer as the last message');
    assert.equal(samSide.unread, true);
    assert.equal((await world.get('ines', `/api/v1/statuses/${answer.body.id}`)).status, 404);
    // The notification names the conversation the reply is in, which the author reads.
    assert.equal(notified.story_response.conversation_id, answer.body.glimpse.conversation_id);
    assert.equal((await world.get('mara', `${S}/conversations/${notified.story_response.conversation_id}`)).status, 200);
  });

  test("a reply caught by the author's hidden words is on the sender's side only: never unread or new for the author", async () => {
    await world.post('mara', `/api/v1/conversations/${(await conversationsOf(world, 'mara'))[0].id}/read`);
    const before = await conversationsOf(world, 'mara');
    const res = await world.post('sam', `${S}/stories/${story.id}/replies`, { text: 'pineapple on pizza' });
    assert.equal(res.status, 200);
    assert.deepEqual(await conversationsOf(world, 'mara'), before);
    const [samSide] = await conversationsOf(world, 'sam');
    assert.equal(samSide.last_status.content, '<p>pineapple on pizza</p>');
    assert.deepEqual(samSide.accounts.map((a: any) => a.username), ['mara']);
    assert.equal((await world.get('mara', `/api/v1/statuses/${samSide.last_status.id}`)).status, 404);
    // In the thread too: the sender reads it, the author does not.
    const thread = (as: 'mara' | 'sam') => world.get(as, `${S}/conversations/${samSide.id}/messages`);
    assert.equal((await thread('sam')).body[0].id, samSide.last_status.id);
    assert.equal((await thread('mara')).body.some((m: any) => m.id === samSide.last_status.id), false);
  });

  test('once the story has expired the message still shows which story it answers, without its photo', async () => {
    world.clock.advance(25 * HOUR);
    const [conversation] = (await conversationsOf(world, 'ines')).filter((c) => c.last_status);
    const context = await world.get('ines', `/api/v1/statuses/${conversation.last_status.id}/context`);
    const answered = context.body.ancestors.find((s: any) => s.glimpse.story);
    assert.deepEqual(answered.glimpse.story, { id: story.id, preview_url: null, expired: true });
    assert.deepEqual(await checkCounters(world.db.handle.kysely), []);
  });
});

describe('a scheduled direct message', () => {
  let world: World;
  before(async () => {
    // The periodic run is off: the test publishes by calling publishDue with the world's clock.
    world = await createWorld({ accounts: ['mara', 'ines'], config: { scheduledPublishIntervalMs: 0 } });
  });
  after(() => world.close());

  test('may be text only, is checked like a message when scheduled, and lands in the conversation once, when published', async () => {
    const at = new Date(world.clock.now().getTime() + 10 * 60_000).toISOString();
    assert.equal((await world.post('mara', '/api/v1/statuses', { status: 'to nobody', visibility: 'direct', scheduled_at: at })).status, 422);
    const scheduled = await world.post('mara', '/api/v1/statuses', { status: '@ines later', visibility: 'direct', scheduled_at: at });
    assert.equal(scheduled.status, 200, JSON.stringify(scheduled.body));
    world.clock.advance(11 * 60_000);
    assert.deepEqual((await world.app.services.scheduled.publishDue(world.clock.now())).published, [scheduled.body.id]);
    assert.deepEqual((await world.app.services.scheduled.publishDue(world.clock.now())).published, []);
    const list = await conversationsOf(world, 'ines');
    assert.equal(list.length, 1);
    assert.equal(list[0].last_status.content, '<p><span class="h-card"><a href="http://glimpse.test/@ines" class="u-url mention">@<span>ines</span></a></span> later</p>');
  });
});
