import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createWorld, type Actor, type World } from '../support/world.ts';
import { linkTargets, tokenWithScopes } from '../support/http.ts';
import { postPhotos } from '../support/photos.ts';
import { isStaffRole } from '../../src/access/staff-policy.ts';

const ADMIN = ['read', 'write', 'admin:read', 'admin:write'];
const NOT_ALLOWED = { error: 'This action is not allowed' };

/** A log-in through the web client's session endpoint from a chosen address. */
async function logInFrom(world: World, login: string, password: string, remoteAddress: string) {
  return world.app.http.inject({ method: 'POST', url: '/api/glimpse/v1/session', remoteAddress, headers: { 'content-type': 'application/json' }, payload: { login, password } });
}

describe('admin API: who may call it', () => {
  let world: World;
  let admin: Actor;
  let moderator: Actor;
  let stranger: Actor;
  before(async () => {
    // mara registers first and is the admin; ines is made a moderator.
    world = await createWorld({ accounts: ['mara', 'ines', 'sam'] });
    await world.app.services.repositories.accounts.updateUser(world.actors.ines.id, { role: 'moderator' });
    admin = await tokenWithScopes(world, world.actors.mara, ADMIN);
    moderator = await tokenWithScopes(world, world.actors.ines, ADMIN);
    stranger = await tokenWithScopes(world, world.actors.sam, ADMIN);
  });
  after(() => world.close());

  const reads = ['/api/v1/admin/accounts', '/api/v2/admin/accounts', '/api/v1/admin/reports', '/api/v1/admin/ip_blocks', '/api/v1/admin/email_domain_blocks'];

  test('a caller who is not staff gets 403 "This action is not allowed" on every admin list, even with admin scopes', async () => {
    for (const url of [...reads, `/api/v1/admin/accounts/${world.actors.mara.id}`]) {
      const res = await world.get(stranger, url);
      assert.equal(res.status, 403, url);
      assert.deepEqual(res.body, NOT_ALLOWED, url);
    }
    const action = await world.post(stranger, `/api/v1/admin/accounts/${world.actors.ines.id}/action`, { type: 'suspend' });
    assert.deepEqual([action.status, action.body], [403, NOT_ALLOWED]);
    assert.equal((await world.get(admin, `/api/v1/admin/accounts/${world.actors.ines.id}`)).body.suspended, false);
  });

  test('a token without admin scopes gets 403 for the admin too', async () => {
    for (const url of reads) assert.equal((await world.get('mara', url)).status, 403, url);
  });

  test('moderators use accounts and reports; the IP and e-mail domain blocks are for admins only', async () => {
    assert.equal((await world.get(moderator, '/api/v1/admin/accounts')).status, 200);
    assert.equal((await world.get(moderator, '/api/v1/admin/reports')).status, 200);
    for (const url of ['/api/v1/admin/ip_blocks', '/api/v1/admin/email_domain_blocks']) {
      const res = await world.get(moderator, url);
      assert.deepEqual([res.status, res.body], [403, NOT_ALLOWED], url);
      assert.equal((await world.get(admin, url)).status, 200, url);
    }
    const create = await world.post(moderator, '/api/v1/admin/ip_blocks', { ip: '192.0.2.1', severity: 'no_access' });
    assert.deepEqual([create.status, create.body], [403, NOT_ALLOWED]);
    assert.deepEqual((await world.get(admin, '/api/v1/admin/ip_blocks')).body, []);
  });

  test('granular scopes: admin:read:accounts reads accounts, not reports, and writes nothing', async () => {
    const narrow = await tokenWithScopes(world, world.actors.mara, ['admin:read:accounts']);
    assert.equal((await world.get(narrow, '/api/v1/admin/accounts')).status, 200);
    assert.equal((await world.get(narrow, '/api/v1/admin/reports')).status, 403);
    assert.equal((await world.post(narrow, `/api/v1/admin/accounts/${world.actors.sam.id}/enable`)).status, 403);
  });
});

