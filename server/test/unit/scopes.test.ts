import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ALL_SCOPES, areValidScopes, hasScope, isSubsetOf, parseScopes } from '../../src/domain/auth/scopes.ts';

describe('parsing scopes', () => {
  test('scopes are split on spaces or plus signs, without duplicates', () => {
    assert.deepEqual(parseScopes('read write'), ['read', 'write']);
    assert.deepEqual(parseScopes('read+write+read'), ['read', 'write']);
    assert.deepEqual(parseScopes('  read   follow '), ['read', 'follow']);
  });

  test('no scopes given means the fallback, read by default', () => {
    assert.deepEqual(parseScopes(undefined), ['read']);
    assert.deepEqual(parseScopes(''), ['read']);
    assert.deepEqual(parseScopes(undefined, 'profile'), ['profile']);
  });
});

describe('valid scopes', () => {
  test("Mastodon's top-level and granular scopes are valid", () => {
    assert.equal(areValidScopes(['read', 'write', 'follow', 'push', 'profile']), true);
    assert.equal(areValidScopes(['read:statuses', 'write:media', 'read:notifications']), true);
  });

  test('an unknown scope, a made-up granular one, or an empty list is invalid', () => {
    assert.equal(areValidScopes(['read', 'admin:everything']), false);
    assert.equal(areValidScopes(['read:secrets']), false);
    assert.equal(areValidScopes([]), false);
  });

  test('every granular scope belongs to a known top-level scope', () => {
    for (const scope of ALL_SCOPES) {
      const [top] = scope.split(':');
      assert.ok(ALL_SCOPES.has(top) || scope.startsWith('admin:'), scope);
    }
  });
});

describe('granted scopes', () => {
  test('a granted scope allows exactly itself', () => {
    assert.equal(hasScope(['read:statuses'], 'read:statuses'), true);
  });

  test('a top-level scope covers its granular scopes', () => {
    assert.equal(hasScope(['read'], 'read:accounts'), true);
    assert.equal(hasScope(['write'], 'write:follows'), true);
  });

  test('a granular scope does not cover its top-level scope or its siblings', () => {
    assert.equal(hasScope(['read:accounts'], 'read'), false);
    assert.equal(hasScope(['read:accounts'], 'read:notifications'), false);
  });

  test('read never covers a write scope, and write never covers a read scope', () => {
    assert.equal(hasScope(['read'], 'write:accounts'), false);
    assert.equal(hasScope(['read'], 'write'), false);
    assert.equal(hasScope(['write'], 'read:accounts'), false);
  });

  test('the legacy follow scope covers the follow graph but not the profile or notifications', () => {
    for (const scope of ['read:follows', 'write:follows', 'read:blocks', 'write:blocks', 'read:mutes', 'write:mutes']) {
      assert.equal(hasScope(['follow'], scope), true, scope);
    }
    assert.equal(hasScope(['follow'], 'write:accounts'), false);
    assert.equal(hasScope(['follow'], 'write:notifications'), false);
  });

  test('verify_credentials accepts the profile scope, read or read:accounts', () => {
    assert.equal(hasScope(['profile'], 'profile'), true);
    assert.equal(hasScope(['read'], 'profile'), true);
    assert.equal(hasScope(['read:accounts'], 'profile'), true);
    assert.equal(hasScope(['write'], 'profile'), false);
  });

  test('the profile scope grants nothing beyond itself', () => {
    assert.equal(hasScope(['profile'], 'read:accounts'), false);
    assert.equal(hasScope(['profile'], 'read'), false);
  });

  test('no scopes grant nothing', () => {
    assert.equal(hasScope([], 'read:accounts'), false);
  });

  test('read does not cover the admin scopes', () => {
    assert.equal(hasScope(['read'], 'admin:read'), false);
    assert.equal(hasScope(['write'], 'admin:write'), false);
  });
});

describe('requested scopes within an app', () => {
  test('a request within what the app registered is allowed, including granular scopes of a top-level one', () => {
    assert.equal(isSubsetOf(['read'], ['read', 'write']), true);
    assert.equal(isSubsetOf(['read:statuses', 'write:media'], ['read', 'write']), true);
    assert.equal(isSubsetOf(['read:follows'], ['follow']), true);
  });

  test('a request beyond what the app registered is refused', () => {
    assert.equal(isSubsetOf(['write'], ['read']), false);
    assert.equal(isSubsetOf(['read', 'push'], ['read', 'write']), false);
    assert.equal(isSubsetOf(['read'], ['read:statuses']), false);
  });
});
