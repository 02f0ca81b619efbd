import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createWorld, type Actor, type World } from '../support/world.ts';
import { createOAuthApp, setCookie, tokenWithScopes } from '../support/http.ts';
import { listen, openStream, subscriptionsSettled, twoApps, type TwoApps } from '../support/two-apps.ts';
import WebSocket from 'ws';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { adminCommand } from '../support/admin-command.ts';
import { TEST_DB } from '../support/test-database.ts';
import { TEST_REDIS_URL, deleteRedisPrefix, uniqueRedisPrefix } from '../support/test-redis.ts';

/**
 * A revoked token, a suspension or a disabled log-in closes the account's open streams at once:
 * the revocation is pushed (the `session:<account>` channel), not found by polling. Each "stays
 * open" is shown by an event delivered after the revocation: a connection's events go out in
 * order, so one that was going to close has closed before it.
 */
const ADMIN = ['read', 'write', 'admin:read', 'admin:write'];

/** A follow notification for `who` made now (unfollow, follow again), and the frame it gives. */
async function followNotice(world: World, from: Actor, to: Actor) {
  await world.post(from, `/api/v1/accounts/${to.id}/unfollow`);
  assert.equal((await world.post(from, `/api/v1/accounts/${to.id}/follow`)).status, 200);
  return (f: { event?: string; payload?: string }) => f.event === 'notification' && JSON.parse(f.payload!).account.username === from.username;
}

describe('in one process', () => {
  let world: World;
  let port: number;
  let admin: Actor;
  before(async () => {
    world = await createWorld({ accounts: ['mara', 'ines', 'sam', 'nora', 'rex'] });
    port = await listen(world.app);
    await world.app.services.repositories.accounts.updateUser(world.actors.mara.id, { role: 'admin' });
    admin = await tokenWithScopes(world, world.actors.mara, ADMIN);
  });
  after(() => world.close());

  test('revoking a token through /oauth/revoke closes its open stream at once; the account\'s other token and another account\'s stream stay open', async () => {
    const app = await createOAuthApp(world, { scopes: 'read write follow' });
    const issued = await world.app.services.auth.issue({ appId: app.id, accountId: world.actors.ines.id, scopes: ['read'], withRefresh: false });
    const revoked = await openStream(port, issued.access_token);
    const other = await openStream(port, world.actors.ines.token);
    const sam = await openStream(port, world.actors.sam.token);
    assert.equal((await world.post(undefined, '/oauth/revoke', { client_id: app.client_id, client_secret: app.client_secret, token: issued.access_token })).status, 200);
    assert.equal(await revoked.closed(), 4001);
    await other.frame(await followNotice(world, world.actors.rex, world.actors.ines), 'an event after the revocation, on the other token');
    await sam.frame(await followNotice(world, world.actors.rex, world.actors.sam), 'an event after the revocation, on another account');
    assert.ok(other.isOpen && sam.isOpen);
    other.close();
    sam.close();
  });

  test('a rotated refresh token presented again revokes its whole family: the newest token\'s open stream closes at once', async () => {
    const app = await createOAuthApp(world, { scopes: 'read' });
    const first = await world.app.services.auth.issue({ appId: app.id, accountId: world.actors.ines.id, scopes: ['read'], withRefresh: true, authorizationCodeHash: 'a-grant-of-this-test' });
    const refresh = (token: string) => world.post(undefined, '/oauth/token', { grant_type: 'refresh_token', refresh_token: token, client_id: app.client_id, client_secret: app.client_secret });
    const onFirst = await openStream(port, first.access_token);
    const rotated = await refresh(first.refresh_token!);
    assert.equal(rotated.status, 200);
    assert.equal(await onFirst.closed(), 4001, 'the rotated-out token\'s stream closes');
    const onNewest = await openStream(port, rotated.body.access_token);
    assert.equal((await refresh(first.refresh_token!)).status, 400, 'the replay is refused');
    assert.equal(await onNewest.closed(), 4001);
  });

  test('logging out of the web client closes the stream opened with that session', async () => {
    const login = await world.post(undefined, '/api/glimpse/v1/session', { login: 'nora', password: 'nora-password' });
    assert.equal(login.status, 200);
    const cookie = `glimpse_session=${setCookie(login, 'glimpse_session')!.value}`;
    const socket = new WebSocket(`ws://127.0.0.1:${port}/api/v1/streaming?stream=user`, { headers: { cookie, origin: world.config.publicUrl } });
    const closed = new Promise<number>((resolve) => socket.once('close', resolve));
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    const csrf = login.body.csrf_token as string | undefined;
    const out = await world.request(undefined, 'DELETE', '/api/glimpse/v1/session', undefined, { cookie, ...(csrf ? { 'x-csrf-token': csrf } : {}), origin: world.config.publicUrl });
    assert.ok(out.status < 300, `log-out answered ${out.status} ${JSON.stringify(out.body)}`);
    assert.equal(await closed, 4001);
  });

  test('suspending an account closes its open streams at once; another account\'s stays open', async () => {
    const target = await world.addActor('troll');
    const second = await tokenWithScopes(world, target, ['read']);
    const streams = [await openStream(port, target.token), await openStream(port, second.token)];
    const sam = await openStream(port, world.actors.sam.token);
    assert.equal((await world.post(admin, `/api/v1/admin/accounts/${target.id}/action`, { type: 'suspend' })).status, 200);
    for (const s of streams) assert.equal(await s.closed(), 4001);
    await sam.frame(await followNotice(world, world.actors.rex, world.actors.sam), 'an event after the suspension');
    sam.close();
  });

  test('disabling an account\'s log-in closes its open streams at once', async () => {
    const target = await world.addActor('cooloff');
    const stream = await openStream(port, target.token);
    assert.equal((await world.post(admin, `/api/v1/admin/accounts/${target.id}/action`, { type: 'disable' })).status, 200);
    assert.equal(await stream.closed(), 4001);
  });

  test('changing the password closes the open streams of the account\'s other tokens', async () => {
    const login = await world.post(undefined, '/api/glimpse/v1/session', { login: 'sam', password: 'sam-password' });
    assert.equal(login.status, 200);
    const other = await openStream(port, world.actors.sam.token);
    const changed = await world.app.services.auth.authenticate(setCookie(login, 'glimpse_session')!.value, 'session');
    await world.app.services.auth.changePassword(changed.viewer!, 'sam-password', 'sam-password-2', changed.tokenId);
    assert.equal(await other.closed(), 4001);
  });
});

