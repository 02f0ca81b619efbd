import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createWorld, type Actor, type World } from '../support/world.ts';
import { appToken, createOAuthApp, tokenWithScopes } from '../support/http.ts';

const registration = (username: string, extra: Record<string, unknown> = {}) => ({
  username,
  email: `${username.toLowerCase()}@example.test`,
  password: 'correct horse battery',
  agreement: true,
  locale: 'en',
  ...extra,
});

async function userCount(world: World): Promise<number> {
  return world.app.services.repositories.accounts.countUsers();
}

describe('registration through POST /api/v1/accounts', () => {
  let world: World;
  let app: Actor;

  before(async () => {
    world = await createWorld({ accounts: ['mara'] });
    app = await appToken(world, await createOAuthApp(world), 'read write follow');
  });
  after(() => world.close());

  test('an app token registers an account and gets back a user token that works for verify_credentials', async () => {
    const res = await world.post(app, '/api/v1/accounts', registration('newcomer'));
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.token_type, 'Bearer');
    assert.equal(typeof res.body.access_token, 'string');
    assert.equal(typeof res.body.created_at, 'number');
    const me = await world.get({ id: '', username: 'newcomer', token: res.body.access_token }, '/api/v1/accounts/verify_credentials');
    assert.equal(me.status, 200, JSON.stringify(me.body));
    assert.equal(me.body.username, 'newcomer');
    assert.equal(me.body.source.privacy, 'public');
  });

  test('registration without a token answers 401 and stores nothing', async () => {
    const before = await userCount(world);
    const res = await world.post(undefined, '/api/v1/accounts', registration('anonymous_signup'));
    assert.equal(res.status, 401);
    assert.equal(typeof res.body.error, 'string');
    assert.equal(await userCount(world), before);
  });

  test('registration with a read-only app token answers 403 and stores nothing', async () => {
    const readOnly = await appToken(world, await createOAuthApp(world, { scopes: 'read' }));
    const before = await userCount(world);
    const res = await world.post(readOnly, '/api/v1/accounts', registration('readonly_signup'));
    assert.equal(res.status, 403);
    assert.equal(await userCount(world), before);
  });

  test('a username that differs from a taken one only in case is refused with 422', async () => {
    const before = await userCount(world);
    const res = await world.post(app, '/api/v1/accounts', registration('MARA', { email: 'other-mara@example.test' }));
    assert.equal(res.status, 422);
    assert.match(res.body.error, /username/i);
    assert.equal(res.body.details.username[0].error, 'ERR_TAKEN');
    assert.equal(await userCount(world), before);
  });

  test('an email that differs from a taken one only in case is refused with 422', async () => {
    const before = await userCount(world);
    const res = await world.post(app, '/api/v1/accounts', registration('mara_two', { email: 'MARA@glimpse.test' }));
    assert.equal(res.status, 422);
    assert.equal(res.body.details.email[0].error, 'ERR_TAKEN');
    assert.equal(await userCount(world), before);
  });

  const invalid: Array<[string, Record<string, unknown>]> = [
    ['a username with a space', registration('bad name')],
    ['a username with a hyphen', registration('bad-name')],
    ['an empty username', registration('', { email: 'empty@example.test' })],
    ['a username over 30 characters', registration('a'.repeat(31))],
    ['a username with a script payload', registration('<script>', { email: 'xss@example.test' })],
    ['an invalid email', registration('bademail', { email: 'not-an-email' })],
    ['an email over 254 characters', registration('longemail', { email: `${'a'.repeat(250)}@example.test` })],
    ['a password under 8 characters', registration('shortpass', { password: 'short' })],
    ['a password over 200 characters', registration('longpass', { password: 'p'.repeat(201) })],
    ['agreement false', registration('noagree', { agreement: false })],
    ['agreement missing', (() => { const { agreement: _a, ...rest } = registration('missingagree'); return rest; })()],
    ['a reason over 500 characters', registration('longreason', { reason: 'r'.repeat(501) })],
  ];
  for (const [label, body] of invalid) {
    test(`registration with ${label} answers 422 with an error and stores nothing`, async () => {
      const before = await userCount(world);
      const res = await world.post(app, '/api/v1/accounts', body);
      assert.equal(res.status, 422, JSON.stringify(res.body));
      assert.equal(typeof res.body.error, 'string');
      assert.equal(await userCount(world), before);
      if (typeof body.username === 'string' && body.username !== '') {
        assert.equal(await world.app.services.repositories.accounts.findByUsername(body.username), undefined);
      }
    });
  }
});

