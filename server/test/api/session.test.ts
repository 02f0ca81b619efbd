import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createWorld, type Response, type World } from '../support/world.ts';
import { loadConfig } from '../../src/config.ts';
import { formRequest, createOAuthApp, oauthLoginForm, pkcePair, REDIRECT_URI, setCookie, tokenWithScopes } from '../support/http.ts';
import { routesOf } from '../../src/http/route-table.ts';

const COOKIE = 'glimpse_session';
/** The configured limits' defaults, so a test sets only the ones it is about. */
const defaultLimits = loadConfig({}).rateLimits;

interface WebSession {
  cookie: string;
  csrf: string;
  headers: (withCsrf?: boolean) => Record<string, string>;
}

function sessionFrom(res: Response): WebSession {
  const set = setCookie(res, COOKIE);
  assert.ok(set, 'a session cookie is set');
  const cookie = `${COOKIE}=${set.value}`;
  const csrf = res.body.csrf_token as string;
  return { cookie, csrf, headers: (withCsrf = true) => ({ cookie, ...(withCsrf ? { 'x-csrf-token': csrf } : {}) }) };
}

async function logIn(world: World, login: string, password: string): Promise<WebSession> {
  const res = await world.post(undefined, '/api/glimpse/v1/session', { login, password });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return sessionFrom(res);
}

