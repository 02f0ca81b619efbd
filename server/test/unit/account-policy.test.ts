import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  canActOnOtherAccount,
  canFollow,
  canNotifyFrom,
  canSeeAccount,
  canSeeAccountContent,
  followNeedsApproval,
  isAdmin,
  isApprovedFollower,
  type AccountFacts,
} from '../../src/access/account-policy.ts';
import { anonymousContext, isBlockedEitherWay, isSelf, type ViewerContext } from '../../src/access/viewer-context.ts';

type Relations = Partial<Record<'following' | 'followedBy' | 'requested' | 'requestedBy' | 'blocking' | 'blockedBy' | 'muting' | 'mutingNotifications', string[]>>;

/** The context of viewer `me` with the given relations to other accounts. */
function ctx(relations: Relations = {}, role: 'user' | 'moderator' | 'admin' = 'user'): ViewerContext {
  const set = (ids?: string[]) => new Set(ids ?? []);
  return {
    // Starts from the anonymous context so relations added later default to empty.
    ...anonymousContext,
    viewer: { accountId: 'me', role },
    following: set(relations.following),
    followedBy: set(relations.followedBy),
    requested: set(relations.requested),
    requestedBy: set(relations.requestedBy),
    blocking: set(relations.blocking),
    blockedBy: set(relations.blockedBy),
    muting: set(relations.muting),
    ...(relations.mutingNotifications ? { mutingNotifications: set(relations.mutingNotifications) } : {}),
  };
}

const publicAccount: AccountFacts = { id: 'pub', locked: 0, suspended_at: null };
const privateAccount: AccountFacts = { id: 'priv', locked: 1, suspended_at: null };
const self: AccountFacts = { id: 'me', locked: 1, suspended_at: null };

describe('seeing an account', () => {
  test('anyone, anonymous included, can see an account that has not blocked them', () => {
    assert.equal(canSeeAccount(anonymousContext, publicAccount), true);
    assert.equal(canSeeAccount(anonymousContext, privateAccount), true);
    assert.equal(canSeeAccount(ctx(), privateAccount), true);
  });

  test('an account that blocked the viewer cannot be seen by them at all', () => {
    assert.equal(canSeeAccount(ctx({ blockedBy: ['pub'] }), publicAccount), false);
  });

  test('the blocker still sees the account they blocked', () => {
    assert.equal(canSeeAccount(ctx({ blocking: ['pub'] }), publicAccount), true);
  });
});

describe("seeing an account's content (posts, stories, highlights, follow lists)", () => {
  test("a public account's content is visible to anonymous viewers and strangers", () => {
    assert.equal(canSeeAccountContent(anonymousContext, publicAccount), true);
    assert.equal(canSeeAccountContent(ctx(), publicAccount), true);
  });

  test("a private account's content is hidden from anonymous viewers and strangers", () => {
    assert.equal(canSeeAccountContent(anonymousContext, privateAccount), false);
    assert.equal(canSeeAccountContent(ctx(), privateAccount), false);
  });

  test("a pending requester cannot see a private account's content", () => {
    assert.equal(canSeeAccountContent(ctx({ requested: ['priv'] }), privateAccount), false);
  });

  test("a rejected requester or a removed follower (no edge left) cannot see a private account's content", () => {
    assert.equal(canSeeAccountContent(ctx({}), privateAccount), false);
  });

  test("an account the private account follows, but that does not follow it, cannot see its content", () => {
    assert.equal(canSeeAccountContent(ctx({ followedBy: ['priv'] }), privateAccount), false);
  });

  test("an approved follower can see a private account's content", () => {
    assert.equal(canSeeAccountContent(ctx({ following: ['priv'] }), privateAccount), true);
  });

  test('an account always sees its own content', () => {
    assert.equal(canSeeAccountContent(ctx({ blockedBy: ['me'] }), self), true);
  });

  test('a block either way hides content, even of a public account and even from a follower', () => {
    assert.equal(canSeeAccountContent(ctx({ blockedBy: ['pub'] }), publicAccount), false);
    assert.equal(canSeeAccountContent(ctx({ blocking: ['pub'] }), publicAccount), false);
    assert.equal(canSeeAccountContent(ctx({ following: ['priv'], blockedBy: ['priv'] }), privateAccount), false);
  });

  test('locked is read as a boolean whether stored as 0/1 or true/false', () => {
    assert.equal(canSeeAccountContent(ctx(), { id: 'x', locked: true, suspended_at: null }), false);
    assert.equal(canSeeAccountContent(ctx(), { id: 'x', locked: false, suspended_at: null }), true);
  });
});

