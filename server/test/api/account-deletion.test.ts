import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generate } from 'otplib';
import { TEST_DB } from '../support/test-database.ts';
import { adminCommand } from '../support/admin-command.ts';
import { createWorld, type Actor, type Response, type World } from '../support/world.ts';
import { postPhotos, uploadPhoto } from '../support/photos.ts';
import { REDIRECT_URI, createOAuthApp, formRequest, oauthLoginForm, setCookie, tokenWithScopes } from '../support/http.ts';
import { checkCounters } from '../../src/domain/integrity/integrity-check.ts';

/**
 * Account deletion by its owner through HTTP: the password (and code), the grace period in
 * which the account is hidden like a suspended one and log-in cancels, then the removal jobs,
 * which leave the counters right and the username taken. Time moves with the world's clock.
 */

const G = '/api/glimpse/v1';
const DELETION = `${G}/account/deletion`;
const COOKIE = 'glimpse_session';
const DAY_MS = 24 * 60 * 60 * 1000;

interface WebSession {
  headers: (withCsrf?: boolean) => Record<string, string>;
  body: any;
}

async function logIn(world: World, name: string, code?: string): Promise<Response> {
  return world.post(undefined, `${G}/session`, { login: name, password: `${name}-password`, ...(code === undefined ? {} : { code }) });
}

async function webSession(world: World, name: string, code?: string): Promise<WebSession> {
  const res = await logIn(world, name, code);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  const set = setCookie(res, COOKIE);
  assert.ok(set, 'a session cookie is set');
  const cookie = `${COOKIE}=${set.value}`;
  return { headers: (withCsrf = true) => ({ cookie, ...(withCsrf ? { 'x-csrf-token': res.body.csrf_token } : {}) }), body: res.body };
}

const askDeletion = (world: World, session: WebSession, body: Record<string, unknown>, withCsrf = true) => world.request(undefined, 'POST', DELETION, body, session.headers(withCsrf));

/** Runs the sweep now, then every job it caused (removal chunks, then the media files' job). */
async function sweepAndWork(world: World): Promise<void> {
  await world.app.services.accountDeletionSweeper.tick();
  await world.app.services.jobs.onIdle();
}

describe('asking for account deletion', () => {
  let world: World;
  before(async () => {
    world = await createWorld({ accounts: ['mara', 'ines', 'sam'] });
  });
  after(() => world.close());

  test('needs the web session with its CSRF token and the right password; an app token is refused', async () => {
    const session = await webSession(world, 'sam');
    assert.equal((await askDeletion(world, session, { password: 'sam-password' }, false)).status, 403);
    const wrong = await askDeletion(world, session, { password: 'not-it' });
    assert.equal(wrong.status, 422);
    assert.equal(wrong.body.error, 'Current password is incorrect');
    const app = await world.post('sam', DELETION, { password: 'sam-password' });
    assert.equal(app.status, 403);
    assert.equal((await world.post(undefined, DELETION, { password: 'x' })).status, 401);
    assert.equal((await askDeletion(world, session, { password: 'x'.repeat(10_000) })).status, 422);
    const status = await world.request(undefined, 'GET', DELETION, undefined, session.headers());
    assert.deepEqual(status.body, { scheduled: false, due_at: null, grace_days: 30 });
    // Nothing was scheduled: sam is still there for others.
    assert.equal((await world.get('ines', `/api/v1/accounts/${world.actors.sam.id}`)).status, 200);
  });

  test('schedules it 30 days ahead, ends every session and token, and hides the account like a suspended one', async () => {
    const post = await postPhotos(world, 'mara', 'my last photo');
    const inesPost = await postPhotos(world, 'ines', 'my view');
    await world.post('mara', '/api/v1/statuses', { status: 'so nice', in_reply_to_id: inesPost.id });
    assert.equal((await world.get('ines', `/api/v1/statuses/${inesPost.id}`)).body.replies_count, 1);
    const session = await webSession(world, 'mara');
    const res = await askDeletion(world, session, { password: 'mara-password' });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.scheduled, true);
    assert.equal(res.body.due_at, new Date(world.clock.now().getTime() + 30 * DAY_MS).toISOString());
    assert.equal((await world.request(undefined, 'GET', `${G}/session`, undefined, session.headers())).status, 401);
    assert.equal((await world.get('mara', '/api/v1/accounts/verify_credentials')).status, 401);
    for (const url of [`/api/v1/accounts/${world.actors.mara.id}`, `/api/v1/statuses/${post.id}`, `/api/v1/accounts/lookup?acct=mara`]) {
      assert.equal((await world.get('ines', url)).status, 404, url);
      assert.equal((await world.get(undefined, url)).status, 404, url);
    }
    // Its comment left the counters, as a suspended account's does.
    assert.equal((await world.get('ines', `/api/v1/statuses/${inesPost.id}`)).body.replies_count, 0);
    assert.deepEqual(await checkCounters(world.app.services.database.kysely), []);
  });

  test('logging in during the grace period cancels it, says so, and shows everything again', async () => {
    world.clock.advance(29 * DAY_MS);
    const res = await logIn(world, 'mara');
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.deletion_cancelled, true);
    assert.equal((await world.get('ines', `/api/v1/accounts/${world.actors.mara.id}`)).status, 200);
    const again = await logIn(world, 'mara');
    assert.equal(again.body.deletion_cancelled, undefined);
    assert.deepEqual(await checkCounters(world.app.services.database.kysely), []);
    // Past the old date, the sweep finds nothing to remove.
    world.clock.advance(2 * DAY_MS);
    await sweepAndWork(world);
    assert.equal((await world.get('ines', `/api/v1/accounts/${world.actors.mara.id}`)).status, 200);
  });

  test('logging in on the OAuth log-in page cancels it too', async () => {
    const session = await webSession(world, 'sam');
    assert.equal((await askDeletion(world, session, { password: 'sam-password' })).status, 200);
    assert.equal((await world.get('ines', `/api/v1/accounts/${world.actors.sam.id}`)).status, 404);
    const app = await createOAuthApp(world, { scopes: 'read' });
    const form = await oauthLoginForm(world, app);
    const res = await formRequest(
      world,
      undefined,
      'POST',
      '/oauth/authorize',
      { client_id: app.client_id, redirect_uri: REDIRECT_URI, response_type: 'code', scope: 'read', decision: 'approve', login: 'sam', password: 'sam-password', csrf_token: form.csrf_token },
      { cookie: form.cookie },
    );
    assert.equal(res.status, 302, String(res.body));
    assert.equal((await world.get('ines', `/api/v1/accounts/${world.actors.sam.id}`)).status, 200);
    const status = await world.request(undefined, 'GET', DELETION, undefined, (await webSession(world, 'sam')).headers());
    assert.equal(status.body.scheduled, false);
  });
});

