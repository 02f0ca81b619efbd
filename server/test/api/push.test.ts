import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createWorld, type Actor, type World } from '../support/world.ts';
import { createOAuthApp, setCookie, tokenWithScopes } from '../support/http.ts';
import { postPhotos, uploadPhoto } from '../support/photos.ts';
import { browserSubscription, decryptPush, startPushEndpoint, verifyVapid, type BrowserSubscription, type PushEndpoint } from '../support/push-endpoint.ts';
import { isAllowedPushAddress, pushEndpointProblem } from '../../src/domain/push/push-endpoint.ts';

let world: World;
let push: PushEndpoint;
before(async () => {
  push = await startPushEndpoint();
  world = await createWorld({ accounts: ['mara', 'ines', 'sam'], config: { pushAllowLoopback: true } });
});
after(async () => {
  await world.close();
  await push.close();
});

interface Subscribed {
  browser: BrowserSubscription;
  path: string;
}

const ALL_ALERTS = { mention: true, status: true, reblog: true, follow: true, follow_request: true, favourite: true, poll: true, update: true };

async function subscribe(as: Actor, name: string, data: Record<string, unknown> = { alerts: ALL_ALERTS }, standard = true): Promise<Subscribed & { body: any }> {
  const path = `/push/${name}`;
  const browser = browserSubscription(`${push.url}${path}`);
  const res = await world.post(as, '/api/v1/push/subscription', { subscription: { endpoint: browser.endpoint, keys: browser.keys, standard }, data });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return { browser, path, body: res.body };
}

/** What the push service received for one subscription, decrypted as the browser would. */
function payloads(sub: Subscribed): any[] {
  return push.on(sub.path).map((r) => JSON.parse(decryptPush(r.body, sub.browser)));
}

const delivered = () => world.app.services.jobs.onIdle();
const like = (as: Actor, statusId: string) => world.post(as, `/api/v1/statuses/${statusId}/favourite`);
const follow = (as: Actor, target: Actor) => world.post(as, `/api/v1/accounts/${target.id}/follow`);
const notificationIds = async (as: Actor) => (await world.get(as, '/api/v1/notifications')).body.map((n: { id: string }) => n.id) as string[];
const vapidKey = () => world.app.services.push.publicKey();

