import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generate } from 'otplib';
import { TEST_DB } from '../support/test-database.ts';
import { adminCommand } from '../support/admin-command.ts';
import { createWorld, type Response, type World } from '../support/world.ts';
import { loadConfig, type RateLimits } from '../../src/config.ts';
import { REDIRECT_URI, createOAuthApp, formRequest, oauthLoginForm, setCookie } from '../support/http.ts';

/**
 * Two-factor log-in through HTTP. Codes are computed with otplib, another TOTP library than the
 * server's (otpauth), so the tests prove that what the server answers works in any app.
 */

const COOKIE = 'glimpse_session';
const SESSION = '/api/glimpse/v1/session';
const TWO_FACTOR = '/api/glimpse/v1/two_factor';
const STEP_MS = 30_000;
const defaultLimits = loadConfig({}).rateLimits;
const OFF: Partial<RateLimits> = { login: 0, registration: 0, api: 0, anonymous: 0, comments: 0, storyResponses: 0, loginAccount: 0 };

interface WebSession {
  cookie: string;
  headers: (withCsrf?: boolean) => Record<string, string>;
}

function sessionFrom(res: Response): WebSession {
  const set = setCookie(res, COOKIE);
  assert.ok(set, `a session cookie is set: ${res.status} ${JSON.stringify(res.body)}`);
  const cookie = `${COOKIE}=${set.value}`;
  const csrf = res.body.csrf_token as string;
  return { cookie, headers: (withCsrf = true) => ({ cookie, ...(withCsrf ? { 'x-csrf-token': csrf } : {}) }) };
}

const logIn = (world: World, login: string, password: string, code?: string) => world.post(undefined, SESSION, { login, password, ...(code === undefined ? {} : { code }) });

async function webSession(world: World, name: string, code?: string): Promise<WebSession> {
  const res = await logIn(world, name, `${name}-password`, code);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return sessionFrom(res);
}

/** The code an authenticator app shows at the world's current time. */
const codeNow = (world: World, secret: string) => generate({ secret, epoch: Math.floor(world.clock.now().getTime() / 1000) });

/** Moves the clock into the next 30-second window, so a fresh code is not a replay. */
const nextWindow = (world: World) => world.clock.advance(STEP_MS);

/** Enrols an account through the endpoints: answers its secret and recovery codes. */
async function enrol(world: World, session: WebSession): Promise<{ secret: string; recoveryCodes: string[] }> {
  const started = await world.request(undefined, 'POST', TWO_FACTOR, {}, session.headers());
  assert.equal(started.status, 200, JSON.stringify(started.body));
  const confirmed = await world.request(undefined, 'POST', `${TWO_FACTOR}/confirm`, { code: await codeNow(world, started.body.secret) }, session.headers());
  assert.equal(confirmed.status, 200, JSON.stringify(confirmed.body));
  nextWindow(world);
  return { secret: started.body.secret, recoveryCodes: confirmed.body.recovery_codes };
}