test('the first account registered becomes the admin and later ones are ordinary users', async () => {
  const world = await createWorld({ accounts: [] });
  try {
    const app = await appToken(world, await createOAuthApp(world), 'read write');
    const first = await world.post(app, '/api/v1/accounts', registration('founder'));
    const second = await world.post(app, '/api/v1/accounts', registration('joiner'));
    assert.equal(first.status, 200, JSON.stringify(first.body));
    assert.equal(second.status, 200, JSON.stringify(second.body));
    const founder = { id: '', username: 'founder', token: first.body.access_token };
    const joiner = { id: '', username: 'joiner', token: second.body.access_token };

    const founderSession = await world.get(founder, '/api/glimpse/v1/session');
    const joinerSession = await world.get(joiner, '/api/glimpse/v1/session');
    assert.equal(founderSession.body.role, 'admin');
    assert.equal(joinerSession.body.role, 'user');

    const founderRow = await world.app.services.repositories.accounts.findUser(founderSession.body.account.id);
    assert.equal(founderRow?.role, 'admin');
    const me = await world.get(founder, '/api/v1/accounts/verify_credentials');
    assert.equal(me.body.role.name, 'Admin');
  } finally {
    await world.close();
  }
});

test('with registrations closed, sign-up answers 403 and stores nothing', async () => {
  // The fixture world's own accounts go through registration too, so this world starts empty.
  const world = await createWorld({ accounts: [], config: { registrations: 'closed' } });
  try {
    const app = await appToken(world, await createOAuthApp(world), 'read write');
    const before = await userCount(world);
    const res = await world.post(app, '/api/v1/accounts', registration('latecomer'));
    assert.equal(res.status, 403);
    assert.equal(typeof res.body.error, 'string');
    const web = await world.post(undefined, '/api/glimpse/v1/registrations', registration('latecomer'));
    assert.equal(web.status, 403);
    assert.equal(await userCount(world), before);
    const instance = await world.get(undefined, '/api/v2/instance');
    assert.equal(instance.body.registrations.enabled, false);
  } finally {
    await world.close();
  }
});

test('with approval required, a new account token answers 403 "pending approval" until the account is approved', async () => {
  const world = await createWorld({ accounts: ['mara'], config: { registrations: 'approval' } });
  try {
    const app = await appToken(world, await createOAuthApp(world), 'read write');
    const withoutReason = await world.post(app, '/api/v1/accounts', registration('hopeful'));
    assert.equal(withoutReason.status, 422, 'approval mode asks for a reason');

    const res = await world.post(app, '/api/v1/accounts', registration('hopeful', { reason: 'I take photos' }));
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const hopeful = { id: '', username: 'hopeful', token: res.body.access_token };
    const pending = await world.get(hopeful, '/api/v1/accounts/verify_credentials');
    assert.equal(pending.status, 403);
    assert.match(pending.body.error, /pending approval/i);

    const login = await world.post(undefined, '/api/glimpse/v1/session', { login: 'hopeful', password: 'correct horse battery' });
    assert.equal(login.status, 403);
    assert.match(login.body.error, /pending approval/i);

    const account = await world.app.services.repositories.accounts.findByUsername('hopeful');
    assert.ok(account);
    await world.app.services.repositories.accounts.updateUser(account.id, { approved: 1 });
    const approved = await world.get(hopeful, '/api/v1/accounts/verify_credentials');
    assert.equal(approved.status, 200, JSON.stringify(approved.body));
    assert.equal(approved.body.username, 'hopeful');
  } finally {
    await world.close();
  }
});