describe('the subscription endpoints', () => {
  test('POST stores the token\'s subscription and GET returns it, with the instance VAPID key as server_key', async () => {
    const me = await world.addActor('sub_get');
    const { browser, body } = await subscribe(me, 'sub-get', { alerts: { mention: true, favourite: 'true', 'admin.sign_up': true }, policy: 'follower' });
    const key = await vapidKey();
    const expected = {
      id: body.id,
      endpoint: browser.endpoint,
      standard: true,
      alerts: { mention: true, status: false, reblog: false, follow: false, follow_request: false, favourite: true, poll: false, update: false, 'admin.sign_up': false, 'admin.report': false },
      policy: 'follower',
      server_key: key,
    };
    assert.deepEqual(body, expected);
    const got = await world.get(me, '/api/v1/push/subscription');
    assert.equal(got.status, 200);
    assert.deepEqual(got.body, expected);
  });

  test('the VAPID public key is the Application vapid_key and configuration.vapid.public_key, generated once', async () => {
    const key = await vapidKey();
    assert.match(key, /^[A-Za-z0-9_-]{87}$/);
    const app = await createOAuthApp(world);
    assert.equal((app as unknown as { vapid_key: string }).vapid_key, key);
    const instance = await world.get(undefined, '/api/v2/instance');
    assert.equal(instance.body.configuration.vapid.public_key, key);
    const rows = await world.app.services.database.kysely.selectFrom('instance_settings').select('value').where('key', '=', 'vapid_keys').execute();
    assert.equal(rows.length, 1);
    assert.equal(JSON.parse(rows[0].value).publicKey, key);
  });

  test('a second POST replaces the token\'s subscription: one per token', async () => {
    const me = await world.addActor('sub_replace');
    const first = await subscribe(me, 'sub-replace-1');
    const second = await subscribe(me, 'sub-replace-2');
    assert.notEqual(first.body.id, second.body.id);
    assert.equal((await world.get(me, '/api/v1/push/subscription')).body.endpoint, second.browser.endpoint);
    const rows = await world.app.services.database.kysely.selectFrom('push_subscriptions').select('id').where('account_id', '=', me.id).execute();
    assert.deepEqual(rows.map((r) => r.id), [second.body.id]);
  });

  test('PUT changes alerts and policy only; the endpoint and keys stay', async () => {
    const me = await world.addActor('sub_put');
    const { browser, body } = await subscribe(me, 'sub-put');
    const res = await world.request(me, 'PUT', '/api/v1/push/subscription', { data: { alerts: { follow: true }, policy: 'none' }, subscription: { endpoint: 'https://elsewhere.example/x' } });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.id, body.id);
    assert.equal(res.body.endpoint, browser.endpoint);
    assert.equal(res.body.policy, 'none');
    assert.deepEqual(Object.entries(res.body.alerts).filter(([, on]) => on).map(([name]) => name), ['follow']);
    assert.deepEqual((await world.get(me, '/api/v1/push/subscription')).body, res.body);
  });

  test('DELETE removes it: GET and PUT answer 404 afterwards', async () => {
    const me = await world.addActor('sub_delete');
    await subscribe(me, 'sub-delete');
    const res = await world.request(me, 'DELETE', '/api/v1/push/subscription');
    assert.deepEqual([res.status, res.body], [200, {}]);
    assert.deepEqual([(await world.get(me, '/api/v1/push/subscription')).status, (await world.get(me, '/api/v1/push/subscription')).body], [404, { error: 'Record not found' }]);
    assert.equal((await world.request(me, 'PUT', '/api/v1/push/subscription', { data: { policy: 'all' } })).status, 404);
  });

  test('another token, of the same account or another, cannot see or change it', async () => {
    const me = await world.addActor('sub_other');
    await subscribe(me, 'sub-other');
    const sameAccount = await tokenWithScopes(world, me, ['push']);
    assert.deepEqual([(await world.get(sameAccount, '/api/v1/push/subscription')).status], [404]);
    assert.equal((await world.get('sam', '/api/v1/push/subscription')).status, 404);
    assert.equal((await world.request(sameAccount, 'PUT', '/api/v1/push/subscription', { data: { policy: 'none' } })).status, 404);
    assert.equal((await world.request('sam', 'DELETE', '/api/v1/push/subscription')).status, 200);
    assert.equal((await world.get(me, '/api/v1/push/subscription')).body.policy, 'all');
  });

  test('a token without the push scope gets 403, no token 401', async () => {
    const me = await world.addActor('sub_scope');
    const readOnly = await tokenWithScopes(world, me, ['read', 'write']);
    const browser = browserSubscription(`${push.url}/push/scope`);
    const body = { subscription: { endpoint: browser.endpoint, keys: browser.keys } };
    assert.equal((await world.post(readOnly, '/api/v1/push/subscription', body)).status, 403);
    assert.equal((await world.get(readOnly, '/api/v1/push/subscription')).status, 403);
    assert.equal((await world.post(undefined, '/api/v1/push/subscription', body)).status, 401);
  });

  test('invalid input is 422 with a Mastodon error and stores nothing', async () => {
    const me = await world.addActor('sub_invalid');
    const good = browserSubscription(`${push.url}/push/invalid`);
    const cases: Array<[string, Record<string, unknown>]> = [
      ['no subscription', { data: { alerts: { mention: true } } }],
      ['an http endpoint off loopback', { subscription: { endpoint: 'http://push.example/x', keys: good.keys } }],
      ['a private address', { subscription: { endpoint: 'https://10.1.2.3/x', keys: good.keys } }],
      ['a link-local address', { subscription: { endpoint: 'https://[fe80::1]/x', keys: good.keys } }],
      ['a non-URL', { subscription: { endpoint: 'not a url', keys: good.keys } }],
      ['an endpoint over 2048 characters', { subscription: { endpoint: `https://push.example/${'a'.repeat(2048)}`, keys: good.keys } }],
      ['a p256dh that is not a P-256 point', { subscription: { endpoint: good.endpoint, keys: { p256dh: Buffer.alloc(65, 4).toString('base64url'), auth: good.keys.auth } } }],
      ['a p256dh of the wrong length', { subscription: { endpoint: good.endpoint, keys: { p256dh: Buffer.alloc(33, 2).toString('base64url'), auth: good.keys.auth } } }],
      ['a p256dh too long', { subscription: { endpoint: good.endpoint, keys: { p256dh: 'A'.repeat(500), auth: good.keys.auth } } }],
      ['an auth secret not 16 bytes', { subscription: { endpoint: good.endpoint, keys: { p256dh: good.keys.p256dh, auth: Buffer.alloc(8).toString('base64url') } } }],
      ['an auth secret not base64', { subscription: { endpoint: good.endpoint, keys: { p256dh: good.keys.p256dh, auth: '!!!!' } } }],
      ['an unknown policy', { subscription: { endpoint: good.endpoint, keys: good.keys }, data: { policy: 'friends' } }],
    ];
    for (const [name, body] of cases) {
      const res = await world.post(me, '/api/v1/push/subscription', body);
      assert.equal(res.status, 422, `${name}: ${res.status} ${JSON.stringify(res.body)}`);
      assert.match(res.body.error, /^Validation failed: /, name);
    }
    assert.equal((await world.get(me, '/api/v1/push/subscription')).status, 404);
    await subscribe(me, 'invalid-put');
    assert.equal((await world.request(me, 'PUT', '/api/v1/push/subscription', { data: { policy: 'friends' } })).status, 422);
  });

  test('form-encoded bodies with Mastodon\'s bracketed names work too', async () => {
    const me = await world.addActor('sub_form');
    const browser = browserSubscription(`${push.url}/push/form`);
    const form = new URLSearchParams({
      'subscription[endpoint]': browser.endpoint,
      'subscription[keys][p256dh]': browser.keys.p256dh,
      'subscription[keys][auth]': browser.keys.auth,
      'subscription[standard]': 'true',
      'data[alerts][follow]': 'true',
      'data[alerts][mention]': 'false',
      'data[policy]': 'followed',
    });
    const res = await world.request(me, 'POST', '/api/v1/push/subscription', form.toString(), { 'content-type': 'application/x-www-form-urlencoded' });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual([res.body.standard, res.body.policy, res.body.alerts.follow, res.body.alerts.mention], [true, 'followed', true, false]);
  });
});

