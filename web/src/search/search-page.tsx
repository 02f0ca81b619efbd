import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router';
import { useApi } from '../api/api-context.tsx';
import { searchAccounts } from '../api/accounts-api.ts';
import { AccountRow } from '../ui/account-row.tsx';
import { Loading, LoadError } from '../ui/feedback.tsx';
import { useResource } from '../ui/use-resource.ts';
import { useDocumentTitle } from '../ui/use-document-title.ts';
import type { Account } from '../api/mastodon-types.ts';

const DEBOUNCE_MS = 300;

/** Find people by name or username. The query lives in the URL so Back returns to results. */
export function SearchPage() {
  useDocumentTitle('Search');
  const api = useApi();
  const [params, setParams] = useSearchParams();
  const committed = params.get('q') ?? '';
  const [text, setText] = useState(committed);

  useEffect(() => {
    const trimmed = text.trim();
    if (trimmed === committed) return;
    const timer = window.setTimeout(() => setParams(trimmed ? { q: trimmed } : {}, { replace: true }), DEBOUNCE_MS);
    return () => window.clearTimeout(timer);
  }, [text, committed, setParams]);

  const [results, { reload }] = useResource<Account[] | null>((signal) => (committed ? searchAccounts(api, committed, signal) : Promise.resolve(null)), committed);

  return (
    <div className="page page-narrow">
      <h1 className="page-title">Search</h1>
      <form
        role="search"
        className="search-form"
        onSubmit={(event) => {
          event.preventDefault();
          const trimmed = text.trim();
          setParams(trimmed ? { q: trimmed } : {}, { replace: true });
        }}
      >
        <label className="visually-hidden" htmlFor="search-people">
          Search people
        </label>
        <input
          id="search-people"
          className="field-input search-input"
          type="search"
          placeholder="Search people"
          autoComplete="off"
          autoCapitalize="none"
          spellCheck={false}
          maxLength={100}
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
      </form>
      <section aria-label="Results" aria-live="polite">
        {!committed ? (
          <p className="muted">Search for people by name or username.</p>
        ) : results.status === 'loading' ? (
          <Loading label="Searching…" />
        ) : results.status === 'error' ? (
          <LoadError error={results.error} onRetry={reload} />
        ) : results.data && results.data.length > 0 ? (
          <ul className="account-list">
            {results.data.map((account) => (
              <AccountRow key={account.id} account={account} />
            ))}
          </ul>
        ) : (
          <p className="muted">No accounts found for &ldquo;{committed}&rdquo;.</p>
        )}
      </section>
    </div>
  );
}
