import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createWorld, type Actor, type World } from '../support/world.ts';
import { appToken, createOAuthApp, tokenWithScopes } from '../support/http.ts';

/** Both doors to a sign-up: the Mastodon API (app token) and the web client's JSON endpoint. */
const DOORS = ['POST /api/v1/accounts', 'POST /api/glimpse/v1/registrations'] as const;

describe('registration errors carry Mastodon details', () => {
  let world: World;
  let app: Actor;
  let admin: Actor;
  before(async () => {
    world = await createWorld({ accounts: ['mara', 'ines'] });
    app = await appToken(world, await createOAuthApp(world), 'read write');
    admin = await tokenWithScopes(world, world.actors.mara, ['admin:read', 'admin:write']);
  });
  after(() => world.close());

  const valid = (name: string) => ({ username: name, email: `${name}@example.test`, password: `${name}-password`, agreement: true });
  const register = (door: (typeof DOORS)[number], body: Record<string, unknown>) =>
    door === DOORS[0] ? world.post(app, '/api/v1/accounts', body) : world.post(undefined, '/api/glimpse/v1/registrations', body);

  /** The one code each field got, as { field: code }. */
  const codes = (body: any): Record<string, string> => Object.fromEntries(Object.entries(body.details ?? {}).map(([field, list]: [string, any]) => [field, list[0].error]));

  const cases: Array<[string, Record<string, unknown>, Record<string, string>]> = [
    ['a missing username is ERR_BLANK', { ...valid('x'), username: undefined, email: 'blank@example.test' }, { username: 'ERR_BLANK' }],
    ['a username over 30 characters is ERR_TOO_LONG', valid('a'.repeat(31)), { username: 'ERR_TOO_LONG' }],
    ['a username with a hyphen is ERR_INVALID', valid('bad-name'), { username: 'ERR_INVALID' }],
    ['a reserved username is ERR_RESERVED', { ...valid('x'), username: 'Admin', email: 'reserved@example.test' }, { username: 'ERR_RESERVED' }],
    ['a taken username (in another case) is ERR_TAKEN', { ...valid('x'), username: 'INES', email: 'other@example.test' }, { username: 'ERR_TAKEN' }],
    ['a blank e-mail is ERR_BLANK', { ...valid('blankmail'), email: '' }, { email: 'ERR_BLANK' }],
    ['an e-mail without a domain is ERR_INVALID', { ...valid('badmail'), email: 'nobody' }, { email: 'ERR_INVALID' }],
    ['an e-mail over 254 characters is ERR_TOO_LONG', { ...valid('longmail'), email: `${'a'.repeat(250)}@example.test` }, { email: 'ERR_TOO_LONG' }],
    ['a taken e-mail is ERR_TAKEN', { ...valid('mailtaken'), email: 'INES@glimpse.test' }, { email: 'ERR_TAKEN' }],
    ['a missing password is ERR_BLANK', { ...valid('nopass'), password: undefined }, { password: 'ERR_BLANK' }],
    ['a password under 8 characters is ERR_TOO_SHORT', { ...valid('shortpass'), password: 'short' }, { password: 'ERR_TOO_SHORT' }],
    ['a password over 200 characters is ERR_TOO_LONG', { ...valid('longpass'), password: 'p'.repeat(201) }, { password: 'ERR_TOO_LONG' }],
    ['agreement false is ERR_ACCEPTED', { ...valid('noagree'), agreement: false }, { agreement: 'ERR_ACCEPTED' }],
    ['a missing agreement is ERR_ACCEPTED', { ...valid('missingagree'), agreement: undefined }, { agreement: 'ERR_ACCEPTED' }],
    ['a reason over 500 characters is ERR_TOO_LONG', { ...valid('longreason'), reason: 'r'.repeat(501) }, { reason: 'ERR_TOO_LONG' }],
  ];
  for (const door of DOORS) {
    for (const [label, body, expected] of cases) {
      test(`${door}: ${label}, answered 422 and nothing stored`, async () => {
        const res = await register(door, body);
        assert.equal(res.status, 422, JSON.stringify(res.body));
        assert.deepEqual(codes(res.body), expected);
        assert.match(res.body.error, /^Validation failed: /);
        const [field] = Object.keys(expected);
        assert.equal(typeof res.body.details[field][0].description, 'string');
        if (typeof body.username === 'string' && body.username.length <= 30 && !['INES', 'Admin'].includes(body.username)) {
          assert.equal(await world.app.services.repositories.accounts.findByUsername(body.username), undefined);
        }
      });
    }
  }

  test('every field at fault is named at once, and the message lists them', async () => {
    const res = await register(DOORS[0], { username: 'bad name', email: 'nope', password: 'short', agreement: false });
    assert.deepEqual(codes(res.body), { username: 'ERR_INVALID', email: 'ERR_INVALID', password: 'ERR_TOO_SHORT', agreement: 'ERR_ACCEPTED' });
    assert.equal(
      res.body.error,
      'Validation failed: Username must contain only letters, numbers and underscores, Email is invalid, Password is too short (minimum is 8 characters), Agreement must be accepted',
    );
  });

  test('an e-mail at a blocked domain or at any subdomain of one is ERR_BLOCKED on both doors, and the refusals are counted', async () => {
    const block = (await world.post(admin, '/api/v1/admin/email_domain_blocks', { domain: 'junk.example' })).body;
    for (const [door, email] of [[DOORS[0], 'a@junk.example'], [DOORS[1], 'b@mail.JUNK.example'], [DOORS[0], 'c@deep.mail.junk.example']] as const) {
      const res = await register(door, { ...valid(`blocked_${email[0]}`), email });
      assert.equal(res.status, 422, email);
      assert.deepEqual(res.body.details.email, [{ error: 'ERR_BLOCKED', description: 'uses a disallowed e-mail provider' }], email);
    }
    assert.equal((await register(DOORS[0], { ...valid('not_blocked'), email: 'd@notjunk.example' })).status, 200);
    const shown = (await world.get(admin, `/api/v1/admin/email_domain_blocks/${block.id}`)).body;
    assert.deepEqual(shown.history[0], { day: String(Date.UTC(2026, 10, 28) / 1000), accounts: '3', uses: '3' });
    assert.equal(shown.history[1].uses, '0');
    assert.equal((await world.request(admin, 'DELETE', `/api/v1/admin/email_domain_blocks/${block.id}`)).status, 200);
    assert.equal((await register(DOORS[0], { ...valid('blocked_a'), email: 'a@junk.example' })).status, 200);
  });

  test('with approval required, a missing reason is ERR_BLANK', async () => {
    const approval = await createWorld({ accounts: ['mara'], config: { registrations: 'approval' } });
    try {
      const res = await approval.post(undefined, '/api/glimpse/v1/registrations', valid('no_reason'));
      assert.equal(res.status, 422);
      assert.deepEqual(res.body.details.reason, [{ error: 'ERR_BLANK', description: "can't be blank" }]);
    } finally {
      await approval.close();
    }
  });
});
