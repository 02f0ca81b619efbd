import { fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { CredentialAccount } from '../api/mastodon-types.ts';
import { installFetchMock } from '../test/fetch-mock.ts';
import { makeAccount } from '../test/fixtures.ts';
import { CSRF, renderApp, signedInAs } from '../test/render-app.tsx';

const me = makeAccount('ines', { id: '1', display_name: 'Ines' });
const credentials: CredentialAccount = {
  ...me,
  note: '<p>Hello</p>',
  source: { note: 'Hello', privacy: 'public', sensitive: false, language: null, fields: [], follow_requests_count: 0, hide_collections: false, discoverable: true, indexable: true },
  role: { id: '-99', name: '', permissions: '0', color: '', highlighted: false },
};

describe('settings', () => {
  it('edits display name, bio and privacy, and saves them', async () => {
    const server = installFetchMock();
    signedInAs(server, me);
    server.on('GET', '/api/v1/accounts/verify_credentials', { body: credentials });
    server.on('PATCH', '/api/v1/accounts/update_credentials', (call) => {
      const body = call.body as { display_name: string; note: string; locked: boolean };
      return { body: { ...credentials, display_name: body.display_name, locked: body.locked, source: { note: body.note, privacy: body.locked ? 'private' : 'public' } } };
    });

    renderApp('/settings/profile');

    const name = (await screen.findByLabelText('Display name')) as HTMLInputElement;
    const bio = screen.getByLabelText('Bio') as HTMLTextAreaElement;
    const isPrivate = screen.getByLabelText('Private account') as HTMLInputElement;
    expect(name.value).toBe('Ines');
    expect(bio.value).toBe('Hello');
    expect(isPrivate.checked).toBe(false);

    fireEvent.change(name, { target: { value: 'Ines R.' } });
    fireEvent.change(bio, { target: { value: 'Mum of two\nLisbon' } });
    fireEvent.click(isPrivate);
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));

    expect(await screen.findByText('Profile saved.')).toBeTruthy();
    const [patch] = server.callsTo('PATCH', '/api/v1/accounts/update_credentials');
    expect(patch.body).toEqual({ display_name: 'Ines R.', note: 'Mum of two\nLisbon', locked: true });
    expect(patch.headers.get('X-CSRF-Token')).toBe(CSRF);
  });

  it('reports a wrong current password as the server says it', async () => {
    const server = installFetchMock();
    signedInAs(server, me);
    server.on('POST', '/api/glimpse/v1/password', { status: 422, body: { error: 'Current password is incorrect' } });

    renderApp('/settings/password');
    fireEvent.change(await screen.findByLabelText('Current password'), { target: { value: 'guess' } });
    fireEvent.change(screen.getByLabelText('New password'), { target: { value: 'a much better one' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));

    expect((await screen.findByRole('alert')).textContent).toBe('Current password is incorrect');
    expect(server.callsTo('POST', '/api/glimpse/v1/password')[0].body).toEqual({ current_password: 'guess', password: 'a much better one' });
  });

  it('unblocks from the blocked list, and can block again', async () => {
    const server = installFetchMock();
    signedInAs(server, me);
    server.on('GET', '/api/v1/blocks', { body: [makeAccount('troll', { id: '9' })] });
    server.on('POST', '/api/v1/accounts/9/unblock', { body: {} });
    server.on('POST', '/api/v1/accounts/9/block', { body: {} });

    renderApp('/settings/blocked');
    const row = (await screen.findByText('@troll')).closest('li')!;
    fireEvent.click(within(row).getByRole('button', { name: 'Unblock' }));
    fireEvent.click(await within(row).findByRole('button', { name: 'Block' }));
    await within(row).findByRole('button', { name: 'Unblock' });

    expect(server.calls.filter((c) => c.method === 'POST').map((c) => c.path)).toEqual(['/api/v1/accounts/9/unblock', '/api/v1/accounts/9/block']);
  });

  it('unmutes from the muted list', async () => {
    const server = installFetchMock();
    signedInAs(server, me);
    server.on('GET', '/api/v1/mutes', { body: [makeAccount('loud', { id: '4' })] });
    server.on('POST', '/api/v1/accounts/4/unmute', { body: {} });

    renderApp('/settings/muted');
    fireEvent.click(await screen.findByRole('button', { name: 'Unmute' }));

    expect(await screen.findByRole('button', { name: 'Mute' })).toBeTruthy();
    expect(server.callsTo('POST', '/api/v1/accounts/4/unmute')).toHaveLength(1);
  });

  it('ends the session in the app when the server says it was revoked', async () => {
    const server = installFetchMock();
    signedInAs(server, me);
    server.on('GET', '/api/v1/mutes', { status: 401, body: { error: 'The access token is invalid' } });

    renderApp('/settings/muted');

    expect(await screen.findByRole('button', { name: 'Log in' })).toBeTruthy();
  });
});