describe('enrolling in two-factor log-in', () => {
  let world: World;
  let session: WebSession;
  let secret: string;
  before(async () => {
    world = await createWorld({ accounts: ['mara', 'ines', 'sam'] });
    session = await webSession(world, 'ines');
  });
  after(() => world.close());

  test('starting answers a secret, an otpauth URI (SHA-1, 6 digits, 30 s) and a QR code as SVG; it is not on yet', async () => {
    const res = await world.request(undefined, 'POST', TWO_FACTOR, {}, session.headers());
    assert.equal(res.status, 200, JSON.stringify(res.body));
    secret = res.body.secret;
    assert.match(secret, /^[A-Z2-7]{32}$/);
    const uri = new URL(res.body.otpauth_uri);
    assert.equal(uri.protocol, 'otpauth:');
    assert.equal(uri.host, 'totp');
    assert.equal(uri.searchParams.get('secret'), secret);
    assert.equal(uri.searchParams.get('algorithm'), 'SHA1');
    assert.equal(uri.searchParams.get('digits'), '6');
    assert.equal(uri.searchParams.get('period'), '30');
    assert.equal(uri.searchParams.get('issuer'), 'Glimpse');
    assert.match(decodeURIComponent(uri.pathname), /ines@glimpse\.test/);
    assert.match(res.body.qr_svg, /^<svg[\s\S]*<\/svg>\s*$/);
    assert.doesNotMatch(res.body.qr_svg, /<script/i);

    const status = await world.request(undefined, 'GET', TWO_FACTOR, undefined, session.headers(false));
    assert.deepEqual(status.body, { enabled: false, pending: true, recovery_codes_remaining: 0, required: false });
    assert.equal((await logIn(world, 'ines', 'ines-password')).status, 200, 'the password is still enough until a code confirms');
  });

  test('the secret is stored sealed, never readable', async () => {
    const row = await world.db.handle.kysely.selectFrom('two_factor_credentials').selectAll().where('account_id', '=', world.actors.ines.id).executeTakeFirstOrThrow();
    assert.ok(!row.sealed_secret.includes(secret));
    assert.ok(!Buffer.from(row.sealed_secret, 'base64url').toString('latin1').includes(secret));
    assert.equal(row.confirmed_at, null);
  });

  test('a wrong code does not confirm; one valid code turns it on and answers 10 recovery codes once', async () => {
    const wrong = await world.request(undefined, 'POST', `${TWO_FACTOR}/confirm`, { code: '000000' === (await codeNow(world, secret)) ? '111111' : '000000' }, session.headers());
    assert.equal(wrong.status, 422);
    assert.equal(wrong.body.error, 'Invalid two-factor code');
    const res = await world.request(undefined, 'POST', `${TWO_FACTOR}/confirm`, { code: await codeNow(world, secret) }, session.headers());
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.recovery_codes.length, 10);
    assert.equal(new Set(res.body.recovery_codes).size, 10);
    for (const code of res.body.recovery_codes) assert.match(code, /^[a-z2-7]{5}-[a-z2-7]{5}$/);
    const hashes = await world.db.handle.kysely.selectFrom('two_factor_recovery_codes').select('code_hash').where('account_id', '=', world.actors.ines.id).execute();
    assert.equal(hashes.length, 10);
    for (const { code_hash } of hashes) assert.ok(!res.body.recovery_codes.some((c: string) => code_hash.includes(c.replace('-', ''))), 'only hashes are stored');
    const status = await world.request(undefined, 'GET', TWO_FACTOR, undefined, session.headers(false));
    assert.deepEqual(status.body, { enabled: true, pending: false, recovery_codes_remaining: 10, required: false });
    const again = await world.request(undefined, 'POST', TWO_FACTOR, {}, session.headers());
    assert.equal(again.status, 422, 'no second enrolment while it is on');
  });

  test('changing it needs the session CSRF token, and an app token may not change it at all', async () => {
    const noCsrf = await world.request(undefined, 'POST', TWO_FACTOR, {}, session.headers(false));
    assert.equal(noCsrf.status, 403);
    assert.equal((await world.post('sam', TWO_FACTOR, {})).status, 403, 'a bearer token');
    assert.equal((await world.get('sam', TWO_FACTOR)).status, 403);
    assert.equal((await world.post(undefined, TWO_FACTOR, {})).status, 401, 'nobody');
    assert.equal((await world.post(undefined, TWO_FACTOR, { enrolment_token: 'made.123.up' })).status, 401, 'a made-up enrolment token');
  });
});

