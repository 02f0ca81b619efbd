import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createWorld, type Actor, type Response, type World } from '../support/world.ts';
import { appToken, createOAuthApp, setCookie, tokenWithScopes } from '../support/http.ts';
import { linkIn, SMTP_USER, startSmtpServer, type SmtpTestServer } from '../support/smtp-server.ts';
import { loadConfig } from '../../src/config.ts';
import { RESET_LIFETIME_MS } from '../../src/domain/auth/password-reset.ts';
import { CONFIRMATION_LIFETIME_MS } from '../../src/domain/accounts/email-confirmation.ts';
import { deleteRedisPrefix, TEST_REDIS_URL, uniqueRedisPrefix } from '../support/test-redis.ts';

/**
 * Mail (GLIMPSE_SMTP_URL) against a real SMTP server on loopback (test/support/smtp-server.ts):
 * the messages are read as the server received them, and their links followed through HTTP.
 */

const MAIL_FROM = 'Glimpse Test <robot@glimpse.test>';
const COOKIE = 'glimpse_session';
const defaultLimits = loadConfig({}).rateLimits;

/** Every queued mail has been handed to the SMTP server (jobs run on the world's clock). */
const sent = (world: World) => world.app.services.jobs.onIdle();

async function signUp(world: World, username: string, password = `${username}-password`): Promise<Response> {
  return world.post(undefined, '/api/glimpse/v1/registrations', { username, email: `${username}@mail.test`, password, agreement: true });
}

function logIn(world: World, login: string, password: string): Promise<Response> {
  return world.post(undefined, '/api/glimpse/v1/session', { login, password });
}

/** An account whose address is already confirmed, with a full-scope token (test set-up, not the flow under test). */
async function confirmedActor(world: World, username: string): Promise<Actor> {
  const actor = await world.addActor(username);
  await world.app.services.repositories.accounts.updateUser(actor.id, { email_confirmed_at: world.clock.now().toISOString() });
  // Its sign-up's confirmation job may have mailed a link before the update: let it finish first.
  await sent(world);
  return actor;
}

function tokenOf(url: URL): string {
  return url.pathname.split('/').pop()!;
}

async function requestReset(world: World, email: string): Promise<Response> {
  return world.post(undefined, '/api/glimpse/v1/password_resets', { email });
}

function completeReset(world: World, token: string, password: string): Promise<Response> {
  return world.request(undefined, 'PUT', `/api/glimpse/v1/password_resets/${token}`, { password });
}