describe('across two apps on one Redis prefix', () => {
  let apps: TwoApps;
  before(async () => {
    apps = await twoApps('revocation', { accounts: ['mara', 'ines', 'sam', 'rex'] });
    await apps.world.app.services.repositories.accounts.updateUser(apps.world.actors.mara.id, { role: 'admin' });
  });
  after(() => apps.close());

  test('revoking a token through app A closes its stream held by app B; another account\'s stream on B stays open', async () => {
    const { world } = apps;
    const app = await createOAuthApp(world, { scopes: 'read' });
    const issued = await world.app.services.auth.issue({ appId: app.id, accountId: world.actors.ines.id, scopes: ['read'], withRefresh: false });
    const onB = await openStream(apps.portB, issued.access_token);
    const sam = await openStream(apps.portB, world.actors.sam.token);
    await subscriptionsSettled(apps.b);
    assert.equal((await world.post(undefined, '/oauth/revoke', { client_id: app.client_id, client_secret: app.client_secret, token: issued.access_token })).status, 200);
    assert.equal(await onB.closed(), 4001);
    await sam.frame(await followNotice(world, world.actors.rex, world.actors.sam), 'an event after the revocation, on B');
    sam.close();
  });

  test('suspending through app A closes the account\'s stream held by app B', async () => {
    const { world } = apps;
    const admin = await tokenWithScopes(world, world.actors.mara, ADMIN);
    const target = await world.addActor('spammer');
    const onB = await openStream(apps.portB, target.token);
    await subscriptionsSettled(apps.b);
    assert.equal((await world.post(admin, `/api/v1/admin/accounts/${target.id}/action`, { type: 'suspend' })).status, 200);
    assert.equal(await onB.closed(), 4001);
  });
});

describe('the admin command line, with Redis', () => {
  test('`admin suspend` in another process closes the account\'s open stream on the running app at once', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-revocation-'));
    const prefix = uniqueRedisPrefix('cli-suspend');
    const world = await createWorld({ accounts: ['mara', 'sam'], databaseFile: TEST_DB === 'sqlite' ? path.join(dir, 'glimpse.sqlite') : undefined, config: { redisUrl: TEST_REDIS_URL, redisPrefix: prefix } });
    const saved = { url: process.env.GLIMPSE_REDIS_URL, prefix: process.env.GLIMPSE_REDIS_PREFIX };
    try {
      const port = await listen(world.app);
      const stream = await openStream(port, world.actors.sam.token);
      await subscriptionsSettled(world.app);
      // The command line reads its settings from the environment, as in production.
      process.env.GLIMPSE_REDIS_URL = TEST_REDIS_URL;
      process.env.GLIMPSE_REDIS_PREFIX = prefix;
      const { code, out } = await adminCommand(world, dir, 'suspend', 'sam');
      assert.equal(code, 0, out);
      assert.equal(await stream.closed(), 4001);
    } finally {
      for (const [name, value] of [['GLIMPSE_REDIS_URL', saved.url], ['GLIMPSE_REDIS_PREFIX', saved.prefix]] as const) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
      await world.close();
      await deleteRedisPrefix(prefix);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
