import { useEffect, useId, useState } from 'react';
import { isAbort } from '../api/api-client.ts';
import { useApi } from '../api/api-context.tsx';
import type { Account } from '../api/mastodon-types.ts';
import { useSession } from '../auth/session-context.tsx';
import { AccountRow, LoadMoreButton } from '../ui/account-row.tsx';
import { EmptyState, ErrorMessage, Loading, LoadError } from '../ui/feedback.tsx';
import { useDocumentTitle } from '../ui/use-document-title.ts';
import { addCloseFriends, fetchCloseFriends, removeCloseFriend } from '../stories/stories-api.ts';
import { usePeopleSearch } from '../stories/use-people-search.ts';
import './close-friends.css';

const PAGE = 200;

type ListState = { status: 'loading' } | { status: 'error'; error: unknown } | { status: 'ready'; accounts: Account[]; hasMore: boolean };

/**
 * `/settings/close-friends`: the people who see one's close-friends stories. Removing someone
 * hides those stories from them at once.
 */
export function CloseFriendsPage() {
  useDocumentTitle('Close friends');
  const api = useApi();
  const { account: me } = useSession();
  const searchId = useId();
  const [list, setList] = useState<ListState>({ status: 'loading' });
  const [generation, setGeneration] = useState(0);
  const [isLoadingMore, setLoadingMore] = useState(false);
  const [busy, setBusy] = useState<Set<string>>(new Set());
  const [error, setError] = useState<unknown>(null);
  const [message, setMessage] = useState('');
  const [text, setText] = useState('');
  const search = usePeopleSearch(text);

  useEffect(() => {
    const controller = new AbortController();
    setList({ status: 'loading' });
    fetchCloseFriends(api, 0, controller.signal).then(
      (accounts) => setList({ status: 'ready', accounts, hasMore: accounts.length >= PAGE }),
      (err: unknown) => {
        if (!isAbort(err)) setList({ status: 'error', error: err });
      },
    );
    return () => controller.abort();
  }, [api, generation]);

  const accounts = list.status === 'ready' ? list.accounts : [];
  const ids = new Set(accounts.map((a) => a.id));

  const withBusy = async (id: string, action: () => Promise<void>) => {
    setBusy((b) => new Set(b).add(id));
    setError(null);
    setMessage('');
    try {
      await action();
    } catch (err) {
      setError(err);
    } finally {
      setBusy((b) => {
        const next = new Set(b);
        next.delete(id);
        return next;
      });
    }
  };

  const add = (account: Account) =>
    withBusy(account.id, async () => {
      await addCloseFriends(api, [account.id]);
      setList((s) => (s.status === 'ready' && !s.accounts.some((a) => a.id === account.id) ? { ...s, accounts: [account, ...s.accounts] } : s));
      setMessage(`Added ${account.acct || account.username} to your close friends.`);
    });

  const remove = (account: Account) =>
    withBusy(account.id, async () => {
      await removeCloseFriend(api, account.id);
      setList((s) => (s.status === 'ready' ? { ...s, accounts: s.accounts.filter((a) => a.id !== account.id) } : s));
      setMessage(`Removed ${account.acct || account.username} from your close friends.`);
    });

  const loadMore = async () => {
    if (list.status !== 'ready') return;
    setLoadingMore(true);
    try {
      const more = await fetchCloseFriends(api, list.accounts.length);
      setList((s) => (s.status === 'ready' ? { ...s, accounts: [...s.accounts, ...more.filter((a) => !s.accounts.some((b) => b.id === a.id))], hasMore: more.length >= PAGE } : s));
    } catch (err) {
      setError(err);
    } finally {
      setLoadingMore(false);
    }
  };

  const results = search.accounts.filter((a) => a.id !== me?.id);

  return (
    <section className="settings-section close-friends">
      <h1 className="page-title">Close friends</h1>
      <p className="muted">Only the people on this list see the stories you share with &ldquo;Close friends&rdquo;. Nobody is told when you add or remove them.</p>

      <div className="field close-friends-search">
        <label className="field-label" htmlFor={searchId}>
          Add people
        </label>
        <input
          id={searchId}
          className="field-input"
          type="search"
          autoComplete="off"
          autoCapitalize="none"
          spellCheck={false}
          maxLength={100}
          placeholder="Search by name or username"
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
      </div>
      {text.trim() !== '' && (
        <section aria-label="Search results" aria-live="polite">
          {search.isSearching ? (
            <Loading label="Searching…" />
          ) : search.error ? (
            <ErrorMessage error={search.error} />
          ) : results.length === 0 ? (
            <p className="muted">Nobody found.</p>
          ) : (
            <ul className="account-list">
              {results.map((account) => (
                <AccountRow key={account.id} account={account}>
                  {ids.has(account.id) ? (
                    <span className="pill">On your list</span>
                  ) : (
                    <button
                      type="button"
                      className="button button-primary button-small"
                      onClick={() => add(account)}
                      disabled={busy.has(account.id)}
                      aria-label={`Add ${account.acct || account.username}`}
                    >
                      Add
                    </button>
                  )}
                </AccountRow>
              ))}
            </ul>
          )}
        </section>
      )}

      <p className="success-message" role="status">
        {message}
      </p>
      <ErrorMessage error={error} />

      <h2 className="close-friends-heading">Your list{list.status === 'ready' ? ` (${accounts.length}${list.hasMore ? '+' : ''})` : ''}</h2>
      {list.status === 'loading' ? (
        <Loading />
      ) : list.status === 'error' ? (
        <LoadError error={list.error} onRetry={() => setGeneration((g) => g + 1)} />
      ) : accounts.length === 0 ? (
        <EmptyState title="No close friends yet">
          <p>Search for people above to add them.</p>
        </EmptyState>
      ) : (
        <>
          <ul className="account-list" aria-label="Your close friends">
            {accounts.map((account) => (
              <AccountRow key={account.id} account={account}>
                <button
                  type="button"
                  className="button button-secondary button-small"
                  onClick={() => remove(account)}
                  disabled={busy.has(account.id)}
                  aria-label={`Remove ${account.acct || account.username}`}
                >
                  Remove
                </button>
              </AccountRow>
            ))}
          </ul>
          {list.hasMore && <LoadMoreButton isLoading={isLoadingMore} onClick={loadMore} />}
        </>
      )}
    </section>
  );
}
