import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { createWorld, type Response, type World } from '../support/world.ts';
import { startHttpServer } from '../support/http-server.ts';
import { loadConfig, type RateLimits } from '../../src/config.ts';
import { createOAuthApp, formRequest, setCookie, tokenWithScopes } from '../support/http.ts';

/**
 * CORS as Mastodon does it: any site may call the client API with a bearer token; no answer
 * is ever shared with credentials, and a session cookie never counts on a request from
 * another site's page.
 */
const ELSEWHERE = 'https://client.elsewhere.example';

function assertCors(res: Response, label: string): void {
  assert.equal(res.headers['access-control-allow-origin'], '*', `${label}: Access-Control-Allow-Origin`);
  const exposed = String(res.headers['access-control-expose-headers'] ?? '').toLowerCase().split(/\s*,\s*/);
  for (const name of ['link', 'x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset', 'retry-after']) {
    assert.ok(exposed.includes(name), `${label}: ${name} is exposed (got ${exposed.join(', ')})`);
  }
  assert.equal(res.headers['access-control-allow-credentials'], undefined, `${label}: never with credentials`);
}

function assertNoCors(res: Response, label: string): void {
  for (const name of ['access-control-allow-origin', 'access-control-allow-credentials', 'access-control-expose-headers', 'access-control-allow-methods']) {
    assert.equal(res.headers[name], undefined, `${label}: no ${name}`);
  }
}

const preflight = (world: World, url: string, method = 'POST', headers = 'authorization, content-type, idempotency-key') =>
  world.request(undefined, 'OPTIONS', url, undefined, { origin: ELSEWHERE, 'access-control-request-method': method, 'access-control-request-headers': headers });

const listOf = (value: unknown) => String(value ?? '').toLowerCase().split(/\s*,\s*/);

async function sessionCookie(world: World, login: string): Promise<{ cookie: string; csrf: string }> {
  const res = await world.post(undefined, '/api/glimpse/v1/session', { login, password: `${login}-password` });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return { cookie: `glimpse_session=${setCookie(res, 'glimpse_session')!.value}`, csrf: res.body.csrf_token };
}

