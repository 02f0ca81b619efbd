import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { createRestAPIClient, createStreamingAPIClient, MastoHttpError, type mastodon } from 'masto';
import { startHttpServer, type RunningServer } from '../support/http-server.ts';
import { makeJpeg } from '../support/photos.ts';

(globalThis as { WebSocket?: unknown }).WebSocket ??= WebSocket;

/** Lists, followed and featured hashtags, and the list stream through masto 8.0.0 over real HTTP. */
describe('masto 8.0.0: lists, followed tags, featured tags and the list stream', () => {
  let server: RunningServer;
  const tokens: Record<string, string> = {};
  const rest: Record<string, mastodon.rest.Client> = {};
  const ids: Record<string, string> = {};

  before(async () => {
    server = await startHttpServer();
    for (const username of ['mara', 'ines', 'sam', 'pinger']) {
      const account = await server.app.services.accounts.register({ username, email: `${username}@example.com`, password: `${username}-password`, agreement: true });
      tokens[username] = (await server.app.services.auth.issue({ appId: null, accountId: account.id, scopes: ['read', 'write', 'follow'], withRefresh: false })).access_token;
      rest[username] = createRestAPIClient({ url: server.url, accessToken: tokens[username] });
      ids[username] = account.id;
    }
    await rest.ines.v1.accounts.$select(ids.mara).follow();
    await rest.ines.v1.accounts.$select(ids.sam).follow();
    await server.app.services.jobs.onIdle();
  });
  after(async () => {
    await server?.close();
  });

  const post = async (who: string, status: string) => {
    const file = new Blob([new Uint8Array(await makeJpeg(40, 40))], { type: 'image/jpeg' });
    const media = await rest[who].v2.media.create({ file });
    await server.app.services.mediaQueue.onIdle();
    return rest[who].v1.statuses.create({ status, mediaIds: [media.id] });
  };
  const isNotFound = (e: unknown) => e instanceof MastoHttpError && e.statusCode === 404;

  test('v1.lists: create, fetch, update, members and remove; a stranger cannot add an account it does not follow', async () => {
    const list = await rest.ines.v1.lists.create({ title: 'Friends', exclusive: false });
    assert.deepEqual([list.title, list.repliesPolicy, list.exclusive], ['Friends', 'list', false]);
    const updated = await rest.ines.v1.lists.$select(list.id).update({ title: 'Best friends', exclusive: true });
    assert.deepEqual([updated.title, updated.exclusive], ['Best friends', true]);
    assert.deepEqual((await rest.ines.v1.lists.list()).map((l) => l.id), [list.id]);
    await rest.ines.v1.lists.$select(list.id).accounts.create({ accountIds: [ids.mara, ids.sam] });
    const members = await rest.ines.v1.lists.$select(list.id).accounts.list();
    assert.deepEqual(members.map((a) => a.username).sort(), ['mara', 'sam']);
    assert.deepEqual((await rest.ines.v1.accounts.$select(ids.mara).lists.list()).map((l) => l.id), [list.id]);
    await rest.ines.v1.lists.$select(list.id).accounts.remove({ accountIds: [ids.sam] });
    assert.deepEqual((await rest.ines.v1.lists.$select(list.id).accounts.list()).map((a) => a.username), ['mara']);
    await assert.rejects(rest.sam.v1.lists.$select(list.id).fetch(), isNotFound);
    const own = await rest.sam.v1.lists.create({ title: 'Nobody I follow' });
    await assert.rejects(rest.sam.v1.lists.$select(own.id).accounts.create({ accountIds: [ids.mara] }), (e: unknown) => e instanceof MastoHttpError && e.statusCode === 422);
    await rest.sam.v1.lists.$select(own.id).remove();
    await assert.rejects(rest.sam.v1.lists.$select(own.id).fetch(), isNotFound);
    await rest.ines.v1.lists.$select(list.id).remove();
  });

  test('v1.timelines.list pages the members\' posts newest first through Link headers', async () => {
    const list = await rest.ines.v1.lists.create({ title: 'Mara' });
    await rest.ines.v1.lists.$select(list.id).accounts.create({ accountIds: [ids.mara] });
    const posted = [await post('mara', 'one'), await post('mara', 'two'), await post('mara', 'three')].map((s) => s.id);
    await post('sam', 'not in the list');
    const pages: string[][] = [];
    for await (const page of rest.ines.v1.timelines.list.$select(list.id).list({ limit: 2 })) {
      pages.push(page.map((s) => s.id));
      if (pages.length > 3) break;
    }
    assert.deepEqual(pages.flat(), [...posted].reverse());
    assert.deepEqual(pages[0].length, 2);
  });

  test('v1.tags follow, fetch and unfollow; v1.followedTags lists them; a followed tag feeds the home timeline', async () => {
    const tag = await rest.sam.v1.tags.$select('lighthouse').follow();
    assert.deepEqual([tag.name, tag.following], ['lighthouse', true]);
    assert.equal((await rest.sam.v1.tags.$select('lighthouse').fetch()).history?.length, 7);
    assert.deepEqual((await rest.sam.v1.followedTags.list()).map((t) => t.name), ['lighthouse']);
    const tagged = await post('mara', 'the old #lighthouse');
    assert.ok((await rest.sam.v1.timelines.home.list({ limit: 10 })).some((s) => s.id === tagged.id));
    const unfollowed = await rest.sam.v1.tags.$select('lighthouse').unfollow();
    assert.equal(unfollowed.following, false);
    assert.deepEqual(await rest.sam.v1.followedTags.list(), []);
  });

  test('v1.featuredTags: create, list, suggestions and remove; accounts.featuredTags counts the posts', async () => {
    await post('mara', '#sailing today');
    await post('mara', '#sailing again #knots');
    const featured = await rest.mara.v1.featuredTags.create({ name: 'sailing' });
    assert.deepEqual([featured.name, featured.statusesCount], ['sailing', 2]);
    assert.deepEqual((await rest.mara.v1.featuredTags.list()).map((t) => t.id), [featured.id]);
    assert.ok((await rest.mara.v1.featuredTags.suggestions.list()).some((t) => t.name === 'knots'));
    assert.deepEqual((await rest.sam.v1.accounts.$select(ids.mara).featuredTags.list()).map((t) => [t.name, t.statusesCount]), [['sailing', 2]]);
    await rest.mara.v1.featuredTags.$select(featured.id).remove();
    assert.deepEqual(await rest.mara.v1.featuredTags.list(), []);
  });

  test('the list stream delivers a member\'s new post with the list named in the event, and nothing from others', async () => {
    const list = await rest.ines.v1.lists.create({ title: 'Sam' });
    await rest.ines.v1.lists.$select(list.id).accounts.create({ accountIds: [ids.sam] });
    const instance = await rest.ines.v2.instance.fetch();
    const streaming = createStreamingAPIClient({ streamingApiUrl: instance.configuration.urls.streaming, accessToken: tokens.ines, retry: false, implementation: WebSocket });
    // Both subscriptions share one socket, the list's sent first: once the user stream is live
    // (a follow notification from the pinger came through), so is the list stream.
    const listEvents: mastodon.streaming.Event[] = [];
    const userEvents: mastodon.streaming.Event[] = [];
    const waiters = new Set<() => void>();
    const wake = () => {
      for (const w of [...waiters]) w();
    };
    /** Resolves once `check` holds, re-checked whenever an event arrives. */
    const until = async (check: () => boolean) => {
      while (!check()) {
        await new Promise<void>((resolve) => {
          const w = () => {
            waiters.delete(w);
            resolve();
          };
          waiters.add(w);
        });
      }
    };
    const read = (subscription: AsyncIterable<mastodon.streaming.Event>, into: mastodon.streaming.Event[]) =>
      (async () => {
        for await (const event of subscription) {
          into.push(event);
          wake();
        }
      })().catch(() => undefined);
    const listSubscription = streaming.list.subscribe({ list: list.id });
    const listReader = read(listSubscription, listEvents);
    const userSubscription = streaming.user.subscribe();
    const userReader = read(userSubscription, userEvents);
    let live = false;
    void until(() => userEvents.some((e) => e.event === 'notification')).then(() => (live = true));
    while (!live) {
      await rest.pinger.v1.accounts.$select(ids.ines).unfollow();
      await rest.pinger.v1.accounts.$select(ids.ines).follow();
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await post('mara', 'mara is not in this list');
    const fromSam = await post('sam', 'sam is');
    await until(() => listEvents.length > 0);
    const [first] = listEvents;
    assert.equal(first.event, 'update');
    assert.ok(first.event === 'update' && first.payload.id === fromSam.id, 'the first list event is the member\'s post');
    assert.deepEqual(first.stream, ['list', list.id]);
    listSubscription.unsubscribe();
    userSubscription.unsubscribe();
    streaming.close();
    await Promise.all([listReader, userReader]);
  });

  test('the list stream over server-sent events sends the member\'s post; the stream is live once its first comment arrives', async () => {
    const list = await rest.ines.v1.lists.create({ title: 'Mara by SSE' });
    await rest.ines.v1.lists.$select(list.id).accounts.create({ accountIds: [ids.mara] });
    const abort = new AbortController();
    const res = await fetch(`${server.url}/api/v1/streaming/list?list=${list.id}`, { headers: { authorization: `Bearer ${tokens.ines}` }, signal: abort.signal });
    assert.equal(res.status, 200);
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    const readUntil = async (wanted: (t: string) => boolean) => {
      while (!wanted(text)) {
        const { value, done } = await reader.read();
        if (done) throw new Error('the stream ended');
        text += decoder.decode(value, { stream: true });
      }
    };
    // The subscription is taken before the opening comment is written.
    await readUntil((t) => t.includes(':)'));
    await post('sam', 'sam is not in this one');
    const fromMara = await post('mara', 'mara is');
    await readUntil((t) => /event: update\ndata: .*\n/.test(t));
    const data = /event: update\ndata: (.*)\n/.exec(text)?.[1];
    assert.equal(JSON.parse(data!).id, fromMara.id);
    abort.abort();
    await reader.cancel().catch(() => undefined);
  });
});
