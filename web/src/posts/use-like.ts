import { useCallback, useRef } from 'react';
import { useMutation } from '@tanstack/react-query';
import { useApi } from '../api/api-context.tsx';
import type { Status } from '../api/mastodon-types.ts';
import { favouriteStatus } from '../api/statuses-api.ts';

export interface LikeControls {
  /** Like or unlike; the post changes at once and is put back if the server refuses. */
  setLiked: (liked: boolean) => void;
  error: unknown;
}

interface LikeVariables {
  status: Status;
  liked: boolean;
}

/** The post as it looks once `liked` is pressed, before the server answers. */
export function optimisticLike(status: Status, liked: boolean): Status {
  return { ...status, favourited: liked, favourites_count: Math.max(0, (status.favourites_count ?? 0) + (liked ? 1 : -1)) };
}

/**
 * Optimistic likes on a mutation. Each press flips the post in the same tick and asks the
 * server; the server's answer replaces the guess when it answers the latest press (TanStack
 * calls a `mutate` call's own callbacks for the latest call only), and a failure of the latest
 * press rolls the post back to how it was before it.
 */
export function useLike(status: Status, onChange: (status: Status) => void): LikeControls {
  const api = useApi();
  const statusRef = useRef(status);
  statusRef.current = status;
  const onChangeRef = useRef(onChange);
  onChangeRef.current = onChange;

  const { mutate, error, reset } = useMutation({
    mutationFn: ({ status: target, liked }: LikeVariables) => favouriteStatus(api, target.id, liked),
  });

  const setLiked = useCallback(
    (liked: boolean) => {
      const show = (next: Status) => {
        statusRef.current = next;
        onChangeRef.current(next);
      };
      const before = statusRef.current;
      if (Boolean(before.favourited) === liked) return;
      // The guess goes in before `mutate`, whose own onMutate runs a tick later.
      show(optimisticLike(before, liked));
      reset();
      mutate(
        { status: before, liked },
        {
          onSuccess: (fresh) => show(fresh),
          // Roll back only the like: anything else that changed meanwhile stays.
          onError: () => show({ ...statusRef.current, favourited: before.favourited, favourites_count: before.favourites_count }),
        },
      );
    },
    [mutate, reset],
  );

  return { setLiked, error };
}
