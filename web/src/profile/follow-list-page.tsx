import { useCallback } from 'react';
import { Link } from 'react-router';
import { ApiError } from '../api/api-client.ts';
import { useApi } from '../api/api-context.tsx';
import { accountListPath, fetchAccountPage, lookupAccount } from '../api/accounts-api.ts';
import type { Account } from '../api/mastodon-types.ts';
import { NotFoundPage } from '../app/not-found-page.tsx';
import { AccountRow, LoadMoreButton } from '../ui/account-row.tsx';
import { EmptyState, Loading, LoadError } from '../ui/feedback.tsx';
import { BackIcon, LockIcon } from '../ui/icons.tsx';
import { usePagedList } from '../ui/use-paged-list.ts';
import { useResource } from '../ui/use-resource.ts';
import { useDocumentTitle } from '../ui/use-document-title.ts';
import './profile.css';

const TITLES = { followers: 'Followers', following: 'Following' } as const;

export function FollowListPage({ kind, username }: { kind: 'followers' | 'following'; username: string }) {
  useDocumentTitle(`${TITLES[kind]} of @${username}`);
  const api = useApi();
  const [accountState, { reload }] = useResource((signal) => lookupAccount(api, username, signal), username);
  const account = accountState.status === 'ready' ? accountState.data : null;
  const loadPage = useCallback((path: string, signal?: AbortSignal) => fetchAccountPage(api, path, signal), [api]);
  const list = usePagedList<Account>(account ? accountListPath(kind, account.id) : null, loadPage);

  if (accountState.status === 'loading') return <Loading />;
  if (accountState.status === 'error') {
    if (accountState.error instanceof ApiError && accountState.error.status === 404) return <NotFoundPage />;
    return <LoadError error={accountState.error} onRetry={reload} />;
  }

  // A private account's lists answer 404 to anyone who does not follow it.
  const isPrivate = list.status === 'error' && list.error instanceof ApiError && list.error.status === 404;

  return (
    <div className="page page-narrow">
      <Link className="back-link" to={`/@${username}`}>
        <BackIcon />
        <span>@{username}</span>
      </Link>
      <h1 className="page-title">{TITLES[kind]}</h1>
      {list.status === 'loading' ? (
        <Loading />
      ) : isPrivate ? (
        <div className="private-notice">
          <span className="private-notice-icon" aria-hidden="true">
            <LockIcon />
          </span>
          <h2 className="private-notice-title">This account is private</h2>
          <p className="muted">Follow this account to see who they follow and who follows them.</p>
        </div>
      ) : list.status === 'error' ? (
        <LoadError error={list.error} onRetry={list.reload} />
      ) : list.items.length === 0 ? (
        <EmptyState title={kind === 'followers' ? 'No followers yet' : 'Not following anyone yet'} />
      ) : (
        <>
          <ul className="account-list">
            {list.items.map((item) => (
              <AccountRow key={item.id} account={item} />
            ))}
          </ul>
          {list.hasMore && <LoadMoreButton isLoading={list.isLoadingMore} onClick={list.loadMore} />}
        </>
      )}
    </div>
  );
}
