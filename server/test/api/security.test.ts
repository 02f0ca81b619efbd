// Holes found by a black-box attack on the instance, each closed by the rule its test names.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import WebSocket from 'ws';
import { createWorld, type Actor, type World, type WorldName } from '../support/world.ts';
import { postPhotos, uploadPhoto } from '../support/photos.ts';
import { tokenWithScopes } from '../support/http.ts';
import { suspendAccount, unsuspendAccount } from '../../src/domain/moderation/suspend-account.ts';

let world: World;
before(async () => {
  world = await createWorld({ accounts: ['mara', 'ines', 'sam'] });
});
after(() => world.close());

describe('edit history is HTML made by the caption renderer', () => {
  test('every version of a caption in the history is escaped HTML, never the stored text', async () => {
    const post = await postPhotos(world, 'mara', 'C0 <script>alert(1)</script> & "quotes" @ines');
    const edited = await world.request('mara', 'PUT', `/api/v1/statuses/${post.id}`, { status: 'C1 <img src=x onerror=alert(2)>' });
    assert.equal(edited.status, 200);
    const history = await world.get(undefined, `/api/v1/statuses/${post.id}/history`);
    assert.equal(history.status, 200);
    assert.equal(history.body.length, 2);
    const [first, second] = history.body.map((v: { content: string }) => v.content);
    assert.doesNotMatch(first, /<script|<img/);
    assert.match(first, /^<p>C0 &lt;script&gt;alert\(1\)&lt;\/script&gt; &amp; &quot;quotes&quot; /);
    assert.doesNotMatch(second, /<img/);
    assert.match(second, /^<p>C1 &lt;img src=x onerror=alert\(2\)&gt;<\/p>$/);
    // The current version is rendered the same way in the status itself.
    assert.equal(second, (await world.get(undefined, `/api/v1/statuses/${post.id}`)).body.content);
  });
});

describe('HTML is never built with a replacement string', () => {
  test('$ patterns in a display name and caption stay literal on the post page', async () => {
    const name = "M$&a$`r$'a$$";
    assert.equal((await world.request('sam', 'PATCH', '/api/v1/accounts/update_credentials', { display_name: name })).status, 200);
    const post = await postPhotos(world, 'sam', "caption $& $` $' $$ end");
    const res = await world.get(undefined, `/@sam/${post.id}`);
    assert.equal(res.status, 200);
    const html = res.raw.body;
    assert.ok(html.includes(`<meta property="og:title" content="M$&amp;a$\`r$&#39;a$$ (@sam) on Glimpse">`), 'the title is the name as typed, escaped');
    assert.ok(html.includes(`<meta property="og:description" content="caption $&amp; $\` $&#39; $$ end">`));
    // The page is whole: one head, one body, the app's own markup after the tags.
    assert.equal(html.split('<head>').length, 2);
    assert.equal(html.split('</head>').length, 2);
    assert.ok(html.indexOf('og:title') < html.indexOf('</head>'));
  });
});

