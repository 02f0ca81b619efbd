import { fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { installFetchMock } from '../test/fetch-mock.ts';
import { makeAccount, makeMedia, makeRelationship } from '../test/fixtures.ts';
import { renderApp, signedInAs, signedOut } from '../test/render-app.tsx';

const mara = makeAccount('mara', { id: '2' });
const ines = makeAccount('ines', { id: '7' });
const glimpse = { hide_like_count: false, like_count_hidden: false, comment_policy: 'everyone', can: { comment: true, pin: false, edit: false, delete: false } };
const photoPost = { id: '500', created_at: new Date().toISOString(), content: '<p>Sunset</p>', account: ines, media_attachments: [makeMedia('m1')], glimpse };
const textPost = { ...photoPost, id: '501', content: '<p>Only words</p>', media_attachments: [] };

describe('explore page', () => {
  it('shows trending photos as tiles linking to their posts, and suggestions with a follow button', async () => {
    const server = installFetchMock();
    signedInAs(server, mara);
    server.on('GET', '/api/v1/trends/statuses', { body: [photoPost, textPost] });
    server.on('GET', '/api/v2/suggestions', { body: [{ source: 'global', sources: ['most_followed'], account: makeAccount('sam', { id: '9' }) }] });
    server.on('GET', '/api/v1/accounts/relationships', { body: [makeRelationship('9')] });
    server.on('POST', '/api/v1/accounts/9/follow', { body: makeRelationship('9', { following: true }) });

    renderApp('/explore');

    const tile = await screen.findByRole('link', { name: 'Sunset' });
    expect(tile.getAttribute('href')).toBe('/@ines/500');
    expect(screen.queryByRole('link', { name: 'Only words' })).toBeNull();

    const suggestions = screen.getByRole('region', { name: 'Suggested for you' });
    await within(suggestions).findByText('@sam');
    expect(within(suggestions).getByText('Popular on Glimpse')).toBeTruthy();
    fireEvent.click(within(suggestions).getByRole('button', { name: 'Follow' }));
    expect(await within(suggestions).findByRole('button', { name: 'Following' })).toBeTruthy();
    expect(server.callsTo('GET', '/api/v1/accounts/relationships')[0].url.searchParams.getAll('id[]')).toEqual(['9']);
  });

  it('says so when nothing trends and nobody is suggested', async () => {
    const server = installFetchMock();
    signedInAs(server, mara);
    server.on('GET', '/api/v1/trends/statuses', { body: [] });
    server.on('GET', '/api/v2/suggestions', { body: [] });
    renderApp('/explore');
    expect(await screen.findByText('Nothing trending yet')).toBeTruthy();
    expect(await screen.findByText('No suggestions right now')).toBeTruthy();
  });

  it('shows trends to a visitor, without suggestions', async () => {
    const server = installFetchMock();
    signedOut(server);
    server.on('GET', '/api/v1/trends/statuses', { body: [photoPost] });
    renderApp('/explore');
    expect(await screen.findByRole('link', { name: 'Sunset' })).toBeTruthy();
    expect(screen.queryByRole('region', { name: 'Suggested for you' })).toBeNull();
    expect(server.callsTo('GET', '/api/v2/suggestions')).toHaveLength(0);
  });
});