describe('account deletion with two-factor log-in on', () => {
  let world: World;
  let secret: string;
  let session: WebSession;
  before(async () => {
    world = await createWorld({ accounts: ['ines'] });
    session = await webSession(world, 'ines');
    const started = await world.request(undefined, 'POST', `${G}/two_factor`, {}, session.headers());
    secret = started.body.secret;
    const confirmed = await world.request(undefined, 'POST', `${G}/two_factor/confirm`, { code: await codeNow(world, secret) }, session.headers());
    assert.equal(confirmed.status, 200, JSON.stringify(confirmed.body));
    world.clock.advance(30_000);
  });
  after(() => world.close());

  const codeNow = (w: World, s: string) => generate({ secret: s, epoch: Math.floor(w.clock.now().getTime() / 1000) });

  test('the password alone is not enough: 422 two_factor_required without a code or with a wrong one; then the code does it', async () => {
    const missing = await askDeletion(world, session, { password: 'ines-password' });
    assert.equal(missing.status, 422);
    assert.equal(missing.body.two_factor_required, true);
    const wrong = await askDeletion(world, session, { password: 'ines-password', code: '000000' });
    assert.equal(wrong.status, 422);
    assert.equal(wrong.body.two_factor_required, true);
    // Still signed in: a wrong code is no reason to end the session.
    assert.equal((await world.request(undefined, 'GET', `${G}/session`, undefined, session.headers())).status, 200);
    const ok = await askDeletion(world, session, { password: 'ines-password', code: await codeNow(world, secret) });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    assert.equal(ok.body.scheduled, true);
  });
});

