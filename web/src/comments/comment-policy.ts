import type { CommentPolicy, Relationship } from '../api/mastodon-types.ts';

export const COMMENT_POLICY_CHOICES: Array<{ value: CommentPolicy; label: string }> = [
  { value: 'everyone', label: 'Everyone' },
  { value: 'followers', label: 'Followers' },
  { value: 'following', label: 'People you follow' },
  { value: 'followers_and_following', label: 'Followers and people you follow' },
  { value: 'nobody', label: 'Nobody' },
];

export function isCommentPolicy(value: unknown): value is CommentPolicy {
  return COMMENT_POLICY_CHOICES.some((c) => c.value === value);
}

/**
 * Whether the viewer may comment, as the server decides it (server/src/access/comment-policy.ts):
 * the author always may; nobody blocked either way may; otherwise the post's policy, where
 * "followers" are the author's followers (the viewer follows the author) and "following" the
 * people the author follows. `relationship` undefined means not known (yet): the box is shown
 * and a refusal from the server is handled when it comes.
 */
export function mayComment(options: { policy: CommentPolicy | undefined; isSignedIn: boolean; isAuthor: boolean; relationship: Relationship | null | undefined }): boolean {
  const { policy, isSignedIn, isAuthor, relationship } = options;
  if (!isSignedIn) return false;
  if (isAuthor) return true;
  if (policy === 'nobody') return false;
  if (relationship === undefined) return true;
  const rel = relationship ?? { following: false, followed_by: false, blocking: false, blocked_by: false };
  if (rel.blocking || rel.blocked_by) return false;
  const isFollower = Boolean(rel.following);
  const isFollowed = Boolean(rel.followed_by);
  switch (policy ?? 'everyone') {
    case 'everyone':
      return true;
    case 'followers':
      return isFollower;
    case 'following':
      return isFollowed;
    case 'followers_and_following':
      return isFollower || isFollowed;
    default:
      return false;
  }
}
