import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { anonymousContext, type ViewerContext } from '../../src/access/viewer-context.ts';
import { canReshareStory, canRespondToStory, canSeeStoryViewers, canViewStory, type StoryFacts } from '../../src/access/story-policy.ts';
import { canComment, canDeleteComment, canPinComment, canSeeComment } from '../../src/access/comment-policy.ts';

type Rel = Partial<Record<'following' | 'followedBy' | 'blocking' | 'blockedBy' | 'muting' | 'closeFriendOf', string[]>>;
const ctx = (rel: Rel = {}, me = 'me'): ViewerContext => ({
  ...anonymousContext,
  viewer: { accountId: me, role: 'user' },
  following: new Set(rel.following ?? []),
  followedBy: new Set(rel.followedBy ?? []),
  blocking: new Set(rel.blocking ?? []),
  blockedBy: new Set(rel.blockedBy ?? []),
  muting: new Set(rel.muting ?? []),
  closeFriendOf: new Set(rel.closeFriendOf ?? []),
});

const now = new Date('2026-11-28T12:00:00Z');
const live = (audience: StoryFacts['audience'], account_id = 'mara') => ({ id: 's', account_id, audience, expires_at: '2026-11-29T00:00:00.000Z', reshare_of_id: null as string | null });
const expired: StoryFacts = { id: 's', account_id: 'mara', audience: 'followers', expires_at: '2026-11-28T00:00:00.000Z' };
const mara = { id: 'mara', locked: 0, suspended_at: null };
const nora = { id: 'nora', locked: 1, suspended_at: null };
const view = { now, viaHighlight: false };

describe('story policy', () => {
  test("a public account's followers story is visible to strangers but not to a blocked account", () => {
    assert.equal(canViewStory(ctx(), live('followers'), mara, view), true);
    assert.equal(canViewStory(ctx({ blockedBy: ['mara'] }), live('followers'), mara, view), false);
    assert.equal(canViewStory(ctx({ blocking: ['mara'] }), live('followers'), mara, view), false);
  });

  test("a private account's story is visible to approved followers only", () => {
    assert.equal(canViewStory(ctx(), live('followers', 'nora'), nora, view), false);
    assert.equal(canViewStory(ctx({ following: ['nora'] }), live('followers', 'nora'), nora, view), true);
  });

  test('a close-friends story needs the viewer on the list now', () => {
    assert.equal(canViewStory(ctx({ following: ['mara'] }), live('close_friends'), mara, view), false);
    assert.equal(canViewStory(ctx({ closeFriendOf: ['mara'] }), live('close_friends'), mara, view), true);
  });

  test('an expired story is gone unless read through a highlight, and the author always sees it', () => {
    assert.equal(canViewStory(ctx(), expired, mara, view), false);
    assert.equal(canViewStory(ctx(), expired, mara, { now, viaHighlight: true }), true);
    assert.equal(canViewStory(ctx({}, 'mara'), expired, mara, view), true);
  });

  test('only a mentioned viewer may reshare, and never a close-friends or private story', () => {
    assert.equal(canReshareStory(ctx(), live('followers'), mara, true, now), true);
    assert.equal(canReshareStory(ctx(), live('followers'), mara, false, now), false);
    assert.equal(canReshareStory(ctx({ closeFriendOf: ['mara'] }), live('close_friends'), mara, true, now), false);
    assert.equal(canReshareStory(ctx({ following: ['nora'] }), live('followers', 'nora'), nora, true, now), false);
  });

  test('a reshare is not reshared again, even by someone mentioned in it', () => {
    assert.equal(canReshareStory(ctx(), { ...live('followers'), reshare_of_id: 'original' }, mara, true, now), false);
  });

  test('viewers are the author\'s alone; the author does not reply to their own story', () => {
    assert.equal(canSeeStoryViewers(ctx({}, 'mara'), live('followers')), true);
    assert.equal(canSeeStoryViewers(ctx(), live('followers')), false);
    assert.equal(canRespondToStory(ctx({}, 'mara'), live('followers'), mara, now), false);
    assert.equal(canRespondToStory(ctx(), live('followers'), mara, now), true);
  });
});

describe('comment policy', () => {
  const post = (comment_policy: string) => ({ id: 'p', account_id: 'mara', visibility: 'public' as const, comment_policy });

  test('followers means the post author\'s followers; following means people the author follows', () => {
    assert.equal(canComment(ctx({ following: ['mara'] }), post('followers'), mara), true);
    assert.equal(canComment(ctx({ followedBy: ['mara'] }), post('followers'), mara), false);
    assert.equal(canComment(ctx({ followedBy: ['mara'] }), post('following'), mara), true);
    assert.equal(canComment(ctx({ followedBy: ['mara'] }), post('followers_and_following'), mara), true);
    assert.equal(canComment(ctx(), post('followers_and_following'), mara), false);
  });

  test('nobody leaves only the author; a blocked account never comments; anonymous never does', () => {
    assert.equal(canComment(ctx({ following: ['mara'] }), post('nobody'), mara), false);
    assert.equal(canComment(ctx({}, 'mara'), post('nobody'), mara), true);
    assert.equal(canComment(ctx({ blockedBy: ['mara'] }), post('everyone'), mara), false);
    assert.equal(canComment(anonymousContext, post('everyone'), mara), false);
  });

  test('a hidden comment is seen by its author only; muted and blocked authors are not shown', () => {
    const hidden = { id: 'c', account_id: 'sam', hidden_reason: 'hidden_words' };
    assert.equal(canSeeComment(ctx({}, 'sam'), hidden), true);
    assert.equal(canSeeComment(ctx({}, 'mara'), hidden), false);
    const shown = { ...hidden, hidden_reason: null };
    assert.equal(canSeeComment(ctx({ muting: ['sam'] }), shown), false);
    assert.equal(canSeeComment(ctx(), shown), true);
  });

  test('a comment is deleted by its author or the post author; pins are the post author\'s, on visible top-level comments', () => {
    const c = { id: 'c', account_id: 'sam', hidden_reason: null, in_reply_to_id: 'p' };
    assert.equal(canDeleteComment(ctx({}, 'sam'), c, post('everyone')), true);
    assert.equal(canDeleteComment(ctx({}, 'mara'), c, post('everyone')), true);
    assert.equal(canDeleteComment(ctx({}, 'ines'), c, post('everyone')), false);
    assert.equal(canPinComment(ctx({}, 'mara'), post('everyone'), c), true);
    assert.equal(canPinComment(ctx({}, 'mara'), post('everyone'), { ...c, in_reply_to_id: 'other' }), false);
    assert.equal(canPinComment(ctx({}, 'sam'), post('everyone'), c), false);
  });
});
