import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { canActOnAccount, canAdminister, canModerate, rolesByIds } from '../../src/access/staff-policy.ts';
import { areValidScopes, hasScope } from '../../src/domain/auth/scopes.ts';

const user = { accountId: 'u', role: 'user' as const };
const moderator = { accountId: 'm', role: 'moderator' as const };
const admin = { accountId: 'a', role: 'admin' as const };

describe('staff policy', () => {
  test('moderators and admins moderate; users and anonymous callers do not', () => {
    assert.deepEqual([undefined, user, moderator, admin].map(canModerate), [false, false, true, true]);
  });

  test('only admins administer the blocks', () => {
    assert.deepEqual([undefined, user, moderator, admin].map(canAdminister), [false, false, false, true]);
  });

  test('staff act on accounts of a lower role only, never on themselves', () => {
    assert.equal(canActOnAccount(moderator, { id: 'x', role: 'user' }), true);
    assert.equal(canActOnAccount(moderator, { id: 'y', role: 'moderator' }), false);
    assert.equal(canActOnAccount(moderator, { id: 'a', role: 'admin' }), false);
    assert.equal(canActOnAccount(admin, { id: 'm', role: 'moderator' }), true);
    assert.equal(canActOnAccount(admin, { id: 'b', role: 'admin' }), false);
    assert.equal(canActOnAccount(admin, { id: 'a', role: 'user' }), false, 'oneself, whatever the row says');
    assert.equal(canActOnAccount(user, { id: 'x', role: 'user' }), false);
  });

  test('role ids name the roles as shown in the Role entity', () => {
    assert.deepEqual(rolesByIds(['1', '2']), ['moderator', 'admin']);
    assert.deepEqual(rolesByIds(['-99']), ['user']);
    assert.deepEqual(rolesByIds(['77']), []);
  });
});

describe('admin scopes', () => {
  test('the granular admin scopes are valid, and admin:read / admin:write cover their own only', () => {
    assert.equal(areValidScopes(['admin:read:accounts', 'admin:write:ip_blocks', 'admin:read:email_domain_blocks', 'admin:write:reports']), true);
    assert.equal(hasScope(['admin:read'], 'admin:read:accounts'), true);
    assert.equal(hasScope(['admin:write'], 'admin:write:email_domain_blocks'), true);
    assert.equal(hasScope(['admin:read'], 'admin:write:accounts'), false);
    assert.equal(hasScope(['admin:read:accounts'], 'admin:read:reports'), false);
    assert.equal(hasScope(['read'], 'admin:read:accounts'), false);
    assert.equal(hasScope(['admin:read:accounts'], 'admin:read'), false);
  });
});