describe('admin API: accounts', () => {
  let world: World;
  let admin: Actor;
  let moderator: Actor;
  before(async () => {
    world = await createWorld({ accounts: ['mara', 'ines', 'sam', 'pat'] });
    await world.app.services.repositories.accounts.updateUser(world.actors.ines.id, { role: 'moderator' });
    admin = await tokenWithScopes(world, world.actors.mara, ADMIN);
    moderator = await tokenWithScopes(world, world.actors.ines, ADMIN);
  });
  after(() => world.close());

  const pending = async (username: string) => {
    const actor = await world.addActor(username);
    await world.app.services.repositories.accounts.updateUser(actor.id, { approved: 0 });
    return actor;
  };

  test('GET /api/v1/admin/accounts/:id is the Admin::Account: e-mail, role, state, addresses of its log-ins and the account', async () => {
    assert.equal((await logInFrom(world, 'sam', 'sam-password', '198.51.100.7')).statusCode, 200);
    world.clock.advance(60_000);
    assert.equal((await logInFrom(world, 'sam', 'sam-password', '2001:db8::7')).statusCode, 200);
    const res = await world.get(admin, `/api/v1/admin/accounts/${world.actors.sam.id}`);
    assert.equal(res.status, 200);
    const a = res.body;
    assert.deepEqual(
      { id: a.id, username: a.username, domain: a.domain, email: a.email, confirmed: a.confirmed, approved: a.approved, disabled: a.disabled, silenced: a.silenced, suspended: a.suspended, sensitized: a.sensitized },
      { id: world.actors.sam.id, username: 'sam', domain: null, email: 'sam@glimpse.test', confirmed: true, approved: true, disabled: false, silenced: false, suspended: false, sensitized: false },
    );
    assert.equal(a.ip, '2001:db8::7');
    assert.deepEqual(a.ips.map((i: any) => i.ip), ['2001:db8::7', '198.51.100.7']);
    assert.deepEqual(a.role, { id: '-99', name: '', permissions: '0', color: '', highlighted: false });
    assert.equal(a.account.acct, 'sam');
    assert.equal(a.invite_request, 'tests');
    const staff = await world.get(admin, `/api/v1/admin/accounts/${world.actors.mara.id}`);
    assert.deepEqual([staff.body.role.name, staff.body.role.permissions], ['Admin', '1']);
    assert.equal((await world.get(admin, `/api/v1/admin/accounts/${world.actors.ines.id}`)).body.role.name, 'Moderator');
  });

  test('an unknown account answers 404 Record not found', async () => {
    const res = await world.get(admin, '/api/v1/admin/accounts/1700000000000000');
    assert.deepEqual([res.status, res.body], [404, { error: 'Record not found' }]);
  });

  test('v1 filters: pending, staff, username prefix, display name, e-mail, ip range; remote, silenced, sensitized and another domain match none', async () => {
    const waiting = await pending('waiting_one');
    const names = async (query: string) => (await world.get(admin, `/api/v1/admin/accounts?${query}`)).body.map((a: any) => a.username).sort();
    assert.deepEqual(await names('pending=true'), ['waiting_one']);
    assert.deepEqual(await names('staff=true'), ['ines', 'mara']);
    assert.deepEqual(await names('username=PA'), ['pat']);
    await world.app.services.repositories.accounts.update(world.actors.pat.id, { display_name: 'Patricia Photos' });
    assert.deepEqual(await names('display_name=photos'), ['pat']);
    assert.deepEqual(await names('email=waiting_one%40glimpse'), ['waiting_one']);
    assert.deepEqual(await names('ip=198.51.100.0/24'), ['sam']);
    assert.deepEqual(await names('ip=2001:db8::/32'), ['sam']);
    for (const none of ['remote=true', 'silenced=true', 'sensitized=true', 'by_domain=elsewhere.example']) assert.deepEqual(await names(none), [], none);
    assert.ok((await names('local=true')).includes('sam'));
    assert.ok(!(await names('active=true')).includes(waiting.username));
    assert.equal((await world.get(admin, '/api/v1/admin/accounts?ip=not-an-ip')).status, 422);
  });

  test('the staff filter (staffSql) selects exactly the accounts isStaffRole admits', async () => {
    const all = (await world.get(admin, '/api/v1/admin/accounts?limit=200')).body;
    const staff = (await world.get(admin, '/api/v1/admin/accounts?staff=true&limit=200')).body.map((a: any) => a.id).sort();
    const roles = await world.app.services.database.kysely.selectFrom('users').select(['account_id', 'role']).execute();
    assert.deepEqual(staff, roles.filter((r) => isStaffRole(r.role)).map((r) => r.account_id).sort());
    assert.ok(all.length > staff.length);
  });

  test('v2 filters: status, permissions=staff, role_ids[], origin; invited_by matches none', async () => {
    await pending('waiting_two');
    const names = async (query: string) => (await world.get(admin, `/api/v2/admin/accounts?${query}`)).body.map((a: any) => a.username).sort();
    assert.ok((await names('status=pending')).includes('waiting_two'));
    assert.ok(!(await names('status=active')).includes('waiting_two'));
    assert.deepEqual(await names('permissions=staff'), ['ines', 'mara']);
    assert.deepEqual(await names('role_ids[]=1'), ['ines']);
    assert.deepEqual(await names('role_ids[]=1&role_ids[]=2'), ['ines', 'mara']);
    assert.deepEqual(await names('origin=remote'), []);
    assert.deepEqual(await names(`invited_by=${world.actors.mara.id}`), []);
    assert.deepEqual(await names('status=silenced'), []);
    assert.equal((await world.get(admin, '/api/v2/admin/accounts?status=sleeping')).status, 422);
  });

  test('the list pages newest first with Link headers', async () => {
    const first = await world.get(admin, '/api/v2/admin/accounts?limit=2');
    assert.equal(first.body.length, 2);
    const next = linkTargets(first, world.config.publicUrl).next!;
    assert.ok(next.includes('max_id='));
    const second = await world.get(admin, next);
    assert.ok(BigInt(second.body[0].id) < BigInt(first.body[1].id));
    const prev = linkTargets(second, world.config.publicUrl).prev!;
    assert.deepEqual((await world.get(admin, prev)).body.map((a: any) => a.id), first.body.map((a: any) => a.id));
  });

  test('approve lets a pending sign-up log in; approving it again is 403', async () => {
    const waiting = await pending('approve_me');
    assert.equal((await logInFrom(world, 'approve_me', 'approve_me-password', '192.0.2.10')).statusCode, 403);
    const res = await world.post(moderator, `/api/v1/admin/accounts/${waiting.id}/approve`);
    assert.deepEqual([res.status, res.body.approved], [200, true]);
    assert.equal((await logInFrom(world, 'approve_me', 'approve_me-password', '192.0.2.10')).statusCode, 200);
    assert.deepEqual((await world.post(moderator, `/api/v1/admin/accounts/${waiting.id}/approve`)).body, NOT_ALLOWED);
  });

  test('reject deletes the pending sign-up, so its name and e-mail are free again; an approved account cannot be rejected', async () => {
    const waiting = await pending('reject_me');
    const res = await world.post(admin, `/api/v1/admin/accounts/${waiting.id}/reject`);
    assert.deepEqual([res.status, res.body.username, res.body.approved], [200, 'reject_me', false]);
    assert.equal((await world.get(admin, `/api/v1/admin/accounts/${waiting.id}`)).status, 404);
    assert.equal((await world.get(waiting, '/api/v1/accounts/verify_credentials')).status, 401);
    await world.addActor('reject_me');
    assert.equal((await world.post(admin, `/api/v1/admin/accounts/${world.actors.pat.id}/reject`)).status, 403);
  });

  test('disable stops log-in and revokes its tokens; enable lets it log in again', async () => {
    const target = await world.addActor('disable_me');
    assert.equal((await world.post(moderator, `/api/v1/admin/accounts/${target.id}/action`, { type: 'disable', text: 'cool off' })).status, 200);
    assert.equal((await world.get(target, '/api/v1/accounts/verify_credentials')).status, 401);
    assert.equal((await logInFrom(world, 'disable_me', 'disable_me-password', '192.0.2.11')).statusCode, 401);
    assert.equal((await world.get(admin, `/api/v1/admin/accounts/${target.id}`)).body.disabled, true);
    assert.deepEqual((await world.get(admin, '/api/v1/admin/accounts?disabled=true')).body.map((a: any) => a.username), ['disable_me']);
    const enabled = await world.post(moderator, `/api/v1/admin/accounts/${target.id}/enable`);
    assert.deepEqual([enabled.status, enabled.body.disabled], [200, false]);
    assert.equal((await logInFrom(world, 'disable_me', 'disable_me-password', '192.0.2.11')).statusCode, 200);
  });

  test('suspend goes through the suspension use case and resolves the open reports on the account; unsuspend undoes it', async () => {
    const target = await world.addActor('suspend_me');
    const report = await world.post('pat', '/api/v1/reports', { account_id: target.id, comment: 'spam' });
    assert.equal(report.status, 200);
    const res = await world.post(admin, `/api/v1/admin/accounts/${target.id}/action`, { type: 'suspend', report_id: report.body.id });
    assert.deepEqual([res.status, res.body], [200, {}]);
    assert.equal((await world.get('pat', `/api/v1/accounts/${target.id}`)).status, 404);
    assert.equal((await world.get(target, '/api/v1/accounts/verify_credentials')).status, 401);
    const shown = (await world.get(admin, `/api/v1/admin/accounts/${target.id}`)).body;
    assert.deepEqual([shown.suspended, shown.disabled], [true, false]);
    const resolved = (await world.get(admin, `/api/v1/admin/reports/${report.body.id}`)).body;
    assert.deepEqual([resolved.action_taken, resolved.action_taken_by_account.id], [true, world.actors.mara.id]);
    // Enabling does not undo a suspension.
    await world.post(admin, `/api/v1/admin/accounts/${target.id}/enable`);
    assert.equal((await logInFrom(world, 'suspend_me', 'suspend_me-password', '192.0.2.12')).statusCode, 401);
    const back = await world.post(admin, `/api/v1/admin/accounts/${target.id}/unsuspend`);
    assert.deepEqual([back.status, back.body.suspended], [200, false]);
    assert.equal((await world.get('pat', `/api/v1/accounts/${target.id}`)).status, 200);
    assert.deepEqual((await world.post(admin, `/api/v1/admin/accounts/${target.id}/unsuspend`)).body, NOT_ALLOWED);
  });

  test('silence and sensitive answer 422 saying Glimpse does not support them; unsilence and unsensitive answer the account unchanged', async () => {
    for (const type of ['silence', 'sensitive']) {
      const res = await world.post(admin, `/api/v1/admin/accounts/${world.actors.pat.id}/action`, { type });
      assert.equal(res.status, 422, type);
      assert.match(res.body.error, /^Glimpse does not support/, type);
    }
    for (const undo of ['unsilence', 'unsensitive']) {
      const res = await world.post(admin, `/api/v1/admin/accounts/${world.actors.pat.id}/${undo}`);
      assert.deepEqual([res.status, res.body.silenced, res.body.sensitized, res.body.suspended], [200, false, false, false], undo);
    }
  });

  test('an unknown action type answers 422 and an unknown report 404', async () => {
    assert.equal((await world.post(admin, `/api/v1/admin/accounts/${world.actors.pat.id}/action`, { type: 'banish' })).status, 422);
    assert.equal((await world.post(admin, `/api/v1/admin/accounts/${world.actors.pat.id}/action`, { type: 'none', report_id: '1700000000000000' })).status, 404);
  });

  test('a moderator cannot act on an admin or on themself; an admin can act on a moderator but not on themself', async () => {
    for (const [who, target] of [[moderator, world.actors.mara], [moderator, world.actors.ines], [admin, world.actors.mara]] as const) {
      const res = await world.post(who, `/api/v1/admin/accounts/${target.id}/action`, { type: 'disable' });
      assert.deepEqual([res.status, res.body], [403, NOT_ALLOWED], `${who.username} on ${target.username}`);
    }
    assert.equal((await world.get(admin, `/api/v1/admin/accounts/${world.actors.mara.id}`)).body.disabled, false);
    const other = await world.addActor('other_mod');
    await world.app.services.repositories.accounts.updateUser(other.id, { role: 'moderator' });
    assert.equal((await world.post(admin, `/api/v1/admin/accounts/${other.id}/action`, { type: 'disable' })).status, 200);
  });

  test('action none with a report_id resolves that report only, leaving the others open', async () => {
    const target = await world.addActor('reported_twice');
    const one = (await world.post('pat', '/api/v1/reports', { account_id: target.id, comment: 'one' })).body;
    const two = (await world.post('sam', '/api/v1/reports', { account_id: target.id, comment: 'two' })).body;
    assert.equal((await world.post(moderator, `/api/v1/admin/accounts/${target.id}/action`, { type: 'none', report_id: one.id })).status, 200);
    assert.equal((await world.get(admin, `/api/v1/admin/reports/${one.id}`)).body.action_taken, true);
    assert.equal((await world.get(admin, `/api/v1/admin/reports/${two.id}`)).body.action_taken, false);
  });
});

