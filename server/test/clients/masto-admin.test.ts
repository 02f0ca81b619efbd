import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRestAPIClient, MastoHttpError, type mastodon } from 'masto';
import { startHttpServer, type RunningServer } from '../support/http-server.ts';

/**
 * The admin API through masto 8.0.0 over real HTTP: accounts (v1 and v2 lists, one account,
 * actions), reports, IP blocks and e-mail domain blocks, and Mastodon's registration details.
 * masto 8.0.0 has no typed v2 admin resource; its proxy builds the same path from the names.
 */
describe('masto 8.0.0: the admin API', () => {
  let server: RunningServer;
  const rest: Record<string, mastodon.rest.Client> = {};
  const ids: Record<string, string> = {};
  const isStatus = (code: number) => (e: unknown) => e instanceof MastoHttpError && e.statusCode === code;

  before(async () => {
    server = await startHttpServer();
    // mara registers first and is the admin; ines becomes a moderator.
    for (const username of ['mara', 'ines', 'sam', 'pending_pia']) {
      const account = await server.app.services.accounts.register({ username, email: `${username}@example.com`, password: `${username}-password`, agreement: true });
      ids[username] = account.id;
      const scopes = ['read', 'write', 'admin:read', 'admin:write'];
      rest[username] = createRestAPIClient({ url: server.url, accessToken: (await server.app.services.auth.issue({ appId: null, accountId: account.id, scopes, withRefresh: false })).access_token });
    }
    await server.app.services.repositories.accounts.updateUser(ids.ines, { role: 'moderator' });
    await server.app.services.repositories.accounts.updateUser(ids.pending_pia, { approved: 0 });
  });
  after(async () => {
    await server?.close();
  });

  test('v1.admin.accounts: list with filters, fetch, approve, action and unsuspend', async () => {
    const pending = await rest.ines.v1.admin.accounts.list({ pending: true });
    assert.deepEqual(pending.map((a) => a.username), ['pending_pia']);
    const staff = await rest.ines.v1.admin.accounts.list({ staff: true });
    assert.deepEqual(staff.map((a) => a.username).sort(), ['ines', 'mara']);
    const sam = await rest.ines.v1.admin.accounts.$select(ids.sam).fetch();
    assert.deepEqual([sam.username, sam.email, sam.approved, sam.suspended, sam.account.acct], ['sam', 'sam@example.com', true, false, 'sam']);
    const approved = await rest.ines.v1.admin.accounts.$select(ids.pending_pia).approve();
    assert.equal(approved.approved, true);
    await rest.ines.v1.admin.accounts.$select(ids.sam).action.create({ type: 'suspend', text: 'spam' });
    assert.equal((await rest.ines.v1.admin.accounts.$select(ids.sam).fetch()).suspended, true);
    await assert.rejects(rest.ines.v1.accounts.$select(ids.sam).fetch(), isStatus(404));
    assert.equal((await rest.ines.v1.admin.accounts.$select(ids.sam).unsuspend()).suspended, false);
    await assert.rejects(rest.ines.v1.admin.accounts.$select(ids.sam).action.create({ type: 'silence' }), isStatus(422));
    await assert.rejects(async () => rest.pending_pia.v1.admin.accounts.list(), isStatus(403));
  });

  test('v2.admin.accounts.list: status and permissions', async () => {
    const v2 = (rest.ines.v2 as unknown as { admin: { accounts: { list(params: Record<string, unknown>): Promise<mastodon.v1.admin.Account[]> } } }).admin;
    assert.deepEqual((await v2.accounts.list({ permissions: 'staff' })).map((a) => a.username).sort(), ['ines', 'mara']);
    assert.ok((await v2.accounts.list({ status: 'active' })).some((a) => a.username === 'sam'));
    assert.deepEqual(await v2.accounts.list({ origin: 'remote' }), []);
  });

  test('v1.admin.reports: list, fetch, assign to self, resolve and reopen', async () => {
    const report = await rest.mara.v1.reports.create({ accountId: ids.sam, comment: 'masto report', category: 'spam' });
    const open = await rest.ines.v1.admin.reports.list();
    assert.ok(open.some((r) => r.id === report.id));
    const fetched = await rest.ines.v1.admin.reports.$select(report.id).fetch();
    assert.deepEqual([fetched.comment, fetched.targetAccount.username, fetched.account.username], ['masto report', 'sam', 'mara']);
    assert.equal((await rest.ines.v1.admin.reports.$select(report.id).assignToSelf()).assignedAccount?.id, ids.ines);
    assert.equal((await rest.ines.v1.admin.reports.$select(report.id).unassign()).assignedAccount, null);
    assert.equal((await rest.ines.v1.admin.reports.$select(report.id).resolve()).actionTaken, true);
    assert.ok((await rest.ines.v1.admin.reports.list({ resolved: true })).some((r) => r.id === report.id));
    assert.equal((await rest.ines.v1.admin.reports.$select(report.id).reopen()).actionTaken, false);
  });

  test('v1.admin.ipBlocks: create, fetch, update, list and remove; a moderator is refused', async () => {
    const created = await rest.mara.v1.admin.ipBlocks.create({ ip: '203.0.113.5/24', severity: 'sign_up_block', comment: 'masto', expiresIn: 86_400 });
    assert.deepEqual([created.ip, created.severity, created.comment], ['203.0.113.0/24', 'sign_up_block', 'masto']);
    assert.ok(created.expiresAt);
    assert.equal((await rest.mara.v1.admin.ipBlocks.$select(created.id).fetch()).ip, '203.0.113.0/24');
    const updated = await rest.mara.v1.admin.ipBlocks.$select(created.id).update({ severity: 'sign_up_requires_approval' });
    assert.equal(updated.severity, 'sign_up_requires_approval');
    assert.deepEqual((await rest.mara.v1.admin.ipBlocks.list()).map((b) => b.id), [created.id]);
    await assert.rejects(async () => rest.ines.v1.admin.ipBlocks.list(), isStatus(403));
    await rest.mara.v1.admin.ipBlocks.$select(created.id).remove();
    await assert.rejects(rest.mara.v1.admin.ipBlocks.$select(created.id).fetch(), isStatus(404));
  });

  test('v1.admin.emailDomainBlocks: create, list, fetch and remove; a blocked domain refuses a sign-up with ERR_BLOCKED', async () => {
    const block = await rest.mara.v1.admin.emailDomainBlocks.create({ domain: 'blocked.example' });
    assert.equal(block.domain, 'blocked.example');
    assert.equal(block.history.length, 7);
    assert.deepEqual((await rest.mara.v1.admin.emailDomainBlocks.list()).map((b) => b.domain), ['blocked.example']);
    assert.equal((await rest.mara.v1.admin.emailDomainBlocks.$select(block.id).fetch()).id, block.id);

    const app = await createRestAPIClient({ url: server.url }).v1.apps.create({ clientName: 'masto admin test', redirectUris: 'urn:ietf:wg:oauth:2.0:oob', scopes: 'read write' });
    const tokenRes = await fetch(`${server.url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: 'client_credentials', client_id: app.clientId, client_secret: app.clientSecret, scope: 'read write' }),
    });
    const appClient = createRestAPIClient({ url: server.url, accessToken: ((await tokenRes.json()) as { access_token: string }).access_token });
    const refused = await appClient.v1.accounts.create({ username: 'blocked_user', email: 'me@mail.blocked.example', password: 'long-enough-password', agreement: true, locale: 'en' }).catch((e: unknown) => e);
    assert.ok(refused instanceof MastoHttpError);
    assert.equal(refused.statusCode, 422);
    assert.deepEqual(refused.details?.email?.map((d) => d.error), ['ERR_BLOCKED']);
    const taken = await appClient.v1.accounts.create({ username: 'Mara', email: 'other@example.com', password: 'long-enough-password', agreement: true, locale: 'en' }).catch((e: unknown) => e);
    assert.ok(taken instanceof MastoHttpError);
    assert.deepEqual(taken.details?.username?.map((d) => d.error), ['ERR_TAKEN']);

    await rest.mara.v1.admin.emailDomainBlocks.$select(block.id).remove();
    await assert.rejects(rest.mara.v1.admin.emailDomainBlocks.$select(block.id).fetch(), isStatus(404));
  });
});
