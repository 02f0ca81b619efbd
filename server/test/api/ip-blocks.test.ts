import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createWorld, type Actor, type World } from '../support/world.ts';
import { REDIRECT_URI, appToken, createOAuthApp, linkTargets, oauthLoginForm, tokenWithScopes } from '../support/http.ts';

const ADMIN = ['read', 'write', 'admin:read', 'admin:write'];

/** A request from a chosen peer address (Fastify's request.ip; no proxy is trusted in tests). */
async function from(world: World, remoteAddress: string, as: Actor | undefined, method: 'GET' | 'POST', url: string, payload?: unknown) {
  const raw = await world.app.http.inject({
    method,
    url,
    remoteAddress,
    headers: { ...(as ? { authorization: `Bearer ${as.token}` } : {}), ...(payload !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(payload !== undefined ? { payload: JSON.stringify(payload) } : {}),
  });
  return { status: raw.statusCode, headers: raw.headers, body: String(raw.headers['content-type'] ?? '').includes('json') ? raw.json() : raw.body };
}

describe('IP blocks: the admin API', () => {
  let world: World;
  let admin: Actor;
  before(async () => {
    world = await createWorld({ accounts: ['mara'] });
    admin = await tokenWithScopes(world, world.actors.mara, ADMIN);
  });
  after(() => world.close());

  test('an IPv4 block is stored as network/prefix with its severity, comment and no expiry', async () => {
    const res = await world.post(admin, '/api/v1/admin/ip_blocks', { ip: '203.0.113.77/24', severity: 'sign_up_block', comment: 'spam wave' });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual({ ip: res.body.ip, severity: res.body.severity, comment: res.body.comment, expires_at: res.body.expires_at }, { ip: '203.0.113.0/24', severity: 'sign_up_block', comment: 'spam wave', expires_at: null });
    assert.deepEqual((await world.get(admin, `/api/v1/admin/ip_blocks/${res.body.id}`)).body, res.body);
  });

  test('an IPv6 address or range is stored in canonical form; a bare address is a /128', async () => {
    const range = await world.post(admin, '/api/v1/admin/ip_blocks', { ip: '2001:DB8:0:0::1/48', severity: 'no_access' });
    assert.equal(range.body.ip, '2001:db8::/48');
    const single = await world.post(admin, '/api/v1/admin/ip_blocks', { ip: '2001:db8:ffff::5', severity: 'sign_up_requires_approval' });
    assert.equal(single.body.ip, '2001:db8:ffff::5/128');
  });

  test('a missing severity, a blank or invalid ip, or a range already blocked answers 422', async () => {
    assert.equal((await world.post(admin, '/api/v1/admin/ip_blocks', { ip: '192.0.2.1' })).body.error, "Validation failed: Severity can't be blank");
    assert.equal((await world.post(admin, '/api/v1/admin/ip_blocks', { severity: 'no_access' })).body.error, "Validation failed: Ip can't be blank");
    for (const ip of ['300.1.1.1', '192.0.2.1/33', 'example.com', '::1/129']) {
      const res = await world.post(admin, '/api/v1/admin/ip_blocks', { ip, severity: 'no_access' });
      assert.deepEqual([res.status, res.body.error], [422, 'Validation failed: Ip is invalid'], ip);
    }
    assert.equal((await world.post(admin, '/api/v1/admin/ip_blocks', { ip: '203.0.113.9/24', severity: 'no_access' })).body.error, 'Validation failed: Ip has already been taken');
    assert.equal((await world.post(admin, '/api/v1/admin/ip_blocks', { ip: '192.0.2.1', severity: 'everything' })).status, 422);
  });

  test('update changes the range, severity and comment; delete removes it', async () => {
    const created = (await world.post(admin, '/api/v1/admin/ip_blocks', { ip: '198.51.100.1', severity: 'sign_up_block' })).body;
    const updated = await world.request(admin, 'PUT', `/api/v1/admin/ip_blocks/${created.id}`, { ip: '198.51.100.0/25', severity: 'no_access', comment: 'worse' });
    assert.deepEqual([updated.status, updated.body.ip, updated.body.severity, updated.body.comment], [200, '198.51.100.0/25', 'no_access', 'worse']);
    assert.deepEqual((await world.request(admin, 'DELETE', `/api/v1/admin/ip_blocks/${created.id}`)).body, {});
    assert.equal((await world.get(admin, `/api/v1/admin/ip_blocks/${created.id}`)).status, 404);
    assert.equal((await world.request(admin, 'DELETE', `/api/v1/admin/ip_blocks/${created.id}`)).status, 404);
  });

  test('the list pages newest first with Link headers', async () => {
    const all = (await world.get(admin, '/api/v1/admin/ip_blocks')).body.map((b: any) => b.id);
    assert.ok(all.length >= 3);
    const first = await world.get(admin, '/api/v1/admin/ip_blocks?limit=2');
    assert.deepEqual(first.body.map((b: any) => b.id), all.slice(0, 2));
    const next = await world.get(admin, linkTargets(first, world.config.publicUrl).next!);
    assert.deepEqual(next.body.map((b: any) => b.id), all.slice(2, 4));
  });
});

describe('IP blocks: enforcement', () => {
  let world: World;
  let admin: Actor;
  let app: Actor;
  const block = async (ip: string, severity: string, extra: Record<string, unknown> = {}) => {
    const res = await world.post(admin, '/api/v1/admin/ip_blocks', { ip, severity, ...extra });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body;
  };
  const unblock = async (id: string) => assert.equal((await world.request(admin, 'DELETE', `/api/v1/admin/ip_blocks/${id}`)).status, 200);
  const signup = (name: string) => ({ username: name, email: `${name}@example.test`, password: `${name}-password`, agreement: true });

  before(async () => {
    world = await createWorld({ accounts: ['mara', 'ines'] });
    admin = await tokenWithScopes(world, world.actors.mara, ADMIN);
    app = await appToken(world, await createOAuthApp(world), 'read write');
  });
  after(() => world.close());

  test('no_access refuses every authenticated request from the range with 403, and only from there', async () => {
    const b = await block('192.0.2.0/24', 'no_access');
    const blocked = await from(world, '192.0.2.200', world.actors.ines, 'GET', '/api/v1/accounts/verify_credentials');
    assert.equal(blocked.status, 403);
    assert.equal(typeof blocked.body.error, 'string');
    assert.equal((await from(world, '192.0.3.1', world.actors.ines, 'GET', '/api/v1/accounts/verify_credentials')).status, 200);
    await unblock(b.id);
  });

  test('no_access refuses opening an event stream from the range with 403', async () => {
    const b = await block('192.0.2.30', 'no_access');
    const stream = await from(world, '192.0.2.30', world.actors.ines, 'GET', '/api/v1/streaming/user');
    assert.equal(stream.status, 403);
    await unblock(b.id);
  });

  test('an IPv6 no_access range refuses an address inside it; an IPv4-mapped peer address matches an IPv4 block', async () => {
    const v6 = await block('2001:db8:42::/48', 'no_access');
    assert.equal((await from(world, '2001:db8:42::9', world.actors.ines, 'GET', '/api/v1/accounts/verify_credentials')).status, 403);
    assert.equal((await from(world, '2001:db8:43::9', world.actors.ines, 'GET', '/api/v1/accounts/verify_credentials')).status, 200);
    const v4 = await block('198.18.0.1', 'no_access');
    assert.equal((await from(world, '::ffff:198.18.0.1', world.actors.ines, 'GET', '/api/v1/accounts/verify_credentials')).status, 403);
    await unblock(v6.id);
    await unblock(v4.id);
  });

  test('lifting a block takes effect on the next request', async () => {
    const b = await block('192.0.2.50', 'no_access');
    assert.equal((await from(world, '192.0.2.50', world.actors.ines, 'GET', '/api/v1/accounts/verify_credentials')).status, 403);
    await unblock(b.id);
    assert.equal((await from(world, '192.0.2.50', world.actors.ines, 'GET', '/api/v1/accounts/verify_credentials')).status, 200);
  });

  test('no_access refuses the web log-in and the OAuth log-in page, and no session is started', async () => {
    const b = await block('192.0.2.60', 'no_access');
    const web = await from(world, '192.0.2.60', undefined, 'POST', '/api/glimpse/v1/session', { login: 'ines', password: 'ines-password' });
    assert.equal(web.status, 403);
    assert.equal(typeof web.body.error, 'string');
    assert.equal(web.headers['set-cookie'], undefined, 'no session cookie');
    const oauthApp = await createOAuthApp(world);
    const form = await oauthLoginForm(world, oauthApp);
    const page = await world.app.http.inject({
      method: 'POST',
      url: '/oauth/authorize',
      remoteAddress: '192.0.2.60',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: form.cookie },
      payload: new URLSearchParams({ client_id: oauthApp.client_id, redirect_uri: REDIRECT_URI, response_type: 'code', scope: 'read', login: 'ines', password: 'ines-password', decision: 'approve', csrf_token: form.csrf_token }).toString(),
    });
    assert.equal(page.statusCode, 403);
    assert.equal(page.headers.location, undefined, 'no code is handed out');
    assert.equal((await from(world, '192.0.2.61', undefined, 'POST', '/api/glimpse/v1/session', { login: 'ines', password: 'ines-password' })).status, 200);
    await unblock(b.id);
  });

  test('sign_up_block refuses registration through both doors with 403 and stores nothing', async () => {
    const b = await block('192.0.2.70', 'sign_up_block');
    const api = await world.app.http.inject({ method: 'POST', url: '/api/v1/accounts', remoteAddress: '192.0.2.70', headers: { authorization: `Bearer ${app.token}`, 'content-type': 'application/json' }, payload: JSON.stringify(signup('blocked_api')) });
    assert.equal(api.statusCode, 403);
    const web = await from(world, '192.0.2.70', undefined, 'POST', '/api/glimpse/v1/registrations', signup('blocked_web'));
    assert.equal(web.status, 403);
    for (const name of ['blocked_api', 'blocked_web']) assert.equal(await world.app.services.repositories.accounts.findByUsername(name), undefined);
    // Signed-in use from there is not refused: the block is about sign-ups.
    assert.equal((await from(world, '192.0.2.70', world.actors.ines, 'GET', '/api/v1/accounts/verify_credentials')).status, 200);
    await unblock(b.id);
  });

  test('sign_up_requires_approval makes a sign-up from the range wait for approval', async () => {
    const b = await block('192.0.2.80/30', 'sign_up_requires_approval');
    const web = await from(world, '192.0.2.81', undefined, 'POST', '/api/glimpse/v1/registrations', signup('needs_ok'));
    assert.deepEqual([web.status, web.body], [202, { pending_approval: true }]);
    const account = await world.app.services.repositories.accounts.findByUsername('needs_ok');
    assert.equal((await world.app.services.repositories.accounts.findUser(account!.id))?.approved, 0);
    const elsewhere = await from(world, '192.0.2.90', undefined, 'POST', '/api/glimpse/v1/registrations', signup('no_wait'));
    assert.equal(elsewhere.status, 200);
    await unblock(b.id);
  });

  test('a block with expires_in stops applying and leaves the list once it expires (on the injectable clock)', async () => {
    const b = await block('192.0.2.100', 'no_access', { expires_in: 3600 });
    assert.equal(b.expires_at, new Date(world.clock.now().getTime() + 3600_000).toISOString());
    assert.equal((await from(world, '192.0.2.100', world.actors.ines, 'GET', '/api/v1/accounts/verify_credentials')).status, 403);
    world.clock.advance(3600_000);
    assert.equal((await from(world, '192.0.2.100', world.actors.ines, 'GET', '/api/v1/accounts/verify_credentials')).status, 200);
    assert.ok(!(await world.get(admin, '/api/v1/admin/ip_blocks')).body.some((x: any) => x.id === b.id));
    assert.equal((await world.get(admin, `/api/v1/admin/ip_blocks/${b.id}`)).status, 404);
  });

  test('the strictest block wins where ranges overlap', async () => {
    const wide = await block('10.0.0.0/8', 'sign_up_requires_approval');
    const narrow = await block('10.1.0.0/16', 'no_access');
    assert.equal(await world.app.services.admin.ipBlocks.severityFor('10.1.2.3'), 'no_access');
    assert.equal(await world.app.services.admin.ipBlocks.severityFor('10.2.2.3'), 'sign_up_requires_approval');
    assert.equal(await world.app.services.admin.ipBlocks.severityFor('11.0.0.1'), undefined);
    await unblock(wide.id);
    await unblock(narrow.id);
  });
});

describe('IP blocks: which address counts', () => {
  test('X-Forwarded-For names the caller only from a trusted proxy (GLIMPSE_TRUST_PROXY)', async () => {
    const world = await createWorld({ accounts: ['mara', 'ines'], config: { trustProxy: '127.0.0.1' } });
    try {
      const admin = await tokenWithScopes(world, world.actors.mara, ADMIN);
      assert.equal((await world.post(admin, '/api/v1/admin/ip_blocks', { ip: '192.0.2.5', severity: 'no_access' })).status, 200);
      const call = (remoteAddress: string) =>
        world.app.http.inject({ method: 'GET', url: '/api/v1/accounts/verify_credentials', remoteAddress, headers: { authorization: `Bearer ${world.actors.ines.token}`, 'x-forwarded-for': '192.0.2.5' } });
      assert.equal((await call('127.0.0.1')).statusCode, 403, 'through the trusted proxy');
      assert.equal((await call('198.51.100.9')).statusCode, 200, 'a peer that is not the proxy cannot name another address');
    } finally {
      await world.close();
    }
  });
});
