import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import type { InjectOptions } from 'fastify';
import { createWorld, type World } from '../support/world.ts';
import { loadConfig, type RateLimits } from '../../src/config.ts';
import { REDIRECT_URI, createOAuthApp, oauthLoginForm, setCookie, tokenWithScopes } from '../support/http.ts';
import { postPhotos, uploadPhoto } from '../support/photos.ts';

/** The configured limits' defaults, so each world sets only the ones it is about. */
const defaults = loadConfig({}).rateLimits;
const OFF: Partial<RateLimits> = { login: 0, registration: 0, api: 0, anonymous: 0, comments: 0, storyResponses: 0, loginAccount: 0 };
const limitedWorld = (limits: Partial<RateLimits>, accounts: Array<'mara' | 'ines' | 'sam'> = ['mara', 'ines']) =>
  createWorld({ accounts, config: { rateLimitsEnabled: true, rateLimits: { ...defaults, ...OFF, ...limits } } });

/** A request from one peer address, with whatever credentials the headers carry. */
function from(world: World, remoteAddress: string, method: InjectOptions['method'], url: string, headers: Record<string, string> = {}, payload?: InjectOptions['payload']) {
  return world.app.http.inject({ method, url, remoteAddress, headers, payload });
}

async function webSession(world: World, login: string, remoteAddress: string): Promise<string> {
  const res = await world.app.http.inject({ method: 'POST', url: '/api/glimpse/v1/session', remoteAddress, payload: { login, password: `${login}-password` } });
  assert.equal(res.statusCode, 200, res.body);
  const set = setCookie({ status: res.statusCode, body: undefined, headers: res.headers, raw: res }, 'glimpse_session');
  return `glimpse_session=${set!.value}`;
}

function assertRefused(res: { statusCode: number; headers: Record<string, unknown>; json(): unknown }, label: string) {
  assert.equal(res.statusCode, 429, label);
  assert.deepEqual(res.json(), { error: 'Too many requests' }, label);
  assert.ok(Number(res.headers['retry-after']) > 0, `${label}: says when to come back`);
}

describe('the general API limit keys on who is really asking', () => {
  let world: World;
  before(async () => {
    world = await limitedWorld({ api: 6, anonymous: 2, login: 100 });
  });
  after(() => world.close());

  test('a web session has the per-account budget of a token, not the anonymous per-address one', async () => {
    const peer = '198.51.100.10';
    const cookie = await webSession(world, 'mara', peer);
    for (let i = 1; i <= 6; i++) {
      const res = await from(world, peer, 'GET', '/api/glimpse/v1/session', { cookie });
      assert.equal(res.statusCode, 200, `request ${i} of 6, beyond the anonymous 2`);
    }
    assertRefused(await from(world, peer, 'GET', '/api/glimpse/v1/session', { cookie }), 'the 7th');
    const anonymous = await from(world, peer, 'GET', '/api/v1/instance');
    assert.equal(anonymous.statusCode, 200, 'the signed-in requests did not spend the address\'s anonymous budget');
  });

  test('an account\'s tokens and web sessions share one budget: a second token or session does not multiply it', async () => {
    const peer = '198.51.100.20';
    const second = await tokenWithScopes(world, world.actors.ines, ['read']);
    const cookie = await webSession(world, 'ines', peer);
    const callers: Array<Record<string, string>> = [{ authorization: `Bearer ${world.actors.ines.token}` }, { authorization: `Bearer ${second.token}` }, { cookie }];
    for (let i = 0; i < 6; i++) {
      const res = await from(world, peer, 'GET', '/api/v1/accounts/verify_credentials', callers[i % 3]);
      assert.equal(res.statusCode, 200, `request ${i + 1}`);
    }
    for (const headers of callers) assertRefused(await from(world, peer, 'GET', '/api/v1/accounts/verify_credentials', headers), JSON.stringify(Object.keys(headers)));
  });

  test('the budget is one across all API routes, not one per route', async () => {
    const peer = '198.51.100.30';
    assert.equal((await from(world, peer, 'GET', '/api/v1/instance')).statusCode, 200);
    assert.equal((await from(world, peer, 'GET', `/api/v1/accounts/${world.actors.mara.id}`)).statusCode, 200);
    assertRefused(await from(world, peer, 'GET', '/api/v2/instance'), 'a third route');
  });

  test('a made-up bearer token counts as anonymous: once the address\'s budget is spent, random tokens get 429 too', async () => {
    const peer = '198.51.100.40';
    for (let i = 0; i < 2; i++) assert.equal((await from(world, peer, 'GET', '/api/v1/instance')).statusCode, 200);
    for (let i = 0; i < 10; i++) {
      const made_up = crypto.randomBytes(32).toString('base64url');
      assertRefused(await from(world, peer, 'GET', '/api/v1/instance', { authorization: `Bearer ${made_up}` }), `random token ${i + 1}`);
    }
  });

  test('a made-up bearer token spends the address\'s anonymous budget, even where it is refused with 401', async () => {
    const peer = '198.51.100.45';
    for (let i = 0; i < 2; i++) {
      const res = await from(world, peer, 'GET', '/api/v1/accounts/verify_credentials', { authorization: `Bearer made-up-${i}` });
      assert.equal(res.statusCode, 401);
    }
    assertRefused(await from(world, peer, 'GET', '/api/v1/instance'), 'the anonymous request after them');
  });

  test('a made-up or signed-out session cookie counts as anonymous too', async () => {
    const peer = '198.51.100.50';
    const cookie = await webSession(world, 'mara', '198.51.100.51');
    const out = await world.app.services.auth.authenticate(cookie.split('=')[1], 'session');
    await world.app.services.auth.revokeToken(out.tokenId);
    assert.equal((await from(world, peer, 'GET', '/api/v1/instance', { cookie })).statusCode, 200);
    assert.equal((await from(world, peer, 'GET', '/api/v1/instance', { cookie: 'glimpse_session=made-up' })).statusCode, 200);
    assertRefused(await from(world, peer, 'GET', '/api/v1/instance', { cookie: 'glimpse_session=another-made-up' }), 'the third');
  });

  test('POST /oauth/token, /oauth/revoke and /api/v1/apps spend the anonymous per-address budget', async () => {
    const app = await createOAuthApp(world, { scopes: 'read' });
    const cases: Array<[string, InjectOptions['payload']]> = [
      ['/oauth/token', { grant_type: 'client_credentials', client_id: app.client_id, client_secret: 'wrong' }],
      ['/oauth/revoke', { client_id: app.client_id, client_secret: app.client_secret, token: 'made-up' }],
      ['/api/v1/apps', { client_name: 'flood', redirect_uris: REDIRECT_URI, scopes: 'read' }],
    ];
    for (const [index, [url, payload]] of cases.entries()) {
      const peer = `198.51.100.6${index}`;
      for (let i = 0; i < 2; i++) assert.notEqual((await from(world, peer, 'POST', url, {}, payload)).statusCode, 429, `${url} ${i + 1}`);
      assertRefused(await from(world, peer, 'POST', url, { authorization: `Bearer made-up-${index}` }, payload), `${url}, even with a made-up token`);
    }
  });
});