describe('the endpoint rule (SSRF)', () => {
  test('without the test flag, loopback and private endpoints are refused; public https ones pass', () => {
    for (const endpoint of ['https://127.0.0.1/x', 'http://127.0.0.1:9/x', 'https://localhost/x', 'https://[::1]/x', 'https://192.168.1.1/x', 'https://172.16.0.1/x', 'https://100.64.0.1/x', 'https://169.254.169.254/latest', 'https://[::ffff:10.0.0.1]/x', 'https://[fd00::1]/x', 'https://0x7f.1/x', 'https://intranet/x', 'https://printer.local/x', 'https://user:pw@push.example/x', 'ftp://push.example/x']) {
      assert.notEqual(pushEndpointProblem(endpoint, false), undefined, endpoint);
    }
    assert.equal(pushEndpointProblem('https://updates.push.services.mozilla.com/wpush/v2/abc', false), undefined);
    assert.equal(pushEndpointProblem('https://8.8.8.8/x', false), undefined);
  });

  test('with the test flag only loopback is added, over http too; private networks stay refused', () => {
    assert.equal(pushEndpointProblem('http://127.0.0.1:9/x', true), undefined);
    assert.equal(pushEndpointProblem('http://[::1]:9/x', true), undefined);
    assert.notEqual(pushEndpointProblem('http://10.0.0.1/x', true), undefined);
    assert.notEqual(pushEndpointProblem('http://push.example/x', true), undefined);
    assert.equal(isAllowedPushAddress('192.168.0.1', true), false);
    assert.equal(isAllowedPushAddress('127.0.0.1', true), true);
    assert.equal(isAllowedPushAddress('127.0.0.1', false), false);
  });
});

