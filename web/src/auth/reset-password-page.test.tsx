import { fireEvent, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { installFetchMock } from '../test/fetch-mock.ts';
import { renderApp, signedOut } from '../test/render-app.tsx';

const PATH = '/api/glimpse/v1/password_resets/mailed-token_123';

function fill(password: string, repeat = password) {
  fireEvent.change(screen.getByLabelText('New password'), { target: { value: password } });
  fireEvent.change(screen.getByLabelText('Repeat the new password'), { target: { value: repeat } });
  fireEvent.click(screen.getByRole('button', { name: 'Set new password' }));
}

describe('the reset link page', () => {
  it('sets the new password with the token from the link and sends the visitor to log in', async () => {
    const server = installFetchMock();
    signedOut(server);
    server.on('PUT', PATH, { body: {} });
    renderApp('/reset-password/mailed-token_123');

    await screen.findByLabelText('New password');
    fill('a new long password');

    expect((await screen.findByRole('status')).textContent).toMatch(/Password changed.*signed out everywhere/);
    expect(server.callsTo('PUT', PATH)[0].body).toEqual({ password: 'a new long password' });
    expect(screen.getByRole('link', { name: 'Log in' }).getAttribute('href')).toBe('/login');
  });

  it('checks that both passwords match before sending anything', async () => {
    const server = installFetchMock();
    signedOut(server);
    renderApp('/reset-password/mailed-token_123');

    await screen.findByLabelText('New password');
    fill('a new long password', 'another password');

    expect((await screen.findByRole('alert')).textContent).toMatch(/do not match/);
    expect(server.callsTo('PUT', PATH)).toHaveLength(0);
  });

  it('offers a new link when the server says the link is used or expired (404)', async () => {
    const server = installFetchMock();
    signedOut(server);
    server.on('PUT', PATH, { status: 404, body: { error: 'This link is invalid or has expired' } });
    renderApp('/reset-password/mailed-token_123');

    await screen.findByLabelText('New password');
    fill('a new long password');

    expect((await screen.findByRole('alert')).textContent).toMatch(/already used, it has expired/);
    expect(screen.getByRole('link', { name: 'Ask for a new link' }).getAttribute('href')).toBe('/forgot-password');
  });
});
