import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createWorld, type Actor, type World, type WorldName } from '../support/world.ts';
import { postPhotos, uploadPhoto } from '../support/photos.ts';
import { bulkActors } from '../support/bulk.ts';
import { countQueries } from '../support/query-count.ts';

let world: World;
before(async () => {
  world = await createWorld({ accounts: ['mara', 'ines', 'sam'] });
  // ines follows mara (and so sees her stories); mara follows ines back.
  await world.post('ines', `/api/v1/accounts/${world.actors.mara.id}/follow`);
  await world.post('mara', `/api/v1/accounts/${world.actors.ines.id}/follow`);
});
after(() => world.close());

const types = async (as: WorldName | Actor, path: string) => ((await world.get(as, path)).body as Array<{ type: string }>).map((n) => n.type);
const like = (as: Actor | WorldName, id: string) => world.post(as, `/api/v1/statuses/${id}/favourite`);

describe('notification types Mastodon clients understand', () => {
  let post: any;
  let commentId: string;
  let storyId: string;
  before(async () => {
    post = await postPhotos(world, 'mara', 'Lake day');
    commentId = (await world.post('ines', '/api/v1/statuses', { status: 'So beautiful', in_reply_to_id: post.id })).body.id;
    const media_id = await uploadPhoto(world, 'mara');
    storyId = (await world.post('mara', '/api/glimpse/v1/stories', { media_id, overlays: [] })).body.id;
    assert.equal((await world.post('ines', `/api/glimpse/v1/stories/${storyId}/replies`, { text: 'Wow' })).status, 200);
  });

  test("a Mastodon client's Mentions tab (types[]=mention) shows a comment on one's post, as a mention carrying the comment", async () => {
    const res = await world.get('mara', '/api/v1/notifications?types[]=mention');
    assert.deepEqual(res.body.map((n: any) => [n.type, n.status?.id, n.account.username]), [['mention', commentId, 'ines']]);
    const excluded = await types('mara', '/api/v1/notifications?exclude_types[]=mention');
    assert.ok(!excluded.includes('mention'));
  });

  test('a client that asks for nothing special never sees a type Mastodon lacks: list, v2 list, unread_count, one by id', async () => {
    assert.deepEqual(await types('mara', '/api/v1/notifications'), ['mention', 'follow']);
    const grouped = await world.get('mara', '/api/v2/notifications');
    assert.deepEqual(grouped.body.notification_groups.map((g: any) => g.type), ['mention', 'follow']);
    assert.equal((await world.get('mara', '/api/v1/notifications/unread_count')).body.count, 2);
    const reply = (await world.get('mara', '/api/v1/notifications?types[]=story_reply')).body[0];
    assert.equal((await world.get('mara', `/api/v1/notifications/${reply.id}`)).status, 404);
  });

  test('asking types[]=story_reply by name shows story replies, with their words', async () => {
    const res = await world.get('mara', '/api/v1/notifications?types[]=story_reply');
    assert.deepEqual(res.body.map((n: any) => [n.type, n.story?.id, n.story_response?.text]), [['story_reply', storyId, 'Wow']]);
    const grouped = await world.get('mara', '/api/v2/notifications?types[]=story_reply');
    assert.deepEqual(grouped.body.notification_groups.map((g: any) => g.type), ['story_reply']);
    // The group carries the story and the words, as the Glimpse list does: no second request.
    const [group] = grouped.body.notification_groups;
    assert.equal(group.glimpse.story.id, storyId);
    assert.equal(group.glimpse.story_response.text, 'Wow');
    assert.equal((await world.get('mara', '/api/v2/notifications?types[]=follow')).body.notification_groups[0].glimpse, undefined);
  });

  test('the Glimpse API (the web client) shows every type under its own name, comments as comments', async () => {
    assert.deepEqual(await types('mara', '/api/glimpse/v1/notifications'), ['story_reply', 'comment', 'follow']);
    assert.equal((await world.get('mara', '/api/glimpse/v1/notifications/unread_count')).body.count, 3);
  });
});

