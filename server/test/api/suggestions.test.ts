import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createWorld, type Actor, type World, type WorldName } from '../support/world.ts';
import { bulkActors } from '../support/bulk.ts';
import { countQueries } from '../support/query-count.ts';
import { suspendAccount } from '../../src/domain/moderation/suspend-account.ts';
import { isSuggestible, suggestibleAccountSql } from '../../src/access/suggestion-policy.ts';
import { SUGGESTION_LIMITS } from '../../src/domain/suggestions/suggestion-service.ts';
import { SuggestionRepository } from '../../src/domain/suggestions/suggestion-repository.ts';

let world: World;
const extra: Record<string, Actor> = {};
const who = (name: string): Actor => (world.actors as Record<string, Actor>)[name] ?? extra[name];
const follow = async (from: string, to: string) => {
  const res = await world.post(who(from), `/api/v1/accounts/${who(to).id}/follow`);
  assert.equal(res.status, 200, `${from} → ${to}: ${JSON.stringify(res.body)}`);
};
const v2 = async (as: WorldName | Actor, query = '') => {
  const res = await world.get(as, `/api/v2/suggestions${query}`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body as Array<{ source: string; sources: string[]; account: { id: string; username: string } }>;
};
const names = async (as: WorldName | Actor, query = '') => (await v2(as, query)).map((s) => s.account.username);

before(async () => {
  world = await createWorld();
  for (const name of ['kai', 'lena', 'zed', 'yara', 'olly', 'pia']) extra[name] = await world.addActor(name);
  extra.quin = await world.addActor('quin', { locked: true });
  // Ines (the viewer) follows mara, sam and pat.
  for (const to of ['mara', 'sam', 'pat']) await follow('ines', to);
  // Friends of friends: kai by three of them, rex by two, nora and bo by one; lena (not
  // discoverable) and zed (suspended) by all three.
  for (const from of ['mara', 'sam', 'pat']) for (const to of ['kai', 'lena', 'zed']) await follow(from, to);
  for (const from of ['mara', 'sam']) await follow(from, 'rex');
  await follow('mara', 'nora');
  await world.post('nora', `/api/v1/follow_requests/${world.actors.mara.id}/authorize`);
  await follow('mara', 'bo');
  // Also followed by friends: the viewer herself and someone she already follows.
  await follow('sam', 'ines');
  await follow('pat', 'mara');
  // Most followed beyond the friends: olly (2 followers), then pia, remi, yara, quin (0 or 1).
  for (const from of ['rex', 'remi']) await follow(from, 'olly');
  await follow('rex', 'yara');
  await world.app.services.repositories.accounts.update(extra.lena.id, { discoverable: 0 });
  await suspendAccount(world.db.handle.kysely, world.clock, extra.zed.id);
  // Ines blocks bo, mutes remi, has a pending request to quin; nora mutes ines; yara is dismissed.
  await world.post('ines', `/api/v1/accounts/${world.actors.bo.id}/block`);
  await world.post('ines', `/api/v1/accounts/${world.actors.remi.id}/mute`);
  await follow('ines', 'quin');
  await world.post('nora', `/api/v1/accounts/${world.actors.ines.id}/mute`);
  assert.deepEqual((await world.request('ines', 'DELETE', `/api/v1/suggestions/${extra.yara.id}`)).body, {});
  await world.app.services.jobs.onIdle();
});
after(() => world.close());

describe('follow suggestions', () => {
  test('v2: friends of friends first, most shared first, then the most followed; each with source and sources', async () => {
    const list = await v2('ines');
    assert.deepEqual(
      list.map((s) => [s.account.username, s.sources, s.source]),
      [
        ['kai', ['friends_of_friends'], 'past_interactions'],
        ['rex', ['friends_of_friends'], 'past_interactions'],
        ['olly', ['most_followed'], 'global'],
        ['pia', ['most_followed'], 'global'],
      ],
    );
    assert.equal(list[0].account.id, extra.kai.id);
  });

  test('never suggests oneself, followed or requested accounts, blocked or muted either way, suspended, non-discoverable or dismissed ones', async () => {
    const suggested = new Set(await names('ines'));
    for (const never of ['ines', 'mara', 'sam', 'pat', 'quin', 'bo', 'remi', 'nora', 'zed', 'lena', 'yara']) assert.ok(!suggested.has(never), never);
    // Blocked the other way: bo blocks sam, so sam is never suggested to bo.
    await world.post('bo', `/api/v1/accounts/${world.actors.sam.id}/block`);
    assert.ok(!(await names('bo')).includes('sam'));
    assert.ok((await names('rex')).includes('sam'));
  });

  test('v1 answers the same accounts as plain Account entities; limit bounds the list (at most 80)', async () => {
    const v1 = await world.get('ines', '/api/v1/suggestions');
    assert.deepEqual(v1.body.map((a: any) => a.username), ['kai', 'rex', 'olly', 'pia']);
    assert.equal(v1.body[0].acct, 'kai');
    assert.deepEqual(await names('ines', '?limit=1'), ['kai']);
    assert.deepEqual(await names('ines', '?limit=3'), ['kai', 'rex', 'olly']);
    assert.equal((await world.get('ines', '/api/v2/suggestions?limit=500')).status, 200);
    assert.equal((await world.get('ines', '/api/v2/suggestions?limit=0')).status, 422);
    assert.equal(SUGGESTION_LIMITS.maxLimit, 80);
  });

  test('a dismissed suggestion never comes back, even when more friends follow it; following one takes it out', async () => {
    assert.deepEqual((await world.request('ines', 'DELETE', `/api/v1/suggestions/${extra.kai.id}`)).body, {});
    assert.deepEqual((await world.request('ines', 'DELETE', `/api/v1/suggestions/${extra.kai.id}`)).status, 200, 'dismissing twice is fine');
    await follow('mara', 'pia');
    assert.deepEqual(await names('ines'), ['rex', 'pia', 'olly']);
    // rex followed: his own follow olly joins the friends of friends, before pia on followers.
    await follow('ines', 'rex');
    assert.deepEqual(await names('ines'), ['olly', 'pia']);
  });

  test('dismissing an unknown, a suspended or a hidden account is 404; suggestions need a signed-in user', async () => {
    assert.deepEqual((await world.request('ines', 'DELETE', '/api/v1/suggestions/1234567890123456')).body, { error: 'Record not found' });
    assert.equal((await world.request('ines', 'DELETE', '/api/v1/suggestions/not-an-id')).status, 404);
    assert.equal((await world.request('ines', 'DELETE', `/api/v1/suggestions/${extra.zed.id}`)).status, 404);
    // remi blocks pat: to pat, remi is as if missing.
    await world.post('remi', `/api/v1/accounts/${world.actors.pat.id}/block`);
    assert.deepEqual((await world.request('pat', 'DELETE', `/api/v1/suggestions/${world.actors.remi.id}`)).body, { error: 'Record not found' });
    assert.equal((await world.get(undefined, '/api/v2/suggestions')).status, 401);
    assert.equal((await world.get(undefined, '/api/v1/suggestions')).status, 401);
    assert.equal((await world.request(undefined, 'DELETE', `/api/v1/suggestions/${extra.kai.id}`)).status, 401);
  });

  test('the SQL form selects exactly the accounts the predicate admits, for several viewers', async () => {
    const repo = new SuggestionRepository(world.db.handle.kysely);
    const now = world.clock.now().toISOString();
    const all = await world.db.handle.kysely.selectFrom('accounts').selectAll().execute();
    for (const name of ['ines', 'mara', 'bo', 'nora', 'rex']) {
      const viewer = who(name);
      const selected = await world.db.handle.kysely.selectFrom('accounts').select('id').where(suggestibleAccountSql(viewer.id, now)).execute();
      const ctx = await world.app.services.repositories.relationships.loadViewerContext({ accountId: viewer.id, role: 'user' }, all.map((a) => a.id));
      const facts = await repo.facts(viewer.id, all.map((a) => a.id), now);
      const admitted = all.filter((a) => isSuggestible(ctx, a, facts)).map((a) => a.id);
      assert.deepEqual(selected.map((r) => r.id).sort(), admitted.sort(), name);
    }
  });
});

describe('friends of friends stay bounded for a viewer following many', () => {
  test('only the viewer\'s 100 most recent follows are read, and the queries are as many as for a viewer following a few', async () => {
    const friends = await bulkActors(world, SUGGESTION_LIMITS.sampledFollows + 20, 'friend');
    const vic = await world.addActor('vic');
    extra.faraway = await world.addActor('faraway');
    extra.nearby = await world.addActor('nearby');
    for (const f of friends) assert.equal((await world.post(vic, `/api/v1/accounts/${f.id}/follow`)).status, 200);
    // The 20 oldest follows follow faraway, the 100 most recent follow nearby.
    for (const [i, f] of friends.entries()) assert.equal((await world.post(f, `/api/v1/accounts/${(i < 20 ? extra.faraway : extra.nearby).id}/follow`)).status, 200);
    await world.app.services.jobs.onIdle();
    const list = await v2(vic);
    const byName = new Map(list.map((s) => [s.account.username, s.sources]));
    assert.deepEqual(list[0].account.username, 'nearby');
    assert.deepEqual(byName.get('nearby'), ['friends_of_friends']);
    assert.deepEqual(byName.get('faraway'), ['most_followed'], 'followed only by older follows: found among the most followed');
    const many = await countQueries(world.db.handle.kysely, () => world.get(vic, '/api/v2/suggestions'));
    const few = await countQueries(world.db.handle.kysely, () => world.get('pat', '/api/v2/suggestions'));
    assert.equal(many.queries, few.queries);
  });
});
