import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createOAuthAPIClient, createRestAPIClient, MastoHttpError, type mastodon } from 'masto';
import { startHttpServer, type RunningServer } from '../support/http-server.ts';

/**
 * Glimpse driven by masto 8.0.0, the Mastodon client library apps are built on, over real
 * HTTP: masto picks the verbs, paths, encodings (multipart for sign-up and profile updates,
 * JSON elsewhere) and parses the answers with its own camel-casing. Each step builds on the
 * one before, as an app would.
 */
const OOB = 'urn:ietf:wg:oauth:2.0:oob';
const SCOPES = 'read write follow';

describe('masto 8.0.0 against a running Glimpse server', () => {
  let server: RunningServer;
  let app: mastodon.v1.Client;
  let appToken: string;
  const users: Record<'lena' | 'otto', { client: mastodon.rest.Client; token: string; id: string }> = {} as never;

  before(async () => {
    server = await startHttpServer();
  });
  after(async () => {
    await server?.close();
  });

  test('an app registered with v1.apps.create gets a client id and secret and keeps its scopes', async () => {
    const anonymous = createRestAPIClient({ url: server.url });
    app = await anonymous.v1.apps.create({ clientName: 'masto test', redirectUris: OOB, scopes: SCOPES, website: 'https://example.com' });
    assert.equal(app.name, 'masto test');
    assert.ok(app.clientId, 'client id present');
    assert.ok(app.clientSecret, 'client secret present');
    assert.deepEqual(app.scopes, SCOPES.split(' '));
    assert.deepEqual(app.redirectUris, [OOB]);
  });

  test('the client_credentials grant through masto\'s OAuth client gives an app token that verifies as the app', async () => {
    const oauth = createOAuthAPIClient({ url: server.url });
    const token = await oauth.token.create({
      grantType: 'client_credentials',
      clientId: app.clientId!,
      clientSecret: app.clientSecret!,
      redirectUri: OOB,
      scope: SCOPES,
    });
    assert.equal(token.tokenType.toLowerCase(), 'bearer');
    assert.ok(token.accessToken);
    assert.equal(typeof token.createdAt, 'number');
    appToken = token.accessToken;

    const asApp = createRestAPIClient({ url: server.url, accessToken: appToken });
    const verified = await asApp.v1.apps.verifyCredentials();
    assert.equal(verified.name, 'masto test');
  });

  test('an app token cannot act as a user: verify_credentials answers 422 as a MastoHttpError', async () => {
    const asApp = createRestAPIClient({ url: server.url, accessToken: appToken });
    await assert.rejects(asApp.v1.accounts.verifyCredentials(), (error: unknown) => {
      assert.ok(error instanceof MastoHttpError, `got ${String(error)}`);
      assert.equal(error.statusCode, 422);
      return true;
    });
  });

  test('v1.accounts.create (multipart) registers an account and returns a user token that verifies as it', async () => {
    const asApp = createRestAPIClient({ url: server.url, accessToken: appToken });
    for (const username of ['lena', 'otto'] as const) {
      const token = await asApp.v1.accounts.create({
        username,
        email: `${username}@example.com`,
        password: `${username}-correct-horse`,
        agreement: true,
        locale: 'en',
      });
      assert.ok(token.accessToken);
      const client = createRestAPIClient({ url: server.url, accessToken: token.accessToken });
      const me = await client.v1.accounts.verifyCredentials();
      assert.equal(me.username, username);
      assert.equal(me.acct, username);
      assert.equal(me.locked, false);
      assert.equal(me.followersCount, 0);
      assert.equal(typeof me.source?.note, 'string');
      users[username] = { client, token: token.accessToken, id: me.id };
    }
    assert.notEqual(users.lena.id, users.otto.id);
  });

  test('an authorization code from the consent form is exchanged by masto\'s OAuth client for a user token, and masto\'s revoke ends it', async () => {
    // The consent form is HTML for a person; fetching it and posting it back stands in for them.
    const request = { client_id: app.clientId!, redirect_uri: OOB, response_type: 'code', scope: SCOPES };
    const consent = await fetch(`${server.url}/oauth/authorize?${new URLSearchParams(request)}`);
    const csrf = /name="csrf_token" value="([^"]+)"/.exec(await consent.text())?.[1];
    const cookie = consent.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    assert.ok(csrf && cookie, 'the log-in form carries its token and cookie');
    const form = new URLSearchParams({ ...request, decision: 'approve', login: 'lena@example.com', password: 'lena-correct-horse', csrf_token: csrf });
    const page = await fetch(`${server.url}/oauth/authorize`, { method: 'POST', body: form, headers: { cookie } });
    assert.equal(page.status, 200);
    const code = /<pre class="code">([^<]+)<\/pre>/.exec(await page.text())?.[1];
    assert.ok(code, 'the out-of-band page shows the code');

    const oauth = createOAuthAPIClient({ url: server.url });
    const token = await oauth.token.create({ grantType: 'authorization_code', clientId: app.clientId!, clientSecret: app.clientSecret!, redirectUri: OOB, code, scope: SCOPES });
    assert.equal(token.scope, SCOPES);
    const client = createRestAPIClient({ url: server.url, accessToken: token.accessToken });
    assert.equal((await client.v1.accounts.verifyCredentials()).id, users.lena.id);

    await assert.rejects(
      oauth.token.create({ grantType: 'authorization_code', clientId: app.clientId!, clientSecret: app.clientSecret!, redirectUri: OOB, code, scope: SCOPES }),
      (error: unknown) => error instanceof MastoHttpError && error.statusCode === 400,
      'a code works once',
    );

    await oauth.revoke({ clientId: app.clientId!, clientSecret: app.clientSecret!, token: token.accessToken });
    await assert.rejects(client.v1.accounts.verifyCredentials(), (error: unknown) => error instanceof MastoHttpError && error.statusCode === 401);
    // The token from sign-up is untouched.
    assert.equal((await users.lena.client.v1.accounts.verifyCredentials()).id, users.lena.id);
  });

  test('a taken username is refused with 422 and masto exposes the ERR_TAKEN detail', async () => {
    const asApp = createRestAPIClient({ url: server.url, accessToken: appToken });
    await assert.rejects(
      asApp.v1.accounts.create({ username: 'lena', email: 'other@example.com', password: 'long-enough-pw', agreement: true, locale: 'en' }),
      (error: unknown) => {
        assert.ok(error instanceof MastoHttpError, `got ${String(error)}`);
        assert.equal(error.statusCode, 422);
        assert.equal(error.details?.username?.[0]?.error, 'ERR_TAKEN');
        return true;
      },
    );
  });

  test('update_credentials (PATCH, multipart) makes an account locked and sets its profile', async () => {
    const me = await users.lena.client.v1.accounts.updateCredentials({ locked: true, displayName: 'Lena L.', note: 'Photos of the sea' });
    assert.equal(me.locked, true);
    assert.equal(me.displayName, 'Lena L.');
    assert.equal(me.source?.note, 'Photos of the sea');
    const seenByOtto = await users.otto.client.v1.accounts.$select(users.lena.id).fetch();
    assert.equal(seenByOtto.locked, true);
    assert.equal(seenByOtto.username, 'lena');
    const lookedUp = await users.otto.client.v1.accounts.lookup({ acct: 'lena' });
    assert.equal(lookedUp.id, users.lena.id);
  });

  test('following a locked account leaves the relationship requested, not following', async () => {
    const relationship = await users.otto.client.v1.accounts.$select(users.lena.id).follow();
    assert.equal(relationship.id, users.lena.id);
    assert.equal(relationship.following, false);
    assert.equal(relationship.requested, true);
    const [fetched] = await users.otto.client.v1.accounts.relationships.fetch({ id: [users.lena.id] });
    assert.equal(fetched.requested, true);
    assert.equal(fetched.following, false);
    const [fromLena] = await users.lena.client.v1.accounts.relationships.fetch({ id: [users.otto.id] });
    assert.equal(fromLena.requestedBy, true);
    assert.equal(fromLena.followedBy, false);
  });

  test('the locked account is notified of the request with a follow_request notification', async () => {
    const notifications = await users.lena.client.v1.notifications.list();
    assert.deepEqual(notifications.map((n) => n.type), ['follow_request']);
    assert.equal(notifications[0].account.id, users.otto.id);
  });

  test('the request is listed in follow_requests and authorize turns it into a follow', async () => {
    const requests = await users.lena.client.v1.followRequests.list();
    assert.deepEqual(requests.map((a) => a.username), ['otto']);
    const me = await users.lena.client.v1.accounts.verifyCredentials();
    assert.equal(me.source?.followRequestsCount, 1);

    const relationship = await users.lena.client.v1.followRequests.$select(users.otto.id).authorize();
    assert.equal(relationship.id, users.otto.id);
    assert.equal(relationship.followedBy, true);
    assert.equal(relationship.requestedBy, false);
    assert.deepEqual(await users.lena.client.v1.followRequests.list(), []);
  });

  test('after authorization both sides see the follow in relationships and counts', async () => {
    const [fromOtto] = await users.otto.client.v1.accounts.relationships.fetch({ id: [users.lena.id] });
    assert.equal(fromOtto.following, true);
    assert.equal(fromOtto.requested, false);
    const [fromLena] = await users.lena.client.v1.accounts.relationships.fetch({ id: [users.otto.id] });
    assert.equal(fromLena.followedBy, true);
    assert.equal(fromLena.following, false);

    const followers = await users.otto.client.v1.accounts.$select(users.lena.id).followers.list();
    assert.deepEqual(followers.map((a) => a.username), ['otto']);
    const following = await users.otto.client.v1.accounts.$select(users.otto.id).following.list();
    assert.deepEqual(following.map((a) => a.username), ['lena']);
    const lena = await users.otto.client.v1.accounts.$select(users.lena.id).fetch();
    assert.equal(lena.followersCount, 1);
  });

  test('the follow_request notification is replaced by a follow notification from the new follower', async () => {
    const notifications = await users.lena.client.v1.notifications.list();
    assert.deepEqual(notifications.map((n) => n.type), ['follow']);
    assert.equal(notifications[0].account.id, users.otto.id);
    const onlyFollows = await users.lena.client.v1.notifications.list({ types: ['follow'] });
    assert.deepEqual(onlyFollows.map((n) => n.id), [notifications[0].id]);
    const onlyRequests = await users.lena.client.v1.notifications.list({ types: ['follow_request'] });
    assert.deepEqual(onlyRequests, []);
    assert.deepEqual(await users.otto.client.v1.notifications.list(), []);
  });

  test('unfollow through masto ends the follow', async () => {
    const relationship = await users.otto.client.v1.accounts.$select(users.lena.id).unfollow();
    assert.equal(relationship.following, false);
    assert.equal(relationship.requested, false);
  });

  test('a blocked account no longer sees its blocker\'s profile (404) until the block is lifted', async () => {
    const relationship = await users.lena.client.v1.accounts.$select(users.otto.id).block();
    assert.equal(relationship.blocking, true);
    assert.deepEqual((await users.lena.client.v1.blocks.list()).map((a) => a.username), ['otto']);
    await assert.rejects(users.otto.client.v1.accounts.$select(users.lena.id).fetch(), (error: unknown) => {
      assert.ok(error instanceof MastoHttpError, `got ${String(error)}`);
      assert.equal(error.statusCode, 404);
      return true;
    });
    const unblocked = await users.lena.client.v1.accounts.$select(users.otto.id).unblock();
    assert.equal(unblocked.blocking, false);
    assert.equal((await users.otto.client.v1.accounts.$select(users.lena.id).fetch()).username, 'lena');
  });

  test('mute and unmute through masto show in the relationship and the mutes list', async () => {
    const muted = await users.otto.client.v1.accounts.$select(users.lena.id).mute({ notifications: false });
    assert.equal(muted.muting, true);
    assert.equal(muted.mutingNotifications, false);
    assert.deepEqual((await users.otto.client.v1.mutes.list()).map((a) => a.username), ['lena']);
    const unmuted = await users.otto.client.v1.accounts.$select(users.lena.id).unmute();
    assert.equal(unmuted.muting, false);
    assert.deepEqual(await users.otto.client.v1.mutes.list(), []);
  });
});