describe('admin API: reports', () => {
  let world: World;
  let admin: Actor;
  let moderator: Actor;
  before(async () => {
    world = await createWorld({ accounts: ['mara', 'ines', 'sam', 'pat'] });
    await world.app.services.repositories.accounts.updateUser(world.actors.ines.id, { role: 'moderator' });
    admin = await tokenWithScopes(world, world.actors.mara, ADMIN);
    moderator = await tokenWithScopes(world, world.actors.ines, ADMIN);
  });
  after(() => world.close());

  test('the Admin::Report carries Admin::Accounts and the reported statuses; the list filters by resolved, account_id and target_account_id', async () => {
    const post = await postPhotos(world, 'sam', 'reported post');
    const byPat = (await world.post('pat', '/api/v1/reports', { account_id: world.actors.sam.id, status_ids: [post.id], comment: 'not nice', category: 'spam' })).body;
    const byMara = (await world.post('mara', '/api/v1/reports', { account_id: world.actors.pat.id, comment: 'hmm' })).body;
    const res = await world.get(moderator, `/api/v1/admin/reports/${byPat.id}`);
    assert.equal(res.status, 200);
    const r = res.body;
    assert.deepEqual(
      { action_taken: r.action_taken, category: r.category, comment: r.comment, forwarded: r.forwarded, assigned: r.assigned_account, by: r.action_taken_by_account, rules: r.rules },
      { action_taken: false, category: 'spam', comment: 'not nice', forwarded: false, assigned: null, by: null, rules: [] },
    );
    assert.deepEqual([r.account.username, r.account.email, r.target_account.username, r.target_account.account.acct], ['pat', 'pat@glimpse.test', 'sam', 'sam']);
    assert.deepEqual(r.statuses.map((s: any) => s.id), [post.id]);
    const ids = async (query: string) => (await world.get(moderator, `/api/v1/admin/reports?${query}`)).body.map((x: any) => x.id);
    assert.deepEqual(await ids(''), [byMara.id, byPat.id]);
    assert.deepEqual(await ids(`account_id=${world.actors.pat.id}`), [byPat.id]);
    assert.deepEqual(await ids(`target_account_id=${world.actors.pat.id}`), [byMara.id]);
    assert.deepEqual(await ids('resolved=true'), []);
  });

  test('assign_to_self and unassign set and clear the assigned moderator', async () => {
    const report = (await world.post('pat', '/api/v1/reports', { account_id: world.actors.sam.id, comment: 'assign' })).body;
    const assigned = await world.post(moderator, `/api/v1/admin/reports/${report.id}/assign_to_self`);
    assert.deepEqual([assigned.status, assigned.body.assigned_account.id], [200, world.actors.ines.id]);
    const unassigned = await world.post(moderator, `/api/v1/admin/reports/${report.id}/unassign`);
    assert.deepEqual([unassigned.status, unassigned.body.assigned_account], [200, null]);
  });

  test('resolve and reopen move a report between the resolved and open lists, and the web queue sees the same', async () => {
    const report = (await world.post('sam', '/api/v1/reports', { account_id: world.actors.pat.id, comment: 'resolve me' })).body;
    const webQueue = async (resolved: boolean) => (await world.get(admin, `/api/glimpse/v1/admin/reports${resolved ? '?resolved=true' : ''}`)).body.map((x: any) => x.id);
    const resolved = await world.post(moderator, `/api/v1/admin/reports/${report.id}/resolve`);
    assert.deepEqual([resolved.status, resolved.body.action_taken, resolved.body.action_taken_by_account.id], [200, true, world.actors.ines.id]);
    assert.ok((await world.get(admin, '/api/v1/admin/reports?resolved=true')).body.some((x: any) => x.id === report.id));
    assert.ok((await webQueue(true)).includes(report.id));
    assert.ok(!(await webQueue(false)).includes(report.id));
    const reopened = await world.post(moderator, `/api/v1/admin/reports/${report.id}/reopen`);
    assert.deepEqual([reopened.status, reopened.body.action_taken, reopened.body.action_taken_at, reopened.body.action_taken_by_account], [200, false, null, null]);
    assert.ok((await webQueue(false)).includes(report.id));
  });

  test('a report resolved in the web queue shows as resolved here; a moderator works the web queue too', async () => {
    const report = (await world.post('sam', '/api/v1/reports', { account_id: world.actors.pat.id, comment: 'web' })).body;
    assert.equal((await world.post(moderator, `/api/glimpse/v1/admin/reports/${report.id}/resolve`, { action: 'dismiss' })).status, 200);
    assert.equal((await world.get(admin, `/api/v1/admin/reports/${report.id}`)).body.action_taken, true);
  });

  test('a moderator cannot suspend an admin from the web queue', async () => {
    const report = (await world.post('sam', '/api/v1/reports', { account_id: world.actors.mara.id, comment: 'the admin' })).body;
    const res = await world.post(moderator, `/api/glimpse/v1/admin/reports/${report.id}/resolve`, { action: 'suspend' });
    assert.deepEqual([res.status, res.body], [403, NOT_ALLOWED]);
    assert.equal((await world.get('sam', `/api/v1/accounts/${world.actors.mara.id}`)).status, 200);
  });

  test('an unknown report answers 404', async () => {
    assert.equal((await world.get(admin, '/api/v1/admin/reports/1700000000000000')).status, 404);
    assert.equal((await world.post(admin, '/api/v1/admin/reports/1700000000000000/resolve')).status, 404);
  });
});