describe('mail: confirmation at sign-up', () => {
  let world: World;
  let smtp: SmtpTestServer;
  before(async () => {
    smtp = await startSmtpServer();
    world = await createWorld({ accounts: [], config: { smtpUrl: smtp.url, mailFrom: MAIL_FROM } });
  });
  after(async () => {
    await world.close();
    await smtp.close();
  });

  test('a web sign-up gets no session until the mailed link is followed, then logs in', async () => {
    const res = await signUp(world, 'lena');
    assert.equal(res.status, 202, JSON.stringify(res.body));
    assert.deepEqual(res.body, { pending_approval: false, confirmation_required: true });
    assert.equal(setCookie(res, COOKIE), undefined, 'no session cookie before confirmation');

    const refused = await logIn(world, 'lena', 'lena-password');
    assert.equal(refused.status, 403);
    assert.deepEqual(refused.body, { error: 'Your login is missing a confirmed e-mail address' });

    await sent(world);
    const [mail] = smtp.to('lena@mail.test');
    assert.ok(mail, 'a confirmation mail reached the SMTP server');
    assert.equal(mail.user, SMTP_USER, 'sent with the credentials of GLIMPSE_SMTP_URL');
    assert.equal(mail.from, 'robot@glimpse.test');
    assert.match(mail.headers.get('from') ?? '', /Glimpse Test <robot@glimpse\.test>/);
    assert.match(mail.subject, /Confirm your e-mail address/);
    const link = linkIn(mail, '/confirm-email/');
    assert.equal(link.origin, 'http://glimpse.test', 'the link points at the web client under GLIMPSE_PUBLIC_URL');
    assert.ok(mail.html.includes(link.href), 'the HTML part carries the same link');

    const confirmed = await world.request(undefined, 'PUT', `/api/glimpse/v1/email_confirmations/${tokenOf(link)}`);
    assert.equal(confirmed.status, 200, JSON.stringify(confirmed.body));
    const session = await logIn(world, 'lena', 'lena-password');
    assert.equal(session.status, 200, JSON.stringify(session.body));

    const again = await world.request(undefined, 'PUT', `/api/glimpse/v1/email_confirmations/${tokenOf(link)}`);
    assert.equal(again.status, 404, 'a confirmation link works once');
    assert.deepEqual(again.body, { error: 'This link is invalid or has expired' });
  });

  test('the token from a Mastodon sign-up answers 403 until confirmed; /api/v1/emails/confirmations sends the link again', async () => {
    const app = await createOAuthApp(world, { scopes: 'read write' });
    const client = await appToken(world, app, 'read write');
    const res = await world.post(client, '/api/v1/accounts', { username: 'masto_user', email: 'masto_user@mail.test', password: 'masto-user-password', agreement: true, locale: 'en' });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const user: Actor = { id: '', username: 'masto_user', token: res.body.access_token };

    const me = await world.get(user, '/api/v1/accounts/verify_credentials');
    assert.equal(me.status, 403);
    assert.deepEqual(me.body, { error: 'Your login is missing a confirmed e-mail address' });

    await sent(world);
    assert.equal(smtp.to('masto_user@mail.test').length, 1);
    const resend = await world.post(user, '/api/v1/emails/confirmations', {});
    assert.equal(resend.status, 200, JSON.stringify(resend.body));
    await sent(world);
    const mails = smtp.to('masto_user@mail.test');
    assert.equal(mails.length, 2, 'the link was sent again');

    const confirmed = await world.request(undefined, 'PUT', `/api/glimpse/v1/email_confirmations/${tokenOf(linkIn(mails[1], '/confirm-email/'))}`);
    assert.equal(confirmed.status, 200);
    assert.equal((await world.get(user, '/api/v1/accounts/verify_credentials')).status, 200);
    const late = await world.post(user, '/api/v1/emails/confirmations', {});
    assert.equal(late.status, 403, 'nothing to resend once confirmed');
  });

  test('a confirmation link expires', async () => {
    assert.equal((await signUp(world, 'slow_reader')).status, 202);
    await sent(world);
    const link = linkIn(smtp.to('slow_reader@mail.test')[0], '/confirm-email/');
    world.clock.advance(CONFIRMATION_LIFETIME_MS + 1000);
    const res = await world.request(undefined, 'PUT', `/api/glimpse/v1/email_confirmations/${tokenOf(link)}`);
    assert.equal(res.status, 404);
    assert.equal((await logIn(world, 'slow_reader', 'slow_reader-password')).status, 403);
  });
});

