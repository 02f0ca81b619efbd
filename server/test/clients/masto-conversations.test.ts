import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { createRestAPIClient, createStreamingAPIClient, MastoHttpError, type mastodon } from 'masto';
import { startHttpServer, type RunningServer } from '../support/http-server.ts';

(globalThis as { WebSocket?: unknown }).WebSocket ??= WebSocket;

/** Direct messages, conversations and the direct stream through masto 8.0.0 over real HTTP. */
describe('masto 8.0.0: direct messages, conversations and the direct stream', () => {
  let server: RunningServer;
  const tokens: Record<string, string> = {};
  const rest: Record<string, mastodon.rest.Client> = {};
  const ids: Record<string, string> = {};

  before(async () => {
    server = await startHttpServer();
    for (const username of ['mara', 'ines', 'sam', 'pinger', 'sentinel']) {
      const account = await server.app.services.accounts.register({ username, email: `${username}@example.com`, password: `${username}-password`, agreement: true });
      tokens[username] = (await server.app.services.auth.issue({ appId: null, accountId: account.id, scopes: ['read', 'write', 'follow'], withRefresh: false })).access_token;
      rest[username] = createRestAPIClient({ url: server.url, accessToken: tokens[username] });
      ids[username] = account.id;
    }
  });
  after(async () => {
    await server?.close();
  });

  const isStatus = (code: number) => (e: unknown) => e instanceof MastoHttpError && e.statusCode === code;

  test('statuses.create with visibility direct, conversations.list, read and remove', async () => {
    const sent = await rest.mara.v1.statuses.create({ status: '@ines lunch tomorrow?', visibility: 'direct' });
    assert.equal(sent.visibility, 'direct');
    const [conversation] = await rest.ines.v1.conversations.list();
    assert.equal(conversation.lastStatus?.id, sent.id);
    assert.equal(conversation.unread, true);
    assert.deepEqual(conversation.accounts.map((a) => a.username), ['mara']);
    const read = await rest.ines.v1.conversations.$select(conversation.id).read();
    assert.equal(read.unread, false);
    const answer = await rest.ines.v1.statuses.create({ status: '@mara yes!', visibility: 'direct', inReplyToId: sent.id });
    const [maraSide] = await rest.mara.v1.conversations.list();
    assert.deepEqual([maraSide.id, maraSide.lastStatus?.id, maraSide.unread], [conversation.id, answer.id, true]);
    await rest.ines.v1.conversations.$select(conversation.id).remove();
    assert.deepEqual(await rest.ines.v1.conversations.list(), []);
    await assert.rejects(rest.sam.v1.conversations.$select(conversation.id).read(), isStatus(404));
    await assert.rejects(rest.sam.v1.statuses.create({ status: 'nobody here', visibility: 'direct' }), isStatus(422));
  });

  const streamingFor = async (who: string) => {
    const instance = await rest[who].v2.instance.fetch();
    return createStreamingAPIClient({ streamingApiUrl: instance.configuration.urls.streaming, accessToken: tokens[who], retry: false, implementation: WebSocket });
  };

  type Event = mastodon.streaming.Event;
  /** Everything a subscription yields, in order, read by one reader for its whole life. */
  const collect = (subscription: AsyncIterable<Event>) => {
    const events: Event[] = [];
    const waiters = new Set<() => void>();
    const reader = (async () => {
      for await (const event of subscription) {
        events.push(event);
        for (const wake of waiters) wake();
      }
    })().catch(() => undefined);
    const waitFor = async (wanted: (e: Event) => boolean, from = 0): Promise<{ event: Event; index: number }> => {
      for (;;) {
        const index = events.findIndex((e, i) => i >= from && wanted(e));
        if (index >= 0) return { event: events[index], index };
        await new Promise<void>((resolve) => {
          const wake = () => {
            waiters.delete(wake);
            resolve();
          };
          waiters.add(wake);
        });
      }
    };
    return { events, waitFor, reader };
  };
  const conversationFrom = (username: string) => (e: Event) => e.event === 'conversation' && e.payload.lastStatus?.account.username === username;

  /**
   * Resolves once the viewer's subscription is live (the server says nothing back when it takes
   * one): "pinger" messages the viewer until one of those conversation events comes through.
   * The pause only paces the retries; nothing is timed.
   */
  const live = async (viewer: string, stream: ReturnType<typeof collect>) => {
    let arrived = false;
    void stream.waitFor(conversationFrom('pinger')).then(() => (arrived = true));
    while (!arrived) {
      await rest.pinger.v1.statuses.create({ status: `@${viewer} ping`, visibility: 'direct' });
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  test('the direct stream sends each participant a conversation event as they see it, and nobody else', async () => {
    const inesStreaming = await streamingFor('ines');
    const inesDirect = inesStreaming.direct.subscribe();
    const inesEvents = collect(inesDirect);
    const samStreaming = await streamingFor('sam');
    const samDirect = samStreaming.direct.subscribe();
    const samEvents = collect(samDirect);
    await live('ines', inesEvents);
    await live('sam', samEvents);

    const sent = await rest.mara.v1.statuses.create({ status: '@ines on the stream', visibility: 'direct' });
    const got = await inesEvents.waitFor(conversationFrom('mara'));
    assert.ok(got.event.event === 'conversation');
    if (got.event.event === 'conversation') {
      assert.equal(got.event.payload.lastStatus?.id, sent.id);
      assert.equal(got.event.payload.unread, true);
      assert.deepEqual(got.event.payload.accounts.map((a) => a.username), ['mara']);
      assert.deepEqual(got.event.stream, ['direct']);
    }
    // Events go out in order: once the sentinel's message (sent after mara's) reached sam,
    // an event for mara's message would have arrived before it.
    await rest.sentinel.v1.statuses.create({ status: '@sam after', visibility: 'direct' });
    const sentinel = await samEvents.waitFor(conversationFrom('sentinel'));
    assert.deepEqual(samEvents.events.slice(0, sentinel.index).filter(conversationFrom('mara')), []);

    for (const [subscription, streaming, events] of [[inesDirect, inesStreaming, inesEvents], [samDirect, samStreaming, samEvents]] as const) {
      subscription.unsubscribe();
      streaming.close();
      await events.reader;
    }
  });

  test('the server-sent events path /api/v1/streaming/direct sends conversation events too', async () => {
    const controller = new AbortController();
    const res = await fetch(`${server.url}/api/v1/streaming/direct`, { headers: { authorization: `Bearer ${tokens.sam}` }, signal: controller.signal });
    assert.equal(res.status, 200);
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let received = '';
    const readUntil = async (wanted: string) => {
      while (!received.includes(wanted)) {
        const { value, done } = await reader.read();
        if (done) throw new Error('stream ended');
        received += decoder.decode(value, { stream: true });
      }
    };
    // The subscription is taken before the stream's first comment is written.
    await readUntil(':)');
    const sent = await rest.mara.v1.statuses.create({ status: '@sam over sse', visibility: 'direct' });
    await readUntil(`"last_status":{"id":"${sent.id}"`);
    assert.match(received, /event: conversation\ndata: \{"id":"\d+","unread":true/);
    controller.abort();
    await reader.cancel().catch(() => undefined);
  });

  test('the user stream also receives conversation events', async () => {
    const streaming = await streamingFor('ines');
    const subscription = streaming.user.subscribe();
    const events = collect(subscription);
    await live('ines', events);
    const sent = await rest.mara.v1.statuses.create({ status: '@ines on the user stream', visibility: 'direct' });
    const got = await events.waitFor(conversationFrom('mara'));
    assert.ok(got.event.event === 'conversation' && got.event.payload.lastStatus?.id === sent.id);
    assert.deepEqual(got.event.stream, ['user']);
    subscription.unsubscribe();
    streaming.close();
    await events.reader;
  });
});