describe('logging in with two-factor log-in on', () => {
  let world: World;
  let secret: string;
  let recoveryCodes: string[];
  before(async () => {
    world = await createWorld({ accounts: ['mara', 'ines'] });
    ({ secret, recoveryCodes } = await enrol(world, await webSession(world, 'ines')));
  });
  after(() => world.close());

  test('the right password without a code is refused with two_factor_required, and no cookie', async () => {
    const res = await logIn(world, 'ines', 'ines-password');
    assert.equal(res.status, 422);
    assert.equal(res.body.two_factor_required, true);
    assert.equal(typeof res.body.error, 'string');
    assert.equal(setCookie(res, COOKIE), undefined);
  });

  test('a wrong code is refused (401), and a wrong password with the right code still is', async () => {
    const right = await codeNow(world, secret);
    const res = await logIn(world, 'ines', 'ines-password', right === '123456' ? '654321' : '123456');
    assert.equal(res.status, 401);
    assert.deepEqual(res.body, { error: 'Invalid two-factor code', two_factor_required: true });
    assert.equal(setCookie(res, COOKIE), undefined);
    const badPassword = await logIn(world, 'ines', 'not-her-password', right);
    assert.equal(badPassword.status, 401);
    assert.equal(badPassword.body.two_factor_required, undefined, 'a wrong password says nothing of two-factor log-in');
  });

  test('the right code logs in; the same code is refused afterwards, the next window\'s code works', async () => {
    const code = await codeNow(world, secret);
    const res = await logIn(world, 'ines', 'ines-password', code);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    sessionFrom(res);
    const replay = await logIn(world, 'ines', 'ines-password', code);
    assert.equal(replay.status, 401, 'a code accepted once is not accepted again');
    world.clock.advance(10_000);
    assert.equal((await logIn(world, 'ines', 'ines-password', code)).status, 401, 'nor later in its window');
    nextWindow(world);
    assert.equal((await logIn(world, 'ines', 'ines-password', await codeNow(world, secret))).status, 200);
  });

  test('a code of the window before is accepted (clock drift), but not once a newer code was used', async () => {
    nextWindow(world);
    const earlier = await generate({ secret, epoch: Math.floor((world.clock.now().getTime() - STEP_MS) / 1000) });
    // The window before now is the one whose code was just used above: refused as a replay.
    assert.equal((await logIn(world, 'ines', 'ines-password', earlier)).status, 401);
    nextWindow(world);
    const drifted = await generate({ secret, epoch: Math.floor((world.clock.now().getTime() - STEP_MS) / 1000) });
    assert.equal((await logIn(world, 'ines', 'ines-password', drifted)).status, 200, 'a phone 30 s behind');
  });

  test('a recovery code logs in once, in any case and without its dash', async () => {
    const [first] = recoveryCodes;
    const res = await logIn(world, 'ines', 'ines-password', first.replace('-', '').toUpperCase());
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const again = await logIn(world, 'ines', 'ines-password', first);
    assert.equal(again.status, 401, 'a recovery code works once');
    const session = sessionFrom(res);
    const status = await world.request(undefined, 'GET', TWO_FACTOR, undefined, session.headers(false));
    assert.equal(status.body.recovery_codes_remaining, 9);
  });

  test('regenerating recovery codes needs a code and replaces the old ones', async () => {
    nextWindow(world);
    const session = sessionFrom(await logIn(world, 'ines', 'ines-password', await codeNow(world, secret)));
    const refused = await world.request(undefined, 'POST', `${TWO_FACTOR}/recovery_codes`, { code: '12' }, session.headers());
    assert.equal(refused.status, 422);
    nextWindow(world);
    const res = await world.request(undefined, 'POST', `${TWO_FACTOR}/recovery_codes`, { code: await codeNow(world, secret) }, session.headers());
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.recovery_codes.length, 10);
    assert.equal((await logIn(world, 'ines', 'ines-password', recoveryCodes[1])).status, 401, 'an old recovery code is gone');
    assert.equal((await logIn(world, 'ines', 'ines-password', res.body.recovery_codes[0])).status, 200, 'a new one works');
    recoveryCodes = res.body.recovery_codes;
  });

  test('turning it off needs the password and a code; then the password is enough again', async () => {
    nextWindow(world);
    const session = sessionFrom(await logIn(world, 'ines', 'ines-password', await codeNow(world, secret)));
    nextWindow(world);
    const code = await codeNow(world, secret);
    const wrongPassword = await world.request(undefined, 'DELETE', TWO_FACTOR, { password: 'not-her-password', code }, session.headers());
    assert.equal(wrongPassword.status, 422);
    const noCode = await world.request(undefined, 'DELETE', TWO_FACTOR, { password: 'ines-password', code: '' }, session.headers());
    assert.equal(noCode.status, 422);
    const res = await world.request(undefined, 'DELETE', TWO_FACTOR, { password: 'ines-password', code }, session.headers());
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal((await logIn(world, 'ines', 'ines-password')).status, 200);
    const rows = await world.db.handle.kysely.selectFrom('two_factor_recovery_codes').select('code_hash').where('account_id', '=', world.actors.ines.id).execute();
    assert.equal(rows.length, 0);
  });
});