describe('mail: forgot password', () => {
  let world: World;
  let smtp: SmtpTestServer;
  let mara: Actor;
  before(async () => {
    smtp = await startSmtpServer();
    world = await createWorld({ accounts: [], config: { smtpUrl: smtp.url, mailFrom: MAIL_FROM } });
    mara = await confirmedActor(world, 'mara');
  });
  after(async () => {
    await world.close();
    await smtp.close();
  });

  test('an unknown address gets exactly the answer a known one gets, and no mail', async () => {
    const before = smtp.received.length;
    const known = await requestReset(world, 'mara@glimpse.test');
    const unknown = await requestReset(world, 'nobody@glimpse.test');
    assert.equal(known.status, 202);
    assert.equal(unknown.status, known.status);
    assert.equal(unknown.raw.body, known.raw.body);
    assert.deepEqual(known.body, {});
    await sent(world);
    assert.equal(smtp.received.length, before + 1, 'one mail, to the known address only');
    assert.equal(smtp.to('nobody@glimpse.test').length, 0);
    assert.match(smtp.to('mara@glimpse.test').at(-1)!.subject, /Reset your password/);
  });

  test('the mailed link sets a new password once, ends every session and token, and mails a notice', async () => {
    const web = await logIn(world, 'mara', 'mara-password');
    assert.equal(web.status, 200);
    const cookie = `${COOKIE}=${setCookie(web, COOKIE)!.value}`;
    assert.equal((await requestReset(world, 'MARA@glimpse.test')).status, 202, 'the address matches in any case');
    await sent(world);
    const mail = smtp.to('mara@glimpse.test').at(-1)!;
    const link = linkIn(mail, '/reset-password/');
    assert.equal(link.origin, 'http://glimpse.test');
    assert.ok(mail.html.includes(link.href));

    const tooShort = await completeReset(world, tokenOf(link), 'short');
    assert.equal(tooShort.status, 422, 'a bad password is refused without using the link');
    const done = await completeReset(world, tokenOf(link), 'a-brand-new-password');
    assert.equal(done.status, 200, JSON.stringify(done.body));

    assert.equal((await world.get(mara, '/api/v1/accounts/verify_credentials')).status, 401, 'the bearer token is revoked');
    const withCookie = await world.request(undefined, 'GET', '/api/glimpse/v1/session', undefined, { cookie });
    assert.equal(withCookie.status, 401, 'the web session is revoked');
    assert.equal((await logIn(world, 'mara', 'mara-password')).status, 401, 'the old password no longer works');
    const fresh = await logIn(world, 'mara', 'a-brand-new-password');
    assert.equal(fresh.status, 200);

    const again = await completeReset(world, tokenOf(link), 'yet-another-password');
    assert.equal(again.status, 404, 'a reset link works once');
    assert.deepEqual(again.body, { error: 'This link is invalid or has expired' });

    await sent(world);
    const notice = smtp.to('mara@glimpse.test').at(-1)!;
    assert.match(notice.subject, /password .* was changed/);
    mara = { ...mara, token: (await world.app.services.auth.issue({ appId: null, accountId: mara.id, scopes: ['read', 'write'], withRefresh: false })).access_token };
  });

  test('using one reset link makes the other outstanding links stop working', async () => {
    await requestReset(world, 'mara@glimpse.test');
    await requestReset(world, 'mara@glimpse.test');
    await sent(world);
    const [first, second] = smtp.to('mara@glimpse.test').slice(-2).map((m) => tokenOf(linkIn(m, '/reset-password/')));
    assert.notEqual(first, second);
    assert.equal((await completeReset(world, second, 'second-link-password')).status, 200);
    assert.equal((await completeReset(world, first, 'first-link-password')).status, 404);
    assert.equal((await logIn(world, 'mara', 'second-link-password')).status, 200);
  });

  test('a reset link expires after an hour (on the clock, not by waiting)', async () => {
    await requestReset(world, 'mara@glimpse.test');
    await sent(world);
    const token = tokenOf(linkIn(smtp.to('mara@glimpse.test').at(-1)!, '/reset-password/'));
    world.clock.advance(RESET_LIFETIME_MS + 1000);
    const res = await completeReset(world, token, 'too-late-password');
    assert.equal(res.status, 404);
    assert.equal((await logIn(world, 'mara', 'too-late-password')).status, 401);
  });

  test('a mail the SMTP server refuses is retried by the durable job, not lost', async () => {
    const before = smtp.to('mara@glimpse.test').length;
    smtp.refuse(true);
    world.app.services.jobs.onError = () => undefined; // the expected failure, not logged
    assert.equal((await requestReset(world, 'mara@glimpse.test')).status, 202, 'the request does not wait for the SMTP server');
    await sent(world);
    assert.equal(smtp.to('mara@glimpse.test').length, before, 'refused: nothing delivered yet');
    smtp.refuse(false);
    world.clock.advance(60_000); // past the first retry's backoff, on the clock
    await sent(world);
    const mail = smtp.to('mara@glimpse.test').at(-1)!;
    assert.equal(smtp.to('mara@glimpse.test').length, before + 1);
    assert.match(mail.subject, /Reset your password/);
  });

  test('a made-up token answers 404 in the Mastodon error shape', async () => {
    const res = await completeReset(world, 'not-a-token-we-sent', 'whatever-password');
    assert.equal(res.status, 404);
    assert.deepEqual(res.body, { error: 'This link is invalid or has expired' });
    assert.equal((await completeReset(world, 'x'.repeat(90), 'whatever-password')).status, 404);
    assert.equal((await requestReset(world, 'y'.repeat(300))).status, 422, 'the address is bounded');
  });
});

