import { fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { installFetchMock } from '../test/fetch-mock.ts';
import { makeAccount, makeStatus } from '../test/fixtures.ts';
import { renderApp, signedInAs, signedOut } from '../test/render-app.tsx';

const mara = makeAccount('mara', { id: '2' });
const ines = makeAccount('ines', { id: '1' });

describe('hashtags', () => {
  it('the hashtag page shows the tag\'s photo posts as a grid, also to someone signed out', async () => {
    const server = installFetchMock();
    signedOut(server);
    const post = makeStatus(mara, { content: '<p>at the <a class="mention hashtag" href="http://localhost/tags/birthdayparty">#<span>BirthdayParty</span></a></p>' });
    server.on('GET', '/api/v1/timelines/tag/birthdayparty', { body: [post] });
    renderApp('/tags/birthdayparty');
    const grid = await screen.findByRole('region', { name: 'Posts with #birthdayparty' });
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('#birthdayparty');
    const tile = within(grid).getByRole('link');
    expect(tile.getAttribute('href')).toBe(`/@mara/${post.id}`);
    expect(server.callsTo('GET', '/api/v1/timelines/tag/birthdayparty')[0].url.searchParams.get('limit')).toBe('40');
  });

  it('search finds hashtags by their start and links to their pages', async () => {
    const server = installFetchMock();
    signedInAs(server, ines);
    server.on('GET', '/api/v2/search', (call) => ({
      body: { accounts: [], statuses: [], hashtags: call.url.searchParams.get('q') === 'birth' ? [{ name: 'BirthdayParty', url: 'http://localhost/tags/birthdayparty' }] : [] },
    }));
    server.on('GET', '/api/v1/accounts/search', { body: [] });
    renderApp('/search');
    fireEvent.change(await screen.findByLabelText('Search people and tags'), { target: { value: '#birth' } });
    const tags = await screen.findByRole('region', { name: 'Tags' });
    expect(within(tags).getByRole('link', { name: '#BirthdayParty' }).getAttribute('href')).toBe('/tags/birthdayparty');
    // A # query looks for tags only.
    expect(server.callsTo('GET', '/api/v1/accounts/search')).toHaveLength(0);
    expect(server.callsTo('GET', '/api/v2/search')[0].url.searchParams.get('type')).toBe('hashtags');
  });

  it('an invalid tag in the address is the not-found page, with no request', async () => {
    const server = installFetchMock();
    signedInAs(server, ines);
    renderApp('/tags/no%20spaces');
    expect(await screen.findByText(/isn’t available/)).toBeTruthy();
    expect(server.calls.filter((c) => c.path.startsWith('/api/v1/timelines/tag'))).toHaveLength(0);
  });
});
