import type { CommentPolicy } from '../api/mastodon-types.ts';

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
