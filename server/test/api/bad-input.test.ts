import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createWorld, type Actor, type World } from '../support/world.ts';
import { REDIRECT_URI, createOAuthApp, formRequest, ids, linkTargets, multipartRequest } from '../support/http.ts';

let world: World;
before(async () => {
  world = await createWorld({ accounts: ['mara', 'ines', 'sam'] });
});
after(() => world.close());

const profile = async (as: Actor) => (await world.get(as, '/api/v1/accounts/verify_credentials')).body;
const patch = (as: Actor, body: unknown, headers?: Record<string, string>) => world.request(as, 'PATCH', '/api/v1/accounts/update_credentials', body, headers);

function assertError(res: { status: number; body: any }, status: number, label = '') {
  assert.equal(res.status, status, `${label} ${JSON.stringify(res.body).slice(0, 200)}`);
  assert.equal(typeof res.body?.error, 'string', `${label} answers {"error": ...}`);
}

describe('over-long and out-of-range fields answer 422 and change nothing', () => {
  test('over-long profile fields leave the profile as it was', async () => {
    const me = await world.addActor('long_fields');
    await patch(me, { display_name: 'Kept', note: 'Kept note' });
    for (const body of [{ display_name: 'x'.repeat(101) }, { note: 'x'.repeat(501) }, { display_name: 'x'.repeat(10_000), note: 'fine' }, { source: { language: 'x'.repeat(17) } }]) {
      assertError(await patch(me, body), 422, JSON.stringify(body).slice(0, 40));
    }
    const after = await profile(me);
    assert.equal(after.display_name, 'Kept');
    assert.equal(after.source.note, 'Kept note');
  });

  const cases: Array<[string, () => Promise<{ status: number; body: any }>]> = [
    ['a search query over 100 characters', () => world.get('mara', `/api/v1/accounts/search?q=${'a'.repeat(101)}`)],
    ['a search limit over 80', () => world.get('mara', '/api/v1/accounts/search?q=a&limit=81')],
    ['a lookup acct over 200 characters', () => world.get('mara', `/api/v1/accounts/lookup?acct=${'a'.repeat(201)}`)],
    ['an account id over 32 characters', () => world.get('mara', `/api/v1/accounts/${'1'.repeat(33)}`)],
    ['a log-in name over 254 characters', () => world.post(undefined, '/api/glimpse/v1/session', { login: 'a'.repeat(255), password: 'whatever-password' })],
    ['a log-in password over 200 characters', () => world.post(undefined, '/api/glimpse/v1/session', { login: 'mara', password: 'p'.repeat(201) })],
    ['an app name over 200 characters', () => world.post(undefined, '/api/v1/apps', { client_name: 'n'.repeat(201), redirect_uris: REDIRECT_URI })],
    ['an app with 11 redirect URIs', () => world.post(undefined, '/api/v1/apps', { client_name: 'x', redirect_uris: Array.from({ length: 11 }, (_, i) => `${REDIRECT_URI}${i}`) })],
    ['an app scope list over 500 characters', () => world.post(undefined, '/api/v1/apps', { client_name: 'x', redirect_uris: REDIRECT_URI, scopes: 'read '.repeat(101) })],
    ['an app without a name', () => world.post(undefined, '/api/v1/apps', { client_name: '', redirect_uris: REDIRECT_URI })],
    ['31 notification types', () => world.get('mara', `/api/v1/notifications?${Array.from({ length: 31 }, (_, i) => `types[]=t${i}`).join('&')}`)],
    ['a notification type over 40 characters', () => world.get('mara', `/api/v1/notifications?exclude_types[]=${'t'.repeat(41)}`)],
    ['a marker id over 32 characters', () => world.post('mara', '/api/v1/markers', { notifications: { last_read_id: '1'.repeat(33) } })],
    ['21 follow languages', () => world.post('mara', `/api/v1/accounts/${world.actors.ines.id}/follow`, { languages: Array.from({ length: 21 }, () => 'en') })],
    ['a mute duration over ten years', () => world.post('mara', `/api/v1/accounts/${world.actors.ines.id}/mute`, { duration: 400_000_000 })],
    ['an OAuth token field over 2000 characters', () => world.post(undefined, '/oauth/token', { grant_type: 'client_credentials', client_id: 'c'.repeat(2001) })],
    ['an OAuth token request with 21 fields', () => world.post(undefined, '/oauth/token', Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`f${i}`, 'x'])))],
    ['an OAuth state over 1000 characters', () => world.get(undefined, `/oauth/authorize?client_id=x&redirect_uri=${encodeURIComponent(REDIRECT_URI)}&state=${'s'.repeat(1001)}`)],
    ['a new password over 200 characters', () => world.post('sam', '/api/glimpse/v1/password', { current_password: 'sam-password', password: 'p'.repeat(201) })],
  ];
  for (const [label, send] of cases) {
    test(`${label} answers 422 with an error`, async () => {
      assertError(await send(), 422, label);
    });
  }

  test('the refused follow and mute changed no relationship', async () => {
    const rel = await world.get('mara', `/api/v1/accounts/relationships?id[]=${world.actors.ines.id}`);
    assert.equal(rel.body[0].following, false);
    assert.equal(rel.body[0].muting, false);
  });
});