describe('grouped notifications', () => {
  test('likes of one post form one group with its count, most recent accounts and status; follows group too', async () => {
    const me = await world.addActor('grouped_likes');
    const post = await postPhotos(world, me, 'Sunset');
    const fans = await bulkActors(world, 3, 'glike');
    for (const fan of fans) assert.equal((await like(fan, post.id)).status, 200);
    for (const fan of fans) await world.post(fan, `/api/v1/accounts/${me.id}/follow`);
    const res = await world.get(me, '/api/v2/notifications');
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const [follows, likes] = res.body.notification_groups;
    assert.equal(follows.type, 'follow');
    assert.equal(follows.notifications_count, 3);
    assert.equal(likes.type, 'favourite');
    assert.equal(likes.notifications_count, 3);
    assert.equal(likes.status_id, post.id);
    assert.deepEqual(likes.sample_account_ids, fans.map((f) => f.id).reverse());
    assert.match(likes.group_key, /^favourite-/);
    assert.ok(likes.page_min_id < likes.page_max_id && likes.most_recent_notification_id === likes.page_max_id);
    assert.deepEqual(res.body.statuses.map((s: any) => s.id), [post.id]);
    assert.equal(res.body.accounts.length, 3);

    // expand_accounts=partial_avatars: each group's most recent account in full, the rest partial.
    const partial = await world.get(me, '/api/v2/notifications?expand_accounts=partial_avatars');
    assert.deepEqual(partial.body.accounts.map((a: any) => a.id), [fans[2].id]);
    assert.deepEqual(partial.body.partial_accounts.map((a: any) => Object.keys(a).sort()), [fans[1], fans[0]].map(() => ['acct', 'avatar', 'avatar_static', 'bot', 'id', 'locked', 'url']));

    // grouped_types without favourite: each like is its own group.
    const ungrouped = await world.get(me, '/api/v2/notifications?grouped_types[]=follow');
    assert.equal(ungrouped.body.notification_groups.length, 4);
    assert.match(ungrouped.body.notification_groups[1].group_key, /^ungrouped-/);
    assert.equal((await world.get(me, '/api/v2/notifications/unread_count')).body.count, 2);

    // One group, its accounts, and dismissing it.
    const one = await world.get(me, `/api/v2/notifications/${likes.group_key}`);
    assert.equal(one.body.notification_groups[0].notifications_count, 3);
    const accounts = await world.get(me, `/api/v2/notifications/${likes.group_key}/accounts`);
    assert.deepEqual(accounts.body.map((a: any) => a.id), fans.map((f) => f.id).reverse());
    assert.equal((await world.get('sam', `/api/v2/notifications/${likes.group_key}`)).status, 404);
    assert.equal((await world.post('sam', `/api/v2/notifications/${likes.group_key}/dismiss`)).status, 404);
    assert.equal((await world.post(me, `/api/v2/notifications/${likes.group_key}/dismiss`)).status, 200);
    assert.deepEqual((await world.get(me, '/api/v2/notifications')).body.notification_groups.map((g: any) => g.type), ['follow']);
  });

  test('comments on one post group like likes: "ines and 2 others commented"', async () => {
    const me = await world.addActor('grouped_comments');
    const post = await postPhotos(world, me, 'Party');
    for (const who of ['ines', 'sam', 'mara'] as const) await world.post(who, '/api/v1/statuses', { status: `nice ${who}`, in_reply_to_id: post.id });
    const [group] = (await world.get(me, '/api/v2/notifications')).body.notification_groups;
    assert.equal(group.type, 'mention');
    assert.equal(group.notifications_count, 3);
    assert.deepEqual(group.sample_account_ids, [world.actors.mara.id, world.actors.sam.id, world.actors.ines.id]);
    // The comment and the post it is on are both in the page's statuses: the row's thumbnail is the post's.
    const body = (await world.get(me, '/api/v2/notifications')).body;
    const comment = body.statuses.find((st: any) => st.id === group.status_id);
    assert.equal(comment.glimpse.post_id, post.id);
    const parent = body.statuses.find((st: any) => st.id === post.id);
    assert.ok(parent, 'the commented post is in the page');
    assert.equal(parent.media_attachments.length, 1);
  });

  test('paging by group: limit, max_id from the Link header, and a group whose older notifications come on the next page', async () => {
    const me = await world.addActor('grouped_pages');
    const posts = [await postPhotos(world, me, 'one'), await postPhotos(world, me, 'two'), await postPhotos(world, me, 'three')];
    const fans = await bulkActors(world, 2, 'gpage');
    for (const p of posts) for (const fan of fans) await like(fan, p.id);
    const first = await world.get(me, '/api/v2/notifications?limit=2');
    assert.deepEqual(first.body.notification_groups.map((g: any) => g.status_id), [posts[2].id, posts[1].id]);
    const next = /<([^>]+)>; rel="next"/.exec(String(first.headers.link))?.[1];
    assert.ok(next);
    const second = await world.get(me, next.slice(world.config.publicUrl.length));
    assert.deepEqual(second.body.notification_groups.map((g: any) => g.status_id), [posts[1].id, posts[0].id]);
  });

  test('a page of groups costs the same number of queries for a group of 3 likes as for one of 300', async () => {
    const costOf = async (likes: number) => {
      const me = await world.addActor(`grouped_cost_${likes}`);
      const post = await postPhotos(world, me, 'Storm');
      for (const fan of await bulkActors(world, likes, `gcost${likes}_`)) await like(fan, post.id);
      // The likes' push jobs run in the background: counted here they would not be the read's.
      await world.app.services.jobs.onIdle();
      const { result, queries } = await countQueries(world.db.handle.kysely, () => world.get(me, '/api/v2/notifications'));
      assert.equal(result.body.notification_groups[0].notifications_count, likes);
      return queries;
    };
    const small = await costOf(3);
    const large = await costOf(300);
    assert.equal(large, small);
  });
});

