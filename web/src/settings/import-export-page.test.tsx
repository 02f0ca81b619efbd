import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { installFetchMock } from '../test/fetch-mock.ts';
import { installXhrMock } from '../test/xhr-mock.ts';
import { makeAccount } from '../test/fixtures.ts';
import { renderApp, signedInAs } from '../test/render-app.tsx';

const me = makeAccount('ines', { id: '1' });

describe('settings: import and export', () => {
  it('links the three CSV downloads, uploads a file with its type and mode, and shows the result with the skipped rows', async () => {
    const server = installFetchMock();
    const xhr = installXhrMock();
    signedInAs(server, me);
    const finished = { id: '9', type: 'blocking', mode: 'overwrite', state: 'finished', total_items: 2, processed_items: 2, imported_items: 1, skipped: [{ address: 'x@mastodon.social', reason: 'remote' }] };
    server.on('GET', '/api/glimpse/v1/imports/9', { body: finished });
    server.on('GET', '/api/glimpse/v1/archives', { body: [] });
    renderApp('/settings/import-export');

    const link = (await screen.findByRole('link', { name: 'Accounts you follow (CSV)' })) as HTMLAnchorElement;
    expect(link.getAttribute('href')).toBe('/api/glimpse/v1/exports/following.csv');
    expect(screen.getByRole('link', { name: 'Accounts you block (CSV)' }).getAttribute('href')).toBe('/api/glimpse/v1/exports/blocks.csv');
    expect(screen.getByRole('link', { name: 'Accounts you mute (CSV)' }).getAttribute('href')).toBe('/api/glimpse/v1/exports/mutes.csv');

    fireEvent.change(screen.getByLabelText('What the file holds'), { target: { value: 'blocking' } });
    fireEvent.click(screen.getByLabelText(/Overwrite/));
    const file = new File(['x@mastodon.social\npat\n'], 'blocked_accounts.csv', { type: 'text/csv' });
    fireEvent.change(screen.getByLabelText(/CSV file/), { target: { files: [file] } });
    fireEvent.click(screen.getByRole('button', { name: 'Import' }));

    await waitFor(() => expect(xhr.requests.length).toBe(1));
    const [request] = xhr.requests;
    expect(request.url).toBe('/api/glimpse/v1/imports');
    const form = request.body as FormData;
    expect(form.get('type')).toBe('blocking');
    expect(form.get('mode')).toBe('overwrite');
    expect((form.get('file') as File).name).toBe('blocked_accounts.csv');
    request.respond(202, { ...finished, state: 'queued', processed_items: 0, imported_items: 0, skipped: [] });

    expect(await screen.findByText('Importing… 0 of 2')).toBeTruthy();
    expect(await screen.findByText('Import done: 1 of 2 imported.', {}, { timeout: 3000 })).toBeTruthy();
    expect(screen.getByText('x@mastodon.social: on another server')).toBeTruthy();
  }, 10_000);
});
