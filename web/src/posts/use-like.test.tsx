import type { ReactNode } from 'react';
import { QueryClientProvider } from '@tanstack/react-query';
import { act, renderHook, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ApiClient } from '../api/api-client.ts';
import { ApiProvider } from '../api/api-context.tsx';
import type { Status } from '../api/mastodon-types.ts';
import { createQueryClient } from '../api/query-client.ts';
import { installFetchMock } from '../test/fetch-mock.ts';
import { makeAccount, makeStatus } from '../test/fixtures.ts';
import { useLike } from './use-like.ts';

const mara = makeAccount('mara', { id: '2' });

/** useLike over a post held like a screen holds it: every change replaces it. */
function renderLike(initial: Status) {
  let current = initial;
  const seen: Status[] = [];
  const wrapper = ({ children }: { children: ReactNode }) => (
    <QueryClientProvider client={createQueryClient()}>
      <ApiProvider client={new ApiClient()}>{children}</ApiProvider>
    </QueryClientProvider>
  );
  const hook = renderHook(
    () =>
      useLike(current, (next) => {
        current = next;
        seen.push(next);
      }),
    { wrapper },
  );
  const replace = (next: Status) => {
    current = next;
    hook.rerender();
  };
  return { hook, seen, now: () => current, replace };
}

describe('useLike', () => {
  it('likes at once and keeps the server answer', async () => {
    const server = installFetchMock();
    const post = makeStatus(mara, { id: '70', favourites_count: 2 });
    server.on('POST', '/api/v1/statuses/70/favourite', { body: { ...post, favourited: true, favourites_count: 9 } });
    const { hook, seen, now } = renderLike(post);

    act(() => hook.result.current.setLiked(true));
    expect(seen[0]).toMatchObject({ favourited: true, favourites_count: 3 });

    await waitFor(() => expect(now().favourites_count).toBe(9));
    expect(hook.result.current.error).toBeNull();
  });

  it('rolls the like back when the server refuses, and says why', async () => {
    const server = installFetchMock();
    const post = makeStatus(mara, { id: '71', favourites_count: 5, favourited: false });
    server.on('POST', '/api/v1/statuses/71/favourite', { status: 422, body: { error: 'You cannot like this post' } });
    const { hook, now } = renderLike(post);

    act(() => hook.result.current.setLiked(true));
    expect(now()).toMatchObject({ favourited: true, favourites_count: 6 });

    await waitFor(() => expect(hook.result.current.error).toBeTruthy());
    expect(now()).toMatchObject({ favourited: false, favourites_count: 5 });
    expect((hook.result.current.error as Error).message).toBe('You cannot like this post');
  });

  it('rolls back only the like: a change made meanwhile stays', async () => {
    const server = installFetchMock();
    const post = makeStatus(mara, { id: '72', favourites_count: 1, favourited: true, replies_count: 0 });
    server.on('POST', '/api/v1/statuses/72/unfavourite', { status: 500, body: { error: 'Server trouble' } });
    const { hook, now, replace } = renderLike(post);

    act(() => hook.result.current.setLiked(false));
    // Someone's comment lands while the unlike is on its way.
    replace({ ...now(), replies_count: 1 });

    await waitFor(() => expect(hook.result.current.error).toBeTruthy());
    expect(now()).toMatchObject({ favourited: true, favourites_count: 1, replies_count: 1 });
  });

  it('keeps the latest press when an earlier one fails late', async () => {
    const server = installFetchMock();
    const post = makeStatus(mara, { id: '73', favourites_count: 0 });
    server.once('POST', '/api/v1/statuses/73/favourite', { status: 429, body: { error: 'Too many requests' } });
    server.on('POST', '/api/v1/statuses/73/unfavourite', { body: { ...post, favourited: false, favourites_count: 0 } });
    const { hook, now } = renderLike(post);

    act(() => hook.result.current.setLiked(true));
    act(() => hook.result.current.setLiked(false));

    await waitFor(() => expect(server.callsTo('POST', '/api/v1/statuses/73/unfavourite')).toHaveLength(1));
    await waitFor(() => expect(hook.result.current.error).toBeNull());
    expect(now()).toMatchObject({ favourited: false, favourites_count: 0 });
  });
});
