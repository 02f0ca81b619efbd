import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createWorld, type Actor, type World } from '../support/world.ts';
import { tokenWithScopes } from '../support/http.ts';
import { routesOf, type RouteRecord } from '../../src/http/route-table.ts';
import { ALL_SCOPES, hasScope } from '../../src/domain/auth/scopes.ts';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);
const isApi = (r: RouteRecord) => r.url.startsWith('/api/');
const isWrite = (r: RouteRecord) => !SAFE.has(r.method);
const isAuthenticated = (r: RouteRecord) => r.config.auth !== undefined && r.config.auth !== 'none';
const label = (r: RouteRecord) => `${r.method} ${r.url}`;

/**
 * Authenticated writes that deliberately need no scope, each with its reason. Keep this short:
 * anything added here can be done by a read-only token.
 */
const UNSCOPED_WRITES: Record<string, string> = {};

describe('the route table', () => {
  let world: World;
  let routes: readonly RouteRecord[];

  before(async () => {
    world = await createWorld({ accounts: ['mara', 'ines'] });
    routes = routesOf(world.app.http);
  });
  after(() => world.close());

  test('the route table is recorded and includes the routes this suite knows about', () => {
    const names = new Set(routes.map(label));
    for (const known of ['GET /api/v1/accounts/verify_credentials', 'POST /api/v1/accounts/:id/follow', 'POST /api/v1/notifications/clear', 'POST /oauth/token']) {
      assert.ok(names.has(known), `${known} is in the table`);
    }
  });

  test('every /api/ route declares who may call it (config.auth)', () => {
    const undeclared = routes.filter(isApi).filter((r) => !['user', 'app', 'optional', 'none'].includes(String(r.config.auth)));
    assert.deepEqual(undeclared.map(label), []);
  });

  test('every authenticated write route declares a write scope that a read token does not hold', () => {
    const offenders = routes
      .filter(isApi)
      .filter(isWrite)
      .filter(isAuthenticated)
      .filter((r) => !(label(r) in UNSCOPED_WRITES))
      .filter((r) => r.config.scope === undefined || hasScope(['read'], r.config.scope) || hasScope(['profile'], r.config.scope));
    assert.deepEqual(offenders.map((r) => `${label(r)} (scope: ${r.config.scope ?? 'none'})`), []);
  });

  test('every declared scope is one the server knows', () => {
    const unknown = routes.filter((r) => r.config.scope !== undefined).filter((r) => !ALL_SCOPES.has(r.config.scope!));
    assert.deepEqual(unknown.map(label), []);
  });

  test('the unscoped-write exceptions still exist, so the list does not go stale', () => {
    const names = new Set(routes.map(label));
    for (const name of Object.keys(UNSCOPED_WRITES)) assert.ok(names.has(name), `${name} is still a route`);
  });

  test('a read-only token gets 403 from every authenticated write route', async () => {
    const reader = await tokenWithScopes(world, world.actors.mara, ['read']);
    const writes = routes.filter(isApi).filter(isWrite).filter(isAuthenticated).filter((r) => !(label(r) in UNSCOPED_WRITES));
    assert.ok(writes.length >= 15, `found ${writes.length} write routes`);
    const wrong: string[] = [];
    for (const route of writes) {
      const url = route.url.replace(/:\w+/g, world.actors.ines.id);
      const res = await world.request(reader, route.method as 'POST', url, route.method === 'DELETE' ? undefined : {});
      if (res.status !== 403 || typeof res.body?.error !== 'string') wrong.push(`${label(route)} -> ${res.status}`);
    }
    assert.deepEqual(wrong, []);
  });

  test('every user-only route answers 401 without a token and with an unknown one', async () => {
    const userRoutes = routes.filter(isApi).filter((r) => r.config.auth === 'user' && r.method !== 'HEAD');
    const wrong: string[] = [];
    for (const route of userRoutes) {
      const url = route.url.replace(/:\w+/g, world.actors.ines.id);
      const body = SAFE.has(route.method) || route.method === 'DELETE' ? undefined : {};
      const anonymous = await world.request(undefined, route.method as 'GET', url, body);
      const forged = await world.request({ id: '', username: '', token: 'not-a-real-token' }, route.method as 'GET', url, body);
      if (anonymous.status !== 401) wrong.push(`${label(route)} anonymous -> ${anonymous.status}`);
      if (forged.status !== 401) wrong.push(`${label(route)} unknown token -> ${forged.status}`);
    }
    assert.deepEqual(wrong, []);
  });
});

