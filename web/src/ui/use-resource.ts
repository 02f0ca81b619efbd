import { useCallback, useId, useReducer } from 'react';
import { useQuery, useQueryClient, type QueryKey } from '@tanstack/react-query';

export type Resource<T> =
  | { status: 'loading' }
  | { status: 'error'; error: unknown }
  | { status: 'ready'; data: T };

export interface ResourceControls<T> {
  reload: () => void;
  /** Replaces the loaded value in place (after a write that returned the new state). */
  update: (change: (current: T) => T) => void;
}

export interface ResourceOptions {
  /**
   * A key that names the data app-wide, so other screens share the cache and can update or
   * invalidate it (e.g. ['account', username]). Without one the cache belongs to this call
   * site: `key` strings such as a bare post id are not unique across screens.
   */
  queryKey?: QueryKey;
}

/** The prefix of every useResource cache entry, for invalidating them all. */
export const RESOURCE_KEY = 'resource';

/**
 * Loads data for a screen and reloads whenever `key` changes, on TanStack Query: the request
 * is aborted when the screen moves on, and a slow answer never overwrites a newer one.
 * A screen that mounts again shows what it showed last and refreshes it in the background.
 */
export function useResource<T>(load: (signal: AbortSignal) => Promise<T>, key: string, options: ResourceOptions = {}): [Resource<T>, ResourceControls<T>] {
  const site = useId();
  const queryKey: QueryKey = options.queryKey ? [...options.queryKey, key] : [RESOURCE_KEY, site, key];
  const queryClient = useQueryClient();
  // The cache tells its observers on a later tick; a write (an optimistic like) must show in
  // the same tick, so `update` also re-renders this screen, which then reads the cache.
  const [, rerender] = useReducer((n: number) => n + 1, 0);
  const query = useQuery({
    queryKey,
    // `load` is a fresh closure each render; the key says when its inputs changed.
    queryFn: ({ signal }) => load(signal),
    // The screens built on this hook expect fresh data on every visit (they write without
    // invalidating); the cached value is shown meanwhile.
    staleTime: 0,
  });
  const keyText = JSON.stringify(queryKey);

  const reload = useCallback(() => {
    const exact = { queryKey: JSON.parse(keyText) as QueryKey, exact: true };
    // After a failure, "try again" shows the loading state again, as before.
    if (queryClient.getQueryState(exact.queryKey)?.status === 'error') void queryClient.resetQueries(exact);
    else void queryClient.refetchQueries(exact);
  }, [queryClient, keyText]);
  const update = useCallback(
    (change: (current: T) => T) => {
      queryClient.setQueryData<T>(JSON.parse(keyText) as QueryKey, (current) => (current === undefined ? current : change(current)));
      rerender();
    },
    [queryClient, keyText],
  );

  let state: Resource<T>;
  if (query.status === 'success') state = { status: 'ready', data: query.data };
  else if (query.status === 'error' && !query.isFetching) state = { status: 'error', error: query.error };
  else state = { status: 'loading' };
  return [state, { reload, update }];
}
