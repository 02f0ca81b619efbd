import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { canPreviewAnsweredStory, canReceiveMessage, isMessage } from '../../src/access/message-policy.ts';
import { belongsInHomeFeed } from '../../src/access/post-policy.ts';
import type { AccountFacts } from '../../src/access/account-policy.ts';
import { anonymousContext, type ViewerContext } from '../../src/access/viewer-context.ts';

function ctx(relations: Partial<Record<'following' | 'blocking' | 'blockedBy' | 'closeFriendOf', string[]>> = {}, accountId = 'me', role: 'user' | 'admin' = 'user'): ViewerContext {
  const set = (ids?: string[]) => new Set(ids ?? []);
  return { ...anonymousContext, viewer: { accountId, role }, following: set(relations.following), blocking: set(relations.blocking), blockedBy: set(relations.blockedBy), closeFriendOf: set(relations.closeFriendOf) };
}
const account = (id: string, extra: Partial<AccountFacts> = {}): AccountFacts => ({ id, locked: 0, suspended_at: null, ...extra });

describe('message policy', () => {
  test('a message reaches another account, never oneself, a suspended account (even from an admin) or across a block either way', () => {
    assert.equal(canReceiveMessage(ctx(), account('friend')), true);
    assert.equal(canReceiveMessage(ctx(), account('me')), false);
    assert.equal(canReceiveMessage(ctx({}, 'me', 'admin'), account('gone', { suspended_at: '2026-01-01T00:00:00Z' })), false);
    assert.equal(canReceiveMessage(ctx({ blocking: ['x'] }), account('x')), false);
    assert.equal(canReceiveMessage(ctx({ blockedBy: ['x'] }), account('x')), false);
    // A locked account may be written to: a message is not its content.
    assert.equal(canReceiveMessage(ctx(), account('locked', { locked: 1 })), true);
  });

  test('direct statuses are messages and never belong in a home feed, not even their sender\'s', () => {
    const dm = { id: '1', account_id: 'me', visibility: 'direct' as const };
    assert.equal(isMessage(dm), true);
    assert.equal(belongsInHomeFeed(ctx(), dm), false);
    assert.equal(belongsInHomeFeed(ctx({ following: ['a'] }), { ...dm, account_id: 'a' }), false);
    assert.equal(belongsInHomeFeed(ctx(), { ...dm, visibility: 'public' }), true);
  });

  test('an answered story is previewed only while live and visible to the viewer', () => {
    const now = new Date('2026-11-28T10:00:00Z');
    const live = { id: 's', account_id: 'author', audience: 'close_friends' as const, expires_at: '2026-11-28T12:00:00Z' };
    assert.equal(canPreviewAnsweredStory(ctx({}, 'author'), live, account('author'), now), true);
    assert.equal(canPreviewAnsweredStory(ctx({ closeFriendOf: ['author'] }), live, account('author'), now), true);
    assert.equal(canPreviewAnsweredStory(ctx(), live, account('author'), now), false, 'removed from close friends');
    assert.equal(canPreviewAnsweredStory(ctx({}, 'author'), { ...live, expires_at: '2026-11-28T09:00:00Z' }, account('author'), now), false, 'expired, even for its author');
  });
});