describe('an admin acting on an account waiting to be deleted', () => {
  let world: World;
  let admin: Actor;
  before(async () => {
    world = await createWorld({ accounts: ['mara', 'ines', 'sam'] });
    admin = await tokenWithScopes(world, world.actors.mara, ['admin:read', 'admin:write']);
  });
  after(() => world.close());

  const hidden = async (name: 'ines' | 'sam') => (await world.get(undefined, `/api/v1/accounts/${world.actors[name].id}`)).status === 404;

  test('a suspension during the grace period sticks: the owner cannot log in to cancel the deletion and show the account again', async () => {
    assert.equal((await askDeletion(world, await webSession(world, 'ines'), { password: 'ines-password' })).status, 200);
    const suspended = await world.post(admin, `/api/v1/admin/accounts/${world.actors.ines.id}/action`, { type: 'suspend' });
    assert.equal(suspended.status, 200, JSON.stringify(suspended.body));
    assert.notEqual((await logIn(world, 'ines')).status, 200, 'a suspended account cannot log in');
    assert.equal(await hidden('ines'), true);
    const row = await world.db.handle.kysely.selectFrom('account_deletions').select('started_at').where('account_id', '=', world.actors.ines.id).executeTakeFirst();
    assert.ok(row && row.started_at === null, 'the deletion is still scheduled');
  });

  test('unsuspending during the grace period gives the log-in back but keeps the account hidden until its owner logs in, which cancels the deletion', async () => {
    assert.equal((await world.post(admin, `/api/v1/admin/accounts/${world.actors.ines.id}/unsuspend`)).status, 200);
    assert.equal(await hidden('ines'), true, 'still in its grace period');
    const back = await logIn(world, 'ines');
    assert.equal(back.status, 200, JSON.stringify(back.body));
    assert.equal(back.body.deletion_cancelled, true);
    assert.equal(await hidden('ines'), false);
  });

  test('once its removal has started, unsuspending changes nothing', async () => {
    assert.equal((await askDeletion(world, await webSession(world, 'sam'), { password: 'sam-password' })).status, 200);
    world.clock.advance(31 * DAY_MS);
    // Claimed by the sweep, before its jobs run: as a process would see it mid-removal.
    await world.app.services.jobs.stop();
    await world.app.services.accountDeletionSweeper.tick();
    assert.ok((await world.db.handle.kysely.selectFrom('account_deletions').select('started_at').where('account_id', '=', world.actors.sam.id).executeTakeFirstOrThrow()).started_at);
    await world.post(admin, `/api/v1/admin/accounts/${world.actors.sam.id}/unsuspend`);
    assert.equal(await hidden('sam'), true);
    assert.notEqual((await logIn(world, 'sam')).status, 200);
  });
});

describe('a staff member enrolling under GLIMPSE_REQUIRE_TWO_FACTOR_STAFF', () => {
  let world: World;
  before(async () => {
    // mara, the first account, is the admin; ines is a user until she is made a moderator.
    world = await createWorld({ accounts: ['mara', 'ines'], config: { requireTwoFactorStaff: true } });
  });
  after(() => world.close());

  const codeNow = (w: World, s: string) => generate({ secret: s, epoch: Math.floor(w.clock.now().getTime() / 1000) });

  test('cancels a deletion in its grace period when the enrolment signs her in, as the password form does', async () => {
    const session = await webSession(world, 'ines');
    assert.equal((await askDeletion(world, session, { password: 'ines-password' })).status, 200);
    // Made a moderator meanwhile: her next log-in gets an enrolment ticket, not a session.
    await world.app.services.repositories.accounts.updateUser(world.actors.ines.id, { role: 'moderator' });
    const ticketed = await logIn(world, 'ines');
    assert.equal(ticketed.status, 403, JSON.stringify(ticketed.body));
    const ticket = ticketed.body.enrolment_token as string;
    const started = await world.post(undefined, `${G}/two_factor`, { enrolment_token: ticket });
    const confirmed = await world.post(undefined, `${G}/two_factor/confirm`, { enrolment_token: ticket, code: await codeNow(world, started.body.secret) });
    assert.equal(confirmed.status, 200, JSON.stringify(confirmed.body));
    assert.equal(confirmed.body.deletion_cancelled, true);
    const set = setCookie(confirmed, COOKIE);
    assert.ok(set);
    const status = await world.request(undefined, 'GET', DELETION, undefined, { cookie: `${COOKIE}=${set.value}` });
    assert.equal(status.status, 200);
    assert.equal(status.body.scheduled, false);
    assert.equal((await world.get(undefined, `/api/v1/accounts/${world.actors.ines.id}`)).status, 200, 'shown again');
  });
});

