import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useState } from 'react';
import './follow-requests.css';
import { useApi } from '../api/api-context.tsx';
import { accountAction, answerFollowRequest, fetchAccountPage } from '../api/accounts-api.ts';
import type { Account, Relationship } from '../api/mastodon-types.ts';
import { Avatar } from '../ui/avatar.tsx';
import { FollowButton } from '../profile/follow-button.tsx';
import { AccountRow, LoadMoreButton } from '../ui/account-row.tsx';
import { EmptyState, ErrorMessage, Loading, LoadError } from '../ui/feedback.tsx';
import { PersonAddIcon } from '../ui/icons.tsx';
import { displayNameOf } from '../ui/account-name.ts';
import { usePagedList } from '../ui/use-paged-list.ts';
import { useDocumentTitle } from '../ui/use-document-title.ts';

function RequestRow({ account, onAnswered }: { account: Account; onAnswered: (account: Account, verdict: 'authorize' | 'reject', relationship: Relationship) => void }) {
  const api = useApi();
  const [busy, setBusy] = useState<'authorize' | 'reject' | null>(null);
  const [error, setError] = useState<unknown>(null);

  const answer = async (verdict: 'authorize' | 'reject') => {
    setBusy(verdict);
    setError(null);
    try {
      onAnswered(account, verdict, await answerFollowRequest(api, account.id, verdict));
    } catch (err) {
      setError(err);
      setBusy(null);
    }
  };

  return (
    <AccountRow account={account} below={error ? <ErrorMessage error={error} /> : undefined}>
      <button type="button" className="button button-primary button-small" onClick={() => answer('authorize')} disabled={busy !== null} aria-busy={busy === 'authorize'}>
        Accept
      </button>
      <button type="button" className="button button-secondary button-small" onClick={() => answer('reject')} disabled={busy !== null} aria-busy={busy === 'reject'}>
        Decline
      </button>
    </AccountRow>
  );
}

/**
 * Someone just accepted, whom the viewer does not follow yet: "Follow back" once, then the
 * usual follow button, so a request sent by mistake can be undone at once.
 */
function FollowBack({ account }: { account: Account }) {
  const api = useApi();
  const [relationship, setRelationship] = useState<Relationship | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const followBack = async () => {
    setBusy(true);
    setError(null);
    try {
      setRelationship(await accountAction(api, account.id, 'follow'));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="follow-back">
      <Avatar account={account} size="medium" />
      <p className="follow-back-text" id={`follow-back-${account.id}`}>
        <strong>{displayNameOf(account)}</strong> can now see your posts.
      </p>
      {relationship ? (
        <FollowButton accountId={account.id} relationship={relationship} onChange={setRelationship} locked={account.locked} />
      ) : (
        <div className="follow-button-wrap">
          <button type="button" className="button button-primary button-small" onClick={followBack} disabled={busy} aria-busy={busy} aria-describedby={`follow-back-${account.id}`}>
            Follow back
          </button>
          <ErrorMessage error={error} />
        </div>
      )}
    </div>
  );
}

export function FollowRequestsPage() {
  useDocumentTitle('Follow requests');
  const api = useApi();
  const loadPage = useCallback((path: string, signal?: AbortSignal) => fetchAccountPage(api, path, signal), [api]);
  const list = usePagedList<Account>('/api/v1/follow_requests', loadPage);
  const [announcement, setAnnouncement] = useState('');
  const [accepted, setAccepted] = useState<Account[]>([]);
  const queryClient = useQueryClient();

  const onAnswered = (account: Account, verdict: 'authorize' | 'reject', relationship: Relationship) => {
    list.setItems((items) => items.filter((a) => a.id !== account.id));
    // The notifications page's banner of pending requests reads the same list.
    void queryClient.invalidateQueries({ queryKey: ['follow-requests'] });
    // Offer to follow back only someone not followed (nor asked) yet.
    if (verdict === 'authorize' && !relationship?.following && !relationship?.requested) setAccepted((old) => [account, ...old.filter((a) => a.id !== account.id)]);
    setAnnouncement(verdict === 'authorize' ? `${displayNameOf(account)} can now see your posts.` : `Request from ${displayNameOf(account)} declined.`);
  };

  return (
    <div className="page page-narrow">
      <h1 className="page-title">Follow requests</h1>
      <p className="visually-hidden" role="status">
        {announcement}
      </p>
      {accepted.length > 0 && (
        <section className="follow-back-list" aria-label="Accepted">
          {accepted.map((account) => (
            <FollowBack key={account.id} account={account} />
          ))}
        </section>
      )}
      {list.status === 'loading' ? (
        <Loading />
      ) : list.status === 'error' ? (
        <LoadError error={list.error} onRetry={list.reload} />
      ) : list.items.length === 0 ? (
        <EmptyState icon={<PersonAddIcon />} title="No pending follow requests">
          <p>When your account is private, people who want to follow you appear here.</p>
        </EmptyState>
      ) : (
        <>
          <ul className="account-list">
            {list.items.map((account) => (
              <RequestRow key={account.id} account={account} onAnswered={onAnswered} />
            ))}
          </ul>
          {list.hasMore && <LoadMoreButton isLoading={list.isLoadingMore} onClick={list.loadMore} />}
        </>
      )}
    </div>
  );
}