describe('CORS on the paths other sites call', () => {
  let world: World;
  before(async () => {
    world = await createWorld({ accounts: ['mara', 'ines'] });
  });
  after(() => world.close());

  test('the API, the OAuth token and revoke endpoints, .well-known and nodeinfo allow any origin and expose Link and the rate-limit headers', async () => {
    const app = await createOAuthApp(world);
    const answers: Array<[string, Response]> = [
      ['GET /api/v1/instance', await world.request(undefined, 'GET', '/api/v1/instance', undefined, { origin: ELSEWHERE })],
      ['GET /api/v1/timelines/home', await world.request('mara', 'GET', '/api/v1/timelines/home', undefined, { origin: ELSEWHERE })],
      ['GET /api/glimpse/v1/session (bearer)', await world.request('mara', 'GET', '/api/glimpse/v1/session', undefined, { origin: ELSEWHERE })],
      ['POST /api/v1/apps', await world.request(undefined, 'POST', '/api/v1/apps', { client_name: 'x', redirect_uris: 'urn:ietf:wg:oauth:2.0:oob' }, { origin: ELSEWHERE })],
      ['POST /oauth/token', await world.request(undefined, 'POST', '/oauth/token', { grant_type: 'client_credentials', client_id: app.client_id, client_secret: app.client_secret }, { origin: ELSEWHERE })],
      ['POST /oauth/revoke', await world.request(undefined, 'POST', '/oauth/revoke', { client_id: app.client_id, client_secret: app.client_secret, token: 'nothing' }, { origin: ELSEWHERE })],
      ['GET /.well-known/nodeinfo', await world.request(undefined, 'GET', '/.well-known/nodeinfo', undefined, { origin: ELSEWHERE })],
      ['GET /nodeinfo/2.0', await world.request(undefined, 'GET', '/nodeinfo/2.0', undefined, { origin: ELSEWHERE })],
      ['GET /api/v1/instance without Origin', await world.get(undefined, '/api/v1/instance')],
    ];
    for (const [label, res] of answers) {
      assert.ok(res.status < 300, `${label}: ${res.status} ${JSON.stringify(res.body)}`);
      assertCors(res, label);
    }
  });

  test('the web client\'s pages, the consent page, static files and media carry no CORS headers', async () => {
    const app = await createOAuthApp(world);
    const query = new URLSearchParams({ client_id: app.client_id, redirect_uri: app.redirect_uris[0], response_type: 'code', scope: 'read' });
    for (const url of ['/', '/login', '/@mara', `/oauth/authorize?${query}`, '/static/oauth.css', '/media/0000/w640.jpg', '/oauth/tokenx', '/apis/v1/instance']) {
      assertNoCors(await world.request(undefined, 'GET', url, undefined, { origin: ELSEWHERE }), `GET ${url}`);
    }
    for (const url of ['/oauth/authorize', '/', '/media/0000/w640.jpg']) {
      const res = await preflight(world, url);
      assert.equal(res.status, 404, `OPTIONS ${url} is no preflight`);
      assertNoCors(res, `OPTIONS ${url}`);
    }
  });

  test('a preflight is answered 204 with the methods and headers clients send, for a while, never with credentials', async () => {
    for (const [url, method] of [
      ['/api/v1/apps', 'POST'],
      ['/api/v1/statuses', 'POST'],
      ['/api/v2/media', 'POST'],
      ['/api/v1/media/123', 'PUT'],
      ['/api/v1/accounts/update_credentials', 'PATCH'],
      ['/api/v1/statuses/123', 'DELETE'],
      ['/api/v1/timelines/home?limit=5', 'GET'],
      ['/api/v1/no-such-endpoint', 'GET'],
      ['/oauth/token', 'POST'],
      ['/oauth/revoke', 'POST'],
      ['/.well-known/nodeinfo', 'GET'],
      ['/nodeinfo/2.0', 'GET'],
    ]) {
      const res = await preflight(world, url, method);
      const label = `OPTIONS ${url}`;
      assert.equal(res.status, 204, label);
      assert.equal(res.raw.body, '', `${label}: no body`);
      assertCors(res, label);
      const methods = listOf(res.headers['access-control-allow-methods']);
      for (const m of ['get', 'post', 'put', 'patch', 'delete']) assert.ok(methods.includes(m), `${label}: allows ${m} (got ${methods.join(', ')})`);
      const headers = listOf(res.headers['access-control-allow-headers']);
      for (const h of ['authorization', 'content-type', 'idempotency-key']) assert.ok(headers.includes(h), `${label}: allows the ${h} header`);
      assert.ok(Number(res.headers['access-control-max-age']) >= 600, `${label}: the preflight is remembered`);
    }
  });

  test('failures carry the CORS header too, so a script can read why: 401, 403, 404 and 422', async () => {
    const readOnly = await tokenWithScopes(world, world.actors.mara, ['read']);
    const cases: Array<[string, Response, number, unknown]> = [
      ['no token', await world.request(undefined, 'GET', '/api/v1/accounts/verify_credentials', undefined, { origin: ELSEWHERE }), 401, undefined],
      ['a made-up token', await world.request(undefined, 'GET', '/api/v1/accounts/verify_credentials', undefined, { origin: ELSEWHERE, authorization: 'Bearer made-up' }), 401, undefined],
      ['a missing status', await world.request('mara', 'GET', '/api/v1/statuses/1234567890123456', undefined, { origin: ELSEWHERE }), 404, { error: 'Record not found' }],
      ['an unknown endpoint', await world.request('mara', 'GET', '/api/v1/no-such-endpoint', undefined, { origin: ELSEWHERE }), 404, { error: 'Record not found' }],
      ['a bad body', await world.request('mara', 'POST', '/api/v1/statuses', { status: 'x'.repeat(5000) }, { origin: ELSEWHERE }), 422, undefined],
      ['a bad grant', await world.request(undefined, 'POST', '/oauth/token', { grant_type: 'password' }, { origin: ELSEWHERE }), 400, undefined],
    ];
    cases.push(['a token without the scope', await world.request(readOnly, 'POST', '/api/v1/statuses', { status: 'hi' }, { origin: ELSEWHERE }), 403, undefined]);
    for (const [label, res, status, body] of cases) {
      assert.equal(res.status, status, `${label}: ${JSON.stringify(res.body)}`);
      assert.equal(typeof res.body.error, 'string', `${label}: Mastodon's error shape`);
      if (body) assert.deepEqual(res.body, body, label);
      assertCors(res, label);
    }
  });

  test('a bearer token works from another site\'s page', async () => {
    const res = await world.request('mara', 'GET', '/api/v1/accounts/verify_credentials', undefined, { origin: ELSEWHERE });
    assert.equal(res.status, 200);
    assert.equal(res.body.id, world.actors.mara.id);
    assertCors(res, 'verify_credentials with a token');
  });

  test('a session cookie is ignored on a request from another origin, and honoured from the instance\'s own pages', async () => {
    const { cookie, csrf } = await sessionCookie(world, 'ines');
    const own = new URL(world.config.publicUrl).origin;
    for (const origin of [ELSEWHERE, `${own}.evil.example`, own.replace('http:', 'https:'), `${own}:8080`, 'null']) {
      const read = await world.request(undefined, 'GET', '/api/v1/accounts/verify_credentials', undefined, { cookie, origin });
      assert.equal(read.status, 401, `a read from ${origin}`);
      assertCors(read, `a read from ${origin}`);
      const session = await world.request(undefined, 'GET', '/api/glimpse/v1/session', undefined, { cookie, origin });
      assert.equal(session.status, 401, `the session (and its CSRF token) from ${origin}`);
      const write = await world.request(undefined, 'PATCH', '/api/v1/accounts/update_credentials', { note: 'from elsewhere' }, { cookie, origin, 'x-csrf-token': csrf });
      assert.equal(write.status, 401, `a write from ${origin}, even with the CSRF token`);
    }
    const stream = await world.request(undefined, 'GET', '/api/v1/streaming/public', undefined, { cookie, origin: ELSEWHERE });
    assert.equal(stream.status, 401, 'an event stream from another origin');
    assertCors(stream, 'the refused event stream');

    const sameOriginRead = await world.request(undefined, 'GET', '/api/v1/accounts/verify_credentials', undefined, { cookie, origin: own });
    assert.equal(sameOriginRead.status, 200, 'a read from the instance\'s own page');
    const noOriginRead = await world.request(undefined, 'GET', '/api/v1/accounts/verify_credentials', undefined, { cookie });
    assert.equal(noOriginRead.status, 200, 'a same-origin GET comes without Origin');
    const write = await world.request(undefined, 'PATCH', '/api/v1/accounts/update_credentials', { note: 'from home' }, { cookie, origin: own, 'x-csrf-token': csrf });
    assert.equal(write.status, 200, JSON.stringify(write.body));
    assert.equal(write.body.source.note, 'from home');
    const unchanged = await world.get('ines', '/api/v1/accounts/verify_credentials');
    assert.equal(unchanged.body.source.note, 'from home', 'no write from another origin landed');
  });
});