describe('removing an account after its grace period', () => {
  let world: World;
  let dir: string;
  let ids: { mara: string; ines: string; sam: string };
  let maraKeys: string[];
  let inesPost: any;
  let maraPost: any;
  let inesStory: any;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-deletion-'));
    // On SQLite the world lives in a file, where the admin command (another process) finds it.
    world = await createWorld({ accounts: ['mara', 'ines', 'sam'], databaseFile: TEST_DB === 'sqlite' ? path.join(dir, 'glimpse.sqlite') : undefined });
    ids = { mara: world.actors.mara.id, ines: world.actors.ines.id, sam: world.actors.sam.id };
    const follow = (who: 'mara' | 'ines' | 'sam', whom: 'mara' | 'ines' | 'sam') => world.post(who, `/api/v1/accounts/${world.actors[whom].id}/follow`);
    await follow('mara', 'ines');
    await follow('ines', 'mara');
    await follow('sam', 'mara');
    maraPost = await postPhotos(world, 'mara', 'the party', { photos: 2 });
    inesPost = await postPhotos(world, 'ines', 'my view');
    const comment = async (who: 'mara' | 'ines' | 'sam', text: string, inReplyTo: string) => {
      const res = await world.post(who, '/api/v1/statuses', { status: text, in_reply_to_id: inReplyTo });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return res.body;
    };
    // mara's comment on ines's post, with a reply by sam; ines's comment on mara's post.
    const maraComment = await comment('mara', 'lovely view', inesPost.id);
    await comment('sam', 'agreed', maraComment.id);
    await comment('sam', 'nice too', inesPost.id);
    await comment('ines', 'great party', maraPost.id);
    await world.post('mara', `/api/v1/statuses/${inesPost.id}/favourite`);
    await world.post('ines', `/api/v1/statuses/${maraPost.id}/favourite`);
    await world.post('sam', `/api/v1/statuses/${maraComment.id}/favourite`);
    const maraStory = (await world.post('mara', `${G}/stories`, { media_id: await uploadPhoto(world, 'mara'), overlays: [] })).body;
    inesStory = (await world.post('ines', `${G}/stories`, { media_id: await uploadPhoto(world, 'ines'), overlays: [] })).body;
    await world.post('ines', `${G}/stories/${maraStory.id}/seen`);
    await world.post('mara', `${G}/stories/${inesStory.id}/seen`);
    await world.request('mara', 'PATCH', '/api/v1/accounts/update_credentials', { display_name: 'Mara M.', note: 'photos' });
    maraKeys = (await world.db.handle.kysely.selectFrom('media').select('storage_key').where('account_id', '=', ids.mara).execute()).map((r) => r.storage_key);
    assert.ok(maraKeys.length >= 3);
    assert.equal((await world.get('ines', `/api/v1/accounts/${ids.ines}`)).body.followers_count, 1);
    assert.equal((await world.get('ines', `/api/v1/statuses/${inesPost.id}`)).body.favourites_count, 1);

    const session = await webSession(world, 'mara');
    assert.equal((await askDeletion(world, session, { password: 'mara-password' })).status, 200);
  });
  after(async () => {
    await world.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('nothing is removed before the grace period ends', async () => {
    world.clock.advance(30 * DAY_MS - 60_000);
    await sweepAndWork(world);
    const left = await world.db.handle.kysely.selectFrom('statuses').select('id').where('account_id', '=', ids.mara).execute();
    assert.ok(left.length > 0);
  });

  test('then its posts, stories, comments, likes, views, follows, notifications and media files are removed', async () => {
    world.clock.advance(60_000);
    await sweepAndWork(world);
    const db = world.db.handle.kysely;
    const countOf = async (table: 'statuses' | 'stories' | 'favourites' | 'story_views' | 'media', column = 'account_id') =>
      Number((await db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).where(column as 'account_id', '=', ids.mara).executeTakeFirstOrThrow()).n);
    for (const table of ['statuses', 'stories', 'favourites', 'story_views', 'media'] as const) assert.equal(await countOf(table), 0, table);
    const follows = await db.selectFrom('follows').select('id').where((eb) => eb.or([eb('account_id', '=', ids.mara), eb('target_account_id', '=', ids.mara)])).execute();
    assert.equal(follows.length, 0);
    const notifications = await db.selectFrom('notifications').select('id').where((eb) => eb.or([eb('account_id', '=', ids.mara), eb('from_account_id', '=', ids.mara)])).execute();
    assert.equal(notifications.length, 0);
    // The files are gone from storage (the media files' job ran).
    const stored: string[] = [];
    for await (const file of world.app.services.mediaStorage.list()) stored.push(file.key);
    for (const key of maraKeys) assert.ok(!stored.includes(key), `file of ${key} removed`);
    // sam's reply to mara's comment went with it; sam's own comment on ines's post stays.
    const inesNow = await world.get('ines', `/api/v1/statuses/${inesPost.id}`);
    assert.equal(inesNow.body.favourites_count, 0);
    assert.equal(inesNow.body.replies_count, 1);
    assert.equal((await world.get('ines', `/api/v1/accounts/${ids.ines}`)).body.followers_count, 0);
    assert.equal((await world.get('sam', `/api/v1/accounts/${ids.sam}`)).body.following_count, 0);
    assert.equal((await world.get('ines', `${G}/stories/${inesStory.id}`)).body.viewers_count, 0);
    assert.equal((await world.get('ines', `/api/v1/statuses/${maraPost.id}`)).status, 404);
  });

  test('the counters are right: `admin integrity` is clean', async () => {
    assert.deepEqual(await checkCounters(world.app.services.database.kysely), []);
    const check = await adminCommand(world, dir, 'integrity');
    assert.equal(check.code, 0, check.out);
    assert.match(check.out, /^counters: ok$/m);
  });

  test('the account is gone for good: no log-in, no profile, and its username stays taken', async () => {
    assert.equal((await logIn(world, 'mara')).status, 401);
    assert.equal((await world.get('ines', `/api/v1/accounts/${ids.mara}`)).status, 404);
    assert.equal((await world.get(undefined, '/api/v1/accounts/lookup?acct=mara')).status, 404);
    for (const username of ['mara', 'MARA']) {
      const signUp = await world.post(undefined, `${G}/registrations`, { username, email: `new-${username}@glimpse.test`, password: 'a-new-password', agreement: true });
      assert.equal(signUp.status, 422, JSON.stringify(signUp.body));
      assert.equal(signUp.body.details.username[0].error, 'ERR_TAKEN');
    }
    const row = await world.db.handle.kysely.selectFrom('accounts').select(['display_name', 'note', 'followers_count', 'following_count', 'statuses_count']).where('id', '=', ids.mara).executeTakeFirstOrThrow();
    assert.deepEqual({ ...row, followers_count: Number(row.followers_count), following_count: Number(row.following_count), statuses_count: Number(row.statuses_count) }, {
      display_name: '',
      note: '',
      followers_count: 0,
      following_count: 0,
      statuses_count: 0,
    });
  });
});