describe('approved followers', () => {
  test('only an accepted follow (or being the account) makes an approved follower', () => {
    assert.equal(isApprovedFollower(ctx({ following: ['priv'] }), privateAccount), true);
    assert.equal(isApprovedFollower(ctx(), self), true);
    assert.equal(isApprovedFollower(ctx({ requested: ['priv'] }), privateAccount), false);
    assert.equal(isApprovedFollower(anonymousContext, privateAccount), false);
  });
});

describe('following', () => {
  test('a signed-in viewer can follow another account, public or private', () => {
    assert.equal(canFollow(ctx(), publicAccount), true);
    assert.equal(canFollow(ctx(), privateAccount), true);
  });

  test('an anonymous viewer cannot follow', () => {
    assert.equal(canFollow(anonymousContext, publicAccount), false);
  });

  test('one cannot follow oneself', () => {
    assert.equal(canFollow(ctx(), self), false);
  });

  test('a block either way prevents following', () => {
    assert.equal(canFollow(ctx({ blockedBy: ['pub'] }), publicAccount), false);
    assert.equal(canFollow(ctx({ blocking: ['pub'] }), publicAccount), false);
  });

  test('a follow of a locked account waits for approval, of a public one does not', () => {
    assert.equal(followNeedsApproval(privateAccount), true);
    assert.equal(followNeedsApproval({ id: 'x', locked: true, suspended_at: null }), true);
    assert.equal(followNeedsApproval(publicAccount), false);
  });
});

describe('acting on other accounts', () => {
  test('blocking, muting and removing followers act only on other accounts, and need a viewer', () => {
    assert.equal(canActOnOtherAccount(ctx(), publicAccount), true);
    assert.equal(canActOnOtherAccount(ctx(), self), false);
    assert.equal(canActOnOtherAccount(anonymousContext, publicAccount), false);
  });
});

describe('notifications', () => {
  test('a notification from an account with no block or mute reaches the viewer', () => {
    assert.equal(canNotifyFrom(ctx({ following: ['a'] }), 'a'), true);
  });

  test('a notification from an account the viewer blocks, or that blocks the viewer, is hidden', () => {
    assert.equal(canNotifyFrom(ctx({ blocking: ['a'] }), 'a'), false);
    assert.equal(canNotifyFrom(ctx({ blockedBy: ['a'] }), 'a'), false);
  });

  test("a notification from a muted account is hidden when the mute covers notifications", () => {
    assert.equal(canNotifyFrom(ctx({ muting: ['a'], mutingNotifications: ['a'] }), 'a'), false);
  });

  test("a notification from a muted account still reaches the viewer when the mute spares notifications", () => {
    assert.equal(canNotifyFrom(ctx({ muting: ['a'], mutingNotifications: [] }), 'a'), true);
  });

  test('without notification-mute facts, every mute hides notifications', () => {
    assert.equal(canNotifyFrom(ctx({ muting: ['a'] }), 'a'), false);
  });
});

describe('viewer context helpers', () => {
  test('isSelf is true only for the viewer account, never for anonymous', () => {
    assert.equal(isSelf(ctx(), 'me'), true);
    assert.equal(isSelf(ctx(), 'other'), false);
    assert.equal(isSelf(anonymousContext, 'me'), false);
  });

  test('a block counts either way', () => {
    assert.equal(isBlockedEitherWay(ctx({ blocking: ['a'] }), 'a'), true);
    assert.equal(isBlockedEitherWay(ctx({ blockedBy: ['a'] }), 'a'), true);
    assert.equal(isBlockedEitherWay(ctx({ muting: ['a'] }), 'a'), false);
  });

  test('only an admin viewer is an admin', () => {
    assert.equal(isAdmin(ctx({}, 'admin')), true);
    assert.equal(isAdmin(ctx({}, 'moderator')), false);
    assert.equal(isAdmin(ctx()), false);
    assert.equal(isAdmin(anonymousContext), false);
  });
});
