import { useCallback, useEffect, useRef, useState } from 'react';
import { isAbort, type Page } from '../api/api-client.ts';

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

/**
 * A list that pages with Mastodon's Link header. `firstPath` null means "nothing to load yet".
 */
export function usePagedList<T>(firstPath: string | null, loadPage: (path: string, signal?: AbortSignal) => Promise<Page<T>>): PagedList<T> {
  const [items, setItemsState] = useState<T[]>([]);
  const [status, setStatus] = useState<PagedList<T>['status']>('loading');
  const [error, setError] = useState<unknown>(null);
  const [nextPath, setNextPath] = useState<string | null>(null);
  const [isLoadingMore, setLoadingMore] = useState(false);
  const [generation, setGeneration] = useState(0);
  const loadRef = useRef(loadPage);
  loadRef.current = loadPage;
  const currentRun = useRef(0);

  useEffect(() => {
    if (!firstPath) return;
    const controller = new AbortController();
    const run = ++currentRun.current;
    setStatus('loading');
    setItemsState([]);
    setNextPath(null);
    setError(null);
    loadRef.current(firstPath, controller.signal).then(
      (page) => {
        if (controller.signal.aborted) return;
        setItemsState(page.items);
        setNextPath(page.nextPath);
        setStatus('ready');
      },
      (err: unknown) => {
        if (controller.signal.aborted || isAbort(err)) return;
        setError(err);
        setStatus('error');
      },
    );
    return () => {
      controller.abort();
      if (currentRun.current === run) currentRun.current++;
    };
  }, [firstPath, generation]);

  const loadMore = useCallback(() => {
    if (!nextPath || isLoadingMore) return;
    const run = currentRun.current;
    setLoadingMore(true);
    setError(null);
    loadRef.current(nextPath).then(
      (page) => {
        if (currentRun.current !== run) return;
        setItemsState((current) => [...current, ...page.items]);
        setNextPath(page.items.length > 0 ? page.nextPath : null);
        setLoadingMore(false);
      },
      (err: unknown) => {
        if (currentRun.current !== run) return;
        setError(err);
        setLoadingMore(false);
      },
    );
  }, [nextPath, isLoadingMore]);

  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  const setItems = useCallback((change: (items: T[]) => T[]) => setItemsState(change), []);

  return { status, items, error, hasMore: nextPath !== null, isLoadingMore, loadMore, reload, setItems };
}
