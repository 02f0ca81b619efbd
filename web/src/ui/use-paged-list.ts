import { useCallback, useMemo, useReducer, useRef } from 'react';
import { useInfiniteQuery, useQueryClient, type InfiniteData, type QueryKey } from '@tanstack/react-query';
import type { Page } from '../api/api-client.ts';

export interface PagedList<T> {
  status: 'loading' | 'ready' | 'error';
  items: T[];
  error: unknown;
  hasMore: boolean;
  isLoadingMore: boolean;
  loadMore: () => void;
  reload: () => void;
  setItems: (change: (items: T[]) => T[]) => void;
}

/** The prefix of every paged list's cache entry: ['paged', firstPath]. */
export const PAGED_KEY = 'paged';

/** The cache key of the list that starts at `firstPath`, for other screens to update or invalidate it. */
export function pagedListKey(firstPath: string): QueryKey {
  return [PAGED_KEY, firstPath];
}

/**
 * Replaces the items of a cached paged list, keeping how many pages it has and where each
 * continues, so a background refresh fetches as many pages as the reader has seen.
 */
export function changePagedItems<T>(data: InfiniteData<Page<T>, string> | undefined, change: (items: T[]) => T[]): InfiniteData<Page<T>, string> | undefined {
  if (!data) return data;
  const items = change(data.pages.flatMap((page) => page.items));
  return { ...data, pages: data.pages.map((page, i) => ({ items: i === 0 ? items : [], nextPath: page.nextPath })) };
}

/**
 * A list that pages with Mastodon's Link header, on TanStack Query's infinite queries.
 * `firstPath` null means "nothing to load yet". The cache is keyed by `firstPath`, so a screen
 * that mounts again shows the list it had at once and refreshes it in the background.
 */
export function usePagedList<T>(firstPath: string | null, loadPage: (path: string, signal?: AbortSignal) => Promise<Page<T>>): PagedList<T> {
  const loadRef = useRef(loadPage);
  loadRef.current = loadPage;
  const queryClient = useQueryClient();
  // The cache tells its observers on a later tick; `setItems` re-renders at once as well.
  const [, rerender] = useReducer((n: number) => n + 1, 0);
  const queryKey = useMemo(() => [PAGED_KEY, firstPath], [firstPath]);

  const query = useInfiniteQuery({
    queryKey,
    enabled: firstPath !== null,
    initialPageParam: firstPath ?? '',
    queryFn: async ({ pageParam, signal }): Promise<Page<T>> => {
      const page = await loadRef.current(pageParam, signal);
      // An empty later page ends the list even if the server still sends a next link.
      return pageParam !== firstPath && page.items.length === 0 ? { items: page.items, nextPath: null } : page;
    },
    getNextPageParam: (last) => last.nextPath ?? undefined,
    staleTime: 0,
  });

  const { hasNextPage, isFetchingNextPage, fetchNextPage } = query;
  const loadMore = useCallback(() => {
    if (hasNextPage && !isFetchingNextPage) void fetchNextPage({ cancelRefetch: false });
  }, [hasNextPage, isFetchingNextPage, fetchNextPage]);
  // "Reload" starts over from the first page, showing the loading state as before.
  const reload = useCallback(() => void queryClient.resetQueries({ queryKey, exact: true }), [queryClient, queryKey]);
  const setItems = useCallback(
    (change: (items: T[]) => T[]) => {
      queryClient.setQueryData<InfiniteData<Page<T>, string>>(queryKey, (data) => changePagedItems(data, change));
      rerender();
    },
    [queryClient, queryKey],
  );
  const items = useMemo(() => query.data?.pages.flatMap((page) => page.items) ?? [], [query.data]);

  let status: PagedList<T>['status'];
  if (query.data) status = 'ready';
  else if (query.status === 'error' && !query.isFetching) status = 'error';
  else status = 'loading';
  return {
    status,
    items,
    error: query.isFetching ? null : query.error,
    hasMore: Boolean(hasNextPage),
    isLoadingMore: isFetchingNextPage,
    loadMore,
    reload,
    setItems,
  };
}
