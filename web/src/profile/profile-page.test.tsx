import { fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { installFetchMock } from '../test/fetch-mock.ts';
import { makeAccount, makeMedia, makeRelationship, makeStatus } from '../test/fixtures.ts';
import { CSRF, renderApp, signedInAs, signedOut } from '../test/render-app.tsx';

const me = makeAccount('ines', { id: '1', display_name: 'Ines' });

describe('profile page', () => {
  it('shows a private account as private to a non-follower, and a follow becomes a request', async () => {
    const server = installFetchMock();
    signedInAs(server, me);
    const mara = makeAccount('mara', { id: '2', display_name: 'Mara', locked: true, followers_count: 1_000_000, following_count: 12, note: '<p>Birthday girl</p>' });
    server.on('GET', '/api/v1/accounts/lookup', { body: mara });
    server.on('GET', '/api/v1/accounts/relationships', { body: [makeRelationship('2')] });
    server.on('POST', '/api/v1/accounts/2/follow', { body: makeRelationship('2', { requested: true }) });

    renderApp('/@mara');

    expect(await screen.findByRole('heading', { name: 'Mara', level: 1 })).toBeTruthy();
    expect(screen.getByText('@mara')).toBeTruthy();
    expect(screen.getByText('Birthday girl')).toBeTruthy();
    expect(screen.getByRole('link', { name: '1M followers' })).toBeTruthy();
    expect(screen.getByRole('link', { name: '12 following' })).toBeTruthy();
    expect(await screen.findByText('This account is private')).toBeTruthy();
    expect(server.callsTo('GET', '/api/v1/accounts/lookup')[0].url.searchParams.get('acct')).toBe('mara');
    expect(server.callsTo('GET', '/api/v1/accounts/relationships')[0].url.searchParams.getAll('id[]')).toEqual(['2']);
    // Nothing of hers is asked for while she is private to us.
    expect(server.callsTo('GET', '/api/v1/accounts/2/statuses')).toHaveLength(0);

    fireEvent.click(screen.getByRole('button', { name: 'Follow' }));

    expect(await screen.findByRole('button', { name: 'Requested' })).toBeTruthy();
    expect(screen.getByText('This account is private')).toBeTruthy();
  });

  it('shows a followed private account to its follower, with Following', async () => {
    const server = installFetchMock();
    signedInAs(server, me);
    const mara = makeAccount('mara', { id: '2', locked: true });
    server.on('GET', '/api/v1/accounts/lookup', { body: mara });
    server.on('GET', '/api/v1/accounts/relationships', { body: [makeRelationship('2', { following: true })] });
    server.on('GET', '/api/v1/accounts/2/statuses', { body: [] });

    renderApp('/@mara');

    expect(await screen.findByRole('button', { name: 'Following' })).toBeTruthy();
    expect(await screen.findByText('No posts yet')).toBeTruthy();
    expect(screen.queryByText('This account is private')).toBeNull();
  });

  it('offers Edit profile on your own profile, and no follow button', async () => {
    const server = installFetchMock();
    signedInAs(server, me);
    server.on('GET', '/api/v1/accounts/lookup', { body: me });
    server.on('GET', '/api/v1/accounts/1/statuses', { body: [] });

    renderApp('/@ines');

    const edit = await screen.findByRole('link', { name: 'Edit profile' });
    expect(edit.getAttribute('href')).toBe('/settings/profile');
    expect(screen.queryByRole('button', { name: 'Follow' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'More options' })).toBeNull();
    expect(server.callsTo('GET', '/api/v1/accounts/relationships')).toHaveLength(0);
  });

  it('blocks, mutes and removes a follower from the options menu', async () => {
    const server = installFetchMock();
    signedInAs(server, me);
    const troll = makeAccount('troll', { id: '9' });
    server.on('GET', '/api/v1/accounts/lookup', { body: troll });
    server.on('GET', '/api/v1/accounts/9/statuses', { body: [] });
    server.on('GET', '/api/v1/accounts/relationships', { body: [makeRelationship('9', { followed_by: true })] });
    server.on('POST', '/api/v1/accounts/9/remove_from_followers', { body: makeRelationship('9') });
    server.on('POST', '/api/v1/accounts/9/mute', { body: makeRelationship('9', { muting: true }) });
    server.on('POST', '/api/v1/accounts/9/block', { body: makeRelationship('9', { blocking: true, muting: true }) });
    renderApp('/@troll');

    const menuButton = await screen.findByRole('button', { name: 'More options' });
    expect(menuButton.getAttribute('aria-expanded')).toBe('false');
    fireEvent.click(menuButton);
    expect(menuButton.getAttribute('aria-expanded')).toBe('true');
    fireEvent.click(screen.getByRole('button', { name: 'Remove follower' }));
    // Removing a follower asks first.
    fireEvent.click(within(await screen.findByRole('dialog', { name: /Remove .* as a follower\?/ })).getByRole('button', { name: 'Remove' }));
    await screen.findByRole('button', { name: 'More options', expanded: false });
    expect(screen.queryByText('Follows you')).toBeNull();

    fireEvent.click(menuButton);
    expect(screen.queryByRole('button', { name: 'Remove follower' })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Mute' }));
    expect(await screen.findByText('Muted')).toBeTruthy();

    fireEvent.click(menuButton);
    fireEvent.click(screen.getByRole('button', { name: 'Block' }));
    // Block asks first: Cancel keeps things as they were, Block blocks.
    const ask = await screen.findByRole('dialog', { name: /^Block .*\?$/ });
    expect(ask.getAttribute('aria-modal')).toBe('true');
    fireEvent.click(within(ask).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(screen.queryByText('You blocked this account')).toBeNull();
    fireEvent.click(menuButton);
    fireEvent.click(screen.getByRole('button', { name: 'Block' }));
    fireEvent.click(within(await screen.findByRole('dialog')).getByRole('button', { name: 'Block' }));
    expect(await screen.findByText('You blocked this account')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Follow' })).toBeNull();
    fireEvent.click(menuButton);
    expect(screen.getByRole('button', { name: 'Unblock' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Unmute' })).toBeTruthy();

    for (const action of ['remove_from_followers', 'mute', 'block']) {
      expect(server.callsTo('POST', `/api/v1/accounts/9/${action}`)[0].headers.get('X-CSRF-Token')).toBe(CSRF);
    }
  });

  it('renders a bio full of markup as text', async () => {
    const server = installFetchMock();
    signedOut(server);
    const sneaky = makeAccount('sneaky', { note: '<p>&lt;img src=x onerror=alert(1)&gt;<br>second line</p>', display_name: '<b>bold</b>' });
    server.on('GET', '/api/v1/accounts/lookup', { body: sneaky });
    server.on('GET', /\/api\/v1\/accounts\/\d+\/statuses/, { body: [] });

    const { container } = renderApp('/@sneaky');

    expect(await screen.findByRole('heading', { name: '<b>bold</b>' })).toBeTruthy();
    const bio = container.querySelector('.profile-bio');
    expect(bio?.textContent).toBe('<img src=x onerror=alert(1)>\nsecond line');
    expect(container.querySelector('.profile-page img[src="x"]')).toBeNull();
    expect(container.querySelector('.profile-page b')).toBeNull();
  });

  it('lets a signed-out visitor read a public profile and points them to log in', async () => {
    const server = installFetchMock();
    signedOut(server);
    server.on('GET', '/api/v1/accounts/lookup', { body: makeAccount('mara', { id: '2' }) });
    server.on('GET', '/api/v1/accounts/2/statuses', { body: [] });

    renderApp('/@mara');

    expect(await screen.findByText('Log in or sign up to follow mara.')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Follow' })).toBeNull();
    expect(server.callsTo('GET', '/api/v1/accounts/relationships')).toHaveLength(0);
  });

  it('says the page is not available for an unknown or hidden account', async () => {
    const server = installFetchMock();
    signedInAs(server, me);
    server.on('GET', '/api/v1/accounts/lookup', { status: 404, body: { error: 'Record not found' } });

    renderApp('/@nobody');

    expect(await screen.findByRole('heading', { name: /isn’t available/ })).toBeTruthy();
  });

  it("says a private account's followers list is private when the server hides it", async () => {
    const server = installFetchMock();
    signedInAs(server, me);
    server.on('GET', '/api/v1/accounts/lookup', { body: makeAccount('mara', { id: '2', locked: true }) });
    server.on('GET', '/api/v1/accounts/2/followers', { status: 404, body: { error: 'Record not found' } });

    renderApp('/@mara/followers');

    expect(await screen.findByText('This account is private')).toBeTruthy();
  });

  it('lists followers and loads the next page from the Link header', async () => {
    const server = installFetchMock();
    signedInAs(server, me);
    server.on('GET', '/api/v1/accounts/lookup', { body: makeAccount('mara', { id: '2' }) });
    server.on('GET', '/api/v1/accounts/2/followers', (call) =>
      call.url.searchParams.get('max_id') === '50'
        ? { body: [makeAccount('second_page_fan')] }
        : { body: [makeAccount('first_fan')], headers: { Link: '<http://other.host/api/v1/accounts/2/followers?max_id=50>; rel="next"' } },
    );

    renderApp('/@mara/followers');

    const first = await screen.findByText('@first_fan');
    expect(first.closest('a')?.getAttribute('href')).toBe('/@first_fan');
    fireEvent.click(screen.getByRole('button', { name: 'Load more' }));
    expect(await screen.findByText('@second_page_fan')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Load more' })).toBeNull();
    expect(server.callsTo('GET', '/api/v1/accounts/2/followers').map((c) => c.url.search)).toEqual(['', '?max_id=50']);
  });

  it('shows posts as a grid of first photos linking to each post, marking posts of several photos', async () => {
    const server = installFetchMock();
    signedInAs(server, me);
    const mara = makeAccount('mara', { id: '2', display_name: 'Mara' });
    server.on('GET', '/api/v1/accounts/lookup', { body: mara });
    server.on('GET', '/api/v1/accounts/relationships', { body: [makeRelationship('2', { following: true })] });
    server.on('GET', '/api/v1/accounts/2/statuses', {
      body: [
        makeStatus(mara, { id: '31', content: '<p>Party night</p>', media_attachments: [makeMedia('a'), makeMedia('b'), makeMedia('c')] }),
        makeStatus(mara, { id: '30', media_attachments: [makeMedia('d', { description: 'Sunset' })] }),
      ],
    });

    const { container } = renderApp('/@mara');

    const carousel = await screen.findByRole('link', { name: 'Party night (3 photos)' });
    expect(carousel.getAttribute('href')).toBe('/@mara/31');
    expect(carousel.querySelector('.post-grid-marker')).not.toBeNull();
    const single = screen.getByRole('link', { name: 'Sunset' });
    expect(single.getAttribute('href')).toBe('/@mara/30');
    expect(single.querySelector('.post-grid-marker')).toBeNull();
    expect(container.querySelectorAll('.post-grid img')).toHaveLength(2);
    const query = server.callsTo('GET', '/api/v1/accounts/2/statuses')[0].url.searchParams;
    expect(query.get('only_media')).toBe('true');
  });
});