describe('the consent page\'s redirect back to the app', () => {
  let world: World;
  before(async () => {
    world = await createWorld({ accounts: ['mara'] });
  });
  after(() => world.close());

  const directives = (res: Response) => new Map(String(res.headers['content-security-policy']).split(/\s*;\s*/).map((d) => [d.split(' ')[0], d] as const));

  test('the consent page\'s form may lead only here and to this request\'s registered redirect URI (Chromium checks the redirect against form-action)', async () => {
    const expected: Record<string, string> = {
      'https://client.example/callback?from=glimpse': "form-action 'self' https://client.example",
      'http://127.0.0.1:8123/cb': "form-action 'self' http://127.0.0.1:8123",
      'com.example.app:/oauth': "form-action 'self' com.example.app:",
      'urn:ietf:wg:oauth:2.0:oob': "form-action 'self'",
      'http://[::1]:9000/cb': "form-action 'self' http:",
    };
    const app = await createOAuthApp(world, { redirectUris: Object.keys(expected) });
    const sitePolicy = directives(await world.get(undefined, '/'));
    assert.equal(sitePolicy.get('form-action'), "form-action 'self'", 'every other page keeps form-action \'self\'');
    for (const [redirectUri, formAction] of Object.entries(expected)) {
      const params = { client_id: app.client_id, redirect_uri: redirectUri, response_type: 'code', scope: 'read' };
      const page = await world.get(undefined, `/oauth/authorize?${new URLSearchParams(params)}`);
      assert.equal(page.status, 200, redirectUri);
      const policy = directives(page);
      assert.equal(policy.get('form-action'), formAction, redirectUri);
      for (const [name, directive] of sitePolicy) if (name !== 'form-action') assert.equal(policy.get(name), directive, `${redirectUri}: ${name} as everywhere`);
      // The page shown again after a refused post keeps the same policy, so its form still works.
      const again = await formRequest(world, undefined, 'POST', '/oauth/authorize', { ...params, decision: 'approve', login: 'mara', password: 'mara-password' });
      assert.equal(again.status, 403, `${redirectUri}: a post without the form token`);
      assert.equal(directives(again).get('form-action'), formAction, `${redirectUri}: the page shown again`);
    }
  });
});

