import { fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { installFetchMock } from '../test/fetch-mock.ts';
import { makeAccount } from '../test/fixtures.ts';
import { CSRF, renderApp, signedInAs } from '../test/render-app.tsx';

const me = makeAccount('mara', { id: '1' });
const ines = makeAccount('ines', { id: '2' });
const remi = makeAccount('remi', { id: '3' });

const CF = '/api/glimpse/v1/close_friends';

describe('close friends settings', () => {
  it('is in the settings menu, lists the close friends, adds from a search and removes', async () => {
    const server = installFetchMock();
    signedInAs(server, me);
    server.on('GET', CF, { body: [ines] });
    server.on('GET', '/api/v1/accounts/search', { body: [me, ines, remi] });
    server.on('POST', CF, { body: [remi] });
    server.on('DELETE', `${CF}/2`, { body: {} });
    renderApp('/settings/profile');
    fireEvent.click(await screen.findByRole('link', { name: 'Close friends' }));
    await screen.findByRole('heading', { name: 'Close friends', level: 1 });
    expect(screen.getByTestId('current-path').textContent).toBe('/settings/close-friends');
    const list = await screen.findByRole('list', { name: 'Your close friends' });
    expect(within(list).getByText('@ines')).toBeTruthy();

    fireEvent.change(screen.getByLabelText('Add people'), { target: { value: 're' } });
    const results = await screen.findByRole('region', { name: 'Search results' });
    await within(results).findByRole('button', { name: 'Add remi' });
    // Oneself is not offered; someone already on the list is marked.
    expect(within(results).queryByText('@mara')).toBeNull();
    expect(within(results).getByText('On your list')).toBeTruthy();
    fireEvent.click(within(results).getByRole('button', { name: 'Add remi' }));
    await screen.findByText('Added remi to your close friends.');
    const [add] = server.callsTo('POST', CF);
    expect(add.body).toEqual({ account_ids: ['3'] });
    expect(add.headers.get('X-CSRF-Token')).toBe(CSRF);
    expect(within(screen.getByRole('list', { name: 'Your close friends' })).getByText('@remi')).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: 'Remove ines' }));
    await screen.findByText('Removed ines from your close friends.');
    expect(server.callsTo('DELETE', `${CF}/2`)).toHaveLength(1);
    expect(within(screen.getByRole('list', { name: 'Your close friends' })).queryByText('@ines')).toBeNull();
  });

  it('says when the list is empty', async () => {
    const server = installFetchMock();
    signedInAs(server, me);
    server.on('GET', CF, { body: [] });
    renderApp('/settings/close-friends');
    expect(await screen.findByRole('heading', { name: 'No close friends yet' })).toBeTruthy();
  });
});
