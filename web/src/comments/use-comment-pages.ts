import { useCallback, useEffect, useRef, useState } from 'react';
import { isAbort, type ApiClient } from '../api/api-client.ts';
import { fetchComments, type CommentItem, type CommentSort, type SimilarComments } from './comments-api.ts';

export const COMMENT_PAGE_SIZE = 20;

export interface CommentPages {
  status: 'loading' | 'ready' | 'error';
  items: CommentItem[];
  /** The storms, from the first page: shown apart, after the comments. */
  similar: SimilarComments | null;
  error: unknown;
  hasMore: boolean;
  isLoadingMore: boolean;
  moreError: unknown;
  loadMore: () => void;
  /** The first page again; what is shown stays until it arrives. */
  reload: () => void;
  setItems: (change: (items: CommentItem[]) => CommentItem[]) => void;
  setSimilar: (change: (similar: SimilarComments | null) => SimilarComments | null) => void;
}

export function itemKey(item: CommentItem): string {
  return `c:${item.status.id}`;
}

/** The comments of a post in one order, paged with the server's cursor. */
export function useCommentPages(api: ApiClient, postId: string, sort: CommentSort): CommentPages {
  const key = `${postId}:${sort}`;
  const [state, setState] = useState<{ key: string; status: CommentPages['status']; items: CommentItem[]; similar: SimilarComments | null; nextCursor: string | null; error: unknown }>({
    key,
    status: 'loading',
    items: [],
    similar: null,
    nextCursor: null,
    error: null,
  });
  const [more, setMore] = useState<{ isLoading: boolean; error: unknown }>({ isLoading: false, error: null });
  const [generation, setGeneration] = useState(0);
  const run = useRef(0);

  useEffect(() => {
    const controller = new AbortController();
    const current = ++run.current;
    // Another order starts empty; a reload of the same order keeps the list until it arrives.
    setState((s) => (s.key === key && s.status === 'ready' ? s : { key, status: 'loading', items: [], similar: null, nextCursor: null, error: null }));
    setMore({ isLoading: false, error: null });
    fetchComments(api, postId, { sort, limit: COMMENT_PAGE_SIZE }, controller.signal).then(
      (page) => {
        if (controller.signal.aborted || run.current !== current) return;
        setState({ key, status: 'ready', items: page.items.filter((item) => item.type === 'comment'), similar: page.similar ?? null, nextCursor: page.next_cursor, error: null });
      },
      (error: unknown) => {
        if (controller.signal.aborted || isAbort(error) || run.current !== current) return;
        setState((s) => ({ ...s, key, status: 'error', error }));
      },
    );
    return () => controller.abort();
  }, [api, postId, sort, key, generation]);

  const { nextCursor } = state;
  const loadMore = useCallback(() => {
    if (!nextCursor || more.isLoading) return;
    const current = run.current;
    setMore({ isLoading: true, error: null });
    fetchComments(api, postId, { sort, limit: COMMENT_PAGE_SIZE, cursor: nextCursor }).then(
      (page) => {
        if (run.current !== current) return;
        setState((s) => {
          const seen = new Set(s.items.map(itemKey));
          return { ...s, items: [...s.items, ...page.items.filter((item) => item.type === 'comment' && !seen.has(itemKey(item)))], nextCursor: page.items.length > 0 ? page.next_cursor : null };
        });
        setMore({ isLoading: false, error: null });
      },
      (error: unknown) => {
        if (run.current !== current) return;
        setMore({ isLoading: false, error });
      },
    );
  }, [api, postId, sort, nextCursor, more.isLoading]);

  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  const setItems = useCallback((change: (items: CommentItem[]) => CommentItem[]) => setState((s) => ({ ...s, items: change(s.items) })), []);
  const setSimilar = useCallback((change: (similar: SimilarComments | null) => SimilarComments | null) => setState((s) => ({ ...s, similar: change(s.similar) })), []);

  return {
    status: state.key === key ? state.status : 'loading',
    items: state.key === key ? state.items : [],
    similar: state.key === key ? state.similar : null,
    error: state.error,
    hasMore: state.key === key && state.nextCursor !== null,
    isLoadingMore: more.isLoading,
    moreError: more.error,
    loadMore,
    reload,
    setItems,
    setSimilar,
  };
}
