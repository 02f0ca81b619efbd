import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createWorld, type Actor, type Response, type World } from '../support/world.ts';
import { REDIRECT_URI, appToken, createOAuthApp, formRequest, oauthLoginForm, pkcePair, setCookie, type RegisteredApp } from '../support/http.ts';

const TEN_MINUTES = 10 * 60 * 1000;

interface AuthorizeOptions {
  scope?: string;
  state?: string;
  redirectUri?: string;
  challenge?: string;
  method?: string;
  login?: string;
  password?: string;
  decision?: 'approve' | 'deny';
  extra?: Record<string, string>;
  headers?: Record<string, string>;
}

function authorizeParams(app: RegisteredApp, o: AuthorizeOptions): Record<string, string> {
  const params: Record<string, string> = {
    client_id: app.client_id,
    redirect_uri: o.redirectUri ?? REDIRECT_URI,
    response_type: 'code',
    scope: o.scope ?? 'read write',
  };
  if (o.state !== undefined) params.state = o.state;
  if (o.challenge !== undefined) params.code_challenge = o.challenge;
  if (o.method !== undefined) params.code_challenge_method = o.method;
  return { ...params, ...o.extra };
}

/** Submits the consent page's form with a log-in, as a browser would: the page first, then the form with its token. */
async function submitConsent(world: World, app: RegisteredApp, o: AuthorizeOptions): Promise<Response> {
  const form = await oauthLoginForm(world, app);
  const fields: Record<string, string> = { ...authorizeParams(app, o), decision: o.decision ?? 'approve', csrf_token: form.csrf_token };
  if (o.login !== undefined) fields.login = o.login;
  if (o.password !== undefined) fields.password = o.password;
  return formRequest(world, undefined, 'POST', '/oauth/authorize', fields, { cookie: form.cookie, ...o.headers });
}

function redirectQuery(res: Response): URLSearchParams {
  const location = String(res.headers.location ?? '');
  assert.ok(location.startsWith(`${REDIRECT_URI}?`), `redirects to the registered URI, got "${location}"`);
  return new URL(location).searchParams;
}

/** The whole browser part of the flow: consent as mara, answering the code and its verifier. */
async function authorizationCode(world: World, app: RegisteredApp, o: AuthorizeOptions = {}): Promise<{ code: string; verifier: string }> {
  const { verifier, challenge } = pkcePair();
  const res = await submitConsent(world, app, { login: 'mara', password: 'mara-password', challenge, method: 'S256', ...o });
  assert.equal(res.status, 302, typeof res.body === 'string' ? res.body.slice(0, 300) : JSON.stringify(res.body));
  const code = redirectQuery(res).get('code');
  assert.ok(code);
  return { code, verifier };
}

function exchange(world: World, app: RegisteredApp, fields: Record<string, string | undefined>): Promise<Response> {
  const body: Record<string, string> = {};
  for (const [k, v] of Object.entries({ grant_type: 'authorization_code', client_id: app.client_id, redirect_uri: REDIRECT_URI, ...fields })) {
    if (v !== undefined) body[k] = v;
  }
  return world.post(undefined, '/oauth/token', body);
}

const bearer = (token: string): Actor => ({ id: '', username: '', token });

