import { useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useApi } from '../api/api-context.tsx';
import { searchAccounts } from '../api/accounts-api.ts';
import { AccountRow } from '../ui/account-row.tsx';
import { Loading, LoadError } from '../ui/feedback.tsx';
import { useResource } from '../ui/use-resource.ts';
import { useDocumentTitle } from '../ui/use-document-title.ts';
import type { Account } from '../api/mastodon-types.ts';
import { hashtagPath, searchHashtags, type Hashtag } from '../hashtags/hashtags-api.ts';

const DEBOUNCE_MS = 300;

/**
 * Find people by name or username, and hashtags by their start ("#bir" or "bir"). The query
 * lives in the URL so Back returns to results.
 */
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

  const isTagQuery = committed.startsWith('#');
  const [results, { reload }] = useResource<Account[] | null>(
    (signal) => (committed && !isTagQuery ? searchAccounts(api, committed, signal) : Promise.resolve(null)),
    committed,
  );
  const [tags] = useResource<Hashtag[]>((signal) => (committed.replace(/^#/, '') ? searchHashtags(api, committed, signal).catch(() => []) : Promise.resolve([])), committed);
  const tagList = tags.status === 'ready' ? tags.data : [];

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
          Search people and tags
        </label>
        <input
          id="search-people"
          className="field-input search-input"
          type="search"
          placeholder="Search people and #tags"
          autoComplete="off"
          autoCapitalize="none"
          spellCheck={false}
          maxLength={100}
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
      </form>
      <section aria-label="Results" aria-live="polite">
        {tagList.length > 0 && (
          <section aria-label="Tags" className="search-tags">
            <h2 className="section-title">Tags</h2>
            <ul className="tag-list">
              {tagList.map((tag) => (
                <li key={tag.name}>
                  <Link to={hashtagPath(tag.name)} className="tag-link">
                    #{tag.name}
                  </Link>
                </li>
              ))}
            </ul>
          </section>
        )}
        {!committed ? (
          <p className="muted">Search for people by name or username, or for #tags.</p>
        ) : isTagQuery ? (
          tags.status === 'loading' ? (
            <Loading label="Searching…" />
          ) : tagList.length === 0 ? (
            <p className="muted">No tags found for &ldquo;{committed}&rdquo;.</p>
          ) : null
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