describe('a stream delete event reaches only streams that could have seen the post', () => {
  let w: World;
  let port: number;
  before(async () => {
    w = await createWorld({ accounts: ['nora', 'ines', 'sam', 'pat', 'remi', 'bo', 'mara'] });
    await w.app.http.listen({ port: 0, host: '127.0.0.1' });
    port = (w.app.http.server.address() as AddressInfo).port;
    const nora = w.actors.nora.id;
    const follow = async (who: WorldName) => assert.equal((await w.post(who, `/api/v1/accounts/${nora}/follow`)).status, 200);
    for (const who of ['ines', 'pat', 'remi', 'bo'] as const) await follow(who);
    for (const who of ['ines', 'remi', 'bo'] as const) assert.equal((await w.post('nora', `/api/v1/follow_requests/${w.actors[who].id}/authorize`)).status, 200);
    assert.equal((await w.post('nora', `/api/v1/accounts/${w.actors.remi.id}/remove_from_followers`)).status, 200);
    assert.equal((await w.post('nora', `/api/v1/accounts/${w.actors.bo.id}/block`)).status, 200);
  });
  after(() => w.close());

  /** A user stream over a real WebSocket, collecting every event in order. */
  const openUserStream = async (who: WorldName) => {
    const socket = new WebSocket(`ws://127.0.0.1:${port}/api/v1/streaming?stream=user&access_token=${w.actors[who].token}`);
    const events: Array<{ event: string; payload: string }> = [];
    const waiters: Array<() => void> = [];
    socket.on('message', (data) => {
      events.push(JSON.parse(String(data)));
      for (const wake of waiters.splice(0)) wake();
    });
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    return {
      events,
      /** Resolves once an event matching `wanted` has arrived; answers the events before it. */
      async until(wanted: (e: { event: string; payload: string }) => boolean) {
        while (!events.some(wanted)) await new Promise<void>((wake) => waiters.push(wake));
        return events.slice(0, events.findIndex(wanted));
      },
      close: () => socket.close(),
    };
  };

  test('a followers-only delete goes to approved followers, not to a stranger, a pending requester, a removed follower or a blocked account', async () => {
    const watchers = ['ines', 'sam', 'pat', 'remi', 'bo'] as const;
    const streams = Object.fromEntries(await Promise.all(watchers.map(async (who) => [who, await openUserStream(who)] as const)));
    const post = await postPhotos(w, 'nora', 'friends only', { extra: { visibility: 'private' } });
    assert.equal((await w.request('nora', 'DELETE', `/api/v1/statuses/${post.id}`)).status, 200);
    // The sentinel: a notification published after the delete. Each stream handles its events
    // in order, so whatever the delete was going to send has been sent before it.
    for (const who of watchers) assert.equal((await w.post('mara', `/api/v1/accounts/${w.actors[who].id}/follow`)).status, 200);
    for (const who of watchers) {
      const before = await streams[who].until((e) => e.event === 'notification');
      const deletes = before.filter((e) => e.event === 'delete').map((e) => e.payload);
      if (who === 'ines') assert.deepEqual(deletes, [post.id], 'the follower is told the post is gone');
      else assert.deepEqual(deletes, [], `${who} never learns the id of a post they could not see`);
      streams[who].close();
    }
  });
});