describe('the OAuth authorization-code flow', () => {
  let world: World;
  let app: RegisteredApp;

  before(async () => {
    world = await createWorld({ accounts: ['mara', 'sam'] });
    app = await createOAuthApp(world, { scopes: 'read write follow' });
  });
  after(() => world.close());

  test('GET /oauth/authorize renders a log-in and consent form under a CSP without unsafe-inline', async () => {
    const { challenge } = pkcePair();
    const query = new URLSearchParams(authorizeParams(app, { state: 'st', challenge, method: 'S256' }));
    const res = await world.get(undefined, `/oauth/authorize?${query}`);
    assert.equal(res.status, 200);
    assert.match(String(res.headers['content-type']), /text\/html/);
    const csp = String(res.headers['content-security-policy']);
    assert.match(csp, /default-src 'self'/);
    assert.match(csp, /script-src 'self'/);
    assert.doesNotMatch(csp, /unsafe-inline/);
    assert.doesNotMatch(csp, /unsafe-eval/);
    assert.match(res.body, /<form method="post" action="\/oauth\/authorize">/);
    assert.match(res.body, /name="password"/);
    assert.match(res.body, /name="decision" value="approve"/);
    assert.match(res.body, new RegExp(`name="code_challenge" value="${challenge}"`));
    assert.doesNotMatch(res.body, /<script|\sstyle=|\son\w+=/i, 'no inline script, style or handlers');
    assert.equal(res.headers['cache-control'], 'no-store');
  });

  test('the consent page escapes the app name', async () => {
    const hostile = await createOAuthApp(world, { name: '<img src=x onerror=alert(1)>', scopes: 'read' });
    const query = new URLSearchParams(authorizeParams(hostile, { scope: 'read' }));
    const res = await world.get(undefined, `/oauth/authorize?${query}`);
    assert.equal(res.status, 200);
    assert.ok(!res.body.includes('<img src=x'));
    assert.ok(res.body.includes('&lt;img src=x onerror=alert(1)&gt;'));
  });

  test('approving with a log-in redirects 302 to the redirect URI with a code and the state', async () => {
    const { challenge } = pkcePair();
    const res = await submitConsent(world, app, { login: 'mara', password: 'mara-password', state: 'opaque state & more', challenge, method: 'S256' });
    assert.equal(res.status, 302);
    const query = redirectQuery(res);
    assert.ok(query.get('code'));
    assert.equal(query.get('state'), 'opaque state & more');
  });

  test('denying redirects with access_denied and the state, and no code', async () => {
    const res = await submitConsent(world, app, { login: 'mara', password: 'mara-password', state: 's1', decision: 'deny' });
    assert.equal(res.status, 302);
    const query = redirectQuery(res);
    assert.equal(query.get('error'), 'access_denied');
    assert.equal(query.get('state'), 's1');
    assert.equal(query.get('code'), null);
  });

  test('a wrong password or unknown user on the consent page issues no code and gives the same message', async () => {
    const wrong = await submitConsent(world, app, { login: 'mara', password: 'not-her-password' });
    const unknown = await submitConsent(world, app, { login: 'nobody_at_all', password: 'whatever-password' });
    for (const res of [wrong, unknown]) {
      assert.equal(res.status, 401);
      assert.equal(res.headers.location, undefined);
      assert.match(res.body, /Invalid username\/email or password/);
    }
    // The same page but for the form's own token.
    const page = (res: Response) => String(res.body).replace(/name="csrf_token" value="[^"]*"/, '');
    assert.equal(page(wrong), page(unknown));
  });

  test('the code exchanges with its PKCE S256 verifier for a token of the granted scopes', async () => {
    const { code, verifier } = await authorizationCode(world, app, { scope: 'read write' });
    const res = await exchange(world, app, { code, code_verifier: verifier });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.token_type, 'Bearer');
    assert.equal(res.body.scope, 'read write');
    assert.equal(typeof res.body.refresh_token, 'string');
    assert.equal(res.headers['cache-control'], 'no-store');
    const me = await world.get(bearer(res.body.access_token), '/api/v1/accounts/verify_credentials');
    assert.equal(me.status, 200);
    assert.equal(me.body.username, 'mara');
  });

  test('an authorization code works exactly once: a second exchange answers 400 invalid_grant', async () => {
    const { code, verifier } = await authorizationCode(world, app);
    const first = await exchange(world, app, { code, code_verifier: verifier });
    assert.equal(first.status, 200);
    const second = await exchange(world, app, { code, code_verifier: verifier });
    assert.equal(second.status, 400);
    assert.equal(second.body.error, 'invalid_grant');
  });

  test('a replayed authorization code revokes every token it gave, refreshed ones included', async () => {
    const { code, verifier } = await authorizationCode(world, app);
    const first = (await exchange(world, app, { code, code_verifier: verifier })).body;
    const refreshed = await world.post(undefined, '/oauth/token', { grant_type: 'refresh_token', refresh_token: first.refresh_token, client_id: app.client_id, client_secret: app.client_secret });
    assert.equal(refreshed.status, 200);
    const other = await authorizationCode(world, app);
    const unrelated = (await exchange(world, app, { code: other.code, code_verifier: other.verifier })).body;
    assert.equal((await world.get(bearer(refreshed.body.access_token), '/api/v1/accounts/verify_credentials')).status, 200);

    const replay = await exchange(world, app, { code, code_verifier: verifier });
    assert.equal(replay.status, 400);
    assert.equal(replay.body.error, 'invalid_grant');
    assert.equal((await world.get(bearer(refreshed.body.access_token), '/api/v1/accounts/verify_credentials')).status, 401);
    const reuse = await world.post(undefined, '/oauth/token', { grant_type: 'refresh_token', refresh_token: refreshed.body.refresh_token, client_id: app.client_id, client_secret: app.client_secret });
    assert.equal(reuse.status, 400, 'the refresh token is revoked too');
    assert.equal((await world.get(bearer(unrelated.access_token), '/api/v1/accounts/verify_credentials')).status, 200, 'tokens from other codes stay');
  });

  test('a wrong PKCE verifier answers 400 invalid_grant', async () => {
    const { code } = await authorizationCode(world, app);
    const res = await exchange(world, app, { code, code_verifier: pkcePair().verifier });
    assert.equal(res.status, 400);
    assert.equal(res.body.error, 'invalid_grant');
  });

  test('a code issued with a PKCE challenge cannot be exchanged with the client secret instead of the verifier', async () => {
    const { code } = await authorizationCode(world, app);
    const res = await exchange(world, app, { code, client_secret: app.client_secret });
    assert.equal(res.status, 400);
    assert.equal(res.body.error, 'invalid_grant');
  });

  test('a code cannot be exchanged by another client', async () => {
    const other = await createOAuthApp(world, { scopes: 'read write follow' });
    const { code, verifier } = await authorizationCode(world, app);
    const res = await exchange(world, other, { code, code_verifier: verifier });
    assert.equal(res.status, 400);
    assert.equal(res.body.error, 'invalid_grant');
  });

  test('the code_challenge_method plain is refused, and no code is issued', async () => {
    const verifier = pkcePair().verifier;
    const query = new URLSearchParams(authorizeParams(app, { challenge: verifier, method: 'plain' }));
    const page = await world.get(undefined, `/oauth/authorize?${query}`);
    assert.equal(page.status, 400);
    assert.equal(page.body.error, 'invalid_request');
    const post = await submitConsent(world, app, { login: 'mara', password: 'mara-password', challenge: verifier, method: 'plain' });
    assert.equal(post.status, 400);
    assert.equal(post.headers.location, undefined);
  });

  for (const [label, uri] of [
    ['an extra path segment', `${REDIRECT_URI}/extra`],
    ['a trailing slash', `${REDIRECT_URI}/`],
    ['an extra query', `${REDIRECT_URI}?next=https://evil.example`],
    ['another host', 'https://evil.example/callback'],
    ['another scheme', REDIRECT_URI.replace('https:', 'http:')],
  ] as const) {
    test(`a redirect_uri with ${label} is refused on the consent page and its form`, async () => {
      const query = new URLSearchParams(authorizeParams(app, { redirectUri: uri }));
      const page = await world.get(undefined, `/oauth/authorize?${query}`);
      assert.equal(page.status, 400);
      assert.equal(page.body.error, 'invalid_redirect_uri');
      const post = await submitConsent(world, app, { login: 'mara', password: 'mara-password', redirectUri: uri });
      assert.equal(post.status, 400);
      assert.equal(post.headers.location, undefined);
    });
  }

  test('exchanging a code with a redirect_uri other than the one it was issued for answers invalid_grant', async () => {
    const { code, verifier } = await authorizationCode(world, app);
    const res = await exchange(world, app, { code, code_verifier: verifier, redirect_uri: `${REDIRECT_URI}/` });
    assert.equal(res.status, 400);
    assert.equal(res.body.error, 'invalid_grant');
  });

  test('a scope beyond what the app registered is refused', async () => {
    const query = new URLSearchParams(authorizeParams(app, { scope: 'read write push' }));
    const res = await world.get(undefined, `/oauth/authorize?${query}`);
    assert.equal(res.status, 400);
    assert.equal(res.body.error, 'invalid_scope');
  });

  test('an unknown client_id is refused on the consent page', async () => {
    const res = await world.get(undefined, `/oauth/authorize?${new URLSearchParams({ client_id: 'unknown', redirect_uri: REDIRECT_URI, response_type: 'code' })}`);
    assert.equal(res.status, 401);
    assert.equal(res.body.error, 'invalid_client');
  });

  test('the implicit grant (response_type=token) and the password grant are not offered', async () => {
    const page = await world.get(undefined, `/oauth/authorize?${new URLSearchParams({ ...authorizeParams(app, {}), response_type: 'token' })}`);
    assert.equal(page.status, 400);
    assert.equal(page.body.error, 'unsupported_response_type');
    const password = await world.post(undefined, '/oauth/token', { grant_type: 'password', client_id: app.client_id, client_secret: app.client_secret, username: 'mara', password: 'mara-password' });
    assert.equal(password.status, 400);
    assert.equal(password.body.error, 'unsupported_grant_type');
  });

  test('an authorization code expires after 10 minutes', async () => {
    const fresh = await authorizationCode(world, app);
    world.clock.advance(TEN_MINUTES - 60_000);
    const inTime = await exchange(world, app, { code: fresh.code, code_verifier: fresh.verifier });
    assert.equal(inTime.status, 200, 'still valid after 9 minutes');

    const stale = await authorizationCode(world, app);
    world.clock.advance(TEN_MINUTES + 60_000);
    const late = await exchange(world, app, { code: stale.code, code_verifier: stale.verifier });
    assert.equal(late.status, 400);
    assert.equal(late.body.error, 'invalid_grant');
  });

  test('a refresh rotates the pair: the old refresh token stops working and the old access token is revoked', async () => {
    const { code, verifier } = await authorizationCode(world, app);
    const first = (await exchange(world, app, { code, code_verifier: verifier })).body;
    const refreshed = await world.post(undefined, '/oauth/token', { grant_type: 'refresh_token', refresh_token: first.refresh_token, client_id: app.client_id, client_secret: app.client_secret });
    assert.equal(refreshed.status, 200, JSON.stringify(refreshed.body));
    assert.notEqual(refreshed.body.access_token, first.access_token);
    assert.notEqual(refreshed.body.refresh_token, first.refresh_token);
    assert.equal(refreshed.body.scope, first.scope);
    assert.equal((await world.get(bearer(first.access_token), '/api/v1/accounts/verify_credentials')).status, 401);
    assert.equal((await world.get(bearer(refreshed.body.access_token), '/api/v1/accounts/verify_credentials')).status, 200);

    const again = await world.post(undefined, '/oauth/token', { grant_type: 'refresh_token', refresh_token: first.refresh_token, client_id: app.client_id, client_secret: app.client_secret });
    assert.equal(again.status, 400);
    assert.equal(again.body.error, 'invalid_grant');
  });

  test('reusing a rotated refresh token revokes its whole family: every token issued after it stops working', async () => {
    const refresh = (token: string) =>
      world.post(undefined, '/oauth/token', { grant_type: 'refresh_token', refresh_token: token, client_id: app.client_id, client_secret: app.client_secret });
    const { code, verifier } = await authorizationCode(world, app);
    const first = (await exchange(world, app, { code, code_verifier: verifier })).body;
    const second = (await refresh(first.refresh_token)).body;
    const third = (await refresh(second.refresh_token)).body;
    assert.ok(third.access_token);
    const unrelated = await authorizationCode(world, app);
    const other = (await exchange(world, app, { code: unrelated.code, code_verifier: unrelated.verifier })).body;

    const replay = await refresh(first.refresh_token);
    assert.equal(replay.status, 400);
    assert.equal(replay.body.error, 'invalid_grant');
    for (const token of [second.access_token, third.access_token]) {
      assert.equal((await world.get(bearer(token), '/api/v1/accounts/verify_credentials')).status, 401, 'a later token of the chain is revoked');
    }
    assert.equal((await refresh(third.refresh_token)).status, 400, 'the newest refresh token is revoked too');
    assert.equal((await world.get(bearer(other.access_token), '/api/v1/accounts/verify_credentials')).status, 200, 'another grant of the same app and account is untouched');
  });

  test('a refreshable token from before token families were kept gets a family of its own', async () => {
    // A token as issued before 0005: a refresh token but no authorization code remembered.
    const legacy = await world.app.services.auth.issue({ appId: app.id, accountId: world.actors.mara.id, scopes: ['read'], withRefresh: true });
    const { up } = await import('../../src/db/migrations/0009-token-families.ts');
    await up(world.app.services.database.kysely);
    const refresh = (token: string) =>
      world.post(undefined, '/oauth/token', { grant_type: 'refresh_token', refresh_token: token, client_id: app.client_id, client_secret: app.client_secret });
    const next = await refresh(legacy.refresh_token!);
    assert.equal(next.status, 200);
    assert.equal((await refresh(legacy.refresh_token!)).status, 400);
    assert.equal((await world.get(bearer(next.body.access_token), '/api/v1/accounts/verify_credentials')).status, 401, 'the token refreshed from it is revoked with it');
  });

  test('a refresh token cannot be used by another client', async () => {
    const other = await createOAuthApp(world, { scopes: 'read write follow' });
    const { code, verifier } = await authorizationCode(world, app);
    const issued = (await exchange(world, app, { code, code_verifier: verifier })).body;
    const res = await world.post(undefined, '/oauth/token', { grant_type: 'refresh_token', refresh_token: issued.refresh_token, client_id: other.client_id, client_secret: other.client_secret });
    assert.equal(res.status, 400);
    assert.equal(res.body.error, 'invalid_grant');
    assert.equal((await world.get(bearer(issued.access_token), '/api/v1/accounts/verify_credentials')).status, 200, 'the failed attempt revoked nothing');
  });

  test('POST /oauth/revoke makes the token answer 401 on the REST API', async () => {
    const { code, verifier } = await authorizationCode(world, app);
    const issued = (await exchange(world, app, { code, code_verifier: verifier })).body;
    assert.equal((await world.get(bearer(issued.access_token), '/api/v1/accounts/verify_credentials')).status, 200);
    const res = await world.post(undefined, '/oauth/revoke', { client_id: app.client_id, client_secret: app.client_secret, token: issued.access_token });
    assert.equal(res.status, 200);
    const after = await world.get(bearer(issued.access_token), '/api/v1/accounts/verify_credentials');
    assert.equal(after.status, 401);
    assert.equal(typeof after.body.error, 'string');
    const refresh = await world.post(undefined, '/oauth/token', { grant_type: 'refresh_token', refresh_token: issued.refresh_token, client_id: app.client_id, client_secret: app.client_secret });
    assert.equal(refresh.status, 400, 'its refresh token died with it');
  });

  test('another client cannot revoke a token it was not issued, though the answer is the same 200', async () => {
    const other = await createOAuthApp(world, { scopes: 'read' });
    const { code, verifier } = await authorizationCode(world, app);
    const issued = (await exchange(world, app, { code, code_verifier: verifier })).body;
    const res = await world.post(undefined, '/oauth/revoke', { client_id: other.client_id, client_secret: other.client_secret, token: issued.access_token });
    assert.equal(res.status, 200);
    assert.equal((await world.get(bearer(issued.access_token), '/api/v1/accounts/verify_credentials')).status, 200);
  });

  test('a token granted only read scope cannot write', async () => {
    const { code, verifier } = await authorizationCode(world, app, { scope: 'read' });
    const issued = (await exchange(world, app, { code, code_verifier: verifier })).body;
    assert.equal(issued.scope, 'read');
    const token = bearer(issued.access_token);
    assert.equal((await world.get(token, '/api/v1/accounts/verify_credentials')).status, 200);
    const write = await world.request(token, 'PATCH', '/api/v1/accounts/update_credentials', { display_name: 'Nope' });
    assert.equal(write.status, 403);
  });

  test('a signed-in consent needs the session CSRF token, and works with it', async () => {
    const login = await world.post(undefined, '/api/glimpse/v1/session', { login: 'mara', password: 'mara-password' });
    assert.equal(login.status, 200);
    const cookie = `glimpse_session=${setCookie(login, 'glimpse_session')!.value}`;
    const { verifier, challenge } = pkcePair();
    const query = new URLSearchParams(authorizeParams(app, { challenge, method: 'S256' }));
    const page = await world.request(undefined, 'GET', `/oauth/authorize?${query}`, undefined, { cookie });
    assert.match(page.body, /Signed in as <strong>@mara<\/strong>/);
    const csrf = /name="csrf_token" value="([^"]+)"/.exec(page.body)?.[1];
    assert.ok(csrf);

    const fields = { ...authorizeParams(app, { challenge, method: 'S256' }), decision: 'approve' };
    const forged = await formRequest(world, undefined, 'POST', '/oauth/authorize', fields, { cookie });
    assert.equal(forged.status, 403);
    assert.equal(forged.headers.location, undefined);
    const wrongCsrf = await formRequest(world, undefined, 'POST', '/oauth/authorize', { ...fields, csrf_token: 'x'.repeat(csrf.length) }, { cookie });
    assert.equal(wrongCsrf.status, 403);

    const ok = await formRequest(world, undefined, 'POST', '/oauth/authorize', { ...fields, csrf_token: csrf }, { cookie });
    assert.equal(ok.status, 302);
    const code = redirectQuery(ok).get('code')!;
    const token = await exchange(world, app, { code, code_verifier: verifier });
    assert.equal(token.status, 200);
  });

  test('the password form refuses a post that does not carry the log-in page\'s token and cookie (log-in CSRF), and issues no code', async () => {
    const { challenge } = pkcePair();
    const fields = { ...authorizeParams(app, { challenge, method: 'S256' }), decision: 'approve', login: 'mara', password: 'mara-password' };
    const form = await oauthLoginForm(world, app);
    const otherBrowser = await oauthLoginForm(world, app);
    const attempts = {
      'no token, no cookie (a form on another site)': await formRequest(world, undefined, 'POST', '/oauth/authorize', fields),
      'the token without its cookie': await formRequest(world, undefined, 'POST', '/oauth/authorize', { ...fields, csrf_token: form.csrf_token }),
      'the cookie without a token': await formRequest(world, undefined, 'POST', '/oauth/authorize', fields, { cookie: form.cookie }),
      'another browser\'s cookie': await formRequest(world, undefined, 'POST', '/oauth/authorize', { ...fields, csrf_token: form.csrf_token }, { cookie: otherBrowser.cookie }),
      'a forged token': await formRequest(world, undefined, 'POST', '/oauth/authorize', { ...fields, csrf_token: `${form.csrf_token.split('.')[0]}.${'A'.repeat(43)}` }, { cookie: form.cookie }),
    };
    for (const [label, res] of Object.entries(attempts)) {
      assert.equal(res.status, 403, label);
      assert.equal(res.headers.location, undefined, label);
      assert.match(String(res.body), /name="login"/, `${label}: the form is shown again to sign in`);
    }
    const ok = await formRequest(world, undefined, 'POST', '/oauth/authorize', { ...fields, csrf_token: form.csrf_token }, { cookie: form.cookie });
    assert.equal(ok.status, 302);
    assert.ok(redirectQuery(ok).get('code'));
  });

  test('the password form\'s token expires after an hour', async () => {
    const form = await oauthLoginForm(world, app);
    world.clock.advance(60 * 60 * 1000 + 1000);
    const fields = { ...authorizeParams(app, {}), decision: 'approve', login: 'mara', password: 'mara-password', csrf_token: form.csrf_token };
    const late = await formRequest(world, undefined, 'POST', '/oauth/authorize', fields, { cookie: form.cookie });
    assert.equal(late.status, 403);
    assert.equal(late.headers.location, undefined);
  });

  test('the log-in form\'s cookie is HttpOnly, SameSite=Lax and sent only to /oauth', async () => {
    const page = await world.get(undefined, `/oauth/authorize?${new URLSearchParams(authorizeParams(app, {}))}`);
    const attributes = setCookie(page, 'glimpse_oauth_login')!.attributes.map((a) => a.toLowerCase());
    assert.ok(attributes.includes('httponly'), attributes.join('; '));
    assert.ok(attributes.includes('samesite=lax'), attributes.join('; '));
    assert.ok(attributes.includes('path=/oauth'), attributes.join('; '));
  });

  test('the out-of-band redirect shows the code on a page instead of redirecting', async () => {
    const oob = await createOAuthApp(world, { redirectUris: ['urn:ietf:wg:oauth:2.0:oob'], scopes: 'read' });
    const { verifier, challenge } = pkcePair();
    const res = await submitConsent(world, oob, { login: 'mara', password: 'mara-password', redirectUri: 'urn:ietf:wg:oauth:2.0:oob', scope: 'read', challenge, method: 'S256' });
    assert.equal(res.status, 200);
    const code = /<pre class="code">([^<]+)<\/pre>/.exec(res.body)?.[1];
    assert.ok(code);
    const token = await world.post(undefined, '/oauth/token', { grant_type: 'authorization_code', code, client_id: oob.client_id, redirect_uri: 'urn:ietf:wg:oauth:2.0:oob', code_verifier: verifier });
    assert.equal(token.status, 200, JSON.stringify(token.body));
  });
});