describe('web sessions', () => {
  let world: World;
  before(async () => {
    world = await createWorld({ accounts: ['mara', 'ines', 'sam'] });
  });
  after(() => world.close());

  test('signing up on the web sets an HttpOnly, SameSite=Lax session cookie and answers a CSRF token', async () => {
    const res = await world.post(undefined, '/api/glimpse/v1/registrations', { username: 'web_signup', email: 'web_signup@example.test', password: 'web-signup-password', agreement: true });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.account.username, 'web_signup');
    assert.equal(typeof res.body.csrf_token, 'string');
    const cookie = setCookie(res, COOKIE);
    assert.ok(cookie);
    const attributes = cookie.attributes.map((a) => a.toLowerCase());
    assert.ok(attributes.includes('httponly'), attributes.join('; '));
    assert.ok(attributes.includes('samesite=lax'), attributes.join('; '));
    assert.ok(attributes.includes('path=/'));
    assert.ok(!attributes.includes('secure'), 'no Secure flag when served over plain http');
    const session = await world.request(undefined, 'GET', '/api/glimpse/v1/session', undefined, { cookie: `${COOKIE}=${cookie.value}` });
    assert.equal(session.status, 200);
    assert.equal(session.body.account.username, 'web_signup');
  });

  test('invalid web sign-up input answers 422 and sets no cookie', async () => {
    const res = await world.post(undefined, '/api/glimpse/v1/registrations', { username: 'bad name', email: 'x@example.test', password: 'long-enough-password', agreement: true });
    assert.equal(res.status, 422);
    assert.equal(setCookie(res, COOKIE), undefined);
  });

  test('logging in sets the cookie, and GET /session with it answers the account, role and CSRF token', async () => {
    const res = await world.post(undefined, '/api/glimpse/v1/session', { login: 'mara', password: 'mara-password' });
    assert.equal(res.status, 200);
    const web = sessionFrom(res);
    const attributes = setCookie(res, COOKIE)!.attributes.map((a) => a.toLowerCase());
    assert.ok(attributes.includes('httponly') && attributes.includes('samesite=lax'));
    const session = await world.request(undefined, 'GET', '/api/glimpse/v1/session', undefined, { cookie: web.cookie });
    assert.equal(session.status, 200);
    assert.equal(session.body.account.id, world.actors.mara.id);
    assert.equal(session.body.role, 'admin');
    assert.equal(session.body.csrf_token, web.csrf);
    const mastodon = await world.request(undefined, 'GET', '/api/v1/accounts/verify_credentials', undefined, { cookie: web.cookie });
    assert.equal(mastodon.status, 200, 'the cookie works on the Mastodon API too');
  });

  test('a form posted from another site cannot log anyone in or sign anyone up (JSON only: 415, no cookie)', async () => {
    const form = (url: string, fields: Record<string, string>) =>
      world.app.http.inject({ method: 'POST', url, headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://elsewhere.example' }, payload: new URLSearchParams(fields).toString() });
    const login = await form('/api/glimpse/v1/session', { login: 'mara', password: 'mara-password' });
    assert.equal(login.statusCode, 415);
    assert.deepEqual(login.json(), { error: 'Send this as application/json' });
    assert.equal(login.headers['set-cookie'], undefined);
    const signup = await form('/api/glimpse/v1/registrations', { username: 'csrf_signup', email: 'csrf@example.test', password: 'long-enough-password', agreement: 'true' });
    assert.equal(signup.statusCode, 415);
    assert.equal(await world.app.services.repositories.accounts.findByUsername('csrf_signup'), undefined);
  });

  test('log-in accepts the email or any case of the username', async () => {
    await logIn(world, 'INES', 'ines-password');
    await logIn(world, 'ines@glimpse.test', 'ines-password');
  });

  test('a session over bearer auth has no CSRF token', async () => {
    const res = await world.get('mara', '/api/glimpse/v1/session');
    assert.equal(res.status, 200);
    assert.equal(res.body.csrf_token, null);
  });

  test('GET /session without a cookie or token answers 401', async () => {
    assert.equal((await world.get(undefined, '/api/glimpse/v1/session')).status, 401);
  });

  test('a cookie-authenticated write without the X-CSRF-Token header answers 403 and changes nothing', async () => {
    const web = await logIn(world, 'sam', 'sam-password');
    const without = await world.request(undefined, 'PATCH', '/api/v1/accounts/update_credentials', { display_name: 'Forged' }, web.headers(false));
    assert.equal(without.status, 403);
    assert.match(without.body.error, /CSRF/);
    const wrong = await world.request(undefined, 'PATCH', '/api/v1/accounts/update_credentials', { display_name: 'Forged' }, { cookie: web.cookie, 'x-csrf-token': 'A'.repeat(web.csrf.length) });
    assert.equal(wrong.status, 403);
    const short = await world.request(undefined, 'PATCH', '/api/v1/accounts/update_credentials', { display_name: 'Forged' }, { cookie: web.cookie, 'x-csrf-token': 'short' });
    assert.equal(short.status, 403);
    const follow = await world.request(undefined, 'POST', `/api/v1/accounts/${world.actors.ines.id}/follow`, {}, web.headers(false));
    assert.equal(follow.status, 403);

    const me = await world.get('sam', '/api/v1/accounts/verify_credentials');
    assert.notEqual(me.body.display_name, 'Forged');
    const rel = await world.get('sam', `/api/v1/accounts/relationships?id[]=${world.actors.ines.id}`);
    assert.equal(rel.body[0].following, false);
  });

  test('a cookie-authenticated write with the session X-CSRF-Token works', async () => {
    const web = await logIn(world, 'sam', 'sam-password');
    const res = await world.request(undefined, 'PATCH', '/api/v1/accounts/update_credentials', { display_name: 'Sam via web' }, web.headers());
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.display_name, 'Sam via web');
  });

  test('one session CSRF token does not work with another session cookie', async () => {
    const first = await logIn(world, 'sam', 'sam-password');
    const second = await logIn(world, 'sam', 'sam-password');
    assert.notEqual(first.csrf, second.csrf);
    const res = await world.request(undefined, 'PATCH', '/api/v1/accounts/update_credentials', { note: 'crossed' }, { cookie: first.cookie, 'x-csrf-token': second.csrf });
    assert.equal(res.status, 403);
  });

  test('a session token is not a bearer token, and a bearer token is not a session cookie', async () => {
    const web = await logIn(world, 'ines', 'ines-password');
    const value = web.cookie.slice(COOKIE.length + 1);
    const asBearer = await world.request(undefined, 'GET', '/api/v1/accounts/verify_credentials', undefined, { authorization: `Bearer ${value}` });
    assert.equal(asBearer.status, 401);
    const asCookie = await world.request(undefined, 'GET', '/api/v1/accounts/verify_credentials', undefined, { cookie: `${COOKIE}=${world.actors.ines.token}` });
    assert.equal(asCookie.status, 401);
  });

  test('log-in failure gives the same answer for an unknown user and for a wrong password', async () => {
    const unknown = await world.post(undefined, '/api/glimpse/v1/session', { login: 'no_such_person', password: 'whatever-password' });
    const wrong = await world.post(undefined, '/api/glimpse/v1/session', { login: 'mara', password: 'not-the-password' });
    const unknownEmail = await world.post(undefined, '/api/glimpse/v1/session', { login: 'nobody@example.test', password: 'whatever-password' });
    assert.equal(wrong.status, 401);
    for (const res of [unknown, unknownEmail]) {
      assert.equal(res.status, wrong.status);
      assert.equal(res.raw.body, wrong.raw.body);
    }
    assert.equal(setCookie(wrong, COOKIE), undefined);
  });

  test('logging out revokes the session: the cookie then answers 401', async () => {
    const web = await logIn(world, 'ines', 'ines-password');
    const forged = await world.request(undefined, 'DELETE', '/api/glimpse/v1/session', undefined, web.headers(false));
    assert.equal(forged.status, 403, 'logging out by cookie needs the CSRF token too');
    assert.equal((await world.request(undefined, 'GET', '/api/glimpse/v1/session', undefined, { cookie: web.cookie })).status, 200);

    const res = await world.request(undefined, 'DELETE', '/api/glimpse/v1/session', undefined, web.headers());
    assert.equal(res.status, 200);
    const cleared = setCookie(res, COOKIE);
    assert.ok(cleared && cleared.value === '', 'the cookie is cleared');
    const after = await world.request(undefined, 'GET', '/api/glimpse/v1/session', undefined, { cookie: web.cookie });
    assert.equal(after.status, 401);
    const write = await world.request(undefined, 'PATCH', '/api/v1/accounts/update_credentials', { note: 'after logout' }, web.headers());
    assert.equal(write.status, 401);
  });

  test('logging out declares the write:accounts scope: a read-only token gets 403', async () => {
    const route = routesOf(world.app.http).find((r) => r.method === 'DELETE' && r.url === '/api/glimpse/v1/session');
    assert.equal(route?.config.scope, 'write:accounts');
    const reader = await tokenWithScopes(world, world.actors.ines, ['read']);
    assert.equal((await world.request(reader, 'DELETE', '/api/glimpse/v1/session')).status, 403);
  });

  test('a stale cookie on a route that works signed out is ignored, not an error', async () => {
    const web = await logIn(world, 'ines', 'ines-password');
    await world.request(undefined, 'DELETE', '/api/glimpse/v1/session', undefined, web.headers());
    const res = await world.request(undefined, 'GET', `/api/v1/accounts/${world.actors.mara.id}`, undefined, { cookie: web.cookie });
    assert.equal(res.status, 200);
  });
});