describe('delivery', () => {
  test('a like is pushed once, VAPID-signed and aes128gcm-encrypted, with Mastodon\'s payload', async () => {
    const owner = await world.addActor('push_like_owner');
    const fan = await world.addActor('push_like_fan');
    const sub = await subscribe(owner, 'like');
    const post = await postPhotos(world, owner, 'Morning at the harbour');
    await delivered();
    assert.equal((await like(fan, post.id)).status, 200);
    await delivered();
    const received = push.on(sub.path);
    assert.equal(received.length, 1);
    const [request] = received;
    assert.equal(request.headers['content-encoding'], 'aes128gcm');
    assert.equal(request.headers.ttl, String(48 * 3600));
    const claims = verifyVapid(request.headers.authorization, await vapidKey(), sub.browser.endpoint);
    assert.equal(claims.sub, world.config.pushSubject);
    const [payload] = payloads(sub);
    const [notificationId] = await notificationIds(owner);
    assert.deepEqual(Object.keys(payload).sort(), ['access_token', 'body', 'icon', 'notification_id', 'notification_type', 'preferred_locale', 'title']);
    assert.equal(String(payload.notification_id), notificationId);
    assert.equal(payload.notification_type, 'favourite');
    assert.equal(payload.title, 'push_like_fan favourited your post');
    assert.equal(payload.body, 'Morning at the harbour');
    assert.equal(payload.access_token, owner.token);
    assert.equal(payload.preferred_locale, 'en');
    assert.equal(payload.icon, `${world.config.publicUrl}/static/avatar-missing.png`);
  });

  test('only the alerts asked for are pushed: a follow with follow on, a like with favourite off is not', async () => {
    const me = await world.addActor('push_alerts');
    const fan = await world.addActor('push_alerts_fan');
    const sub = await subscribe(me, 'alerts', { alerts: { follow: true, favourite: false } });
    const post = await postPhotos(world, me, 'alerts');
    assert.equal((await follow(fan, me)).status, 200);
    assert.equal((await like(fan, post.id)).status, 200);
    await delivered();
    assert.deepEqual(payloads(sub).map((p) => [p.notification_type, p.title]), [['follow', 'push_alerts_fan is now following you']]);
    assert.equal((await world.get(me, '/api/v1/notifications')).body.length, 2);
  });

  test('a comment on one\'s post is pushed as a mention, under the mention alert', async () => {
    const me = await world.addActor('push_comment');
    const fan = await world.addActor('push_comment_fan');
    const post = await postPhotos(world, me, 'comment here');
    const sub = await subscribe(me, 'comment', { alerts: { mention: true } });
    const comment = await world.post(fan, '/api/v1/statuses', { status: 'Lovely light', in_reply_to_id: post.id });
    assert.equal(comment.status, 200, JSON.stringify(comment.body));
    await delivered();
    assert.deepEqual(payloads(sub).map((p) => [p.notification_type, p.title, p.body]), [['mention', 'You were mentioned by push_comment_fan', 'Lovely light']]);
  });

  test('Glimpse-only notifications (story replies and reactions) are not pushed, whatever the alerts', async () => {
    const me = await world.addActor('push_story');
    const fan = await world.addActor('push_story_fan');
    await follow(fan, me);
    const media_id = await uploadPhoto(world, me);
    const story = await world.post(me, '/api/glimpse/v1/stories', { media_id, overlays: [] });
    assert.equal(story.status, 200, JSON.stringify(story.body));
    await delivered();
    const sub = await subscribe(me, 'story', { alerts: ALL_ALERTS });
    assert.equal((await world.post(fan, `/api/glimpse/v1/stories/${story.body.id}/replies`, { text: 'Beautiful' })).status, 200);
    assert.equal((await world.post(fan, `/api/glimpse/v1/stories/${story.body.id}/reactions`, { emoji: '😍' })).status, 200);
    await delivered();
    const stored = (await world.get(me, '/api/glimpse/v1/notifications')).body.map((n: { type: string }) => n.type);
    assert.deepEqual(stored.filter((t: string) => t.startsWith('story_')).sort(), ['story_reaction', 'story_reply']);
    assert.deepEqual(push.on(sub.path), []);
  });

  test('policy followed: only from accounts the recipient follows', async () => {
    const me = await world.addActor('push_followed');
    const friend = await world.addActor('push_followed_friend');
    const stranger = await world.addActor('push_followed_stranger');
    assert.equal((await follow(me, friend)).status, 200);
    const post = await postPhotos(world, me, 'followed');
    const sub = await subscribe(me, 'followed', { alerts: { favourite: true }, policy: 'followed' });
    await like(stranger, post.id);
    await like(friend, post.id);
    await delivered();
    assert.deepEqual(payloads(sub).map((p) => p.title), ['push_followed_friend favourited your post']);
  });

  test('policy follower: only from the recipient\'s followers', async () => {
    const me = await world.addActor('push_follower');
    const fan = await world.addActor('push_follower_fan');
    const stranger = await world.addActor('push_follower_stranger');
    assert.equal((await follow(fan, me)).status, 200);
    const post = await postPhotos(world, me, 'follower');
    const sub = await subscribe(me, 'follower', { alerts: { favourite: true }, policy: 'follower' });
    await like(stranger, post.id);
    await like(fan, post.id);
    await delivered();
    assert.deepEqual(payloads(sub).map((p) => p.title), ['push_follower_fan favourited your post']);
  });

  test('policy none: nothing is pushed', async () => {
    const me = await world.addActor('push_none');
    const fan = await world.addActor('push_none_fan');
    const sub = await subscribe(me, 'none', { alerts: ALL_ALERTS, policy: 'none' });
    await follow(fan, me);
    await delivered();
    assert.equal((await notificationIds(me)).length, 1);
    assert.deepEqual(push.on(sub.path), []);
  });

  test('one push per matching subscription: each token of the recipient gets its own', async () => {
    const me = await world.addActor('push_two');
    const second = await tokenWithScopes(world, me, ['read', 'push']);
    const fan = await world.addActor('push_two_fan');
    const a = await subscribe(me, 'two-a');
    const b = await subscribe(second, 'two-b');
    const off = await subscribe(await tokenWithScopes(world, me, ['push']), 'two-off', { alerts: { mention: true } });
    await follow(fan, me);
    await delivered();
    assert.deepEqual(payloads(a).map((p) => [p.notification_type, p.access_token]), [['follow', me.token]]);
    assert.deepEqual(payloads(b).map((p) => [p.notification_type, p.access_token]), [['follow', second.token]]);
    assert.deepEqual(push.on(off.path), []);
  });

  test('a filtered notification (a notification request) is not pushed', async () => {
    const me = await world.addActor('push_filtered');
    const stranger = await world.addActor('push_filtered_stranger');
    assert.equal((await world.request(me, 'PUT', '/api/v2/notifications/policy', { for_not_following: 'filter' })).status, 200);
    const sub = await subscribe(me, 'filtered');
    await follow(stranger, me);
    await delivered();
    const requests = await world.get(me, '/api/v1/notifications/requests');
    assert.equal(requests.body.length, 1);
    assert.deepEqual(push.on(sub.path), []);
  });

  test('410 Gone from the push service deletes the subscription', async () => {
    const me = await world.addActor('push_gone');
    const fan = await world.addActor('push_gone_fan');
    const sub = await subscribe(me, 'gone');
    push.answer(sub.path, 410);
    await follow(fan, me);
    await delivered();
    assert.equal(push.on(sub.path).length, 1);
    assert.equal((await world.get(me, '/api/v1/push/subscription')).status, 404);
  });

  test('a 500 from the push service is reported with its error and the subscription kept', async () => {
    const me = await world.addActor('push_500');
    const fan = await world.addActor('push_500_fan');
    const sub = await subscribe(me, 'error-500');
    push.answer(sub.path, 500);
    const reported: Array<[string, Error]> = [];
    const previous = world.app.services.push.onError;
    world.app.services.push.onError = (message, error) => reported.push([message, error]);
    try {
      await follow(fan, me);
      await delivered();
    } finally {
      world.app.services.push.onError = previous;
    }
    assert.equal(push.on(sub.path).length, 1);
    assert.equal(reported.length, 1);
    assert.match(reported[0][1].message, /push service answered 500/);
    assert.equal((await world.get(me, '/api/v1/push/subscription')).status, 200);
  });

  test('an endpoint named by host is resolved when sending and reached on the address that passed the rule', async () => {
    const me = await world.addActor('push_by_name');
    const fan = await world.addActor('push_by_name_fan');
    const path = '/push/by-name';
    const browser = browserSubscription(`${push.url.replace('127.0.0.1', 'localhost')}${path}`);
    const res = await world.post(me, '/api/v1/push/subscription', { subscription: { endpoint: browser.endpoint, keys: browser.keys, standard: true }, data: { alerts: { follow: true } } });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    await follow(fan, me);
    await delivered();
    assert.deepEqual(payloads({ browser, path }).map((p) => p.notification_type), ['follow']);
  });

  test('standard=false is the legacy aesgcm encoding (Mastodon before 4.4)', async () => {
    const me = await world.addActor('push_legacy');
    const fan = await world.addActor('push_legacy_fan');
    const sub = await subscribe(me, 'legacy', { alerts: { follow: true } }, false);
    assert.equal(sub.body.standard, false);
    await follow(fan, me);
    await delivered();
    const [request] = push.on(sub.path);
    assert.equal(request.headers['content-encoding'], 'aesgcm');
    assert.match(String(request.headers.encryption), /^salt=/);
    assert.match(String(request.headers['crypto-key']), /dh=.*p256ecdsa=/);
    assert.match(String(request.headers.authorization), /^WebPush /);
  });
});

