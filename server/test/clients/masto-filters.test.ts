import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRestAPIClient, MastoHttpError, type mastodon } from 'masto';
import { startHttpServer, type RunningServer } from '../support/http-server.ts';
import { makeJpeg } from '../support/photos.ts';

/** Filters v2 and v1, and filters applied to timelines, through masto 8.0.0 over real HTTP. */
describe('masto 8.0.0: filters', () => {
  let server: RunningServer;
  const rest: Record<string, mastodon.rest.Client> = {};
  const ids: Record<string, string> = {};
  const tokens: Record<string, string> = {};

  before(async () => {
    server = await startHttpServer();
    for (const username of ['mara', 'ines', 'sam']) {
      const account = await server.app.services.accounts.register({ username, email: `${username}@example.com`, password: `${username}-password`, agreement: true });
      const token = (await server.app.services.auth.issue({ appId: null, accountId: account.id, scopes: ['read', 'write', 'follow'], withRefresh: false })).access_token;
      rest[username] = createRestAPIClient({ url: server.url, accessToken: token });
      tokens[username] = token;
      ids[username] = account.id;
    }
    await rest.ines.v1.accounts.$select(ids.mara).follow();
    await server.app.services.jobs.onIdle();
  });
  after(async () => {
    await server?.close();
  });

  const post = async (who: string, status: string) => {
    const file = new Blob([new Uint8Array(await makeJpeg(40, 40))], { type: 'image/jpeg' });
    const media = await rest[who].v2.media.create({ file });
    await server.app.services.mediaQueue.onIdle();
    const created = await rest[who].v1.statuses.create({ status, mediaIds: [media.id] });
    await server.app.services.jobs.onIdle();
    return created;
  };
  const isStatus = (code: number) => (e: unknown) => e instanceof MastoHttpError && e.statusCode === code;

  test('v2.filters: create with keywords, list, fetch, update (a keyword destroyed, one added) and remove', async () => {
    const filter = await rest.ines.v2.filters.create({ title: 'Spoilers', context: ['home', 'thread'], filterAction: 'warn', keywordsAttributes: [{ keyword: 'finale', wholeWord: true }, { keyword: 'twist' }] });
    assert.deepEqual([filter.title, filter.context, filter.filterAction, filter.expiresAt], ['Spoilers', ['home', 'thread'], 'warn', null]);
    assert.deepEqual(filter.keywords.map((k) => [k.keyword, k.wholeWord]), [['finale', true], ['twist', true]]);
    assert.deepEqual((await rest.ines.v2.filters.list()).map((f) => f.id), [filter.id]);
    assert.equal((await rest.ines.v2.filters.$select(filter.id).fetch()).title, 'Spoilers');
    const updated = await rest.ines.v2.filters.$select(filter.id).update({
      title: 'TV',
      filterAction: 'hide',
      expiresIn: 3600,
      keywordsAttributes: [{ id: filter.keywords[1].id, _destroy: true }, { keyword: 'cliffhanger', wholeWord: false }],
    });
    assert.deepEqual([updated.title, updated.filterAction, typeof updated.expiresAt], ['TV', 'hide', 'string']);
    assert.deepEqual(updated.keywords.map((k) => [k.keyword, k.wholeWord]), [['finale', true], ['cliffhanger', false]]);
    await assert.rejects(rest.sam.v2.filters.$select(filter.id).fetch(), isStatus(404));
    await assert.rejects(rest.ines.v2.filters.create({ title: 'Nowhere', context: [] }), isStatus(422));
    await rest.ines.v2.filters.$select(filter.id).remove();
    await assert.rejects(rest.ines.v2.filters.$select(filter.id).fetch(), isStatus(404));
  });

  test('v2.filters keywords and statuses: create, list, fetch, update and remove', async () => {
    const filter = await rest.ines.v2.filters.create({ title: 'Parts', context: ['public'] });
    const keyword = await rest.ines.v2.filters.$select(filter.id).keywords.create({ keyword: 'durian', wholeWord: false });
    assert.deepEqual([keyword.keyword, keyword.wholeWord], ['durian', false]);
    assert.deepEqual((await rest.ines.v2.filters.$select(filter.id).keywords.list()).map((k) => k.id), [keyword.id]);
    assert.equal((await rest.ines.v2.filters.keywords.$select(keyword.id).fetch()).keyword, 'durian');
    const changed = await rest.ines.v2.filters.keywords.$select(keyword.id).update({ keyword: 'jackfruit', wholeWord: true });
    assert.deepEqual([changed.keyword, changed.wholeWord], ['jackfruit', true]);
    await rest.ines.v2.filters.keywords.$select(keyword.id).remove();
    assert.deepEqual(await rest.ines.v2.filters.$select(filter.id).keywords.list(), []);

    const status = await post('mara', 'a post to filter by id');
    const filterStatus = await rest.ines.v2.filters.$select(filter.id).statuses.create({ statusId: status.id });
    assert.equal(filterStatus.statusId, status.id);
    assert.deepEqual((await rest.ines.v2.filters.$select(filter.id).statuses.list()).map((s) => s.id), [filterStatus.id]);
    assert.equal((await rest.ines.v2.filters.statuses.$select(filterStatus.id).fetch()).statusId, status.id);
    await assert.rejects(rest.sam.v2.filters.statuses.$select(filterStatus.id).fetch(), isStatus(404));
    await rest.ines.v2.filters.statuses.$select(filterStatus.id).remove();
    assert.deepEqual(await rest.ines.v2.filters.$select(filter.id).statuses.list(), []);
    await rest.ines.v2.filters.$select(filter.id).remove();
  });

  test('v1.filters: create, list, fetch, update and remove, mapped onto a v2 filter with one keyword', async () => {
    const filter = await rest.sam.v1.filters.create({ phrase: 'Heatwave', context: ['home'], irreversible: true, wholeWord: false });
    assert.deepEqual([filter.phrase, filter.context, filter.irreversible, filter.wholeWord, filter.expiresAt], ['Heatwave', ['home'], true, false, null]);
    assert.deepEqual((await rest.sam.v1.filters.list()).map((f) => f.id), [filter.id]);
    const [v2] = await rest.sam.v2.filters.list();
    assert.deepEqual([v2.title, v2.filterAction, v2.keywords.map((k) => k.id)], ['Heatwave', 'hide', [filter.id]]);
    const updated = await rest.sam.v1.filters.$select(filter.id).update({ phrase: 'heat', context: ['home', 'public'], irreversible: false, wholeWord: true });
    assert.deepEqual([updated.phrase, updated.context, updated.irreversible, updated.wholeWord], ['heat', ['home', 'public'], false, true]);
    assert.equal((await rest.sam.v1.filters.$select(filter.id).fetch()).phrase, 'heat');
    await rest.sam.v1.filters.$select(filter.id).remove();
    assert.deepEqual(await rest.sam.v1.filters.list(), []);
    assert.deepEqual(await rest.sam.v2.filters.list(), []);
  });

  test('the home timeline marks a warn match with filtered and leaves out a hide match', async () => {
    const warn = await rest.ines.v2.filters.create({ title: 'Pineapple', context: ['home'], keywordsAttributes: [{ keyword: 'pineapple' }] });
    await rest.ines.v2.filters.create({ title: 'Anchovies', context: ['home'], filterAction: 'hide', keywordsAttributes: [{ keyword: 'anchovies' }] });
    const marked = await post('mara', 'Pizza with Pineapple');
    const hidden = await post('mara', 'Pizza with anchovies');
    const plain = await post('mara', 'Pizza margherita');
    const home = await rest.ines.v1.timelines.home.list({ limit: 40 });
    const seen = new Map(home.map((s) => [s.id, s]));
    assert.ok(!seen.has(hidden.id));
    assert.deepEqual(seen.get(plain.id)?.filtered, []);
    const [result] = seen.get(marked.id)?.filtered ?? [];
    assert.deepEqual([result?.filter.id, result?.filter.title, result?.filter.filterAction, result?.keywordMatches, result?.statusMatches], [warn.id, 'Pineapple', 'warn', ['pineapple'], null]);
    // mara has no filters: her own view of the posts is unmarked.
    const own = await rest.mara.v1.accounts.$select(ids.mara).statuses.list({ limit: 40 });
    assert.ok(own.some((s) => s.id === hidden.id));
    assert.ok(own.every((s) => (s.filtered ?? []).length === 0));
  });

  test('the user stream (server-sent events) leaves out a hide match and marks a warn match with filtered', async () => {
    await rest.sam.v1.accounts.$select(ids.mara).follow();
    await rest.sam.v2.filters.create({ title: 'Kohlrabi', context: ['home'], filterAction: 'hide', keywordsAttributes: [{ keyword: 'kohlrabi' }] });
    const warn = await rest.sam.v2.filters.create({ title: 'Okra', context: ['home'], keywordsAttributes: [{ keyword: 'okra' }] });
    const abort = new AbortController();
    const res = await fetch(`${server.url}/api/v1/streaming/user`, { headers: { authorization: `Bearer ${tokens.sam}` }, signal: abort.signal });
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
    await post('mara', 'kohlrabi soup');
    const marked = await post('mara', 'okra stew');
    // Events are sent in the order they happened: the first update is the warn match, so the hidden one was never sent.
    await readUntil((t) => /event: update\ndata: .*\n/.test(t));
    const data = JSON.parse(/event: update\ndata: (.*)\n/.exec(text)![1]);
    assert.equal(data.id, marked.id);
    assert.deepEqual(data.filtered.map((r: any) => [r.filter.id, r.keyword_matches]), [[warn.id, ['okra']]]);
    abort.abort();
    await reader.cancel().catch(() => undefined);
  });
});