describe('story replies and reactions have a per-account flood limit', () => {
  let world: World;
  let storyId: string;
  before(async () => {
    world = await limitedWorld({ storyResponses: 3 }, ['mara', 'ines', 'sam']);
    await world.post('ines', `/api/v1/accounts/${world.actors.mara.id}/follow`);
    await world.post('sam', `/api/v1/accounts/${world.actors.mara.id}/follow`);
    const media_id = await uploadPhoto(world, 'mara');
    const story = await world.post('mara', '/api/glimpse/v1/stories', { media_id, overlays: [] });
    assert.equal(story.status, 200, JSON.stringify(story.body));
    storyId = story.body.id;
  });
  after(() => world.close());

  const reply = (who: 'ines' | 'sam', text: string) => world.post(who, `/api/glimpse/v1/stories/${storyId}/replies`, { text });
  const react = (who: 'ines' | 'sam') => world.post(who, `/api/glimpse/v1/stories/${storyId}/reactions`, { emoji: '🔥' });
  const notificationCount = async () => (await world.get('mara', '/api/v1/notifications?types[]=story_reply&types[]=story_reaction&limit=40')).body.length;

  test('replies and reactions share one budget per account: past it, 429 with Retry-After and no notification', async () => {
    assert.equal((await reply('ines', 'one')).status, 200);
    assert.equal((await react('ines')).status, 200);
    assert.equal((await reply('ines', 'three')).status, 200);
    const before = await notificationCount();
    for (const res of [await reply('ines', 'four'), await react('ines')]) {
      assert.equal(res.status, 429);
      assert.deepEqual(res.body, { error: 'Too many requests' });
      assert.ok(Number(res.headers['retry-after']) > 0 && Number(res.headers['retry-after']) <= 60, String(res.headers['retry-after']));
    }
    assert.equal(await notificationCount(), before, 'a refused response notifies nobody');
    const stored = (await world.get('mara', '/api/glimpse/v1/stories/replies')).body.map((r: { text: string }) => r.text);
    assert.ok(stored.includes('three') && !stored.includes('four'), `a refused reply is not stored: ${stored.join(', ')}`);
  });

  test('another account has its own story-response budget', async () => {
    assert.equal((await react('sam')).status, 200);
  });

  test('the story-response budget comes back after a minute', async () => {
    world.clock.advance(60_000);
    assert.equal((await reply('ines', 'a minute later')).status, 200);
  });
});