describe('mail: reset requests are rate-limited', () => {
  let world: World;
  let smtp: SmtpTestServer;
  before(async () => {
    smtp = await startSmtpServer();
    world = await createWorld({
      accounts: [],
      config: { smtpUrl: smtp.url, mailFrom: MAIL_FROM, rateLimitsEnabled: true, rateLimits: { ...defaultLimits }, passwordResetLimit: 5 },
    });
    await confirmedActor(world, 'ines');
  });
  after(async () => {
    await world.close();
    await smtp.close();
  });

  test('at most three mails per address per hour; beyond, the same answer and no mail', async () => {
    for (let i = 0; i < 4; i++) assert.equal((await requestReset(world, 'ines@glimpse.test')).status, 202);
    await sent(world);
    assert.equal(smtp.to('ines@glimpse.test').filter((m) => /Reset your password/.test(m.subject)).length, 3);
  });

  test('past the per-address limit a peer gets 429 with Retry-After, for unknown addresses alike', async () => {
    // Four requests above; the fifth is the last allowed within the hour.
    assert.equal((await requestReset(world, 'nobody@glimpse.test')).status, 202);
    const refused = await requestReset(world, 'someone-else@glimpse.test');
    assert.equal(refused.status, 429);
    assert.deepEqual(refused.body, { error: 'Too many requests' });
    assert.ok(Number(refused.headers['retry-after']) > 0);
    world.clock.advance(60 * 60_000 + 1000);
    assert.equal((await requestReset(world, 'nobody@glimpse.test')).status, 202, 'the window ends on the clock');
  });

  test('sending the confirmation link again is limited per account (5 an hour), so no inbox is mailed in a loop', async () => {
    const app = await createOAuthApp(world, { scopes: 'read write' });
    const client = await appToken(world, app, 'read write');
    const res = await world.post(client, '/api/v1/accounts', { username: 'looper', email: 'victim@mail.test', password: 'looper-password', agreement: true, locale: 'en' });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const user: Actor = { id: '', username: 'looper', token: res.body.access_token };
    for (let i = 0; i < 5; i++) assert.equal((await world.post(user, '/api/v1/emails/confirmations', {})).status, 200);
    const refused = await world.post(user, '/api/v1/emails/confirmations', {});
    assert.equal(refused.status, 429);
    assert.ok(Number(refused.headers['retry-after']) > 0);
    await sent(world);
    assert.equal(smtp.to('victim@mail.test').length, 6, 'the sign-up link and five more');
  });
});

describe('mail: notices of changes', () => {
  let world: World;
  let smtp: SmtpTestServer;
  let nora: Actor;
  before(async () => {
    smtp = await startSmtpServer();
    world = await createWorld({ accounts: [], config: { smtpUrl: smtp.url, mailFrom: MAIL_FROM } });
    nora = await confirmedActor(world, 'nora');
  });
  after(async () => {
    await world.close();
    await smtp.close();
  });

  test('changing the password in the settings mails a notice to the address', async () => {
    const res = await world.post(nora, '/api/glimpse/v1/password', { current_password: 'nora-password', password: 'nora-new-password' });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    await sent(world);
    const notice = smtp.to('nora@glimpse.test').at(-1);
    assert.ok(notice);
    assert.match(notice.subject, /password .* was changed/);
    assert.match(notice.text, /@nora/);
  });

  test('an e-mail change tells the old address, and takes effect once the new one is confirmed', async () => {
    const wrong = await world.request(nora, 'PUT', '/api/glimpse/v1/email', { email: 'nora@new.test', current_password: 'not-it' });
    assert.equal(wrong.status, 422);
    const res = await world.request(nora, 'PUT', '/api/glimpse/v1/email', { email: 'nora@new.test', current_password: 'nora-new-password' });
    assert.equal(res.status, 202, JSON.stringify(res.body));
    assert.deepEqual(res.body, { pending: true });
    await sent(world);

    const notice = smtp.to('nora@glimpse.test').at(-1)!;
    assert.match(notice.subject, /e-mail address .* is being changed/);
    assert.match(notice.text, /nora@new\.test/);
    const [confirmation] = smtp.to('nora@new.test');
    assert.ok(confirmation, 'the new address gets the link');
    assert.match(confirmation.subject, /Confirm your new e-mail address/);

    const pending = await world.get(nora, '/api/glimpse/v1/email');
    assert.deepEqual(pending.body, { email: 'nora@glimpse.test', confirmed: true, unconfirmed_email: 'nora@new.test', mail_enabled: true });
    assert.equal((await logIn(world, 'nora@new.test', 'nora-new-password')).status, 401, 'not the address until confirmed');

    const confirmed = await world.request(undefined, 'PUT', `/api/glimpse/v1/email_confirmations/${tokenOf(linkIn(confirmation, '/confirm-email/'))}`);
    assert.equal(confirmed.status, 200);
    const now = await world.get(nora, '/api/glimpse/v1/email');
    assert.deepEqual(now.body, { email: 'nora@new.test', confirmed: true, unconfirmed_email: null, mail_enabled: true });
    assert.equal((await logIn(world, 'nora@new.test', 'nora-new-password')).status, 200);
    assert.equal((await logIn(world, 'nora@glimpse.test', 'nora-new-password')).status, 401);
  });
});