describe('revocation', () => {
  test('revoking the token through /oauth/revoke removes its subscription', async () => {
    const me = await world.addActor('revoke_me');
    const app = await createOAuthApp(world);
    const issued = await world.app.services.auth.issue({ appId: app.id, accountId: me.id, scopes: ['read', 'push'], withRefresh: false });
    const token: Actor = { ...me, token: issued.access_token };
    await subscribe(token, 'revoke');
    const res = await world.post(undefined, '/oauth/revoke', { client_id: app.client_id, client_secret: app.client_secret, token: issued.access_token });
    assert.equal(res.status, 200);
    const rows = await world.app.services.database.kysely.selectFrom('push_subscriptions').select('id').where('account_id', '=', me.id).execute();
    assert.deepEqual(rows, []);
  });

  test('logging out of the web removes the session\'s subscription; its pushes never carry the HttpOnly session token', async () => {
    const me = await world.addActor('revoke_logout');
    const fan = await world.addActor('revoke_logout_fan');
    const login = await world.post(undefined, '/api/glimpse/v1/session', { login: 'revoke_logout', password: 'revoke_logout-password' });
    assert.equal(login.status, 200, JSON.stringify(login.body));
    const web = { cookie: `glimpse_session=${setCookie(login, 'glimpse_session')!.value}`, 'x-csrf-token': login.body.csrf_token as string };
    const path = '/push/logout';
    const browser = browserSubscription(`${push.url}${path}`);
    const res = await world.request(undefined, 'POST', '/api/v1/push/subscription', { subscription: { endpoint: browser.endpoint, keys: browser.keys, standard: true }, data: { alerts: { follow: true } } }, web);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    await follow(fan, me);
    await delivered();
    assert.deepEqual(payloads({ browser, path }).map((p) => [p.notification_type, p.access_token]), [['follow', '']]);
    assert.equal((await world.request(undefined, 'DELETE', '/api/glimpse/v1/session', undefined, web)).status, 200);
    const rows = await world.app.services.database.kysely.selectFrom('push_subscriptions').select('id').where('account_id', '=', me.id).execute();
    assert.deepEqual(rows, []);
  });

  test('changing the password (every other token revoked) removes those tokens\' subscriptions and keeps the current one', async () => {
    const me = await world.addActor('revoke_password');
    const other = await tokenWithScopes(world, me, ['push']);
    const kept = await subscribe(me, 'revoke-keep');
    await subscribe(other, 'revoke-drop');
    const tokenId = (await world.app.services.auth.authenticate(me.token, 'oauth')).tokenId;
    await world.app.services.auth.changePassword({ accountId: me.id, role: 'user' }, 'revoke_password-password', 'a-new-password-123', tokenId);
    const rows = await world.app.services.database.kysely.selectFrom('push_subscriptions').select('id').where('account_id', '=', me.id).execute();
    assert.deepEqual(rows.map((r) => r.id), [kept.body.id]);
  });
});

