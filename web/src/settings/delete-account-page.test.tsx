import { fireEvent, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { installFetchMock } from '../test/fetch-mock.ts';
import { makeAccount } from '../test/fixtures.ts';
import { CSRF, renderApp, signedInAs } from '../test/render-app.tsx';

const me = makeAccount('ines', { id: '1' });
const DELETION = '/api/glimpse/v1/account/deletion';

describe('settings: delete account', () => {
  it('asks for confirmation with the password and the code, then signs out and says when and how to cancel', async () => {
    const server = installFetchMock();
    signedInAs(server, me);
    server.on('GET', DELETION, { body: { scheduled: false, due_at: null, grace_days: 30 } });
    server.on('GET', '/api/glimpse/v1/two_factor', { body: { enabled: true, pending: false, recovery_codes_remaining: 10, required: false } });
    server.on('POST', DELETION, { body: { scheduled: true, due_at: '2026-12-28T10:00:00.000Z', grace_days: 30 } });
    renderApp('/settings/delete-account');

    expect(await screen.findByText(/deleted 30 days later/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Delete my account…' }));
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'her password' } });
    fireEvent.change(screen.getByLabelText(/Two-factor code/), { target: { value: '123456' } });
    const confirm = screen.getByRole('button', { name: 'Delete my account' }) as HTMLButtonElement;
    expect(confirm.disabled).toBe(true);
    fireEvent.click(screen.getByLabelText(/I understand/));
    fireEvent.click(confirm);

    expect(await screen.findByText(/Log in before then and nothing will be deleted/)).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Log in' })).toBeTruthy();
    const [post] = server.callsTo('POST', DELETION);
    expect(post.body).toEqual({ password: 'her password', code: '123456' });
    expect(post.headers.get('X-CSRF-Token')).toBe(CSRF);
  });

  it('shows a wrong password as the server says it, and stays signed in', async () => {
    const server = installFetchMock();
    signedInAs(server, me);
    server.on('GET', DELETION, { body: { scheduled: false, due_at: null, grace_days: 30 } });
    server.on('GET', '/api/glimpse/v1/two_factor', { body: { enabled: false, pending: false, recovery_codes_remaining: 0, required: false } });
    server.on('POST', DELETION, { status: 422, body: { error: 'Current password is incorrect' } });
    renderApp('/settings/delete-account');

    fireEvent.click(await screen.findByRole('button', { name: 'Delete my account…' }));
    expect(screen.queryByLabelText(/Two-factor code/)).toBeNull();
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'guess' } });
    fireEvent.click(screen.getByLabelText(/I understand/));
    fireEvent.click(screen.getByRole('button', { name: 'Delete my account' }));

    expect((await screen.findByRole('alert')).textContent).toBe('Current password is incorrect');
    expect(screen.getByRole('heading', { name: 'Delete account' })).toBeTruthy();
  });
});
