import { useCallback, useState } from 'react';
import { useApi } from '../api/api-context.tsx';
import { answerFollowRequest, fetchAccountPage } from '../api/accounts-api.ts';
import type { Account } from '../api/mastodon-types.ts';
import { AccountRow, LoadMoreButton } from '../ui/account-row.tsx';
import { EmptyState, ErrorMessage, Loading, LoadError } from '../ui/feedback.tsx';
import { PersonAddIcon } from '../ui/icons.tsx';
import { displayNameOf } from '../ui/account-name.ts';
import { usePagedList } from '../ui/use-paged-list.ts';
import { useDocumentTitle } from '../ui/use-document-title.ts';

function RequestRow({ account, onAnswered }: { account: Account; onAnswered: (account: Account, verdict: 'authorize' | 'reject') => void }) {
  const api = useApi();
  const [busy, setBusy] = useState<'authorize' | 'reject' | null>(null);
  const [error, setError] = useState<unknown>(null);

  const answer = async (verdict: 'authorize' | 'reject') => {
    setBusy(verdict);
    setError(null);
    try {
      await answerFollowRequest(api, account.id, verdict);
      onAnswered(account, verdict);
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

export function FollowRequestsPage() {
  useDocumentTitle('Follow requests');
  const api = useApi();
  const loadPage = useCallback((path: string, signal?: AbortSignal) => fetchAccountPage(api, path, signal), [api]);
  const list = usePagedList<Account>('/api/v1/follow_requests', loadPage);
  const [announcement, setAnnouncement] = useState('');

  const onAnswered = (account: Account, verdict: 'authorize' | 'reject') => {
    list.setItems((items) => items.filter((a) => a.id !== account.id));
    setAnnouncement(verdict === 'authorize' ? `${displayNameOf(account)} can now see your posts.` : `Request from ${displayNameOf(account)} declined.`);
  };

  return (
    <div className="page page-narrow">
      <h1 className="page-title">Follow requests</h1>
      <p className="visually-hidden" role="status">
        {announcement}
      </p>
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