describe('the push outbox', () => {
  let quiet: World;
  before(async () => {
    quiet = await createWorld({ accounts: ['mara', 'ines'], config: { pushAllowLoopback: true } });
    // Nothing is worked here, so every job the likes queue stays in the table to be seen.
    await quiet.app.services.jobs.stop();
  });
  after(() => quiet.close());

  const pushJobs = () => quiet.db.handle.kysely.selectFrom('jobs').select(['name', 'payload']).where('name', '=', 'push.deliver').execute();

  test('a notification to an account without a subscription queues no push job; with one, exactly one', async () => {
    const post = await postPhotos(quiet, 'mara', 'nobody listens yet');
    assert.equal((await quiet.post('ines', `/api/v1/statuses/${post.id}/favourite`)).status, 200);
    assert.equal((await quiet.get('mara', '/api/v1/notifications')).body.length, 1, 'the notification itself is stored');
    assert.deepEqual(await pushJobs(), []);

    const browser = browserSubscription(`${push.url}/push/outbox`);
    const subscribed = await quiet.post('mara', '/api/v1/push/subscription', { subscription: { endpoint: browser.endpoint, keys: browser.keys }, data: { alerts: ALL_ALERTS } });
    assert.equal(subscribed.status, 200, JSON.stringify(subscribed.body));
    const second = await postPhotos(quiet, 'mara', 'now someone listens');
    assert.equal((await quiet.post('ines', `/api/v1/statuses/${second.id}/favourite`)).status, 200);
    const queued = await pushJobs();
    assert.equal(queued.length, 1);
    assert.equal(JSON.parse(queued[0].payload).recipientId, quiet.actors.mara.id);
  });
});