describe('profiles', () => {
  let world: World;
  before(async () => {
    world = await createWorld({ accounts: ['mara', 'ines', 'sam', 'bo'] });
  });
  after(() => world.close());

  test('update_credentials changes display_name, note and locked, and everyone sees the change', async () => {
    const me = await world.addActor('profile_editor');
    const res = await world.request(me, 'PATCH', '/api/v1/accounts/update_credentials', {
      display_name: 'Profile <Editor>',
      note: 'Line one\n\nLine <two>',
      locked: true,
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.display_name, 'Profile <Editor>');
    assert.equal(res.body.locked, true);
    assert.equal(res.body.source.note, 'Line one\n\nLine <two>');
    assert.equal(res.body.source.privacy, 'private');
    assert.equal(res.body.note, '<p>Line one</p><p>Line &lt;two&gt;</p>');

    const seen = await world.get('sam', `/api/v1/accounts/${me.id}`);
    assert.equal(seen.body.display_name, 'Profile <Editor>');
    assert.equal(seen.body.locked, true);

    const unlock = await world.request(me, 'PATCH', '/api/v1/accounts/update_credentials', { locked: false });
    assert.equal(unlock.body.locked, false);
    assert.equal(unlock.body.display_name, 'Profile <Editor>', 'fields not sent are left alone');
  });

  test('update_credentials with an over-long display_name or note answers 422 and changes nothing', async () => {
    const me = await world.addActor('bounded_editor');
    await world.request(me, 'PATCH', '/api/v1/accounts/update_credentials', { display_name: 'Before', note: 'Before note' });
    for (const body of [
      { display_name: 'd'.repeat(101), note: 'changed note' },
      { note: 'n'.repeat(501), display_name: 'Changed' },
      { display_name: 'Changed', locked: 'perhaps' },
    ]) {
      const res = await world.request(me, 'PATCH', '/api/v1/accounts/update_credentials', body);
      assert.equal(res.status, 422, JSON.stringify(body).slice(0, 60));
      assert.equal(typeof res.body.error, 'string');
    }
    const after = await world.get(me, '/api/v1/accounts/verify_credentials');
    assert.equal(after.body.display_name, 'Before');
    assert.equal(after.body.source.note, 'Before note');
    assert.equal(after.body.locked, false);
    const atLimit = await world.request(me, 'PATCH', '/api/v1/accounts/update_credentials', { display_name: 'd'.repeat(100), note: 'n'.repeat(500) });
    assert.equal(atLimit.status, 200, 'exactly at the limit is accepted');
  });

  test('lookup finds a local account by acct, case-insensitively, with or without @ and the local domain', async () => {
    for (const acct of ['ines', '@ines', 'INES', 'ines@glimpse.test', '@ines@GLIMPSE.TEST']) {
      const res = await world.get('sam', `/api/v1/accounts/lookup?acct=${encodeURIComponent(acct)}`);
      assert.equal(res.status, 200, acct);
      assert.equal(res.body.id, world.actors.ines.id, acct);
    }
    const anonymous = await world.get(undefined, '/api/v1/accounts/lookup?acct=ines');
    assert.equal(anonymous.status, 200);
  });

  test('lookup of an unknown name or a remote domain answers 404', async () => {
    for (const acct of ['nobody_here', 'ines@elsewhere.example']) {
      const res = await world.get('sam', `/api/v1/accounts/lookup?acct=${encodeURIComponent(acct)}`);
      assert.equal(res.status, 404, acct);
      assert.deepEqual(res.body, { error: 'Record not found' });
    }
  });

  test('search finds accounts by username prefix and by display name', async () => {
    const me = await world.addActor('searchable_person');
    await world.request(me, 'PATCH', '/api/v1/accounts/update_credentials', { display_name: 'Lighthouse Keeper' });
    const byName = await world.get('sam', '/api/v1/accounts/search?q=searchable');
    assert.equal(byName.status, 200);
    assert.ok(byName.body.some((a: { id: string }) => a.id === me.id));
    const byDisplay = await world.get(undefined, '/api/v1/accounts/search?q=lighthouse');
    assert.ok(byDisplay.body.some((a: { id: string }) => a.id === me.id));
    const none = await world.get('sam', '/api/v1/accounts/search?q=zzzznotthere');
    assert.deepEqual(none.body, []);
  });

  test('GET /api/v1/accounts/:id shows an account to anyone, anonymous included', async () => {
    const res = await world.get(undefined, `/api/v1/accounts/${world.actors.mara.id}`);
    assert.equal(res.status, 200);
    assert.equal(res.body.username, 'mara');
    assert.equal(res.body.acct, 'mara');
    assert.equal(res.body.url, 'http://glimpse.test/@mara');
  });

  test('an account hidden by a block answers 404 with exactly the body of an unknown id, on get, lookup and search', async () => {
    const blocker = await world.addActor('hidden_blocker');
    const blocked = await world.addActor('hidden_blocked');
    const block = await world.post(blocker, `/api/v1/accounts/${blocked.id}/block`);
    assert.equal(block.status, 200);

    const hidden = await world.get(blocked, `/api/v1/accounts/${blocker.id}`);
    const missing = await world.get(blocked, '/api/v1/accounts/1999999999999999');
    const garbage = await world.get(blocked, '/api/v1/accounts/not-an-id');
    assert.equal(hidden.status, 404);
    for (const other of [missing, garbage]) {
      assert.equal(other.status, hidden.status);
      assert.deepEqual(other.body, hidden.body);
      assert.equal(other.headers['content-type'], hidden.headers['content-type']);
      assert.equal(other.raw.body, hidden.raw.body);
    }

    const hiddenLookup = await world.get(blocked, '/api/v1/accounts/lookup?acct=hidden_blocker');
    const missingLookup = await world.get(blocked, '/api/v1/accounts/lookup?acct=hidden_nobody');
    assert.equal(hiddenLookup.status, 404);
    assert.equal(hiddenLookup.raw.body, missingLookup.raw.body);

    const search = await world.get(blocked, '/api/v1/accounts/search?q=hidden_');
    assert.ok(!search.body.some((a: { id: string }) => a.id === blocker.id), 'the blocker is not found by the blocked');

    const stillSeen = await world.get(blocker, `/api/v1/accounts/${blocked.id}`);
    assert.equal(stillSeen.status, 200, 'the blocker still sees whom they blocked');
  });

  test('a token without read scope for accounts can still use verify_credentials with the profile scope only', async () => {
    const profileOnly = await tokenWithScopes(world, world.actors.ines, ['profile']);
    const res = await world.get(profileOnly, '/api/v1/accounts/verify_credentials');
    assert.equal(res.status, 200);
    assert.equal(res.body.username, 'ines');
    const other = await world.get(profileOnly, '/api/v1/follow_requests');
    assert.equal(other.status, 403);
  });
});