describe('changing the password', () => {
  let world: World;
  before(async () => {
    world = await createWorld({ accounts: ['mara', 'nora'] });
  });
  after(() => world.close());

  test('a wrong current password or a short new one answers 422 and revokes nothing', async () => {
    const web = await logIn(world, 'nora', 'nora-password');
    const wrong = await world.request(undefined, 'POST', '/api/glimpse/v1/password', { current_password: 'not-it', password: 'a-brand-new-password' }, web.headers());
    assert.equal(wrong.status, 422);
    const short = await world.request(undefined, 'POST', '/api/glimpse/v1/password', { current_password: 'nora-password', password: 'short' }, web.headers());
    assert.equal(short.status, 422);
    assert.equal((await world.get('nora', '/api/v1/accounts/verify_credentials')).status, 200);
    await logIn(world, 'nora', 'nora-password');
  });

  test('changing the password revokes every other session and token but keeps the current session', async () => {
    const current = await logIn(world, 'nora', 'nora-password');
    const otherDevice = await logIn(world, 'nora', 'nora-password');
    const app = await createOAuthApp(world, { scopes: 'read write' });
    const { verifier, challenge } = pkcePair();
    const form = await oauthLoginForm(world, app);
    const consent = await formRequest(world, undefined, 'POST', '/oauth/authorize', {
      client_id: app.client_id, redirect_uri: REDIRECT_URI, response_type: 'code', scope: 'read write',
      code_challenge: challenge, code_challenge_method: 'S256', login: 'nora', password: 'nora-password', decision: 'approve', csrf_token: form.csrf_token,
    }, { cookie: form.cookie });
    const code = new URL(String(consent.headers.location)).searchParams.get('code')!;
    const oauth = await world.post(undefined, '/oauth/token', { grant_type: 'authorization_code', code, client_id: app.client_id, redirect_uri: REDIRECT_URI, code_verifier: verifier });
    assert.equal(oauth.status, 200);

    const res = await world.request(undefined, 'POST', '/api/glimpse/v1/password', { current_password: 'nora-password', password: 'nora-new-password' }, current.headers());
    assert.equal(res.status, 200, JSON.stringify(res.body));

    assert.equal((await world.get('nora', '/api/v1/accounts/verify_credentials')).status, 401, 'the fixture bearer token is revoked');
    assert.equal((await world.get({ id: '', username: 'nora', token: oauth.body.access_token }, '/api/v1/accounts/verify_credentials')).status, 401, 'the OAuth token is revoked');
    const refresh = await world.post(undefined, '/oauth/token', { grant_type: 'refresh_token', refresh_token: oauth.body.refresh_token, client_id: app.client_id, client_secret: app.client_secret });
    assert.equal(refresh.status, 400, 'its refresh token is dead too');
    assert.equal((await world.request(undefined, 'GET', '/api/glimpse/v1/session', undefined, { cookie: otherDevice.cookie })).status, 401, 'the other session is revoked');
    assert.equal((await world.request(undefined, 'GET', '/api/glimpse/v1/session', undefined, { cookie: current.cookie })).status, 200, 'the session that changed it stays');

    const old = await world.post(undefined, '/api/glimpse/v1/session', { login: 'nora', password: 'nora-password' });
    assert.equal(old.status, 401);
    await logIn(world, 'nora', 'nora-new-password');
  });
});