describe('a sealed secret is bound to its account', () => {
  let world: World;
  before(async () => {
    world = await createWorld({ accounts: ['mara', 'ines'] });
  });
  after(() => world.close());

  test("another account's sealed secret copied into a row does not open: its codes fail (no 5xx), recovery codes still work", async () => {
    const mara = await enrol(world, await webSession(world, 'mara'));
    const ines = await enrol(world, await webSession(world, 'ines'));
    const db = world.db.handle.kysely;
    const maraRow = await db.selectFrom('two_factor_credentials').select('sealed_secret').where('account_id', '=', world.actors.mara.id).executeTakeFirstOrThrow();
    await db.updateTable('two_factor_credentials').set({ sealed_secret: maraRow.sealed_secret }).where('account_id', '=', world.actors.ines.id).execute();
    assert.equal((await logIn(world, 'ines', 'ines-password', await codeNow(world, mara.secret))).status, 401, "mara's code does not open ines's account");
    assert.equal((await logIn(world, 'ines', 'ines-password', await codeNow(world, ines.secret))).status, 401);
    assert.equal((await logIn(world, 'ines', 'ines-password', ines.recoveryCodes[0])).status, 200);
  });
});

describe('the OAuth log-in page asks for the code after the password', () => {
  let world: World;
  let secret: string;
  before(async () => {
    world = await createWorld({ accounts: ['mara', 'ines'] });
    ({ secret } = await enrol(world, await webSession(world, 'ines')));
  });
  after(() => world.close());

  const fieldOf = (body: unknown, name: string) => new RegExp(`name="${name}" value="([^"]+)"`).exec(String(body))?.[1];

  test('password, then code: the page asks for the code, carries no password, and only then redirects with a code', async () => {
    const app = await createOAuthApp(world, { scopes: 'read' });
    const form = await oauthLoginForm(world, app);
    const base = { client_id: app.client_id, redirect_uri: REDIRECT_URI, response_type: 'code', scope: 'read', decision: 'approve' };
    const first = await formRequest(world, undefined, 'POST', '/oauth/authorize', { ...base, login: 'ines', password: 'ines-password', csrf_token: form.csrf_token }, { cookie: form.cookie });
    assert.equal(first.status, 200);
    assert.equal(first.headers.location, undefined, 'no authorization yet');
    assert.match(String(first.body), /name="two_factor_code"/);
    assert.doesNotMatch(String(first.body), /name="password"/);
    assert.doesNotMatch(String(first.body), /ines-password/);
    const challenge = fieldOf(first.body, 'two_factor_challenge');
    const csrf = fieldOf(first.body, 'csrf_token');
    assert.ok(challenge && csrf);

    const wrong = await formRequest(world, undefined, 'POST', '/oauth/authorize', { ...base, two_factor_challenge: challenge, two_factor_code: '000000' === (await codeNow(world, secret)) ? '111111' : '000000', csrf_token: csrf }, { cookie: form.cookie });
    assert.equal(wrong.status, 401);
    assert.match(String(wrong.body), /Invalid two-factor code/);
    assert.match(String(wrong.body), /name="two_factor_code"/);

    const otherBrowser = await oauthLoginForm(world, app);
    const stolen = await formRequest(world, undefined, 'POST', '/oauth/authorize', { ...base, two_factor_challenge: challenge, two_factor_code: await codeNow(world, secret), csrf_token: otherBrowser.csrf_token }, { cookie: otherBrowser.cookie });
    assert.equal(stolen.status, 403, 'the challenge is bound to the browser that gave the password');

    const right = await formRequest(world, undefined, 'POST', '/oauth/authorize', { ...base, two_factor_challenge: challenge, two_factor_code: await codeNow(world, secret), csrf_token: csrf }, { cookie: form.cookie });
    assert.equal(right.status, 302, String(right.body));
    assert.ok(new URL(String(right.headers.location)).searchParams.get('code'));
  });

  test('without the form token the code step is refused, and the challenge expires', async () => {
    const app = await createOAuthApp(world, { scopes: 'read' });
    const form = await oauthLoginForm(world, app);
    const base = { client_id: app.client_id, redirect_uri: REDIRECT_URI, response_type: 'code', scope: 'read', decision: 'approve' };
    const first = await formRequest(world, undefined, 'POST', '/oauth/authorize', { ...base, login: 'ines', password: 'ines-password', csrf_token: form.csrf_token }, { cookie: form.cookie });
    const challenge = fieldOf(first.body, 'two_factor_challenge')!;
    const noCsrf = await formRequest(world, undefined, 'POST', '/oauth/authorize', { ...base, two_factor_challenge: challenge, two_factor_code: await codeNow(world, secret) }, { cookie: form.cookie });
    assert.equal(noCsrf.status, 403);
    world.clock.advance(6 * 60 * 1000);
    const late = await formRequest(world, undefined, 'POST', '/oauth/authorize', { ...base, two_factor_challenge: challenge, two_factor_code: await codeNow(world, secret), csrf_token: fieldOf(first.body, 'csrf_token')! }, { cookie: form.cookie });
    assert.equal(late.status, 403);
    assert.match(String(late.body), /expired/);
  });
});