describe('mail: without GLIMPSE_SMTP_URL behaviour stays as before', () => {
  let world: World;
  let smtp: SmtpTestServer;
  let sam: Actor;
  before(async () => {
    // Running, but not configured: it must receive nothing.
    smtp = await startSmtpServer();
    world = await createWorld({ accounts: ['sam'] });
    sam = world.actors.sam;
  });
  after(async () => {
    await world.close();
    await smtp.close();
  });

  test('sign-up starts a session at once, and log-in works without any confirmation', async () => {
    const res = await signUp(world, 'plain_user');
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.ok(setCookie(res, COOKIE));
    assert.equal((await logIn(world, 'plain_user', 'plain_user-password')).status, 200);
  });

  test('password reset answers 404 "not available", for any address and any token', async () => {
    const asked = await requestReset(world, 'sam@glimpse.test');
    assert.equal(asked.status, 404);
    assert.deepEqual(asked.body, { error: 'Password reset is not available on this server' });
    assert.deepEqual((await requestReset(world, 'nobody@glimpse.test')).body, asked.body);
    const put = await completeReset(world, 'some-token', 'some-new-password');
    assert.equal(put.status, 404);
    assert.deepEqual(put.body, { error: 'Password reset is not available on this server' });
  });

  test('a password change sends nothing and an e-mail change applies at once', async () => {
    assert.equal((await world.post(sam, '/api/glimpse/v1/password', { current_password: 'sam-password', password: 'sam-new-password' })).status, 200);
    const res = await world.request(sam, 'PUT', '/api/glimpse/v1/email', { email: 'sam@elsewhere.test', current_password: 'sam-new-password' });
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { pending: false });
    assert.equal((await logIn(world, 'sam@elsewhere.test', 'sam-new-password')).status, 200);
    assert.equal((await world.post(sam, '/api/v1/emails/confirmations', {})).status, 403, 'nothing awaits confirmation');
    await sent(world);
    assert.equal(smtp.received.length, 0);
    const queued = await world.db.handle.kysely.selectFrom('jobs').select('name').where('name', 'like', 'mail.%').execute();
    assert.deepEqual(queued, []);
  });

  test("a new address is checked against the admin's e-mail domain blocks, as at sign-up", async () => {
    const admin = await tokenWithScopes(world, sam, ['admin:read', 'admin:write']);
    const block = await world.post(admin, '/api/v1/admin/email_domain_blocks', { domain: 'blocked-mail.test' });
    assert.equal(block.status, 200, JSON.stringify(block.body));
    const res = await world.request(sam, 'PUT', '/api/glimpse/v1/email', { email: 'sam@blocked-mail.test', current_password: 'sam-new-password' });
    assert.equal(res.status, 422);
    assert.equal(res.body.details.email[0].error, 'ERR_BLOCKED');
  });
});

describe('mail: the jobs run on BullMQ too (GLIMPSE_REDIS_URL)', () => {
  let world: World;
  let smtp: SmtpTestServer;
  const prefix = uniqueRedisPrefix('mail');
  before(async () => {
    smtp = await startSmtpServer();
    world = await createWorld({ accounts: [], config: { smtpUrl: smtp.url, mailFrom: MAIL_FROM, redisUrl: TEST_REDIS_URL, redisPrefix: prefix } });
  });
  after(async () => {
    await world.close();
    await smtp.close();
    await deleteRedisPrefix(prefix);
  });

  test('sign-up confirmation and a password reset, each mailed by a BullMQ job', async () => {
    assert.equal((await signUp(world, 'bull_user')).status, 202);
    await sent(world);
    const confirm = linkIn(smtp.to('bull_user@mail.test')[0], '/confirm-email/');
    assert.equal((await world.request(undefined, 'PUT', `/api/glimpse/v1/email_confirmations/${tokenOf(confirm)}`)).status, 200);
    assert.equal((await requestReset(world, 'bull_user@mail.test')).status, 202);
    await sent(world);
    const reset = linkIn(smtp.to('bull_user@mail.test').at(-1)!, '/reset-password/');
    assert.equal((await completeReset(world, tokenOf(reset), 'bull-new-password')).status, 200);
    assert.equal((await logIn(world, 'bull_user', 'bull-new-password')).status, 200);
  });
});
