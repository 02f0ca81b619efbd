import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { installFetchMock } from '../test/fetch-mock.ts';
import { makeAccount, makeMedia, makeStatus } from '../test/fixtures.ts';
import { renderApp, signedInAs } from '../test/render-app.tsx';

const me = makeAccount('ines', { id: '1' });
const mara = makeAccount('mara', { id: '2', display_name: 'Mara' });
const leo = makeAccount('leo', { id: '3', display_name: 'Leo' });

describe('home feed', () => {
  it('keeps the "Your feed" heading and invites to follow people when empty', async () => {
    const server = installFetchMock();
    signedInAs(server, me);
    server.on('GET', '/api/v1/timelines/home', { body: [] });
    renderApp('/');
    expect(await screen.findByRole('heading', { name: 'Nothing to see yet' })).toBeTruthy();
    expect(screen.getByRole('heading', { name: 'Your feed', level: 1 })).toBeTruthy();
  });

  it('shows posts as cards, leaves comments out, and loads the next page with Load more', async () => {
    const server = installFetchMock();
    signedInAs(server, me);
    server.on('GET', '/api/v1/timelines/home', (call) =>
      call.url.searchParams.get('max_id') === '40'
        ? { body: [makeStatus(leo, { id: '39', media_attachments: [makeMedia('l1', { description: 'A dog' })] })] }
        : {
            body: [
              makeStatus(mara, { id: '41', content: '<p>Party <a href="https://x.test/">link</a></p>', media_attachments: [makeMedia('a', { description: 'Balloons' }), makeMedia('b')] }),
              makeStatus(mara, { id: '40', content: '<p>a comment</p>', media_attachments: [], in_reply_to_id: '9' }),
            ],
            headers: { Link: '<http://glimpse.test/api/v1/timelines/home?limit=20&max_id=40>; rel="next"' },
          },
    );
    renderApp('/');

    const article = await screen.findByRole('article', { name: 'Mara' });
    expect(within(article).getByRole('img', { name: 'Balloons' })).toBeTruthy();
    expect(within(article).getByRole('button', { name: 'Next photo' })).toBeTruthy();
    expect(within(article).getByRole('link', { name: 'link' }).getAttribute('href')).toBe('https://x.test/');
    expect(screen.queryByText('a comment')).toBeNull();
    expect(server.callsTo('GET', '/api/v1/timelines/home')[0].url.searchParams.get('limit')).toBe('20');

    fireEvent.click(screen.getByRole('button', { name: 'Load more' }));
    expect(await screen.findByRole('article', { name: 'Leo' })).toBeTruthy();
    expect(screen.getAllByRole('article')).toHaveLength(2);
    expect(screen.queryByRole('button', { name: 'Load more' })).toBeNull();
    expect(screen.getByText('You’re all caught up.')).toBeTruthy();
  });

  it('loads the next page by itself when the end of the list scrolls into view', async () => {
    const observed: Array<(entries: Array<{ isIntersecting: boolean }>) => void> = [];
    vi.stubGlobal(
      'IntersectionObserver',
      class {
        constructor(private readonly callback: (entries: Array<{ isIntersecting: boolean }>) => void) {}
        observe() {
          observed.push(this.callback);
        }
        disconnect() {}
      },
    );
    const server = installFetchMock();
    signedInAs(server, me);
    server.on('GET', '/api/v1/timelines/home', (call) =>
      call.url.searchParams.get('max_id')
        ? { body: [makeStatus(leo, { id: '10' })] }
        : { body: [makeStatus(mara, { id: '11' })], headers: { Link: '<http://glimpse.test/api/v1/timelines/home?max_id=11>; rel="next"' } },
    );
    renderApp('/');
    await screen.findByRole('article', { name: 'Mara' });
    // The list's end is observed from an effect once the page shows: waited for, not assumed.
    await waitFor(() => expect(observed.length).toBeGreaterThan(0));

    observed[observed.length - 1]([{ isIntersecting: true }]);

    expect(await screen.findByRole('article', { name: 'Leo' })).toBeTruthy();
    await waitFor(() => expect(server.callsTo('GET', '/api/v1/timelines/home')).toHaveLength(2));
  });

  it('updates a card in the list when it is liked', async () => {
    const server = installFetchMock();
    signedInAs(server, me);
    server.on('GET', '/api/v1/timelines/home', { body: [makeStatus(mara, { id: '12' }), makeStatus(leo, { id: '13' })] });
    server.on('POST', '/api/v1/statuses/13/favourite', { body: makeStatus(leo, { id: '13', favourited: true, favourites_count: 1 }) });
    renderApp('/');
    const leoPost = await screen.findByRole('article', { name: 'Leo' });
    fireEvent.click(within(leoPost).getByRole('button', { name: 'Like' }));
    expect(await within(leoPost).findByRole('button', { name: '1 like' })).toBeTruthy();
    expect(within(screen.getByRole('article', { name: 'Mara' })).getByRole('button', { name: 'Like' })).toBeTruthy();
  });
});