describe('client credentials and app tokens', () => {
  let world: World;
  let app: RegisteredApp;

  before(async () => {
    world = await createWorld({ accounts: ['mara'] });
    app = await createOAuthApp(world, { scopes: 'read write', name: 'Credentialed client' });
  });
  after(() => world.close());

  test('a client_credentials token has no user: verify_credentials answers 422 and user routes refuse it', async () => {
    const token = await appToken(world, app);
    const me = await world.get(token, '/api/v1/accounts/verify_credentials');
    assert.equal(me.status, 422);
    assert.match(me.body.error, /requires an authenticated user/);
    const follow = await world.post(token, `/api/v1/accounts/${world.actors.mara.id}/follow`);
    assert.equal(follow.status, 422);
    const notifications = await world.get(token, '/api/v1/notifications');
    assert.equal(notifications.status, 422);
  });

  test('a client_credentials token reads public data like an anonymous caller', async () => {
    const token = await appToken(world, app);
    const res = await world.get(token, `/api/v1/accounts/${world.actors.mara.id}`);
    assert.equal(res.status, 200);
    assert.equal(res.body.username, 'mara');
  });

  test('apps/verify_credentials names the app of a client_credentials token and of a user token from the flow', async () => {
    const token = await appToken(world, app);
    const res = await world.get(token, '/api/v1/apps/verify_credentials');
    assert.equal(res.status, 200);
    assert.equal(res.body.name, 'Credentialed client');
    assert.deepEqual(res.body.scopes, ['read', 'write']);
    assert.equal(res.body.client_secret, undefined, 'the secret is never shown again');

    const { verifier, challenge } = pkcePair();
    const consent = await submitConsent(world, app, { login: 'mara', password: 'mara-password', challenge, method: 'S256' });
    const code = redirectQuery(consent).get('code')!;
    const user = await exchange(world, app, { code, code_verifier: verifier });
    const viaUser = await world.get(bearer(user.body.access_token), '/api/v1/apps/verify_credentials');
    assert.equal(viaUser.status, 200);
    assert.equal(viaUser.body.name, 'Credentialed client');
  });

  test('apps/verify_credentials without a token answers 401', async () => {
    const res = await world.get(undefined, '/api/v1/apps/verify_credentials');
    assert.equal(res.status, 401);
  });

  test('client_credentials with a wrong secret or no secret answers 401 invalid_client', async () => {
    for (const secret of ['wrong-secret', undefined]) {
      const res = await world.post(undefined, '/oauth/token', { grant_type: 'client_credentials', client_id: app.client_id, ...(secret ? { client_secret: secret } : {}) });
      assert.equal(res.status, 401);
      assert.equal(res.body.error, 'invalid_client');
    }
  });

  test('client credentials may be sent with HTTP Basic', async () => {
    const basic = Buffer.from(`${app.client_id}:${app.client_secret}`).toString('base64');
    const res = await world.request(undefined, 'POST', '/oauth/token', { grant_type: 'client_credentials' }, { authorization: `Basic ${basic}` });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.scope, 'read');
  });

  test('a client_credentials scope beyond the app is refused with invalid_scope', async () => {
    const res = await world.post(undefined, '/oauth/token', { grant_type: 'client_credentials', client_id: app.client_id, client_secret: app.client_secret, scope: 'read write push' });
    assert.equal(res.status, 400);
    assert.equal(res.body.error, 'invalid_scope');
  });

  test('creating an app with unknown scopes or a javascript: redirect URI answers 422', async () => {
    const badScope = await world.post(undefined, '/api/v1/apps', { client_name: 'x', redirect_uris: REDIRECT_URI, scopes: 'read admin:everything' });
    assert.equal(badScope.status, 422);
    const badUri = await world.post(undefined, '/api/v1/apps', { client_name: 'x', redirect_uris: 'javascript:alert(1)', scopes: 'read' });
    assert.equal(badUri.status, 422);
    const relative = await world.post(undefined, '/api/v1/apps', { client_name: 'x', redirect_uris: '/callback', scopes: 'read' });
    assert.equal(relative.status, 422);
  });

  const register = (uri: string) => world.post(undefined, '/api/v1/apps', { client_name: 'redirects', redirect_uris: uri, scopes: 'read' });

  test('app registration accepts https, http on loopback hosts, the out-of-band URN and reverse-domain private-use schemes', async () => {
    for (const uri of [
      REDIRECT_URI,
      'http://127.0.0.1:8765/callback',
      'http://[::1]/callback',
      'http://localhost:3000/oauth',
      'urn:ietf:wg:oauth:2.0:oob',
      'com.example.app:/callback',
      'org.joinmastodon.app://oauth',
    ]) {
      const res = await register(uri);
      assert.equal(res.status, 200, `${uri}: ${JSON.stringify(res.body)}`);
      assert.deepEqual(res.body.redirect_uris, [uri]);
    }
  });

  test('app registration refuses file:, blob:, data:, other schemes and http off loopback with 422 and a clear message', async () => {
    for (const uri of [
      'file:///etc/passwd',
      'blob:https://client.example/4f1c8d3e',
      'data:text/html,<script>alert(1)</script>',
      'javascript:alert(1)',
      'vbscript:msgbox(1)',
      'about:blank',
      'ftp://client.example/callback',
      'myapp://callback',
      'http://client.example/callback',
      'http://127.0.0.1.evil.example/callback',
      'https://client.example/callback#fragment',
    ]) {
      const res = await register(uri);
      assert.equal(res.status, 422, uri);
      assert.match(res.body.error, /Redirect URI must be https:, http: on a loopback host/, uri);
    }
  });
});