test('a suspended account loses its sessions and tokens (401) and cannot log in, with the usual failure message', async () => {
  const world = await createWorld({ accounts: ['mara', 'bo'] });
  try {
    const web = await logIn(world, 'bo', 'bo-password');
    // What `glimpse admin suspend` does.
    await world.app.services.repositories.accounts.updateUser(world.actors.bo.id, { disabled: 1 });
    assert.equal((await world.get('bo', '/api/v1/accounts/verify_credentials')).status, 401);
    assert.equal((await world.request(undefined, 'GET', '/api/glimpse/v1/session', undefined, { cookie: web.cookie })).status, 401);
    const login = await world.post(undefined, '/api/glimpse/v1/session', { login: 'bo', password: 'bo-password' });
    const unknown = await world.post(undefined, '/api/glimpse/v1/session', { login: 'nobody_here', password: 'bo-password' });
    assert.equal(login.status, 401);
    assert.equal(login.raw.body, unknown.raw.body, 'a suspension is not revealed to someone guessing passwords');
  } finally {
    await world.close();
  }
});

test('with approval required, web sign-up answers 202 pending_approval and starts no session', async () => {
  const world = await createWorld({ accounts: ['mara'], config: { registrations: 'approval' } });
  try {
    const res = await world.post(undefined, '/api/glimpse/v1/registrations', { username: 'waiting', email: 'waiting@example.test', password: 'waiting-password', agreement: true, reason: 'I take photos' });
    assert.equal(res.status, 202);
    assert.deepEqual(res.body, { pending_approval: true });
    assert.equal(setCookie(res, COOKIE), undefined);
    const login = await world.post(undefined, '/api/glimpse/v1/session', { login: 'waiting', password: 'waiting-password' });
    assert.equal(login.status, 403);
    assert.match(login.body.error, /pending approval/i);
  } finally {
    await world.close();
  }
});

test('over TLS the session cookie is marked Secure', async () => {
  const world = await createWorld({ accounts: ['mara'], config: { publicUrl: 'https://glimpse.test' } });
  try {
    const res = await world.post(undefined, '/api/glimpse/v1/session', { login: 'mara', password: 'mara-password' });
    assert.equal(res.status, 200);
    const attributes = setCookie(res, COOKIE)!.attributes.map((a) => a.toLowerCase());
    assert.ok(attributes.includes('secure'), attributes.join('; '));
  } finally {
    await world.close();
  }
});