describe('CORS on rate-limit refusals', () => {
  const defaults = loadConfig({}).rateLimits;
  const OFF: Partial<RateLimits> = { login: 0, registration: 0, api: 0, anonymous: 0, comments: 0, storyResponses: 0, loginAccount: 0 };
  let world: World;
  before(async () => {
    world = await createWorld({ accounts: ['mara'], config: { rateLimitsEnabled: true, rateLimits: { ...defaults, ...OFF, anonymous: 2 } } });
  });
  after(() => world.close());

  const fromPeer = (method: 'GET' | 'OPTIONS', url: string, headers: Record<string, string>) =>
    world.app.http.inject({ method, url, remoteAddress: '203.0.113.7', headers: { origin: ELSEWHERE, ...headers } });

  test('preflights spend no budget, and a 429 carries the CORS header and the exposed rate-limit headers', async () => {
    for (let i = 0; i < 5; i++) {
      const res = await fromPeer('OPTIONS', '/api/v1/instance', { 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' });
      assert.equal(res.statusCode, 204, `preflight ${i + 1}`);
    }
    for (let i = 1; i <= 2; i++) {
      const res = await fromPeer('GET', '/api/v1/instance', {});
      assert.equal(res.statusCode, 200, `request ${i} of the anonymous 2`);
      assert.equal(res.headers['x-ratelimit-limit'], '2', 'the header the exposed list names is really sent');
      assert.equal(res.headers['access-control-allow-origin'], '*');
    }
    const refused = await fromPeer('GET', '/api/v1/instance', {});
    assert.equal(refused.statusCode, 429);
    assert.deepEqual(refused.json(), { error: 'Too many requests' });
    assert.ok(Number(refused.headers['retry-after']) > 0);
    assertCors({ status: refused.statusCode, body: refused.json(), headers: refused.headers, raw: refused }, 'the 429');
  });
});

describe('CORS on event streams', () => {
  test('a server-sent event stream opened with a token from another site carries the CORS header', async () => {
    const server = await startHttpServer();
    try {
      const account = await server.app.services.accounts.register({ username: 'streamer', email: 'streamer@glimpse.test', password: 'streamer-password', agreement: true, reason: 'tests' });
      await server.app.services.repositories.accounts.updateUser(account.id, { approved: 1 });
      const token = (await server.app.services.auth.issue({ appId: null, accountId: account.id, scopes: ['read'], withRefresh: false })).access_token;
      const { status, headers } = await new Promise<{ status?: number; headers: http.IncomingHttpHeaders }>((resolve, reject) => {
        const req = http.get(`${server.url}/api/v1/streaming/public?access_token=${token}`, { headers: { origin: ELSEWHERE } }, (res) => {
          resolve({ status: res.statusCode, headers: res.headers });
          req.destroy();
        });
        req.once('error', (error) => ((error as NodeJS.ErrnoException).code === 'ECONNRESET' ? undefined : reject(error)));
      });
      assert.equal(status, 200);
      assert.match(String(headers['content-type']), /^text\/event-stream/);
      assert.equal(headers['access-control-allow-origin'], '*');
      assert.equal(headers['access-control-allow-credentials'], undefined);
    } finally {
      await server.close();
    }
  });
});