describe('the notification policy and requests', () => {
  test('policy reads the defaults, updates, and actually filters: a stranger goes to requests; accept merges, dismiss drops, drop never writes', async () => {
    const me = await world.addActor('policy_me');
    const policy = await world.get(me, '/api/v2/notifications/policy');
    assert.equal(policy.body.for_not_following, 'accept');
    assert.equal(policy.body.for_private_mentions, 'filter');
    const patched = await world.request(me, 'PATCH', '/api/v2/notifications/policy', { for_not_following: 'filter' });
    assert.equal(patched.body.for_not_following, 'filter');
    assert.equal((await world.request(me, 'PATCH', '/api/v2/notifications/policy', { for_not_following: 'sometimes' })).status, 422);

    const [stranger, other] = await bulkActors(world, 2, 'pstranger');
    await world.post(stranger, `/api/v1/accounts/${me.id}/follow`);
    await world.post(other, `/api/v1/accounts/${me.id}/follow`);
    assert.deepEqual((await world.get(me, '/api/v1/notifications')).body, []);
    assert.equal((await world.get(me, '/api/v2/notifications?include_filtered=true')).body.notification_groups[0].notifications_count, 2);
    const requests = await world.get(me, '/api/v1/notifications/requests');
    assert.deepEqual(requests.body.map((r: any) => r.account.id), [other.id, stranger.id]);
    assert.equal((await world.get(me, '/api/v2/notifications/policy')).body.summary.pending_requests_count, 2);
    const strangerRequest = requests.body[1];
    assert.equal((await world.get(me, `/api/v1/notifications/requests/${strangerRequest.id}`)).body.notifications_count, '1');
    assert.equal((await world.get('sam', `/api/v1/notifications/requests/${strangerRequest.id}`)).status, 404);

    assert.equal((await world.post(me, `/api/v1/notifications/requests/${strangerRequest.id}/accept`)).status, 200);
    assert.deepEqual((await world.get(me, '/api/v1/notifications')).body.map((n: any) => n.account.id), [stranger.id]);
    assert.equal((await world.post(me, `/api/v1/notifications/requests/${requests.body[0].id}/dismiss`)).status, 200);
    assert.deepEqual((await world.get(me, '/api/v1/notifications/requests')).body, []);
    assert.deepEqual((await world.get(me, '/api/v1/notifications/requests/merged')).body, { merged: true });

    // An accepted sender is never filtered again; drop writes nothing.
    const post = await postPhotos(world, me, 'Policy');
    await like(stranger, post.id);
    assert.equal((await world.get(me, '/api/v1/notifications?types[]=favourite')).body.length, 1);
    await world.request(me, 'PATCH', '/api/v2/notifications/policy', { for_not_following: 'drop' });
    await like(other, post.id);
    const stored = await world.db.handle.kysely.selectFrom('notifications').select('id').where('account_id', '=', me.id).where('from_account_id', '=', other.id).execute();
    assert.equal(stored.length, 0);
  });
});
