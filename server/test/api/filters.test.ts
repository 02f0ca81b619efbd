import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createWorld, type Actor, type World, type WorldName } from '../support/world.ts';
import { postPhotos, uploadPhoto } from '../support/photos.ts';
import { formRequest, ids, tokenWithScopes } from '../support/http.ts';
import { countQueries } from '../support/query-count.ts';
import { isFilterActive, activeFilterSql } from '../../src/access/filter-policy.ts';
import { keywordPattern } from '../../src/domain/filters/filter-matcher.ts';

type Who = WorldName | Actor;

/** Mastodon filters: v2 and v1 CRUD, bounds, ownership, and filters applied server-side. */
describe('filters', () => {
  let world: World;
  const follow = async (who: Who, target: WorldName) => assert.equal((await world.post(who, `/api/v1/accounts/${world.actors[target].id}/follow`)).status, 200);
  const createFilter = async (who: Who, body: Record<string, unknown>) => {
    const res = await world.post(who, '/api/v2/filters', body);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body as { id: string; title: string; context: string[]; expires_at: string | null; filter_action: string; keywords: Array<{ id: string; keyword: string; whole_word: boolean }>; statuses: Array<{ id: string; status_id: string }> };
  };
  const keywordFilter = (who: Who, keyword: string, extra: Record<string, unknown> = {}) =>
    createFilter(who, { title: `no ${keyword}`, context: ['home', 'public', 'thread', 'account', 'notifications'], keywords_attributes: [{ keyword, whole_word: false }], ...extra });
  const home = async (who: Who) => (await world.get(who, '/api/v1/timelines/home?limit=40')).body as any[];
  const byId = (statuses: any[], id: string) => statuses.find((s) => s.id === id);

  before(async () => {
    world = await createWorld({ accounts: ['mara', 'ines', 'sam'] });
    await follow('ines', 'mara');
    await world.app.services.jobs.onIdle();
  });
  after(() => world.close());

  describe('v2 filters', () => {
    test('a filter is created with keywords, read, listed, changed (keywords added, changed and destroyed) and deleted', async () => {
      const created = await createFilter('ines', {
        title: 'Spoilers',
        context: ['home', 'public'],
        filter_action: 'hide',
        keywords_attributes: [{ keyword: 'finale' }, { keyword: 'ending', whole_word: false }],
      });
      assert.deepEqual(Object.keys(created).sort(), ['context', 'expires_at', 'filter_action', 'id', 'keywords', 'statuses', 'title']);
      assert.deepEqual([created.title, created.context, created.filter_action, created.expires_at, created.statuses], ['Spoilers', ['home', 'public'], 'hide', null, []]);
      assert.deepEqual(created.keywords.map((k) => [k.keyword, k.whole_word]), [['finale', true], ['ending', false]]);
      assert.deepEqual(Object.keys(created.keywords[0]).sort(), ['id', 'keyword', 'whole_word']);
      assert.deepEqual((await world.get('ines', `/api/v2/filters/${created.id}`)).body, created);
      assert.ok(ids(await world.get('ines', '/api/v2/filters')).includes(created.id));

      const [finale, ending] = created.keywords;
      const changed = await world.request('ines', 'PUT', `/api/v2/filters/${created.id}`, {
        title: 'TV spoilers',
        context: ['thread'],
        filter_action: 'blur',
        keywords_attributes: [{ id: finale.id, keyword: 'season finale' }, { id: ending.id, _destroy: true }, { keyword: 'twist' }],
      });
      assert.equal(changed.status, 200, JSON.stringify(changed.body));
      assert.deepEqual([changed.body.title, changed.body.context, changed.body.filter_action], ['TV spoilers', ['thread'], 'blur']);
      assert.deepEqual(changed.body.keywords.map((k: any) => [k.id === finale.id, k.keyword, k.whole_word]), [[true, 'season finale', true], [false, 'twist', true]]);

      assert.deepEqual((await world.request('ines', 'DELETE', `/api/v2/filters/${created.id}`)).body, {});
      assert.equal((await world.get('ines', `/api/v2/filters/${created.id}`)).status, 404);
      assert.equal((await world.get('ines', `/api/v2/filters/keywords/${finale.id}`)).status, 404);
    });

    test('expires_in sets expires_at on the clock; an update with null makes it permanent, one without expires_in keeps it', async () => {
      const filter = await createFilter('ines', { title: 'For an hour', context: ['home'], expires_in: 3600 });
      assert.equal(filter.expires_at, new Date(world.clock.now().getTime() + 3600_000).toISOString());
      const kept = await world.request('ines', 'PUT', `/api/v2/filters/${filter.id}`, { title: 'Still an hour' });
      assert.equal(kept.body.expires_at, filter.expires_at);
      const permanent = await world.request('ines', 'PUT', `/api/v2/filters/${filter.id}`, { expires_in: null });
      assert.equal(permanent.body.expires_at, null);
      const fromForm = await formRequest(world, 'ines', 'POST', '/api/v2/filters', { title: 'From a form', 'context[]': ['home', 'notifications'], expires_in: '60', 'keywords_attributes[0][keyword]': 'formed', 'keywords_attributes[0][whole_word]': 'false' });
      assert.equal(fromForm.status, 200, JSON.stringify(fromForm.body));
      assert.deepEqual([fromForm.body.context, fromForm.body.keywords.map((k: any) => [k.keyword, k.whole_word])], [['home', 'notifications'], [['formed', false]]]);
      assert.equal(fromForm.body.expires_at, new Date(world.clock.now().getTime() + 60_000).toISOString());
    });

    test('keywords: listed, added, read, changed and deleted through their own endpoints', async () => {
      const filter = await createFilter('ines', { title: 'Words', context: ['home'] });
      const added = await world.post('ines', `/api/v2/filters/${filter.id}/keywords`, { keyword: 'Brussels sprouts', whole_word: false });
      assert.equal(added.status, 200);
      assert.deepEqual({ ...added.body, id: undefined }, { id: undefined, keyword: 'Brussels sprouts', whole_word: false });
      assert.deepEqual((await world.get('ines', `/api/v2/filters/${filter.id}/keywords`)).body, [added.body]);
      assert.deepEqual((await world.get('ines', `/api/v2/filters/keywords/${added.body.id}`)).body, added.body);
      const changed = await world.request('ines', 'PUT', `/api/v2/filters/keywords/${added.body.id}`, { keyword: 'sprouts', whole_word: true });
      assert.deepEqual(changed.body, { id: added.body.id, keyword: 'sprouts', whole_word: true });
      assert.deepEqual((await world.request('ines', 'DELETE', `/api/v2/filters/keywords/${added.body.id}`)).body, {});
      assert.deepEqual((await world.get('ines', `/api/v2/filters/${filter.id}/keywords`)).body, []);
      assert.equal((await world.get('ines', `/api/v2/filters/keywords/${added.body.id}`)).status, 404);
    });

    test('statuses: a visible status is added once (again is 422), listed, read and deleted; one the viewer cannot see is 404', async () => {
      const post = await postPhotos(world, 'mara', 'a post to filter');
      const filter = await createFilter('ines', { title: 'This post', context: ['home'] });
      const added = await world.post('ines', `/api/v2/filters/${filter.id}/statuses`, { status_id: post.id });
      assert.equal(added.status, 200, JSON.stringify(added.body));
      assert.deepEqual(Object.keys(added.body).sort(), ['id', 'status_id']);
      assert.equal(added.body.status_id, post.id);
      assert.equal((await world.post('ines', `/api/v2/filters/${filter.id}/statuses`, { status_id: post.id })).status, 422);
      assert.deepEqual((await world.get('ines', `/api/v2/filters/${filter.id}/statuses`)).body, [added.body]);
      assert.deepEqual((await world.get('ines', `/api/v2/filters/statuses/${added.body.id}`)).body, added.body);
      assert.deepEqual((await world.get('ines', `/api/v2/filters/${filter.id}`)).body.statuses, [added.body]);
      assert.deepEqual((await world.request('ines', 'DELETE', `/api/v2/filters/statuses/${added.body.id}`)).body, {});
      assert.equal((await world.get('ines', `/api/v2/filters/statuses/${added.body.id}`)).status, 404);

      const hidden = await postPhotos(world, 'sam', 'for my followers', { extra: { visibility: 'private' } });
      assert.deepEqual((await world.post('ines', `/api/v2/filters/${filter.id}/statuses`, { status_id: hidden.id })).body, { error: 'Record not found' });
      assert.equal((await world.post('ines', `/api/v2/filters/${filter.id}/statuses`, { status_id: '99999999' })).status, 404);
    });

    test("another account's filter, keyword and filter status are 404 on every endpoint, and nothing changes", async () => {
      const post = await postPhotos(world, 'mara', 'filtered by ines');
      const filter = await createFilter('ines', { title: 'Private matter', context: ['home'], keywords_attributes: [{ keyword: 'secret' }] });
      const status = (await world.post('ines', `/api/v2/filters/${filter.id}/statuses`, { status_id: post.id })).body;
      const keyword = filter.keywords[0];
      const missing = { error: 'Record not found' };
      const attempts: Array<[string, string, unknown?]> = [
        ['GET', `/api/v2/filters/${filter.id}`],
        ['PUT', `/api/v2/filters/${filter.id}`, { title: 'taken' }],
        ['DELETE', `/api/v2/filters/${filter.id}`],
        ['GET', `/api/v2/filters/${filter.id}/keywords`],
        ['POST', `/api/v2/filters/${filter.id}/keywords`, { keyword: 'planted' }],
        ['GET', `/api/v2/filters/keywords/${keyword.id}`],
        ['PUT', `/api/v2/filters/keywords/${keyword.id}`, { keyword: 'changed' }],
        ['DELETE', `/api/v2/filters/keywords/${keyword.id}`],
        ['GET', `/api/v2/filters/${filter.id}/statuses`],
        ['POST', `/api/v2/filters/${filter.id}/statuses`, { status_id: post.id }],
        ['GET', `/api/v2/filters/statuses/${status.id}`],
        ['DELETE', `/api/v2/filters/statuses/${status.id}`],
        ['GET', `/api/v1/filters/${keyword.id}`],
        ['PUT', `/api/v1/filters/${keyword.id}`, { phrase: 'changed', context: ['home'] }],
        ['DELETE', `/api/v1/filters/${keyword.id}`],
      ];
      for (const [method, url, body] of attempts) {
        const res = await world.request('sam', method as 'GET', url, body);
        assert.deepEqual([res.status, res.body], [404, missing], `${method} ${url}`);
      }
      // A keyword of ines's filter cannot be changed through sam's own filter either.
      const own = await createFilter('sam', { title: 'Mine', context: ['home'] });
      assert.equal((await world.request('sam', 'PUT', `/api/v2/filters/${own.id}`, { keywords_attributes: [{ id: keyword.id, keyword: 'stolen' }] })).status, 404);
      assert.ok(!ids(await world.get('sam', '/api/v2/filters')).includes(filter.id));
      assert.ok(!ids(await world.get('sam', '/api/v1/filters')).includes(keyword.id));
      assert.deepEqual(await world.get('ines', `/api/v2/filters/${filter.id}`).then((r) => [r.body.title, r.body.keywords.map((k: any) => k.keyword), r.body.statuses.length]), ['Private matter', ['secret'], 1]);
    });

    test('bad input is 422 and writes nothing: empty or unknown context, unknown action, blank or long title and keyword, bad expires_in', async () => {
      const me = await world.addActor('validator');
      const bad: Array<Record<string, unknown>> = [
        { title: 'No context', context: [] },
        { title: 'No context at all' },
        { title: 'Unknown context', context: ['home', 'everywhere'] },
        { title: 'Unknown action', context: ['home'], filter_action: 'delete' },
        { title: '   ', context: ['home'] },
        { context: ['home'] },
        { title: 'x'.repeat(101), context: ['home'] },
        { title: 'Long keyword', context: ['home'], keywords_attributes: [{ keyword: 'k'.repeat(101) }] },
        { title: 'Blank keyword', context: ['home'], keywords_attributes: [{ keyword: ' ' }] },
        { title: 'Negative expiry', context: ['home'], expires_in: -5 },
        { title: 'Not a number', context: ['home'], expires_in: 'soon' },
      ];
      for (const body of bad) {
        const res = await world.post(me, '/api/v2/filters', body);
        assert.equal(res.status, 422, JSON.stringify(body));
        assert.match(res.body.error, /^Validation failed/);
      }
      assert.deepEqual((await world.get(me, '/api/v2/filters')).body, []);
      const filter = await createFilter(me, { title: 'x'.repeat(100), context: ['home'], keywords_attributes: [{ keyword: 'k'.repeat(100) }] });
      assert.equal((await world.request(me, 'PUT', `/api/v2/filters/${filter.id}`, { context: [] })).status, 422);
      assert.equal((await world.request(me, 'PUT', `/api/v2/filters/${filter.id}`, { context: ['home'], title: 'changed', keywords_attributes: [{ keyword: '' }] })).status, 422);
      assert.equal((await world.get(me, `/api/v2/filters/${filter.id}`)).body.title, 'x'.repeat(100));
      assert.equal((await world.post(me, `/api/v2/filters/${filter.id}/keywords`, { keyword: 'k'.repeat(101) })).status, 422);
      assert.equal((await world.post(me, `/api/v2/filters/${filter.id}/statuses`, {})).status, 422);
    });

    test('an account has at most 100 filters and a filter at most 100 keywords', async () => {
      const me = await world.addActor('collector');
      const hundred = Array.from({ length: 100 }, (_, i) => ({ keyword: `word${i}` }));
      const full = await createFilter(me, { title: 'Full', context: ['home'], keywords_attributes: hundred });
      assert.equal(full.keywords.length, 100);
      assert.equal((await world.post(me, `/api/v2/filters/${full.id}/keywords`, { keyword: 'one more' })).status, 422);
      assert.equal((await world.request(me, 'PUT', `/api/v2/filters/${full.id}`, { keywords_attributes: [{ keyword: 'one more' }] })).status, 422);
      // Destroying one makes room for one, in the same update.
      const swapped = await world.request(me, 'PUT', `/api/v2/filters/${full.id}`, { keywords_attributes: [{ id: full.keywords[0].id, _destroy: true }, { keyword: 'replacement' }] });
      assert.equal(swapped.status, 200);
      assert.equal(swapped.body.keywords.length, 100);
      assert.equal((await world.post(me, '/api/v2/filters', { title: 'Too many keywords', context: ['home'], keywords_attributes: [...hundred, { keyword: 'extra' }] })).status, 422);
      for (let i = 1; i < 100; i++) await createFilter(me, { title: `Filter ${i}`, context: ['home'] });
      const refused = await world.post(me, '/api/v2/filters', { title: 'The 101st', context: ['home'] });
      assert.equal(refused.status, 422);
      assert.equal((await world.get(me, '/api/v2/filters')).body.length, 100);
      assert.equal((await world.post(me, '/api/v1/filters', { phrase: 'v1 too', context: ['home'] })).status, 422);
    });

    test('read:filters reads and write:filters writes; without a token it is 401', async () => {
      const reader = await tokenWithScopes(world, world.actors.ines, ['read:filters']);
      const other = await tokenWithScopes(world, world.actors.ines, ['read:statuses', 'write:statuses']);
      assert.equal((await world.get(reader, '/api/v2/filters')).status, 200);
      assert.equal((await world.get(reader, '/api/v1/filters')).status, 200);
      assert.equal((await world.post(reader, '/api/v2/filters', { title: 'No', context: ['home'] })).status, 403);
      assert.equal((await world.post(reader, '/api/v1/filters', { phrase: 'no', context: ['home'] })).status, 403);
      assert.equal((await world.get(other, '/api/v2/filters')).status, 403);
      assert.equal((await world.get(undefined, '/api/v2/filters')).status, 401);
      assert.equal((await world.get(undefined, '/api/v1/filters')).status, 401);
    });
  });

  describe('v1 filters', () => {
    test('a v1 filter is one filter with one keyword: created, read, listed, changed and deleted, and seen through v2', async () => {
      const me = await world.addActor('v1user');
      const created = await world.post(me, '/api/v1/filters', { phrase: 'Heatwave', context: ['home', 'public'], irreversible: true, whole_word: false, expires_in: 600 });
      assert.equal(created.status, 200, JSON.stringify(created.body));
      assert.deepEqual({ ...created.body, id: undefined }, { id: undefined, phrase: 'Heatwave', context: ['home', 'public'], whole_word: false, expires_at: new Date(world.clock.now().getTime() + 600_000).toISOString(), irreversible: true });
      const [v2] = (await world.get(me, '/api/v2/filters')).body;
      assert.deepEqual([v2.title, v2.filter_action, v2.context, v2.keywords.map((k: any) => [k.id, k.keyword, k.whole_word])], ['Heatwave', 'hide', ['home', 'public'], [[created.body.id, 'Heatwave', false]]]);
      assert.deepEqual((await world.get(me, `/api/v1/filters/${created.body.id}`)).body, created.body);
      assert.deepEqual((await world.get(me, '/api/v1/filters')).body, [created.body]);

      const changed = await world.request(me, 'PUT', `/api/v1/filters/${created.body.id}`, { phrase: 'heat', context: ['thread'], irreversible: false, whole_word: true });
      assert.deepEqual({ ...changed.body, expires_at: undefined }, { id: created.body.id, phrase: 'heat', context: ['thread'], whole_word: true, expires_at: undefined, irreversible: false });
      // The filter v1 made is titled by its phrase, so it is renamed with it.
      assert.deepEqual(await world.get(me, `/api/v2/filters/${v2.id}`).then((r) => [r.body.title, r.body.filter_action]), ['heat', 'warn']);

      assert.deepEqual((await world.request(me, 'DELETE', `/api/v1/filters/${created.body.id}`)).body, {});
      assert.equal((await world.get(me, `/api/v1/filters/${created.body.id}`)).status, 404);
      assert.deepEqual((await world.get(me, '/api/v2/filters')).body, []);
    });

    test('v1 lists each keyword of v2 filters; its context cannot be changed through v1 when the filter has several keywords', async () => {
      const me = await world.addActor('v1mixed');
      const filter = await createFilter(me, { title: 'Two words', context: ['home'], keywords_attributes: [{ keyword: 'alpha' }, { keyword: 'beta', whole_word: false }] });
      const listed = (await world.get(me, '/api/v1/filters')).body;
      assert.deepEqual(listed.map((f: any) => [f.id, f.phrase, f.whole_word, f.context, f.irreversible]), [
        [filter.keywords[0].id, 'alpha', true, ['home'], false],
        [filter.keywords[1].id, 'beta', false, ['home'], false],
      ]);
      assert.equal((await world.request(me, 'PUT', `/api/v1/filters/${filter.keywords[0].id}`, { phrase: 'alpha', context: ['public'] })).status, 422);
      const renamed = await world.request(me, 'PUT', `/api/v1/filters/${filter.keywords[0].id}`, { phrase: 'gamma', context: ['home'] });
      assert.equal(renamed.status, 200);
      assert.deepEqual(await world.get(me, `/api/v2/filters/${filter.id}`).then((r) => [r.body.title, r.body.keywords.map((k: any) => k.keyword)]), ['Two words', ['gamma', 'beta']]);
      assert.equal((await world.post(me, '/api/v1/filters', { phrase: 'x', context: ['nowhere'] })).status, 422);
      assert.equal((await world.post(me, '/api/v1/filters', { phrase: '', context: ['home'] })).status, 422);
      assert.equal((await world.post(me, '/api/v1/filters', { phrase: 'p'.repeat(101), context: ['home'] })).status, 422);
    });
  });

  describe('applied server-side', () => {
    test('a warn filter marks a matching status in the home timeline with a FilterResult; others carry filtered: []', async () => {
      const filter = await keywordFilter('ines', 'pineapple');
      const matching = await postPhotos(world, 'mara', 'Pizza with PINEAPPLE tonight');
      const other = await postPhotos(world, 'mara', 'Pizza with olives tonight');
      await world.app.services.jobs.onIdle();
      const timeline = await home('ines');
      assert.deepEqual(byId(timeline, matching.id).filtered, [
        { filter: { id: filter.id, title: 'no pineapple', context: filter.context, expires_at: null, filter_action: 'warn' }, keyword_matches: ['pineapple'], status_matches: null },
      ]);
      assert.deepEqual(byId(timeline, other.id).filtered, []);
      // Filters are the viewer's own: mara, who has none, sees no mark.
      assert.deepEqual(byId((await world.get('mara', `/api/v1/accounts/${world.actors.mara.id}/statuses`)).body, matching.id).filtered, []);
    });

    test('a hide filter leaves the status out of the home, list, public, tag and account timelines', async () => {
      await keywordFilter('ines', 'durian', { filter_action: 'hide' });
      const hidden = await postPhotos(world, 'mara', 'Fresh #fruit: durian!');
      const shown = await postPhotos(world, 'mara', 'Fresh #fruit: mango!');
      await world.app.services.jobs.onIdle();
      const list = (await world.post('ines', '/api/v1/lists', { title: 'Mara' })).body;
      await world.post('ines', `/api/v1/lists/${list.id}/accounts`, { account_ids: [world.actors.mara.id] });
      for (const url of ['/api/v1/timelines/home', `/api/v1/timelines/list/${list.id}`, '/api/v1/timelines/public', '/api/v1/timelines/tag/fruit', `/api/v1/accounts/${world.actors.mara.id}/statuses`]) {
        const seen = ids(await world.get('ines', `${url}?limit=40`));
        assert.ok(!seen.includes(hidden.id), url);
        assert.ok(seen.includes(shown.id), url);
      }
      // sam has no such filter and sees it.
      assert.ok(ids(await world.get('sam', '/api/v1/timelines/public?limit=40')).includes(hidden.id));
    });

    test('a filter applies only in its contexts: a home-only filter marks home but not the public timeline', async () => {
      await createFilter('ines', { title: 'Home only', context: ['home'], filter_action: 'hide', keywords_attributes: [{ keyword: 'kumquat' }] });
      const post = await postPhotos(world, 'mara', 'a kumquat');
      await world.app.services.jobs.onIdle();
      assert.ok(!ids(await world.get('ines', '/api/v1/timelines/home?limit=40')).includes(post.id));
      const pub = byId((await world.get('ines', '/api/v1/timelines/public?limit=40')).body, post.id);
      assert.deepEqual(pub.filtered, []);
    });

    test('whole_word matches on word boundaries (Unicode-aware) and case-insensitively; without it, inside words too', async () => {
      const whole = await createFilter('ines', { title: 'Whole', context: ['public'], keywords_attributes: [{ keyword: 'café', whole_word: true }, { keyword: 'C++', whole_word: true }] });
      const inside = await createFilter('ines', { title: 'Inside', context: ['public'], keywords_attributes: [{ keyword: 'melon', whole_word: false }] });
      const cases: Array<[string, string[]]> = [
        ['Morning at the CAFÉ.', [whole.id]],
        ['Two cafés downtown', []],
        ['unecafé', []],
        ['Learning c++ today', [whole.id]],
        ['watermelons everywhere', [inside.id]],
      ];
      for (const [caption, expected] of cases) {
        const post = await postPhotos(world, 'mara', caption);
        const seen = byId((await world.get('ines', '/api/v1/timelines/public?limit=40')).body, post.id);
        assert.deepEqual(seen.filtered.map((r: any) => r.filter.id), expected, caption);
      }
    });

    test('spoiler text and photo descriptions are matched as well as the caption', async () => {
      await createFilter('ines', { title: 'Plain text', context: ['public'], keywords_attributes: [{ keyword: 'gooseberry' }, { keyword: 'rhubarb' }] });
      const spoiler = await postPhotos(world, 'mara', 'nothing here', { extra: { spoiler_text: 'Gooseberry ahead' } });
      const media = await uploadPhoto(world, 'mara', { description: 'a bowl of rhubarb' });
      const described = (await world.post('mara', '/api/v1/statuses', { status: 'nothing either', media_ids: [media] })).body;
      const timeline = (await world.get('ines', '/api/v1/timelines/public?limit=40')).body;
      assert.deepEqual(byId(timeline, spoiler.id).filtered[0].keyword_matches, ['gooseberry']);
      assert.deepEqual(byId(timeline, described.id).filtered[0].keyword_matches, ['rhubarb']);
    });

    test('a filter status matches that status (status_matches); a filter stops applying when it expires on the clock', async () => {
      const post = await postPhotos(world, 'mara', 'an unremarkable post');
      const filter = await createFilter('ines', { title: 'That one', context: ['public'], expires_in: 60 });
      await world.post('ines', `/api/v2/filters/${filter.id}/statuses`, { status_id: post.id });
      const marked = byId((await world.get('ines', '/api/v1/timelines/public?limit=40')).body, post.id);
      assert.deepEqual(marked.filtered, [{ filter: { id: filter.id, title: 'That one', context: ['public'], expires_at: filter.expires_at, filter_action: 'warn' }, keyword_matches: null, status_matches: [post.id] }]);
      world.clock.advance(61_000);
      assert.deepEqual(byId((await world.get('ines', '/api/v1/timelines/public?limit=40')).body, post.id).filtered, []);
    });

    test('in a thread, a hide filter leaves out matching comments and a warn filter marks them; the status asked for by id is marked, not hidden', async () => {
      const post = await postPhotos(world, 'mara', 'What should I cook? broccoli maybe');
      const hideMe = (await world.post('sam', '/api/v1/statuses', { status: 'Make lasagna', in_reply_to_id: post.id })).body;
      const warnMe = (await world.post('sam', '/api/v1/statuses', { status: 'Try risotto', in_reply_to_id: post.id })).body;
      const plain = (await world.post('sam', '/api/v1/statuses', { status: 'Soup!', in_reply_to_id: post.id })).body;
      await createFilter('ines', { title: 'No lasagna', context: ['thread'], filter_action: 'hide', keywords_attributes: [{ keyword: 'lasagna' }, { keyword: 'broccoli' }] });
      const warn = await createFilter('ines', { title: 'Risotto', context: ['thread'], keywords_attributes: [{ keyword: 'risotto' }] });
      const context = (await world.get('ines', `/api/v1/statuses/${post.id}/context`)).body;
      const descendants = context.descendants.map((s: any) => s.id);
      assert.ok(!descendants.includes(hideMe.id));
      assert.ok(descendants.includes(plain.id));
      assert.deepEqual(byId(context.descendants, warnMe.id).filtered.map((r: any) => r.filter.id), [warn.id]);
      // The comment's context shows its post among the ancestors, which the hide filter leaves out.
      assert.deepEqual((await world.get('ines', `/api/v1/statuses/${warnMe.id}/context`)).body.ancestors, []);
      const asked = await world.get('ines', `/api/v1/statuses/${post.id}`);
      assert.equal(asked.status, 200);
      assert.deepEqual(asked.body.filtered.map((r: any) => r.keyword_matches), [['broccoli']]);
    });

    test('notifications carrying a matching status are marked (warn) or left out (hide), in v1 and v2 lists and by id', async () => {
      const me = await world.addActor('notified');
      const warnPost = await postPhotos(world, me, 'my artichoke photo');
      const hidePost = await postPhotos(world, me, 'my asparagus photo');
      await world.post('sam', `/api/v1/statuses/${warnPost.id}/favourite`);
      await world.post('sam', `/api/v1/statuses/${hidePost.id}/favourite`);
      const hideFilter = await createFilter(me, { title: 'Asparagus', context: ['notifications'], filter_action: 'hide', keywords_attributes: [{ keyword: 'asparagus' }] });
      const warnFilter = await createFilter(me, { title: 'Artichoke', context: ['notifications'], keywords_attributes: [{ keyword: 'artichoke' }] });
      const v1 = (await world.get(me, '/api/v1/notifications')).body as any[];
      assert.deepEqual(v1.map((n) => n.status?.id), [warnPost.id]);
      assert.deepEqual(v1[0].status.filtered.map((r: any) => r.filter.id), [warnFilter.id]);
      const v2 = (await world.get(me, '/api/v2/notifications')).body;
      assert.deepEqual(v2.notification_groups.map((g: any) => g.status_id), [warnPost.id]);
      assert.deepEqual(v2.statuses.map((s: any) => s.id), [warnPost.id]);
      const hiddenRow = await world.db.handle.kysely.selectFrom('notifications').select('id').where('account_id', '=', me.id).where('status_id', '=', hidePost.id).executeTakeFirstOrThrow();
      assert.equal((await world.get(me, `/api/v1/notifications/${hiddenRow.id}`)).status, 404);
      // Without the filter it comes back.
      await world.request(me, 'DELETE', `/api/v2/filters/${hideFilter.id}`);
      assert.deepEqual(ids(await world.get(me, '/api/v1/notifications')).length, 2);
    });

    test("another account's filters never apply to what I read", async () => {
      await keywordFilter('sam', 'parsnip', { filter_action: 'hide' });
      const post = await postPhotos(world, 'mara', 'roasted parsnip');
      await world.app.services.jobs.onIdle();
      const seen = byId(await home('ines'), post.id);
      assert.ok(seen);
      assert.deepEqual(seen.filtered, []);
    });

    test('loading the filters costs one query whatever the number of filters and statuses, and none without a viewer', async () => {
      const me = await world.addActor('counted');
      await follow(me, 'mara');
      for (let i = 0; i < 5; i++) await postPhotos(world, 'mara', `counted post ${i} with turnip`);
      await world.app.services.jobs.onIdle();
      const viewer = { accountId: me.id, role: 'user' as const };
      const page = await world.app.services.feeds.home(viewer, { limit: 40 });
      const cost = () => countQueries(world.db.handle.kysely, () => world.app.services.filters.apply(viewer, 'home', page.posts));
      assert.equal((await cost()).queries, 1);
      for (let i = 0; i < 20; i++) {
        const filter = await createFilter(me, { title: `f${i}`, context: ['home'], keywords_attributes: [{ keyword: `turnip${i}` }, { keyword: 'turnip' }] });
        await world.post(me, `/api/v2/filters/${filter.id}/statuses`, { status_id: page.posts[i % page.posts.length].status.id });
      }
      const { result, queries } = await cost();
      assert.equal(queries, 1);
      const turnips = result.filter((p) => p.status.text.includes('turnip'));
      assert.equal(turnips.length, 5);
      assert.ok(turnips.every((p) => p.filterResults?.length === 20));
      const anonymous = await countQueries(world.db.handle.kysely, () => world.app.services.filters.apply(undefined, 'public', page.posts));
      assert.equal(anonymous.queries, 0);
    });
  });

  describe('rules', () => {
    test('isFilterActive and its SQL form agree: no expiry, a future one and a past one', async () => {
      const me = await world.addActor('ruler');
      const never = await createFilter(me, { title: 'never', context: ['home'] });
      const later = await createFilter(me, { title: 'later', context: ['home'], expires_in: 120 });
      const soon = await createFilter(me, { title: 'soon', context: ['home'], expires_in: 10 });
      const now = new Date(world.clock.now().getTime() + 60_000);
      const rows = await world.db.handle.kysely.selectFrom('filters').selectAll().where('account_id', '=', me.id).execute();
      const bySql = await world.db.handle.kysely.selectFrom('filters').select('id').where('account_id', '=', me.id).where(activeFilterSql(now)).execute();
      assert.deepEqual(bySql.map((r) => r.id).sort(), rows.filter((r) => isFilterActive(r, now)).map((r) => r.id).sort());
      assert.deepEqual(bySql.map((r) => r.id).sort(), [never.id, later.id].sort());
      assert.ok(!bySql.some((r) => r.id === soon.id));
    });

    test('keyword patterns: word boundaries only where the keyword starts or ends with a word character', () => {
      assert.ok(keywordPattern('ñu', true).test('Un ÑU pasa'));
      assert.ok(!keywordPattern('ñu', true).test('ñus'));
      assert.ok(keywordPattern('#tag', true).test('a#tag b'));
      assert.ok(!keywordPattern('#tag', true).test('#tagged'));
      assert.ok(keywordPattern('a.b', false).test('xa.bx'));
      assert.ok(!keywordPattern('a.b', false).test('axb'));
      assert.ok(keywordPattern('日本', true).test('私は 日本 へ'));
    });
  });
});