describe('a suspended account and everything it wrote answer 404 to everyone but admins', () => {
  const G = '/api/glimpse/v1';
  let w: World;
  let admin: Actor;
  let troll: Actor;
  let trollPost: any;
  let maraPost: any;
  let story: any;
  before(async () => {
    // mara registers first, so she is the instance's admin.
    w = await createWorld({ accounts: ['mara', 'ines', 'sam', 'pat'] });
    admin = await tokenWithScopes(w, w.actors.mara, ['read', 'write', 'admin:read', 'admin:write']);
    troll = await w.addActor('troll');
    trollPost = await postPhotos(w, troll, 'troll post #trolltag');
    maraPost = await postPhotos(w, 'mara', 'the party');
    for (const who of ['ines', 'sam', 'pat', troll] as const) {
      assert.equal((await w.post(who, '/api/v1/statuses', { status: 'Not Ines', in_reply_to_id: maraPost.id })).status, 200);
    }
    assert.equal((await w.post(troll, '/api/v1/statuses', { status: 'another troll comment', in_reply_to_id: maraPost.id })).status, 200);
    const media = await uploadPhoto(w, troll);
    story = (await w.post(troll, `${G}/stories`, { media_id: media })).body;
    assert.ok(story.id, JSON.stringify(story));
    assert.equal((await w.post('ines', `/api/v1/accounts/${troll.id}/follow`)).status, 200);
  });
  after(() => w.close());

  const surfaces = () => ({
    account: w.get('ines', `/api/v1/accounts/${troll.id}`),
    lookup: w.get(undefined, `/api/v1/accounts/lookup?acct=troll`),
    statuses: w.get(undefined, `/api/v1/accounts/${troll.id}/statuses`),
    post: w.get('ines', `/api/v1/statuses/${trollPost.id}`),
    story: w.get('ines', `${G}/stories/${story.id}`),
    page: w.get(undefined, `/@troll/${trollPost.id}/embed`),
    oembed: w.get(undefined, `/api/oembed?url=${encodeURIComponent(`http://glimpse.test/@troll/${trollPost.id}`)}`),
    media: w.get(undefined, new URL(trollPost.media_attachments[0].url).pathname),
  });

  const comments = async () => {
    const list = (await w.get('ines', `${G}/statuses/${maraPost.id}/comments?sort=top`)).body.items;
    const digest = (await w.get('mara', `${G}/statuses/${maraPost.id}/reactions_digest`)).body;
    return {
      replies: (await w.get('ines', `/api/v1/statuses/${maraPost.id}`)).body.replies_count,
      authors: list.map((i: any) => i.status.account.username),
      digest,
      // Four accounts are no storm: the fold is counted (the digest's phrase), the list shows each comment.
      fold: digest.clusters.find((c: any) => c.text === 'Not Ines')?.count ?? 0,
    };
  };

  test('suspension hides the profile, posts, stories, embeds, oEmbed and media, and takes the comments out of counts, folds and digests; unsuspending brings all back', async () => {
    for (const [name, res] of Object.entries(surfaces())) assert.equal((await res).status, 200, `${name} answers before the suspension`);
    const before = await comments();
    assert.equal(before.replies, 5);
    assert.equal(before.fold, 4);
    assert.equal(before.digest.comments_total, 5);

    const report = await w.post('ines', '/api/v1/reports', { account_id: troll.id, status_ids: [trollPost.id], comment: 'troll' });
    assert.equal((await w.post(admin, `${G}/admin/reports/${report.body.id}/resolve`, { action: 'suspend' })).status, 200);

    for (const [name, res] of Object.entries(surfaces())) {
      const answer = await res;
      assert.equal(answer.status, 404, `${name} answers 404 while suspended`);
    }
    assert.equal((await w.get(troll, '/api/v1/accounts/verify_credentials')).status, 401, 'the tokens are revoked');
    assert.ok(!(await w.get('ines', '/api/v1/timelines/home')).body.some((s: any) => s.id === trollPost.id), 'gone from the home feed');
    assert.ok(!(await w.get(undefined, '/api/v1/timelines/public')).body.some((s: any) => s.id === trollPost.id), 'gone from the public timeline');
    assert.deepEqual((await w.get('ines', '/api/v1/accounts/search?q=troll')).body, []);
    // The troll wrote two of the five comments, one of them in the "Not Ines" fold.
    const during = await comments();
    assert.equal(during.replies, 3);
    assert.equal(during.fold, 3);
    assert.ok(!during.authors.includes('troll'));
    assert.equal(during.digest.comments_total, 3);
    assert.equal(Object.values(during.digest.tone as Record<string, number>).reduce((a, b) => a + b, 0), 3);

    // Admins still see the account and what it wrote, to review it.
    assert.equal((await w.get(admin, `/api/v1/accounts/${troll.id}`)).status, 200);
    assert.equal((await w.get(admin, `/api/v1/statuses/${trollPost.id}`)).status, 200);

    assert.equal(await unsuspendAccount(w.app.services.database.kysely, troll.id), true);
    for (const [name, res] of Object.entries(surfaces())) assert.equal((await res).status, 200, `${name} answers again after unsuspending`);
    const afterwards = await comments();
    assert.equal(afterwards.replies, 5);
    assert.equal(afterwards.fold, 4);
    assert.equal(afterwards.digest.comments_total, 5);
  });

  test('suspending twice counts the comments out once', async () => {
    const clock = w.app.services.clock;
    assert.equal(await suspendAccount(w.app.services.database.kysely, clock, troll.id), true);
    assert.equal(await suspendAccount(w.app.services.database.kysely, clock, troll.id), false);
    assert.equal((await comments()).replies, 3);
    assert.equal(await unsuspendAccount(w.app.services.database.kysely, troll.id), true);
    assert.equal(await unsuspendAccount(w.app.services.database.kysely, troll.id), false);
    assert.equal((await comments()).replies, 5);
  });
});