describe('admin API: e-mail domain blocks', () => {
  let world: World;
  let admin: Actor;
  before(async () => {
    world = await createWorld({ accounts: ['mara'] });
    admin = await tokenWithScopes(world, world.actors.mara, ADMIN);
  });
  after(() => world.close());

  test('create, list, get and delete; the domain is stored lower-case and in ASCII', async () => {
    const created = await world.post(admin, '/api/v1/admin/email_domain_blocks', { domain: 'Spam.Example' });
    assert.equal(created.status, 200);
    assert.equal(created.body.domain, 'spam.example');
    assert.equal(created.body.history.length, 7);
    const idn = await world.post(admin, '/api/v1/admin/email_domain_blocks', { domain: 'bücher.example' });
    assert.equal(idn.body.domain, 'xn--bcher-kva.example');
    assert.deepEqual((await world.get(admin, '/api/v1/admin/email_domain_blocks')).body.map((b: any) => b.domain), ['xn--bcher-kva.example', 'spam.example']);
    assert.equal((await world.get(admin, `/api/v1/admin/email_domain_blocks/${created.body.id}`)).body.domain, 'spam.example');
    assert.deepEqual((await world.request(admin, 'DELETE', `/api/v1/admin/email_domain_blocks/${created.body.id}`)).body, {});
    assert.equal((await world.get(admin, `/api/v1/admin/email_domain_blocks/${created.body.id}`)).status, 404);
  });

  test('a blank, invalid or repeated domain answers 422', async () => {
    assert.equal((await world.post(admin, '/api/v1/admin/email_domain_blocks', {})).body.error, "Validation failed: Domain can't be blank");
    for (const domain of ['not a domain', 'a/b', '-bad.example', '1.2.3.4']) {
      assert.equal((await world.post(admin, '/api/v1/admin/email_domain_blocks', { domain })).status, 422, domain);
    }
    await world.post(admin, '/api/v1/admin/email_domain_blocks', { domain: 'twice.example' });
    const again = await world.post(admin, '/api/v1/admin/email_domain_blocks', { domain: 'TWICE.example' });
    assert.deepEqual([again.status, again.body.error], [422, 'Validation failed: Domain has already been taken']);
  });
});
