import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { buildApp, type GlimpseApp } from '../../src/app.ts';
import { ManualClock } from '../../src/clock.ts';
import { openTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { testConfig } from '../support/world.ts';

/**
 * The log, as an operator reads it at the default level: one JSON line per answered request,
 * and no secret in any line, whatever the request carried.
 */
describe('the request log', () => {
  let db: TestDatabase;
  let app: GlimpseApp;
  const lines: Array<Record<string, any>> = [];
  let raw = '';
  before(async () => {
    db = await openTestDatabase();
    const stream = new PassThrough();
    stream.on('data', (chunk: Buffer) => {
      raw += chunk.toString('utf8');
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) lines.push(JSON.parse(line));
    });
    app = await buildApp(testConfig({ logLevel: 'info' }), { clock: new ManualClock(new Date('2026-11-28T10:00:00Z')), database: db.handle, logStream: stream });
  });
  after(async () => {
    await app.close();
    await db.dispose();
  });

  const requestLines = () => lines.filter((l) => l.msg === 'request');
  const settle = () => new Promise((resolve) => setImmediate(resolve));

  test('writes one line per request with method, path, route, status, time and address', async () => {
    const before = requestLines().length;
    const res = await app.http.inject({ method: 'GET', url: '/api/v1/instance?x=1', remoteAddress: '198.51.100.7' });
    assert.equal(res.statusCode, 200);
    await app.http.inject({ method: 'GET', url: '/api/v1/statuses/1700000000000000' });
    await settle();
    const added = requestLines().slice(before);
    assert.equal(added.length, 2);
    assert.equal(added[0].method, 'GET');
    assert.equal(added[0].url, '/api/v1/instance?x=1');
    assert.equal(added[0].route, '/api/v1/instance');
    assert.equal(added[0].status, 200);
    assert.equal(added[0].ip, '198.51.100.7');
    assert.equal(typeof added[0].ms, 'number');
    assert.equal(typeof added[0].reqId, 'string');
    assert.equal(added[1].status, 404);
    assert.equal(added[1].route, '/api/v1/statuses/:id');
  });

  test('never logs a password, a token, a cookie or an OAuth secret', async () => {
    const password = 'correct-horse-battery-9';
    const registered = await app.http.inject({
      method: 'POST',
      url: '/api/glimpse/v1/registrations',
      headers: { 'content-type': 'application/json' },
      payload: { username: 'logged', email: 'logged@example.com', password, agreement: true, locale: 'en' },
    });
    assert.equal(registered.statusCode, 200, registered.body);
    const cookie = String(registered.headers['set-cookie']).split(';')[0];
    const session = await app.http.inject({ method: 'POST', url: '/api/glimpse/v1/session', headers: { 'content-type': 'application/json' }, payload: { login: 'logged', password } });
    assert.equal(session.statusCode, 200);
    const apps = await app.http.inject({ method: 'POST', url: '/api/v1/apps', payload: { client_name: 'logs', redirect_uris: 'urn:ietf:wg:oauth:2.0:oob', scopes: 'read' } });
    const { client_id, client_secret } = apps.json();
    // Refused (no password grant), but its body carried the password and the client secret.
    const refused = await app.http.inject({ method: 'POST', url: '/oauth/token', payload: { grant_type: 'password', username: 'logged@example.com', password, client_id, client_secret, scope: 'read' } });
    assert.equal(refused.statusCode, 400);
    const bearer = (await app.services.auth.issue({ appId: null, accountId: registered.json().account.id, scopes: ['read'], withRefresh: false })).access_token;
    await app.http.inject({ method: 'GET', url: '/api/v1/accounts/verify_credentials', headers: { authorization: `Bearer ${bearer}` } });
    await app.http.inject({ method: 'GET', url: `/api/v1/timelines/home?access_token=${bearer}` });
    await app.http.inject({ method: 'GET', url: '/api/glimpse/v1/session', headers: { cookie } });
    await app.http.inject({ method: 'GET', url: `/oauth/authorize?response_type=code&client_id=${client_id}&redirect_uri=urn:ietf:wg:oauth:2.0:oob&client_secret=${client_secret}&code=abc123secretcode` });
    await settle();
    for (const secret of [password, bearer, cookie.split('=')[1]!, client_secret, 'abc123secretcode']) {
      assert.ok(secret.length >= 6);
      assert.equal(raw.includes(secret), false, `the log holds a secret (${secret.slice(0, 4)}…)`);
    }
    const home = requestLines().find((l) => l.route === '/api/v1/timelines/home');
    assert.equal(home?.url, '/api/v1/timelines/home?access_token=%5Bredacted%5D');
  });
});
