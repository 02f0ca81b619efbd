import { fireEvent, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { installFetchMock } from '../test/fetch-mock.ts';
import { makeAccount } from '../test/fixtures.ts';
import { renderApp, signedInAs } from '../test/render-app.tsx';

const me = makeAccount('mara', { id: '1' });
const pending = { id: '7', state: 'pending', created_at: '2026-11-28T10:00:00.000Z', ready_at: null, expires_at: null, size: null, url: null };
const ready = { ...pending, state: 'ready', ready_at: '2026-11-28T10:01:00.000Z', expires_at: '2026-12-05T10:01:00.000Z', size: 3 * 1024 * 1024, url: 'http://localhost:3000/api/glimpse/v1/archives/7/download' };

describe('settings: download your data', () => {
  it('asks for an archive, shows it being prepared, then links the download with its size', async () => {
    const server = installFetchMock();
    signedInAs(server, me);
    server.on('GET', '/api/glimpse/v1/archives', { body: [] });
    server.on('POST', '/api/glimpse/v1/archives', { status: 202, body: pending });
    renderApp('/settings/import-export');

    fireEvent.click(await screen.findByRole('button', { name: 'Request an archive' }));
    expect(await screen.findByText(/being prepared/)).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Preparing your archive…' }) as HTMLButtonElement).disabled).toBe(true);

    server.on('GET', '/api/glimpse/v1/archives', { body: [ready] });
    const link = (await screen.findByRole('link', { name: /Archive of .* \(3\.0 MB\)/ }, { timeout: 4000 })) as HTMLAnchorElement;
    expect(link.getAttribute('href')).toBe('/api/glimpse/v1/archives/7/download');
    expect(screen.getByText(/available until/)).toBeTruthy();
  });

  it('says when the one-a-day limit is reached', async () => {
    const server = installFetchMock();
    signedInAs(server, me);
    server.on('GET', '/api/glimpse/v1/archives', { body: [] });
    server.on('POST', '/api/glimpse/v1/archives', { status: 429, body: { error: 'Too many requests' } });
    renderApp('/settings/import-export');
    fireEvent.click(await screen.findByRole('button', { name: 'Request an archive' }));
    expect((await screen.findByRole('alert')).textContent).toBe('You can ask for one archive a day. Try again tomorrow.');
  });
});