describe('wrong codes spend the log-in limits', () => {
  let world: World;
  let secret: string;
  before(async () => {
    world = await createWorld({ accounts: ['mara', 'ines', 'sam'], config: { rateLimitsEnabled: true, rateLimits: { ...defaultLimits, ...OFF, loginAccount: 4 } } });
    // Log-ins here spend the per-name budget too: enrol ines with a session made without HTTP.
    const token = await world.app.services.auth.createSession(world.actors.ines.id);
    const cookie = `${COOKIE}=${token}`;
    const { csrfTokenFor } = await import('../../src/http/authentication.ts');
    ({ secret } = await enrol(world, { cookie, headers: (withCsrf = true) => ({ cookie, ...(withCsrf ? { 'x-csrf-token': csrfTokenFor('test-secret', token) } : {}) }) }));
  });
  after(() => world.close());

  test('after the account\'s budget of wrong codes, even the right code gets 429 with Retry-After; other accounts are not limited', async () => {
    const right = await codeNow(world, secret);
    const wrong = right === '123456' ? '654321' : '123456';
    // The enrolment's confirmation spent one attempt; three wrong codes, from changing addresses, spend the rest.
    for (let i = 0; i < 3; i++) {
      const res = await world.app.http.inject({ method: 'POST', url: SESSION, remoteAddress: `203.0.113.${i + 1}`, payload: { login: i % 2 ? 'ines@glimpse.test' : 'ines', password: 'ines-password', code: wrong } });
      assert.equal(res.statusCode, 401, `wrong code ${i + 1}: ${res.body}`);
    }
    const refused = await world.app.http.inject({ method: 'POST', url: SESSION, remoteAddress: '203.0.113.9', payload: { login: 'ines@glimpse.test', password: 'ines-password', code: right } });
    assert.equal(refused.statusCode, 429, refused.body);
    assert.ok(Number(refused.headers['retry-after']) > 0);
    assert.equal((await logIn(world, 'sam', 'sam-password')).status, 200);
    world.clock.advance(60 * 60 * 1000);
    const later = await logIn(world, 'ines', 'ines-password', await codeNow(world, secret));
    assert.equal(later.status, 200, 'the budget comes back after the window');
  });
});

