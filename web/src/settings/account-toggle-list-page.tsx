import { useCallback, useState } from 'react';
import { useApi } from '../api/api-context.tsx';
import { accountAction, fetchAccountPage, type AccountAction } from '../api/accounts-api.ts';
import type { Account } from '../api/mastodon-types.ts';
import { AccountRow, LoadMoreButton } from '../ui/account-row.tsx';
import { EmptyState, ErrorMessage, Loading, LoadError } from '../ui/feedback.tsx';
import { usePagedList } from '../ui/use-paged-list.ts';
import { useDocumentTitle } from '../ui/use-document-title.ts';

interface ToggleListConfig {
  title: string;
  path: string;
  emptyTitle: string;
  emptyText: string;
  /** The action that undoes the list's relation (unblock), and the one that restores it (block). */
  undo: { action: AccountAction; label: string };
  redo: { action: AccountAction; label: string };
}

const BLOCKED: ToggleListConfig = {
  title: 'Blocked accounts',
  path: '/api/v1/blocks',
  emptyTitle: 'You haven’t blocked anyone',
  emptyText: 'People you block can’t find your profile, see your posts or follow you.',
  undo: { action: 'unblock', label: 'Unblock' },
  redo: { action: 'block', label: 'Block' },
};

const MUTED: ToggleListConfig = {
  title: 'Muted accounts',
  path: '/api/v1/mutes',
  emptyTitle: 'You haven’t muted anyone',
  emptyText: 'Muted accounts don’t know they are muted; their posts and notifications stay out of your way.',
  undo: { action: 'unmute', label: 'Unmute' },
  redo: { action: 'mute', label: 'Mute' },
};

export function BlockedAccountsPage() {
  return <AccountToggleListPage config={BLOCKED} />;
}

export function MutedAccountsPage() {
  return <AccountToggleListPage config={MUTED} />;
}

function ToggleRow({ account, config }: { account: Account; config: ToggleListConfig }) {
  const api = useApi();
  const [isUndone, setUndone] = useState(false);
  const [isBusy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const step = isUndone ? config.redo : config.undo;

  const press = async () => {
    setBusy(true);
    setError(null);
    try {
      await accountAction(api, account.id, step.action);
      setUndone(!isUndone);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <AccountRow account={account} below={error ? <ErrorMessage error={error} /> : undefined}>
      <button type="button" className={`button button-small ${isUndone ? 'button-primary' : 'button-secondary'}`} onClick={press} disabled={isBusy} aria-busy={isBusy}>
        {step.label}
      </button>
    </AccountRow>
  );
}

/**
 * Blocked and muted accounts. Undoing keeps the row (with the opposite button) until the
 * page is left, so a mistaken press can be taken back.
 */
function AccountToggleListPage({ config }: { config: ToggleListConfig }) {
  useDocumentTitle(config.title);
  const api = useApi();
  const loadPage = useCallback((path: string, signal?: AbortSignal) => fetchAccountPage(api, path, signal), [api]);
  const list = usePagedList<Account>(config.path, loadPage);

  return (
    <section className="settings-section">
      <h1 className="page-title">{config.title}</h1>
      {list.status === 'loading' ? (
        <Loading />
      ) : list.status === 'error' ? (
        <LoadError error={list.error} onRetry={list.reload} />
      ) : list.items.length === 0 ? (
        <EmptyState title={config.emptyTitle}>
          <p>{config.emptyText}</p>
        </EmptyState>
      ) : (
        <>
          <ul className="account-list">
            {list.items.map((account) => (
              <ToggleRow key={account.id} account={account} config={config} />
            ))}
          </ul>
          {list.hasMore && <LoadMoreButton isLoading={list.isLoadingMore} onClick={list.loadMore} />}
        </>
      )}
    </section>
  );
}
