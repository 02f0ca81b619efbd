import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { Status } from '../api/mastodon-types.ts';
import { installFetchMock } from '../test/fetch-mock.ts';
import { AUTHOR_CAN, STRANGER_CAN, makeAccount, makeMedia, makeStatus } from '../test/fixtures.ts';
import { CSRF, renderApp, signedInAs, signedOut } from '../test/render-app.tsx';
import { DOUBLE_TAP_MS } from './carousel.tsx';

const me = makeAccount('ines', { id: '1' });
const mara = makeAccount('mara', { id: '2', display_name: 'Mara' });

function likeButton() {
  return screen.getByRole('button', { name: /^(Like|Unlike)$/ });
}

describe('liking a post', () => {
  it('fills the heart and counts the like at once, before the server answers, then keeps its answer', async () => {
    const server = installFetchMock();
    signedInAs(server, me);
    const post = makeStatus(mara, { id: '50', favourites_count: 4 });
    server.on('GET', '/api/v1/statuses/50', { body: post });
    let liked: Status | null = null;
    server.on('POST', '/api/v1/statuses/50/favourite', () => {
      liked = { ...post, favourited: true, favourites_count: 7 };
      return { body: liked };
    });
    renderApp('/@mara/50');

    await screen.findByRole('button', { name: 'Like' });
    expect(screen.getByRole('button', { name: '4 likes' })).toBeTruthy();
    expect(likeButton().getAttribute('aria-pressed')).toBe('false');

    fireEvent.click(likeButton());
    // Optimistic: pressed and counted in the same tick as the click, before any answer can arrive.
    expect(likeButton().getAttribute('aria-label')).toBe('Unlike');
    expect(likeButton().getAttribute('aria-pressed')).toBe('true');
    expect(screen.getByRole('button', { name: '5 likes' })).toBeTruthy();

    // The server's count (others liked meanwhile) replaces the guess.
    expect(await screen.findByRole('button', { name: '7 likes' })).toBeTruthy();
    const [call] = server.callsTo('POST', '/api/v1/statuses/50/favourite');
    expect(call.headers.get('X-CSRF-Token')).toBe(CSRF);
    expect(liked).not.toBeNull();
  });

  it('puts the post back as it was and says why when the server refuses', async () => {
    const server = installFetchMock();
    signedInAs(server, me);
    server.on('GET', '/api/v1/statuses/51', { body: makeStatus(mara, { id: '51', favourites_count: 1, favourited: true }) });
    server.on('POST', '/api/v1/statuses/51/unfavourite', { status: 429, body: { error: 'Too many requests' } });
    renderApp('/@mara/51');

    fireEvent.click(await screen.findByRole('button', { name: 'Unlike' }));
    expect(likeButton().getAttribute('aria-pressed')).toBe('false');
    expect(screen.queryByRole('button', { name: /likes?$/ })).toBeNull();

    expect((await screen.findByRole('alert')).textContent).toBe('Too many requests');
    expect(likeButton().getAttribute('aria-pressed')).toBe('true');
    expect(screen.getByRole('button', { name: '1 like' })).toBeTruthy();
  });

  it('likes on a double tap of the photo, and a second double tap does not unlike', async () => {
    const server = installFetchMock();
    signedInAs(server, me);
    server.on('GET', '/api/v1/statuses/52', { body: makeStatus(mara, { id: '52' }) });
    server.on('POST', '/api/v1/statuses/52/favourite', { body: makeStatus(mara, { id: '52', favourited: true, favourites_count: 1 }) });
    const { container } = renderApp('/@mara/52');
    await screen.findByRole('button', { name: 'Like' });
    const photo = container.querySelector('.carousel-track')!;

    fireEvent.click(photo);
    fireEvent.click(photo);

    expect(likeButton().getAttribute('aria-pressed')).toBe('true');
    expect(container.querySelector('.carousel-heart')).not.toBeNull();
    expect(await screen.findByRole('button', { name: '1 like' })).toBeTruthy();

    // A while later (the clock moved past the double-tap window), a second double tap.
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(Date.now() + DOUBLE_TAP_MS + 50);
      fireEvent.click(photo);
      fireEvent.click(photo);
    } finally {
      vi.useRealTimers();
    }
    await waitFor(() => expect(server.callsTo('POST', '/api/v1/statuses/52/favourite')).toHaveLength(1));
    expect(server.callsTo('POST', '/api/v1/statuses/52/unfavourite')).toHaveLength(0);
    expect(likeButton().getAttribute('aria-pressed')).toBe('true');
  });

  it('hides the count from others when the author hid it, and shows it to the author with a note', async () => {
    const server = installFetchMock();
    signedInAs(server, me);
    server.on('GET', '/api/v1/statuses/53', {
      body: makeStatus(mara, { id: '53', favourites_count: 0, glimpse: { hide_like_count: true, like_count_hidden: true, comment_policy: 'everyone', can: STRANGER_CAN } }),
    });
    server.on('POST', '/api/v1/statuses/53/favourite', {
      body: makeStatus(mara, { id: '53', favourited: true, favourites_count: 0, glimpse: { hide_like_count: true, like_count_hidden: true, comment_policy: 'everyone', can: STRANGER_CAN } }),
    });
    const { unmount } = renderApp('/@mara/53');
    fireEvent.click(await screen.findByRole('button', { name: 'Like' }));
    expect(screen.getByRole('button', { name: 'Unlike' })).toBeTruthy();
    expect(screen.queryByText(/\blikes?\b/)).toBeNull();
    unmount();

    const own = installFetchMock();
    signedInAs(own, mara);
    own.on('GET', '/api/v1/statuses/54', {
      body: makeStatus(mara, { id: '54', favourites_count: 12, glimpse: { hide_like_count: true, like_count_hidden: false, comment_policy: 'everyone', can: AUTHOR_CAN } }),
    });
    own.on('GET', '/api/v1/statuses/54/favourited_by', { body: [makeAccount('fan1'), makeAccount('fan2')] });
    renderApp('/@mara/54');
    const count = await screen.findByRole('button', { name: '12 likes' });
    expect(screen.getByText(/only you can see this/)).toBeTruthy();
    fireEvent.click(count);
    const likers = await screen.findByRole('list', { name: 'Liked by' });
    expect(within(likers).getByText('@fan1')).toBeTruthy();
  });

  it('shows no Like button to a signed-out visitor', async () => {
    const server = installFetchMock();
    signedOut(server);
    server.on('GET', '/api/v1/statuses/55', { body: makeStatus(mara, { id: '55', favourites_count: 3 }) });
    renderApp('/@mara/55');
    expect(await screen.findByRole('button', { name: '3 likes' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Like' })).toBeNull();
  });
});

describe('the post page', () => {
  it('shows the post with its author, caption and photos', async () => {
    const server = installFetchMock();
    signedInAs(server, me);
    server.on('GET', '/api/v1/statuses/60', {
      body: makeStatus(mara, {
        id: '60',
        content: '<p>Party <script>alert(1)</script>night</p>',
        media_attachments: [makeMedia('a', { description: 'Balloons' }), makeMedia('b', { description: 'Cake' })],
      }),
    });
    renderApp('/@mara/60');

    const article = await screen.findByRole('article', { name: 'Mara' });
    expect(within(article).getByRole('img', { name: 'Balloons' })).toBeTruthy();
    expect(within(article).getByRole('img', { name: 'Photo 1 of 2' })).toBeTruthy();
    expect(article.querySelector('.post-caption-text')?.textContent).toBe('Party night');
    expect(article.querySelector('script')).toBeNull();
    expect(within(article).getByRole('link', { name: /Open post/ }).getAttribute('href')).toBe('/@mara/60');
    // Not the author: the server allows neither Edit nor Delete.
    expect(screen.queryByRole('button', { name: 'Delete' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Edit' })).toBeNull();
  });

  it("shows Edit and Delete exactly when the post's glimpse.can says so, not by who wrote it", async () => {
    const server = installFetchMock();
    signedInAs(server, me);
    // Someone the server lets delete (say a moderator, later) but not edit.
    server.on('GET', '/api/v1/statuses/64', { body: makeStatus(mara, { id: '64', can: { delete: true } }) });
    const { unmount } = renderApp('/@mara/64');
    expect(await screen.findByRole('button', { name: 'Delete' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Edit' })).toBeNull();
    unmount();

    // The author, told she may do neither (the server's word wins).
    const own = installFetchMock();
    signedInAs(own, mara);
    own.on('GET', '/api/v1/statuses/65', { body: makeStatus(mara, { id: '65', can: { edit: false, delete: false } }) });
    renderApp('/@mara/65');
    await screen.findByRole('article', { name: 'Mara' });
    expect(screen.queryByRole('button', { name: 'Delete' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Edit' })).toBeNull();
  });

  it('says the page is not available for a missing or hidden post', async () => {
    const server = installFetchMock();
    signedInAs(server, me);
    server.on('GET', '/api/v1/statuses/61', { status: 404, body: { error: 'Record not found' } });
    renderApp('/@mara/61');
    expect(await screen.findByRole('heading', { name: /isn’t available/ })).toBeTruthy();
  });

  it('moves a post reached under the wrong username to its own address', async () => {
    const server = installFetchMock();
    signedInAs(server, me);
    server.on('GET', '/api/v1/statuses/62', { body: makeStatus(mara, { id: '62' }) });
    renderApp('/@someone/62');
    await waitFor(() => expect(screen.getByTestId('current-path').textContent).toBe('/@mara/62'));
  });

  it('lets the author delete the post after confirming, then opens their profile', async () => {
    const server = installFetchMock();
    signedInAs(server, mara);
    server.on('GET', '/api/v1/statuses/63', { body: makeStatus(mara, { id: '63', can: AUTHOR_CAN }) });
    server.on('DELETE', '/api/v1/statuses/63', { body: makeStatus(mara, { id: '63' }) });
    server.on('GET', '/api/v1/accounts/lookup', { body: mara });
    server.on('GET', '/api/v1/accounts/2/statuses', { body: [] });
    renderApp('/@mara/63');

    fireEvent.click(await screen.findByRole('button', { name: 'Delete' }));
    expect(server.callsTo('DELETE', '/api/v1/statuses/63')).toHaveLength(0);
    fireEvent.click(screen.getByRole('button', { name: 'Delete post' }));
    await waitFor(() => expect(screen.getByTestId('current-path').textContent).toBe('/@mara'));
    expect(server.callsTo('DELETE', '/api/v1/statuses/63')[0].headers.get('X-CSRF-Token')).toBe(CSRF);
  });
});
