import { useState } from 'react';
import { QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ApiClient } from '../api/api-client.ts';
import { ApiProvider } from '../api/api-context.tsx';
import { createQueryClient } from '../api/query-client.ts';
import type { Relationship } from '../api/mastodon-types.ts';
import { installFetchMock } from '../test/fetch-mock.ts';
import { makeRelationship } from '../test/fixtures.ts';
import { FollowButton, followStateOf } from './follow-button.tsx';

function Harness({ initial, locked }: { initial: Relationship; locked?: boolean }) {
  const [relationship, setRelationship] = useState(initial);
  return <FollowButton accountId={initial.id} relationship={relationship} onChange={setRelationship} locked={locked} />;
}

function renderButton(initial: Relationship, locked?: boolean) {
  const api = new ApiClient();
  api.setCsrfToken('csrf-abc');
  return render(
    <QueryClientProvider client={createQueryClient()}>
      <ApiProvider client={api}>
        <Harness initial={initial} locked={locked} />
      </ApiProvider>
    </QueryClientProvider>,
  );
}


describe('followStateOf', () => {
  it('reads follow, requested and following from a Relationship', () => {
    expect(followStateOf(makeRelationship('1'))).toBe('follow');
    expect(followStateOf(makeRelationship('1', { requested: true }))).toBe('requested');
    expect(followStateOf(makeRelationship('1', { following: true }))).toBe('following');
    // Being followed by them does not change our button.
    expect(followStateOf(makeRelationship('1', { followed_by: true }))).toBe('follow');
  });
});

describe('FollowButton', () => {
  it('shows Follow, Requested or Following for the relationship', () => {
    const { unmount } = renderButton(makeRelationship('5'));
    expect(screen.getByRole('button', { name: 'Follow' })).toBeTruthy();
    unmount();

    renderButton(makeRelationship('5', { requested: true }));
    expect(screen.getByRole('button', { name: 'Requested' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Follow' })).toBeNull();
  });

  it('follows a private account and becomes Requested, as the server answers', async () => {
    const server = installFetchMock();
    server.on('POST', '/api/v1/accounts/5/follow', { body: makeRelationship('5', { requested: true }) });
    renderButton(makeRelationship('5'));

    fireEvent.click(screen.getByRole('button', { name: 'Follow' }));

    expect(await screen.findByRole('button', { name: 'Requested' })).toBeTruthy();
    const [call] = server.callsTo('POST', '/api/v1/accounts/5/follow');
    expect(call.headers.get('X-CSRF-Token')).toBe('csrf-abc');
  });

  it('unfollows at once when Following is pressed', async () => {
    const server = installFetchMock();
    server.on('POST', '/api/v1/accounts/5/unfollow', { body: makeRelationship('5') });
    renderButton(makeRelationship('5', { following: true }));

    fireEvent.click(screen.getByRole('button', { name: 'Following' }));

    expect(await screen.findByRole('button', { name: 'Follow' })).toBeTruthy();
    expect(server.callsTo('POST', '/api/v1/accounts/5/unfollow')).toHaveLength(1);
  });

  it('cancels a pending request when Requested is pressed', async () => {
    const server = installFetchMock();
    server.on('POST', '/api/v1/accounts/5/unfollow', { body: makeRelationship('5') });
    renderButton(makeRelationship('5', { requested: true }));

    fireEvent.click(screen.getByRole('button', { name: 'Requested' }));

    expect(await screen.findByRole('button', { name: 'Follow' })).toBeTruthy();
  });

  it("shows the server's message when following fails and keeps the button as it was", async () => {
    const server = installFetchMock();
    server.on('POST', '/api/v1/accounts/5/follow', { status: 429, body: { error: 'Too many requests' } });
    renderButton(makeRelationship('5'));

    fireEvent.click(screen.getByRole('button', { name: 'Follow' }));

    expect((await screen.findByRole('alert')).textContent).toBe('Too many requests');
    expect(screen.getByRole('button', { name: 'Follow' })).toBeTruthy();
  });

  it('shows Following in the same tick as the press, before the server answers', async () => {
    const server = installFetchMock();
    server.on('POST', '/api/v1/accounts/5/follow', { body: makeRelationship('5', { following: true }) });
    renderButton(makeRelationship('5'));

    fireEvent.click(screen.getByRole('button', { name: 'Follow' }));
    // Checked before any answer can arrive: the fetch mock replies on a later tick.
    expect(screen.getByRole('button', { name: 'Following' })).toBeTruthy();
    await waitFor(() => expect(server.callsTo('POST', '/api/v1/accounts/5/follow')).toHaveLength(1));
    expect(screen.getByRole('button', { name: 'Following' })).toBeTruthy();
  });

  it('guesses Requested for a private account', () => {
    installFetchMock().on('POST', '/api/v1/accounts/5/follow', { body: makeRelationship('5', { requested: true }) });
    renderButton(makeRelationship('5'), true);

    fireEvent.click(screen.getByRole('button', { name: 'Follow' }));
    expect(screen.getByRole('button', { name: 'Requested' })).toBeTruthy();
  });

  it('rolls an unfollow back to Following when the server refuses', async () => {
    const server = installFetchMock();
    server.on('POST', '/api/v1/accounts/5/unfollow', { status: 422, body: { error: 'Something went wrong' } });
    renderButton(makeRelationship('5', { following: true }));

    fireEvent.click(screen.getByRole('button', { name: 'Following' }));
    // The guess first...
    expect(screen.getByRole('button', { name: 'Follow' })).toBeTruthy();
    // ...then the refusal puts it back.
    expect((await screen.findByRole('alert')).textContent).toBe('Something went wrong');
    expect(screen.getByRole('button', { name: 'Following' })).toBeTruthy();
  });
});