describe('malformed bodies and values', () => {
  test('malformed JSON answers 400 with an error', async () => {
    for (const body of ['{"display_name":', '{display_name: 1}', '']) {
      const res = await patch(world.actors.mara, body, { 'content-type': 'application/json' });
      assertError(res, 400, body);
    }
  });

  test('JSON nested 20,000 levels deep answers 400 with an error, not a server error', async () => {
    const deepArrays = `{"note":${'['.repeat(20_000)}${']'.repeat(20_000)}}`;
    const deepObjects = `${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}`;
    for (const body of [deepArrays, deepObjects]) {
      assertError(await patch(world.actors.mara, body, { 'content-type': 'application/json' }), 400, body.slice(0, 12));
    }
  });

  test('JSON nested 32 levels deep is parsed and validated, one level more is refused', async () => {
    const nested = (levels: number) => `{"note":${'['.repeat(levels - 1)}${']'.repeat(levels - 1)}}`;
    assertError(await patch(world.actors.mara, nested(32), { 'content-type': 'application/json' }), 422, '32 levels');
    assertError(await patch(world.actors.mara, nested(33), { 'content-type': 'application/json' }), 400, '33 levels');
  });

  test('brackets inside JSON strings do not count as nesting', async () => {
    const me = await world.addActor('bracket_note');
    const note = `${'[{'.repeat(100)}"\\`;
    const res = await patch(me, JSON.stringify({ note }), { 'content-type': 'application/json' });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal((await profile(me)).source.note, note);
  });

  test('a JSON body that is not an object answers 422', async () => {
    for (const body of ['[1,2]', '"text"', '42']) {
      assertError(await patch(world.actors.mara, body, { 'content-type': 'application/json' }), 422, body);
    }
  });

  test('a JSON body with __proto__ is refused and pollutes nothing', async () => {
    const res = await patch(world.actors.mara, '{"__proto__": {"locked": true}, "display_name": "Proto"}', { 'content-type': 'application/json' });
    assertError(res, 400);
    assert.equal(({} as Record<string, unknown>).locked, undefined);
    assert.notEqual((await profile(world.actors.mara)).display_name, 'Proto');
  });

  test('an unsupported content type answers 415 with an error', async () => {
    assertError(await patch(world.actors.mara, '<xml/>', { 'content-type': 'application/xml' }), 415);
  });

  test('a body over the 1 MiB limit answers 413 with an error', async () => {
    const res = await patch(world.actors.mara, JSON.stringify({ note: 'x'.repeat(1_100_000) }), { 'content-type': 'application/json' });
    assertError(res, 413);
  });

  test('values of the wrong type answer 422', async () => {
    const me = world.actors.sam;
    assertError(await patch(me, { locked: 'perhaps' }), 422, 'a non-boolean');
    assertError(await patch(me, { display_name: 42 }), 422, 'a number for a string');
    assertError(await patch(me, { display_name: ['a', 'b'] }), 422, 'an array for a string');
    assertError(await world.get(me, '/api/v1/accounts/lookup?acct[]=a&acct[]=b'), 422, 'an array query for a string');
    assertError(await world.get(me, '/api/v1/accounts/search?q[a]=1'), 422, 'an object query for a string');
    assertError(await world.get(me, '/api/v1/accounts/lookup'), 422, 'a missing required field');
  });

  test('a NUL character in any text field answers 422, not a server error', async () => {
    const me = await world.addActor('nul_sender');
    const sends = [
      () => patch(me, { display_name: 'a\u0000b' }),
      () => patch(me, { note: 'a\u0000b' }),
      () => world.get(me, '/api/v1/accounts/%00'),
      () => world.get(me, '/api/v1/accounts/lookup?acct=a%00'),
      () => world.get(me, '/api/v1/accounts/search?q=a%00'),
      () => world.get(me, '/api/v1/notifications?account_id=%00'),
      () => world.post(me, '/api/v1/markers', { notifications: { last_read_id: '1\u0000' } }),
      () => world.post(undefined, '/api/glimpse/v1/session', { login: 'mara\u0000', password: 'mara-password' }),
      () => world.post(undefined, '/oauth/token', { grant_type: 'client_credentials', client_id: 'a\u0000', client_secret: 'b' }),
      () => world.post(undefined, '/api/glimpse/v1/registrations', { username: 'nul', email: 'n\u0000@example.test', password: 'long-enough-password', agreement: true }),
    ];
    for (const [i, send] of sends.entries()) assertError(await send(), 422, `case ${i}`);
    assert.equal((await profile(me)).display_name, '');
  });

  test('paging ids that are not ids answer 422', async () => {
    const url = `/api/v1/accounts/${world.actors.mara.id}/followers`;
    for (const q of ['max_id=abc', 'min_id=1e5', 'since_id=-1', 'limit=abc', 'limit=0', 'limit=-5']) {
      assertError(await world.get(undefined, `${url}?${q}`), 422, q);
    }
  });
});

