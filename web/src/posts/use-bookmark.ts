import { useMutation } from '@tanstack/react-query';
import { useRef } from 'react';
import { useApi } from '../api/api-context.tsx';
import type { Status } from '../api/mastodon-types.ts';
import { bookmarkStatus } from './posts-api.ts';

export interface BookmarkControls {
  saved: boolean;
  /** Save or unsave; the post changes at once and is put back if the server refuses. */
  setSaved: (saved: boolean) => void;
  error: unknown;
}

/** Optimistic save (bookmark), from `bookmarked`; the latest press wins, as with likes. */
export function useBookmark(status: Status, onChange: (status: Status) => void): BookmarkControls {
  const api = useApi();
  const latest = useRef(0);
  const statusRef = useRef(status);
  statusRef.current = status;
  const mutation = useMutation({
    mutationFn: ({ saved }: { saved: boolean; request: number; before: boolean }) => bookmarkStatus(api, statusRef.current.id, saved),
    onSuccess: (fresh, { request }) => {
      if (request === latest.current) onChange({ ...statusRef.current, bookmarked: Boolean(fresh.bookmarked) });
    },
    onError: (_error, { request, before }) => {
      if (request === latest.current) onChange({ ...statusRef.current, bookmarked: before });
    },
  });
  const saved = Boolean(status.bookmarked);
  return {
    saved,
    setSaved: (next) => {
      if (next === Boolean(statusRef.current.bookmarked)) return;
      const before = Boolean(statusRef.current.bookmarked);
      const request = ++latest.current;
      const optimistic = { ...statusRef.current, bookmarked: next };
      statusRef.current = optimistic;
      onChange(optimistic);
      mutation.mutate({ saved: next, request, before });
    },
    error: mutation.isError && mutation.variables?.request === latest.current ? mutation.error : null,
  };
}
