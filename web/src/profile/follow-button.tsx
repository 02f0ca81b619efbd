import { useState } from 'react';
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

/**
 * Follow → (Requested on a private account) → Following. Pressing Requested cancels the
 * request and pressing Following unfollows, both at once, as the server allows undoing either.
 */
export function FollowButton({ accountId, relationship, onChange }: { accountId: string; relationship: Relationship; onChange: (relationship: Relationship) => void }) {
  const api = useApi();
  const [isBusy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const state = followStateOf(relationship);
  const hintId = `follow-hint-${accountId}`;

  const press = async () => {
    setBusy(true);
    setError(null);
    try {
      onChange(await accountAction(api, accountId, state === 'follow' ? 'follow' : 'unfollow'));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="follow-button-wrap">
      <button
        type="button"
        className={`button ${state === 'follow' ? 'button-primary' : 'button-secondary'}`}
        onClick={press}
        disabled={isBusy}
        aria-busy={isBusy}
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
