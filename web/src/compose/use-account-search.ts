import { useEffect, useState } from 'react';
import { isAbort } from '../api/api-client.ts';
import { useApi } from '../api/api-context.tsx';
import { searchAccounts } from '../api/accounts-api.ts';
import type { Account } from '../api/mastodon-types.ts';

export const SEARCH_DEBOUNCE_MS = 200;

/**
 * Accounts matching `query` (null: no search), asked for after a short pause in typing. The
 * result is only ever the one for the current query, never a late answer to an older one.
 */
export function useAccountSearch(query: string | null, limit = 5): { accounts: Account[]; isSearching: boolean } {
  const api = useApi();
  const [result, setResult] = useState<{ query: string; accounts: Account[] } | null>(null);

  useEffect(() => {
    if (!query) return;
    const controller = new AbortController();
    const timer = window.setTimeout(() => {
      searchAccounts(api, query, controller.signal, limit).then(
        (accounts) => {
          if (!controller.signal.aborted) setResult({ query, accounts });
        },
        (error: unknown) => {
          if (!controller.signal.aborted && !isAbort(error)) setResult({ query, accounts: [] });
        },
      );
    }, SEARCH_DEBOUNCE_MS);
    return () => {
      window.clearTimeout(timer);
      controller.abort();
    };
  }, [api, query, limit]);

  const isCurrent = query !== null && result?.query === query;
  return { accounts: isCurrent ? result.accounts : [], isSearching: query !== null && !isCurrent };
}
