import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { installFetchMock } from '../test/fetch-mock.ts';
import { makeAccount } from '../test/fixtures.ts';
import { renderApp, signedInAs } from '../test/render-app.tsx';

const mara = makeAccount('mara', { id: '2', display_name: 'Mara' });

describe('notifications page', () => {
  it('lists follows and follow requests, and marks them read', async () => {
    const server = installFetchMock();
    signedInAs(server, mara);
    server.on('GET', '/api/glimpse/v1/notifications/unread_count', { body: { count: 2 } });
    server.on('GET', '/api/glimpse/v1/notifications', {
      body: [
        { id: '31', type: 'follow_request', created_at: new Date().toISOString(), account: makeAccount('stranger') },
        { id: '30', type: 'follow', created_at: new Date(Date.now() - 3 * 3600_000).toISOString(), account: makeAccount('ines', { display_name: 'Ines' }) },
      ],
    });
    server.on('POST', '/api/v1/markers', { body: {} });

    renderApp('/notifications');

    expect(await screen.findByText((_, el) => el?.tagName === 'P' && el.textContent?.startsWith('Ines started following you') === true)).toBeTruthy();
    expect(screen.getByText((_, el) => el?.tagName === 'P' && el.textContent?.startsWith('stranger requested to follow you') === true)).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Review request' }).getAttribute('href')).toBe('/follow-requests');
    expect(screen.getByText('3h')).toBeTruthy();

    await waitFor(() => expect(server.callsTo('POST', '/api/v1/markers')).toHaveLength(1));
    expect(server.callsTo('POST', '/api/v1/markers')[0].body).toEqual({ notifications: { last_read_id: '31' } });
    await waitFor(() => expect(screen.queryByText('2 unread')).toBeNull());
  });

  it('says when my data archive is ready and links the page to download it', async () => {
    const server = installFetchMock();
    signedInAs(server, mara);
    server.on('GET', '/api/glimpse/v1/notifications', {
      body: [{ id: '50', type: 'archive_ready', created_at: new Date().toISOString(), account: mara }],
    });
    server.on('POST', '/api/v1/markers', { body: {} });
    renderApp('/notifications');
    expect(await screen.findByText((_, el) => el?.tagName === 'P' && el.textContent?.startsWith('Your data archive is ready.') === true)).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Download' }).getAttribute('href')).toBe('/settings/import-export');
  });

  it('shows comments on my posts from the Glimpse list, under their own type', async () => {
    const server = installFetchMock();
    signedInAs(server, mara);
    server.on('GET', '/api/glimpse/v1/notifications', {
      body: [{ id: '40', type: 'comment', created_at: new Date().toISOString(), account: makeAccount('ines', { display_name: 'Ines' }), status: null }],
    });
    server.on('POST', '/api/v1/markers', { body: {} });

    renderApp('/notifications');

    expect(await screen.findByText((_, el) => el?.tagName === 'P' && el.textContent?.startsWith('Ines commented on your post') === true)).toBeTruthy();
  });

  it('clears all notifications', async () => {
    const server = installFetchMock();
    signedInAs(server, mara);
    server.on('GET', '/api/glimpse/v1/notifications', { body: [{ id: '30', type: 'follow', created_at: new Date().toISOString(), account: makeAccount('ines') }] });
    server.on('POST', '/api/v1/markers', { body: {} });
    server.on('POST', '/api/v1/notifications/clear', { body: {} });

    renderApp('/notifications');
    fireEvent.click(await screen.findByRole('button', { name: 'Clear all' }));

    expect(await screen.findByText('No notifications yet')).toBeTruthy();
    expect(server.callsTo('POST', '/api/v1/notifications/clear')).toHaveLength(1);
  });
});