describe('GLIMPSE_REQUIRE_TWO_FACTOR_STAFF=on', () => {
  let world: World;
  before(async () => {
    world = await createWorld({ accounts: ['mara', 'ines', 'sam'], config: { requireTwoFactorStaff: true } });
    await world.app.services.repositories.accounts.updateUser(world.actors.sam.id, { role: 'moderator' });
  });
  after(() => world.close());

  test('the setting is read from the environment', () => {
    assert.equal(loadConfig({ GLIMPSE_REQUIRE_TWO_FACTOR_STAFF: 'on' } as NodeJS.ProcessEnv).requireTwoFactorStaff, true);
    assert.equal(loadConfig({}).requireTwoFactorStaff, false);
    assert.throws(() => loadConfig({ GLIMPSE_REQUIRE_TWO_FACTOR_STAFF: 'maybe' } as NodeJS.ProcessEnv), /GLIMPSE_REQUIRE_TWO_FACTOR_STAFF/);
  });

  test('users are not concerned: ines logs in with her password', async () => {
    assert.equal((await logIn(world, 'ines', 'ines-password')).status, 200);
  });

  test('an admin without it gets no session but an enrolment ticket; enrolling with it signs her in', async () => {
    const res = await logIn(world, 'mara', 'mara-password');
    assert.equal(res.status, 403);
    assert.equal(res.body.two_factor_enrolment_required, true);
    assert.equal(setCookie(res, COOKIE), undefined);
    const ticket = res.body.enrolment_token as string;
    assert.ok(ticket);

    assert.equal((await world.post(undefined, TWO_FACTOR, {})).status, 401, 'no session, no ticket');
    const started = await world.post(undefined, TWO_FACTOR, { enrolment_token: ticket });
    assert.equal(started.status, 200, JSON.stringify(started.body));
    const confirmed = await world.post(undefined, `${TWO_FACTOR}/confirm`, { enrolment_token: ticket, code: await codeNow(world, started.body.secret) });
    assert.equal(confirmed.status, 200, JSON.stringify(confirmed.body));
    assert.equal(confirmed.body.recovery_codes.length, 10);
    assert.equal(confirmed.body.account.username, 'mara');
    const session = sessionFrom(confirmed);
    const status = await world.request(undefined, 'GET', TWO_FACTOR, undefined, session.headers(false));
    assert.deepEqual(status.body, { enabled: true, pending: false, recovery_codes_remaining: 10, required: true });

    nextWindow(world);
    assert.equal((await logIn(world, 'mara', 'mara-password')).status, 422, 'from now on a code is needed');
    const withCode = await logIn(world, 'mara', 'mara-password', await codeNow(world, started.body.secret));
    assert.equal(withCode.status, 200);

    nextWindow(world);
    const disable = await world.request(undefined, 'DELETE', TWO_FACTOR, { password: 'mara-password', code: await codeNow(world, started.body.secret) }, sessionFrom(withCode).headers());
    assert.equal(disable.status, 403, 'staff may not turn it off while it is required');
    assert.equal((await world.post(undefined, TWO_FACTOR, { enrolment_token: ticket })).status, 422, 'the ticket cannot enrol a second authenticator');
  });

  test('an enrolment ticket expires, and a password change ends it', async () => {
    const res = await logIn(world, 'sam', 'sam-password');
    assert.equal(res.status, 403);
    const ticket = res.body.enrolment_token as string;
    world.clock.advance(16 * 60 * 1000);
    assert.equal((await world.post(undefined, TWO_FACTOR, { enrolment_token: ticket })).status, 401);
    const fresh = (await logIn(world, 'sam', 'sam-password')).body.enrolment_token as string;
    await world.app.services.repositories.accounts.updateUser(world.actors.sam.id, { password_changed_at: world.clock.now().toISOString() });
    assert.equal((await world.post(undefined, TWO_FACTOR, { enrolment_token: fresh })).status, 401);
  });

  test('the OAuth log-in page refuses a moderator without it, saying to set it up on the web', async () => {
    const app = await createOAuthApp(world, { scopes: 'read' });
    const form = await oauthLoginForm(world, app);
    const res = await formRequest(world, undefined, 'POST', '/oauth/authorize', { client_id: app.client_id, redirect_uri: REDIRECT_URI, response_type: 'code', scope: 'read', decision: 'approve', login: 'sam', password: 'sam-password', csrf_token: form.csrf_token }, { cookie: form.cookie });
    assert.equal(res.status, 403);
    assert.equal(res.headers.location, undefined);
    assert.match(String(res.body), /required for staff accounts/);
  });
});

describe('npm run admin -- admin two-factor-reset', () => {
  let world: World;
  let dir: string;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-two-factor-'));
    // The admin command (another process) must find the world's database.
    world = await createWorld({ accounts: ['mara', 'ines'], config: { dataDir: dir }, databaseFile: TEST_DB === 'sqlite' ? path.join(dir, 'glimpse.sqlite') : undefined });
    await enrol(world, await webSession(world, 'ines'));
  });
  after(async () => {
    await world.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('turns two-factor log-in off for someone who lost the app and the recovery codes', async () => {
    assert.equal((await logIn(world, 'ines', 'ines-password')).status, 422);
    const reset = await adminCommand(world, dir, 'two-factor-reset', 'ines');
    assert.equal(reset.code, 0, reset.out);
    assert.match(reset.out, /two-factor-reset: ines done/);
    assert.equal((await logIn(world, 'ines', 'ines-password')).status, 200);
    const rows = await world.db.handle.kysely.selectFrom('two_factor_recovery_codes').select('code_hash').where('account_id', '=', world.actors.ines.id).execute();
    assert.equal(rows.length, 0);
  });
});