describe('rate limits on log-in and registration', () => {
  let world: World;
  before(async () => {
    world = await createWorld({
      accounts: ['mara'],
      config: { rateLimitsEnabled: true, rateLimits: { ...defaultLimits, login: 3, registration: 2, api: 0, anonymous: 0 } },
    });
  });
  after(() => world.close());

  const inject = (url: string, payload: object, remoteAddress: string, headers: Record<string, string> = {}) =>
    world.app.http.inject({ method: 'POST', url, payload, remoteAddress, headers });

  test('the 4th failed log-in from one peer answers 429 even when X-Forwarded-For rotates', async () => {
    const peer = '203.0.113.10';
    for (let i = 0; i < 3; i++) {
      const res = await inject('/api/glimpse/v1/session', { login: 'mara', password: `wrong-${i}` }, peer, { 'x-forwarded-for': `198.51.100.${i}`, forwarded: `for=198.51.100.${i}` });
      assert.equal(res.statusCode, 401, `attempt ${i + 1}`);
    }
    const fourth = await inject('/api/glimpse/v1/session', { login: 'mara', password: 'wrong-4' }, peer, { 'x-forwarded-for': '198.51.100.99' });
    assert.equal(fourth.statusCode, 429);
    assert.deepEqual(fourth.json(), { error: 'Too many requests' });
    const right = await inject('/api/glimpse/v1/session', { login: 'mara', password: 'mara-password' }, peer, { 'x-forwarded-for': '198.51.100.100' });
    assert.equal(right.statusCode, 429, 'even the right password waits');
  });

  test('another peer address is not limited by someone else\'s failures', async () => {
    const res = await inject('/api/glimpse/v1/session', { login: 'mara', password: 'mara-password' }, '203.0.113.20');
    assert.equal(res.statusCode, 200);
  });

  test('the OAuth log-in form is rate-limited per peer as well', async () => {
    const app = await createOAuthApp(world, { scopes: 'read' });
    const page = await oauthLoginForm(world, app);
    const peer = '203.0.113.30';
    const form = (i: number) =>
      world.app.http.inject({
        method: 'POST',
        url: '/oauth/authorize',
        remoteAddress: peer,
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': `198.51.100.${i}`, cookie: page.cookie },
        payload: new URLSearchParams({ client_id: app.client_id, redirect_uri: REDIRECT_URI, response_type: 'code', scope: 'read', login: 'mara', password: `wrong-${i}`, decision: 'approve', csrf_token: page.csrf_token }).toString(),
      });
    for (let i = 0; i < 3; i++) assert.equal((await form(i)).statusCode, 401);
    assert.equal((await form(4)).statusCode, 429);
  });

  test('the web log-in and the OAuth log-in form share one budget per peer', async () => {
    const app = await createOAuthApp(world, { scopes: 'read' });
    const page = await oauthLoginForm(world, app);
    const peer = '203.0.113.35';
    for (let i = 0; i < 3; i++) assert.equal((await inject('/api/glimpse/v1/session', { login: 'mara', password: `wrong-${i}` }, peer)).statusCode, 401);
    const viaOAuth = await world.app.http.inject({
      method: 'POST',
      url: '/oauth/authorize',
      remoteAddress: peer,
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: page.cookie },
      payload: new URLSearchParams({ client_id: app.client_id, redirect_uri: REDIRECT_URI, response_type: 'code', scope: 'read', login: 'mara', password: 'wrong-again', decision: 'approve', csrf_token: page.csrf_token }).toString(),
    });
    assert.equal(viaOAuth.statusCode, 429);
    assert.ok(Number(viaOAuth.headers['retry-after']) > 0, 'says when to come back');
  });

  test('the 3rd registration from one peer answers 429 even when X-Forwarded-For rotates, and is not stored', async () => {
    const peer = '203.0.113.40';
    for (let i = 0; i < 2; i++) {
      const res = await inject('/api/glimpse/v1/registrations', { username: `limited_${i}`, email: `limited_${i}@example.test`, password: 'limited-password', agreement: true }, peer, { 'x-forwarded-for': `198.51.100.${i}` });
      assert.equal(res.statusCode, 200, res.body);
    }
    const third = await inject('/api/glimpse/v1/registrations', { username: 'limited_2', email: 'limited_2@example.test', password: 'limited-password', agreement: true }, peer, { 'x-forwarded-for': '198.51.100.7' });
    assert.equal(third.statusCode, 429);
    assert.equal(await world.app.services.repositories.accounts.findByUsername('limited_2'), undefined);
  });

  test('registration through the Mastodon API shares the web sign-up budget', async () => {
    const peer = '203.0.113.45';
    for (let i = 0; i < 2; i++) {
      const res = await inject('/api/glimpse/v1/registrations', { username: `shared_${i}`, email: `shared_${i}@example.test`, password: 'limited-password', agreement: true }, peer);
      assert.equal(res.statusCode, 200, res.body);
    }
    const viaApi = await inject('/api/v1/accounts', { username: 'shared_2', email: 'shared_2@example.test', password: 'limited-password', agreement: true, locale: 'en' }, peer);
    assert.equal(viaApi.statusCode, 429);
    assert.equal(await world.app.services.repositories.accounts.findByUsername('shared_2'), undefined);
  });
});

test('with a trusted proxy configured, log-in limits are keyed on the forwarded client address', async () => {
  const world = await createWorld({
    accounts: ['mara'],
    config: { trustProxy: true, rateLimitsEnabled: true, rateLimits: { ...defaultLimits, login: 1, registration: 0, api: 0, anonymous: 0 } },
  });
  try {
    const attempt = (client: string) =>
      world.app.http.inject({ method: 'POST', url: '/api/glimpse/v1/session', remoteAddress: '10.0.0.1', headers: { 'x-forwarded-for': client }, payload: { login: 'mara', password: 'wrong-password' } });
    assert.equal((await attempt('198.51.100.1')).statusCode, 401);
    assert.equal((await attempt('198.51.100.1')).statusCode, 429, 'the same client is limited');
    assert.equal((await attempt('198.51.100.2')).statusCode, 401, 'another client behind the proxy is not');
  } finally {
    await world.close();
  }
});
