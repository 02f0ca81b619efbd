import { fireEvent, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { installFetchMock } from '../test/fetch-mock.ts';
import { makeAccount } from '../test/fixtures.ts';
import { renderApp, signedInAs } from '../test/render-app.tsx';

describe('search page', () => {
  it('finds people and links to their profiles', async () => {
    const server = installFetchMock();
    signedInAs(server, makeAccount('ines'));
    server.on('GET', '/api/v1/accounts/search', (call) => ({
      body: call.url.searchParams.get('q') === 'mar' ? [makeAccount('mara', { display_name: 'Mara' })] : [],
    }));

    renderApp('/search');
    fireEvent.change(await screen.findByLabelText('Search people and tags'), { target: { value: 'mar' } });

    const result = await screen.findByRole('link', { name: /Mara/ });
    expect(result.getAttribute('href')).toBe('/@mara');
  });

  it('says so when nobody matches', async () => {
    const server = installFetchMock();
    signedInAs(server, makeAccount('ines'));
    server.on('GET', '/api/v1/accounts/search', { body: [] });

    renderApp('/search?q=zzz');

    expect(await screen.findByText('No accounts found for “zzz”.')).toBeTruthy();
  });
});
