import { useMutation } from '@tanstack/react-query';
import { useApi } from '../api/api-context.tsx';
import { accountAction } from '../api/accounts-api.ts';
import type { Relationship } from '../api/mastodon-types.ts';
import { ErrorMessage } from '../ui/feedback.tsx';

export type FollowState = 'follow' | 'requested' | 'following';

/** Which of the three buttons a relationship calls for. */
export function followStateOf(relationship: Pick<Relationship, 'following' | 'requested'>): FollowState {
  if (relationship.following) return 'following';
  if (relationship.requested) return 'requested';
  return 'follow';
}

const LABELS: Record<FollowState, string> = { follow: 'Follow', requested: 'Requested', following: 'Following' };
const HINTS: Record<FollowState, string | undefined> = {
  follow: undefined,
  requested: 'Your request is waiting for approval. Press to cancel it.',
  following: 'Press to unfollow.',
};

/** The relationship as it looks once the button is pressed, before the server answers. */
export function optimisticFollow(relationship: Relationship, locked: boolean): Relationship {
  if (followStateOf(relationship) !== 'follow') return { ...relationship, following: false, requested: false };
  return { ...relationship, following: !locked, requested: locked };
}

/**
 * Follow → (Requested on a private account) → Following. Pressing Requested cancels the
 * request and pressing Following unfollows, both at once, as the server allows undoing either.
 * The button changes in the same tick (a mutation with rollback): the server's answer then
 * replaces the guess, and a refusal puts the relationship back as it was.
 */
export function FollowButton({
  accountId,
  relationship,
  onChange,
  locked = false,
}: {
  accountId: string;
  relationship: Relationship;
  onChange: (relationship: Relationship) => void;
  /** A private account: the guess is Requested, not Following. */
  locked?: boolean;
}) {
  const api = useApi();
  const state = followStateOf(relationship);
  const hintId = `follow-hint-${accountId}`;
  const { mutate, isPending, error, reset } = useMutation({
    mutationFn: (action: 'follow' | 'unfollow') => accountAction(api, accountId, action),
  });

  const press = () => {
    const before = relationship;
    onChange(optimisticFollow(before, locked));
    reset();
    // A `mutate` call's own callbacks run for the latest press only.
    mutate(state === 'follow' ? 'follow' : 'unfollow', { onSuccess: onChange, onError: () => onChange(before) });
  };

  return (
    <div className="follow-button-wrap">
      <button
        type="button"
        className={`button ${state === 'follow' ? 'button-primary' : 'button-secondary'}`}
        onClick={press}
        aria-busy={isPending}
        aria-describedby={HINTS[state] ? hintId : undefined}
      >
        {LABELS[state]}
      </button>
      {HINTS[state] && (
        <span id={hintId} className="visually-hidden">
          {HINTS[state]}
        </span>
      )}
      <ErrorMessage error={error} />
    </div>
  );
}
