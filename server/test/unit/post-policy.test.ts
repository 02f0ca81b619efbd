import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  belongsInHomeFeed,
  canLikePost,
  canManagePost,
  canSeeLikeCount,
  canViewPost,
  isPubliclyEmbeddable,
  needsRestrictedMedia,
  type PostFacts,
} from '../../src/access/post-policy.ts';
import type { AccountFacts } from '../../src/access/account-policy.ts';
import { anonymousContext, type ViewerContext } from '../../src/access/viewer-context.ts';

type Relations = Partial<Record<'following' | 'requested' | 'blocking' | 'blockedBy' | 'muting', string[]>>;

function ctx(relations: Relations = {}, accountId = 'me'): ViewerContext {
  const set = (ids?: string[]) => new Set(ids ?? []);
  return {
    ...anonymousContext,
    viewer: { accountId, role: 'user' },
    following: set(relations.following),
    requested: set(relations.requested),
    blocking: set(relations.blocking),
    blockedBy: set(relations.blockedBy),
    muting: set(relations.muting),
  };
}

const publicAuthor: AccountFacts = { id: 'author', locked: 0, suspended_at: null };
const privateAuthor: AccountFacts = { id: 'author', locked: 1, suspended_at: null };
const post = (visibility: PostFacts['visibility']): PostFacts => ({ id: 'p1', account_id: 'author', visibility });
const notMentioned = { isMentioned: false };
const mentioned = { isMentioned: true };
const follower = () => ctx({ following: ['author'] });

describe('who may view a post', () => {
  test('the author always sees their own post, whatever its visibility', () => {
    for (const v of ['public', 'unlisted', 'private', 'direct'] as const) {
      assert.equal(canViewPost(ctx({}, 'author'), post(v), privateAuthor, notMentioned), true, v);
    }
  });

  test('a public or unlisted post of a public account is visible to anonymous viewers and strangers', () => {
    for (const v of ['public', 'unlisted'] as const) {
      assert.equal(canViewPost(anonymousContext, post(v), publicAuthor, notMentioned), true, v);
      assert.equal(canViewPost(ctx(), post(v), publicAuthor, notMentioned), true, v);
    }
  });

  test('a followers-only post is visible to approved followers only', () => {
    assert.equal(canViewPost(follower(), post('private'), publicAuthor, notMentioned), true);
    assert.equal(canViewPost(anonymousContext, post('private'), publicAuthor, notMentioned), false);
    assert.equal(canViewPost(ctx(), post('private'), publicAuthor, notMentioned), false);
  });

  test('a pending requester cannot see a followers-only post', () => {
    assert.equal(canViewPost(ctx({ requested: ['author'] }), post('private'), privateAuthor, notMentioned), false);
  });

  test('a mention does not open a followers-only post to a stranger', () => {
    assert.equal(canViewPost(ctx(), post('private'), publicAuthor, mentioned), false);
  });

  test('every post of a private account, even a public one, is for approved followers only', () => {
    for (const v of ['public', 'unlisted', 'private'] as const) {
      assert.equal(canViewPost(anonymousContext, post(v), privateAuthor, notMentioned), false, `anonymous, ${v}`);
      assert.equal(canViewPost(ctx(), post(v), privateAuthor, notMentioned), false, `stranger, ${v}`);
      assert.equal(canViewPost(ctx({ requested: ['author'] }), post(v), privateAuthor, notMentioned), false, `pending, ${v}`);
      assert.equal(canViewPost(follower(), post(v), privateAuthor, notMentioned), true, `follower, ${v}`);
    }
  });

  test('a direct post is visible to those mentioned and not to followers who are not', () => {
    assert.equal(canViewPost(ctx(), post('direct'), publicAuthor, mentioned), true);
    assert.equal(canViewPost(follower(), post('direct'), publicAuthor, notMentioned), false);
    assert.equal(canViewPost(anonymousContext, post('direct'), publicAuthor, notMentioned), false);
  });

  test('a block either way hides every post, even a public one, from a follower or a mentioned account', () => {
    for (const relations of [{ blockedBy: ['author'] }, { blocking: ['author'] }]) {
      assert.equal(canViewPost(ctx(relations), post('public'), publicAuthor, notMentioned), false);
      assert.equal(canViewPost(ctx({ ...relations, following: ['author'] }), post('private'), publicAuthor, notMentioned), false);
      assert.equal(canViewPost(ctx(relations), post('direct'), publicAuthor, mentioned), false);
    }
  });
});

describe('posts leaving the site', () => {
  test('only public and unlisted posts of a public account are embeddable', () => {
    assert.equal(isPubliclyEmbeddable(post('public'), publicAuthor), true);
    assert.equal(isPubliclyEmbeddable(post('unlisted'), publicAuthor), true);
    assert.equal(isPubliclyEmbeddable(post('private'), publicAuthor), false);
    assert.equal(isPubliclyEmbeddable(post('direct'), publicAuthor), false);
    assert.equal(isPubliclyEmbeddable(post('public'), privateAuthor), false);
  });

  test('media of every post that is not publicly embeddable needs signed URLs', () => {
    assert.equal(needsRestrictedMedia(post('public'), publicAuthor), false);
    assert.equal(needsRestrictedMedia(post('private'), publicAuthor), true);
    assert.equal(needsRestrictedMedia(post('public'), privateAuthor), true);
  });
});

describe('home feed, management, likes', () => {
  test('the home feed holds own posts and followed authors, never muted or unfollowed ones', () => {
    assert.equal(belongsInHomeFeed(ctx({}, 'author'), post('public')), true);
    assert.equal(belongsInHomeFeed(follower(), post('public')), true);
    assert.equal(belongsInHomeFeed(ctx({ following: ['author'], muting: ['author'] }), post('public')), false);
    assert.equal(belongsInHomeFeed(ctx(), post('public')), false);
  });

  test('only the author manages a post', () => {
    assert.equal(canManagePost(ctx({}, 'author'), post('public')), true);
    assert.equal(canManagePost(follower(), post('public')), false);
    assert.equal(canManagePost(anonymousContext, post('public')), false);
  });

  test('liking needs a signed-in viewer who can see the post', () => {
    assert.equal(canLikePost(ctx(), post('public'), publicAuthor, notMentioned), true);
    assert.equal(canLikePost(anonymousContext, post('public'), publicAuthor, notMentioned), false);
    assert.equal(canLikePost(ctx(), post('private'), publicAuthor, notMentioned), false);
    assert.equal(canLikePost(ctx({ blockedBy: ['author'] }), post('public'), publicAuthor, notMentioned), false);
  });

  test('a hidden like count is shown to the author only', () => {
    const hidden = { ...post('public'), hide_like_count: 1 };
    assert.equal(canSeeLikeCount(ctx({}, 'author'), hidden), true);
    assert.equal(canSeeLikeCount(follower(), hidden), false);
    assert.equal(canSeeLikeCount(follower(), { ...post('public'), hide_like_count: 0 }), true);
  });
});
