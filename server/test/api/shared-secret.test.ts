import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { InjectOptions } from 'fastify';
import { buildApp, type GlimpseApp } from '../../src/app.ts';
import { createWorld, type World } from '../support/world.ts';
import { REDIRECT_URI, createOAuthApp, oauthLoginForm, setCookie } from '../support/http.ts';
import { uploadPhoto } from '../support/photos.ts';
import { TEST_DB } from '../support/test-database.ts';

/**
 * Several processes behind one address share GLIMPSE_SECRET, and everything Glimpse signs is
 * signed with it: the session cookie's CSRF token, signed media URLs and the OAuth log-in
 * form's token. Two apps built with the same secret on one database (as two processes would
 * be) accept each other's; an app with another secret does not (so the test proves the secret
 * is what they share, not something per process).
 */
describe(`one GLIMPSE_SECRET across processes (${TEST_DB})`, () => {
  let world: World;
  let other: GlimpseApp;
  let stranger: GlimpseApp;

  const on = async (app: GlimpseApp, method: InjectOptions['method'], url: string, payload?: unknown, headers: Record<string, string> = {}) => {
    const res = await app.http.inject({ method, url, payload: payload as InjectOptions['payload'], headers });
    return { status: res.statusCode, headers: res.headers, body: String(res.headers['content-type'] ?? '').includes('json') ? res.json() : res.body };
  };

  before(async () => {
    world = await createWorld({ accounts: ['mara', 'ines'] });
    assert.ok(world.config.secret, 'the world runs with GLIMPSE_SECRET set');
    // The second process: same settings (secret, data folder), same database.
    other = await buildApp({ ...world.config }, { clock: world.clock, database: world.db.handle, logger: false });
    stranger = await buildApp({ ...world.config, secret: 'another-secret' }, { clock: world.clock, database: world.db.handle, logger: false });
  });
  after(async () => {
    await stranger.close();
    await other.close();
    await world.close();
  });

  test("a session cookie and its CSRF token from one process are accepted by the other", async () => {
    const login = await world.post(undefined, '/api/glimpse/v1/session', { login: 'mara', password: 'mara-password' });
    assert.equal(login.status, 200);
    const cookie = `glimpse_session=${setCookie(login, 'glimpse_session')!.value}`;
    const csrf = login.body.csrf_token as string;

    const session = await on(other, 'GET', '/api/glimpse/v1/session', undefined, { cookie });
    assert.equal(session.status, 200);
    assert.equal(session.body.account.username, 'mara');
    assert.equal(session.body.csrf_token, csrf, 'the other process derives the same CSRF token');
    const write = await on(other, 'PATCH', '/api/v1/accounts/update_credentials', { note: 'written through the other process' }, { cookie, 'x-csrf-token': csrf });
    assert.equal(write.status, 200, JSON.stringify(write.body));

    const refused = await on(stranger, 'PATCH', '/api/v1/accounts/update_credentials', { note: 'forged' }, { cookie, 'x-csrf-token': csrf });
    assert.equal(refused.status, 403, 'another secret does not accept the CSRF token');
  });

  test('a signed media URL handed out by one process is served by the other', async () => {
    const mediaId = await uploadPhoto(world, 'ines');
    const media = await world.get('ines', `/api/v1/media/${mediaId}`);
    assert.equal(media.status, 200);
    const url = new URL(media.body.url as string);
    assert.match(url.search, /[?&]sig=/, 'an unattached upload is served by signed URL only');
    const path = `${url.pathname}${url.search}`;

    const served = await other.http.inject({ method: 'GET', url: path });
    assert.equal(served.statusCode, 200);
    assert.match(String(served.headers['content-type']), /^image\//);
    assert.equal((await world.app.http.inject({ method: 'GET', url: path })).rawPayload.equals(served.rawPayload), true);

    assert.equal((await stranger.http.inject({ method: 'GET', url: path })).statusCode, 404, 'another secret refuses the signature');
  });

  test("the OAuth log-in form rendered by one process is accepted by the other", async () => {
    const app = await createOAuthApp(world);
    const form = await oauthLoginForm(world, app);
    const fields = new URLSearchParams({ client_id: app.client_id, redirect_uri: REDIRECT_URI, response_type: 'code', scope: 'read', decision: 'approve', csrf_token: form.csrf_token, login: 'mara', password: 'mara-password' }).toString();
    const headers = { cookie: form.cookie, 'content-type': 'application/x-www-form-urlencoded' };

    const refused = await on(stranger, 'POST', '/oauth/authorize', fields, headers);
    assert.equal(refused.status, 403, 'another secret refuses the form');

    const accepted = await on(other, 'POST', '/oauth/authorize', fields, headers);
    assert.equal(accepted.status, 302);
    assert.match(String(accepted.headers.location), /[?&]code=/);
  });
});
