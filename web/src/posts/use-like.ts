import { useCallback, useRef, useState } from 'react';
import { useApi } from '../api/api-context.tsx';
import type { Status } from '../api/mastodon-types.ts';
import { favouriteStatus } from '../api/statuses-api.ts';

export interface LikeControls {
  /** Like or unlike; the post changes at once and is put back if the server refuses. */
  setLiked: (liked: boolean) => void;
  error: unknown;
}

/**
 * Optimistic likes. Each press flips the post at once and asks the server; the server's
 * answer replaces the guess when it is the answer to the latest press, and a failure of the
 * latest press restores the post as it was before it.
 */
export function useLike(status: Status, onChange: (status: Status) => void): LikeControls {
  const api = useApi();
  const [error, setError] = useState<unknown>(null);
  const latest = useRef(0);
  const statusRef = useRef(status);
  statusRef.current = status;
  const onChangeRef = useRef(onChange);
  onChangeRef.current = onChange;

  const setLiked = useCallback(
    (liked: boolean) => {
      const before = statusRef.current;
      if (Boolean(before.favourited) === liked) return;
      const request = ++latest.current;
      const optimistic: Status = { ...before, favourited: liked, favourites_count: Math.max(0, (before.favourites_count ?? 0) + (liked ? 1 : -1)) };
      statusRef.current = optimistic;
      onChangeRef.current(optimistic);
      setError(null);
      favouriteStatus(api, before.id, liked).then(
        (fresh) => {
          if (request !== latest.current) return;
          statusRef.current = fresh;
          onChangeRef.current(fresh);
        },
        (err: unknown) => {
          if (request !== latest.current) return;
          const restored: Status = { ...statusRef.current, favourited: before.favourited, favourites_count: before.favourites_count };
          statusRef.current = restored;
          onChangeRef.current(restored);
          setError(err);
        },
      );
    },
    [api],
  );

  return { setLiked, error };
}