test('a comment past GLIMPSE_RATE_LIMIT_COMMENTS answers 429 with Retry-After, like a story response', async () => {
  const world = await limitedWorld({ comments: 2 }, ['mara', 'ines']);
  try {
    const post = await postPhotos(world, 'mara', 'comment on me');
    const comment = (text: string) => world.post('ines', '/api/v1/statuses', { status: text, in_reply_to_id: post.id });
    for (const text of ['first', 'second']) assert.equal((await comment(text)).status, 200);
    const third = await comment('third');
    assert.equal(third.status, 429);
    assert.deepEqual(third.body, { error: 'Too many requests' });
    assert.ok(Number(third.headers['retry-after']) > 0 && Number(third.headers['retry-after']) <= 60);
  } finally {
    await world.close();
  }
});

describe('log-in is limited per login name as well as per address', () => {
  let world: World;
  before(async () => {
    world = await limitedWorld({ loginAccount: 3 });
  });
  after(() => world.close());

  const logIn = (login: string, password: string, peer: string) =>
    world.app.http.inject({ method: 'POST', url: '/api/glimpse/v1/session', remoteAddress: peer, payload: { login, password } });

  test('failed log-ins to one account from many addresses exhaust its budget: then even the right password gets 429 with Retry-After', async () => {
    for (let i = 0; i < 3; i++) assert.equal((await logIn('mara', `guess-${i}`, `203.0.113.${i + 1}`)).statusCode, 401, `guess ${i + 1}`);
    assertRefused(await logIn('mara', 'guess-4', '203.0.113.50'), 'a fourth address');
    assertRefused(await logIn('mara', 'mara-password', '203.0.113.51'), 'the right password');
    assert.equal((await logIn('ines', 'ines-password', '203.0.113.50')).statusCode, 200, 'another account is not limited by it');
  });

  test('case and a leading @ do not give a login name a second budget', async () => {
    assertRefused(await logIn('MARA', 'mara-password', '203.0.113.60'), 'MARA');
    assertRefused(await logIn('@Mara', 'mara-password', '203.0.113.61'), '@Mara');
  });

  test('a name without an account is limited and answered exactly like one with an account', async () => {
    const attempts = async (login: string) => {
      const answers = [];
      for (let i = 0; i < 4; i++) {
        const res = await logIn(login, `guess-${i}`, `203.0.113.${70 + i}`);
        answers.push({ status: res.statusCode, body: res.json(), retryAfter: res.headers['retry-after'] !== undefined });
      }
      return answers;
    };
    const unknown = await attempts('nobody_here');
    const known = await attempts('ines@glimpse.test');
    assert.deepEqual(unknown.map((a) => a.status), [401, 401, 401, 429]);
    assert.deepEqual(unknown, known);
  });

  test('the OAuth log-in form spends the same per-name budget as the web log-in', async () => {
    world.clock.advance(60 * 60 * 1000);
    const app = await createOAuthApp(world, { scopes: 'read' });
    for (let i = 0; i < 3; i++) assert.equal((await logIn('mara', `guess-${i}`, `203.0.113.${80 + i}`)).statusCode, 401);
    const form = await oauthLoginForm(world, app);
    const viaOAuth = await world.app.http.inject({
      method: 'POST',
      url: '/oauth/authorize',
      remoteAddress: '203.0.113.90',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: form.cookie },
      payload: new URLSearchParams({ client_id: app.client_id, redirect_uri: REDIRECT_URI, response_type: 'code', scope: 'read', login: 'mara', password: 'mara-password', decision: 'approve', csrf_token: form.csrf_token }).toString(),
    });
    assert.equal(viaOAuth.statusCode, 429);
    assert.equal(viaOAuth.headers.location, undefined, 'no code');
    assert.ok(Number(viaOAuth.headers['retry-after']) > 0);
  });

  test('the per-name budget comes back after an hour', async () => {
    world.clock.advance(60 * 60 * 1000);
    assert.equal((await logIn('mara', 'mara-password', '203.0.113.99')).statusCode, 200);
  });
});

test('with GLIMPSE_RATE_LIMIT_STORY_RESPONSES and GLIMPSE_RATE_LIMIT_LOGIN_ACCOUNT at 0 there is no such limit', async () => {
  const world = await limitedWorld({}, ['mara', 'ines']);
  try {
    await world.post('ines', `/api/v1/accounts/${world.actors.mara.id}/follow`);
    const media_id = await uploadPhoto(world, 'mara');
    const story = await world.post('mara', '/api/glimpse/v1/stories', { media_id, overlays: [] });
    for (let i = 0; i < 40; i++) assert.equal((await world.post('ines', `/api/glimpse/v1/stories/${story.body.id}/reactions`, { emoji: '🔥' })).status, 200);
    for (let i = 0; i < 25; i++) {
      const res = await world.app.http.inject({ method: 'POST', url: '/api/glimpse/v1/session', remoteAddress: `192.0.2.${i}`, payload: { login: 'mara', password: 'wrong' } });
      assert.equal(res.statusCode, 401);
    }
  } finally {
    await world.close();
  }
});
