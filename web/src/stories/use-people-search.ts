import { useEffect, useState } from 'react';
import { isAbort } from '../api/api-client.ts';
import { useApi } from '../api/api-context.tsx';
import { searchAccounts } from '../api/accounts-api.ts';
import type { Account } from '../api/mastodon-types.ts';

export const PEOPLE_SEARCH_DEBOUNCE_MS = 250;

/**
 * Accounts matching what is typed, asked for after a short pause. Only the answer to the
 * current text is ever returned, never a late one to older text.
 */
export function usePeopleSearch(text: string, limit = 8): { accounts: Account[]; isSearching: boolean; error: unknown } {
  const api = useApi();
  const query = text.trim().replace(/^@/, '');
  const [result, setResult] = useState<{ query: string; accounts: Account[]; error: unknown } | null>(null);

  useEffect(() => {
    if (!query) return;
    const controller = new AbortController();
    const timer = window.setTimeout(() => {
      searchAccounts(api, query, controller.signal, limit).then(
        (accounts) => {
          if (!controller.signal.aborted) setResult({ query, accounts, error: null });
        },
        (error: unknown) => {
          if (!controller.signal.aborted && !isAbort(error)) setResult({ query, accounts: [], error });
        },
      );
    }, PEOPLE_SEARCH_DEBOUNCE_MS);
    return () => {
      window.clearTimeout(timer);
      controller.abort();
    };
  }, [api, query, limit]);

  const isCurrent = query !== '' && result?.query === query;
  return { accounts: isCurrent ? result.accounts : [], isSearching: query !== '' && !isCurrent, error: isCurrent ? result.error : null };
}