describe('removing a large account', () => {
  let world: World;
  const POSTS = 60;
  before(async () => {
    world = await createWorld({ accounts: ['mara', 'ines'] });
    for (let i = 0; i < POSTS; i++) await postPhotos(world, 'mara', `post ${i}`);
    await world.post('ines', `/api/v1/accounts/${world.actors.mara.id}/follow`);
  });
  after(() => world.close());

  const postsLeft = async () => Number((await world.db.handle.kysely.selectFrom('statuses').select((eb) => eb.fn.countAll().as('n')).where('account_id', '=', world.actors.mara.id).executeTakeFirstOrThrow()).n);

  test('each removal job takes a bounded chunk (50 posts), not the whole account in one transaction', async () => {
    const session = await webSession(world, 'mara');
    assert.equal((await askDeletion(world, session, { password: 'mara-password' })).status, 200);
    // Claimed as the sweep claims it, without its job, so the chunks can be counted one by one.
    await world.db.handle.kysely.updateTable('account_deletions').set({ started_at: world.clock.now().toISOString() }).where('account_id', '=', world.actors.mara.id).execute();
    const deletion = world.app.services.accountDeletion;
    assert.equal(await deletion.removeChunk(world.actors.mara.id), true);
    assert.equal(await postsLeft(), POSTS - 50);
    let chunks = 1;
    while (await deletion.removeChunk(world.actors.mara.id)) chunks++;
    assert.equal(await postsLeft(), 0);
    // 2 chunks of posts, 1 of follows, 1 of notifications, then the last step.
    assert.ok(chunks >= 4, `chunks: ${chunks}`);
    assert.equal(await deletion.removeChunk(world.actors.mara.id), false);
    assert.deepEqual(await checkCounters(world.app.services.database.kysely), []);
  });

  test('several processes sweeping at once claim a request once', async () => {
    await world.addActor('pat');
    const session = await webSession(world, 'pat');
    assert.equal((await askDeletion(world, session, { password: 'pat-password' })).status, 200);
    world.clock.advance(31 * DAY_MS);
    const deletion = world.app.services.accountDeletion;
    const claims = await Promise.all([deletion.sweep(), deletion.sweep(), deletion.sweep()]);
    assert.equal(claims.reduce((a, b) => a + b, 0), 1);
    await world.app.services.jobs.onIdle();
    assert.equal((await logIn(world, 'pat')).status, 401);
  });
});