describe('Mastodon body encodings for update_credentials', () => {
  test('a form-urlencoded body updates the profile', async () => {
    const me = await world.addActor('form_user');
    const res = await formRequest(world, me, 'PATCH', '/api/v1/accounts/update_credentials', { display_name: 'Form Name', note: 'From a form', locked: 'true' });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const after = await profile(me);
    assert.equal(after.display_name, 'Form Name');
    assert.equal(after.source.note, 'From a form');
    assert.equal(after.locked, true);
  });

  test('a form-urlencoded body with source[privacy] sets the account private, and over-long fields still answer 422', async () => {
    const me = await world.addActor('form_privacy');
    const res = await formRequest(world, me, 'PATCH', '/api/v1/accounts/update_credentials', { 'source[privacy]': 'private' });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.locked, true);
    assertError(await formRequest(world, me, 'PATCH', '/api/v1/accounts/update_credentials', { display_name: 'x'.repeat(101) }), 422);
  });

  test('a multipart body updates the profile', async () => {
    const me = await world.addActor('multipart_user');
    const res = await multipartRequest(world, me, 'PATCH', '/api/v1/accounts/update_credentials', [['display_name', 'Multipart Name'], ['note', 'Line one\nLine two'], ['locked', '1'], ['fields_attributes[0][name]', 'site']]);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const after = await profile(me);
    assert.equal(after.display_name, 'Multipart Name');
    assert.equal(after.source.note, 'Line one\nLine two');
    assert.equal(after.locked, true);
  });

  test('a multipart body with an over-long field answers 422 and changes nothing', async () => {
    const me = await world.addActor('multipart_long');
    const res = await multipartRequest(world, me, 'PATCH', '/api/v1/accounts/update_credentials', [['display_name', 'Fine'], ['note', 'n'.repeat(501)]]);
    assertError(res, 422);
    assert.equal((await profile(me)).display_name, '');
  });

  test('a form body for the OAuth token endpoint works as JSON does', async () => {
    const app = await createOAuthApp(world, { scopes: 'read' });
    const res = await formRequest(world, undefined, 'POST', '/oauth/token', { grant_type: 'client_credentials', client_id: app.client_id, client_secret: app.client_secret });
    assert.equal(res.status, 200, JSON.stringify(res.body));
  });
});

describe('bounded lists', () => {
  test('relationships with 1,000 ids answers 422', async () => {
    const query = Array.from({ length: 1000 }, (_, i) => `id[]=${1_000_000_000_000_000 + i}`).join('&');
    assertError(await world.get('mara', `/api/v1/accounts/relationships?${query}`), 422);
  });

  test('relationships accepts up to 100 ids and refuses 101', async () => {
    const make = (n: number) => Array.from({ length: n }, (_, i) => `id[]=${i === 0 ? world.actors.ines.id : 1_000_000_000_000_000 + i}`).join('&');
    const hundred = await world.get('mara', `/api/v1/accounts/relationships?${make(100)}`);
    assert.equal(hundred.status, 200);
    assert.deepEqual(ids(hundred), [world.actors.ines.id]);
    assertError(await world.get('mara', `/api/v1/accounts/relationships?${make(101)}`), 422);
  });

  // More than one full page (80) of accounts, each following `star`, followed by `fan`.
  let crowd: Actor[] = [];
  let star: Actor;
  let fan: Actor;
  before(async () => {
    star = await world.addActor('clamp_star');
    fan = await world.addActor('clamp_fan');
    crowd = [];
    for (let i = 0; i < 81; i++) {
      const member = await world.addActor(`clamp_crowd_${i}`);
      assert.equal((await world.post(member, `/api/v1/accounts/${star.id}/follow`)).status, 200);
      assert.equal((await world.post(fan, `/api/v1/accounts/${member.id}/follow`)).status, 200);
      crowd.push(member);
    }
  });

  test('a paging limit above the maximum is clamped to the maximum page size', async () => {
    const big = await world.get(fan, `/api/v1/accounts/${fan.id}/following?limit=1000`);
    assert.equal(big.status, 200);
    assert.equal(big.body.length, 80, 'followers and following pages hold at most 80');
    assert.ok(linkTargets(big, world.config.publicUrl).next, 'and link to the rest');
    const rest = await world.get(fan, linkTargets(big, world.config.publicUrl).next!);
    assert.deepEqual(ids(rest), [crowd[0].id]);

    const byDefault = await world.get(undefined, `/api/v1/accounts/${star.id}/followers`);
    assert.equal(byDefault.body.length, 40, 'the default page holds 40');
  });

  test('a notifications limit above the maximum is clamped to 80', async () => {
    const res = await world.get(star, '/api/v1/notifications?limit=1000');
    assert.equal(res.status, 200);
    assert.equal(res.body.length, 80);
    assert.equal((await world.get(star, '/api/v1/notifications/unread_count?limit=1000')).body.count, 81);
  });
});