describe('scopes on individual actions', () => {
  let world: World;
  let reader: Actor;

  before(async () => {
    world = await createWorld({ accounts: ['mara', 'ines', 'sam'] });
    reader = await tokenWithScopes(world, world.actors.mara, ['read']);
  });
  after(() => world.close());

  test('a read token can read: verify_credentials, relationships, notifications and lists answer 200', async () => {
    for (const url of [
      '/api/v1/accounts/verify_credentials',
      `/api/v1/accounts/relationships?id[]=${world.actors.ines.id}`,
      '/api/v1/notifications',
      '/api/v1/follow_requests',
      '/api/v1/blocks',
      '/api/v1/mutes',
      `/api/v1/accounts/${world.actors.ines.id}/followers`,
    ]) {
      assert.equal((await world.get(reader, url)).status, 200, url);
    }
  });

  test('a read token cannot follow, and no follow is made', async () => {
    const res = await world.post(reader, `/api/v1/accounts/${world.actors.ines.id}/follow`);
    assert.equal(res.status, 403);
    assert.match(res.body.error, /scope/);
    const rel = await world.get('mara', `/api/v1/accounts/relationships?id[]=${world.actors.ines.id}`);
    assert.equal(rel.body[0].following, false);
  });

  test('a read token cannot update credentials, and the profile is unchanged', async () => {
    const res = await world.request(reader, 'PATCH', '/api/v1/accounts/update_credentials', { display_name: 'Changed by a reader' });
    assert.equal(res.status, 403);
    const me = await world.get('mara', '/api/v1/accounts/verify_credentials');
    assert.notEqual(me.body.display_name, 'Changed by a reader');
  });

  test('a read token cannot clear notifications, and they are kept', async () => {
    await world.post('sam', `/api/v1/accounts/${world.actors.mara.id}/follow`);
    const before = await world.get('mara', '/api/v1/notifications');
    assert.ok(before.body.length > 0);
    const res = await world.post(reader, '/api/v1/notifications/clear');
    assert.equal(res.status, 403);
    const after = await world.get('mara', '/api/v1/notifications');
    assert.equal(after.body.length, before.body.length);
  });

  test('a read token cannot block, mute, change the password or set markers', async () => {
    const ines = world.actors.ines.id;
    assert.equal((await world.post(reader, `/api/v1/accounts/${ines}/block`)).status, 403);
    assert.equal((await world.post(reader, `/api/v1/accounts/${ines}/mute`)).status, 403);
    assert.equal((await world.post(reader, '/api/glimpse/v1/password', { current_password: 'mara-password', password: 'a-new-password' })).status, 403);
    assert.equal((await world.post(reader, '/api/v1/markers', { notifications: { last_read_id: '1' } })).status, 403);
    const rel = await world.get('mara', `/api/v1/accounts/relationships?id[]=${ines}`);
    assert.equal(rel.body[0].blocking, false);
    assert.equal(rel.body[0].muting, false);
  });

  test('a write-only token cannot read: GET routes with a read scope answer 403', async () => {
    const writer = await tokenWithScopes(world, world.actors.mara, ['write']);
    assert.equal((await world.get(writer, '/api/v1/notifications')).status, 403);
    assert.equal((await world.get(writer, '/api/v1/accounts/verify_credentials')).status, 403);
    assert.equal((await world.get(writer, `/api/v1/accounts/${world.actors.ines.id}`)).status, 403);
  });

  test('a granular write:follows token can follow but cannot block or edit the profile', async () => {
    const follows = await tokenWithScopes(world, world.actors.sam, ['write:follows']);
    const follow = await world.post(follows, `/api/v1/accounts/${world.actors.ines.id}/follow`);
    assert.equal(follow.status, 200, JSON.stringify(follow.body));
    assert.equal(follow.body.following, true);
    assert.equal((await world.post(follows, `/api/v1/accounts/${world.actors.ines.id}/block`)).status, 403);
    assert.equal((await world.request(follows, 'PATCH', '/api/v1/accounts/update_credentials', { note: 'x' })).status, 403);
  });

  test('the legacy follow scope covers following, blocking and muting but not the profile', async () => {
    const actor = await world.addActor('legacy_follow');
    const legacy = await tokenWithScopes(world, actor, ['follow']);
    assert.equal((await world.post(legacy, `/api/v1/accounts/${world.actors.ines.id}/follow`)).status, 200);
    assert.equal((await world.post(legacy, `/api/v1/accounts/${world.actors.sam.id}/mute`)).status, 200);
    assert.equal((await world.post(legacy, `/api/v1/accounts/${world.actors.sam.id}/block`)).status, 200);
    assert.equal((await world.request(legacy, 'PATCH', '/api/v1/accounts/update_credentials', { note: 'x' })).status, 403);
    assert.equal((await world.post(legacy, '/api/v1/notifications/clear')).status, 403);
  });

  test('a revoked or malformed Authorization header answers 401, never a signed-out view', async () => {
    const forged = await world.request(undefined, 'GET', `/api/v1/accounts/${world.actors.ines.id}`, undefined, { authorization: 'Bearer forged-token' });
    assert.equal(forged.status, 401);
    const malformed = await world.request(undefined, 'GET', '/api/v1/accounts/verify_credentials', undefined, { authorization: 'Token abc' });
    assert.equal(malformed.status, 401);
  });
});
