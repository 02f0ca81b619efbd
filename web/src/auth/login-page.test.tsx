import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { installFetchMock } from '../test/fetch-mock.ts';
import { makeAccount } from '../test/fixtures.ts';
import { renderApp, signedOut } from '../test/render-app.tsx';

describe('logging in and out', () => {
  it('sends a signed-out visitor from the home page to /login', async () => {
    const server = installFetchMock();
    signedOut(server);

    renderApp('/');

    expect(await screen.findByRole('button', { name: 'Log in' })).toBeTruthy();
    expect(screen.getByTestId('current-path').textContent).toBe('/login');
    expect(screen.getByLabelText('Username or email')).toBeTruthy();
    expect(screen.getByLabelText('Password')).toBeTruthy();
  });

  it("shows the server's message for wrong credentials", async () => {
    const server = installFetchMock();
    signedOut(server);
    server.on('POST', '/api/glimpse/v1/session', { status: 401, body: { error: 'Invalid username/email or password' } });
    renderApp('/login');

    fireEvent.change(await screen.findByLabelText('Username or email'), { target: { value: 'mara' } });
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'not-her-password' } });
    fireEvent.click(screen.getByRole('button', { name: 'Log in' }));

    expect((await screen.findByRole('alert')).textContent).toBe('Invalid username/email or password');
    expect(server.callsTo('POST', '/api/glimpse/v1/session')[0].body).toEqual({ login: 'mara', password: 'not-her-password' });
  });

  it('logs in, lands on the feed, and uses the new CSRF token to log out', async () => {
    const server = installFetchMock();
    const mara = makeAccount('mara', { display_name: 'Mara' });
    signedOut(server);
    server.on('POST', '/api/glimpse/v1/session', { body: { account: mara, csrf_token: 'fresh-csrf' } });
    server.on('GET', '/api/glimpse/v1/notifications/unread_count', { body: { count: 2 } });
    server.on('DELETE', '/api/glimpse/v1/session', { body: {} });
    renderApp('/login');

    fireEvent.change(await screen.findByLabelText('Username or email'), { target: { value: 'mara@example.com' } });
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'correct horse' } });
    fireEvent.click(screen.getByRole('button', { name: 'Log in' }));

    expect(await screen.findByRole('heading', { name: 'Your feed' })).toBeTruthy();
    for (const name of ['Home', 'Search', 'Notifications', 'Follow requests', 'Profile']) {
      expect(screen.getByRole('link', { name })).toBeTruthy();
    }
    expect(screen.getByRole('link', { name: 'Profile' }).getAttribute('href')).toBe('/@mara');
    expect(await screen.findByText('2 unread')).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: 'Log out' }));
    // Log out asks first.
    fireEvent.click(within(await screen.findByRole('dialog', { name: 'Log out of your account?' })).getByRole('button', { name: 'Log out' }));

    expect(await screen.findByRole('button', { name: 'Log in' })).toBeTruthy();
    const [logout] = server.callsTo('DELETE', '/api/glimpse/v1/session');
    expect(logout.headers.get('X-CSRF-Token')).toBe('fresh-csrf');
  });

  it('returns to the page that asked for a log-in', async () => {
    const server = installFetchMock();
    signedOut(server);
    server.on('POST', '/api/glimpse/v1/session', { body: { account: makeAccount('ines'), csrf_token: 'c' } });
    server.on('GET', '/api/glimpse/v1/notifications/unread_count', { body: { count: 0 } });
    server.on('GET', '/api/v1/follow_requests', { body: [] });
    renderApp('/follow-requests');

    fireEvent.change(await screen.findByLabelText('Username or email'), { target: { value: 'ines' } });
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'password1' } });
    fireEvent.click(screen.getByRole('button', { name: 'Log in' }));

    await waitFor(() => expect(screen.getByTestId('current-path').textContent).toBe('/follow-requests'));
    expect(await screen.findByText('No pending follow requests')).toBeTruthy();
  });
});

describe('logging out from a deep page', () => {
  it('does not send the next person who logs in back to that page', async () => {
    const server = installFetchMock();
    const mara = makeAccount('mara');
    server.on('GET', '/api/glimpse/v1/session', { body: { account: mara, role: 'user', csrf_token: 'c1' } });
    server.on('GET', '/api/glimpse/v1/notifications/unread_count', { body: { count: 0 } });
    server.on('GET', '/api/v1/mutes', { body: [] });
    server.on('DELETE', '/api/glimpse/v1/session', { body: {} });
    server.on('POST', '/api/glimpse/v1/session', { body: { account: mara, csrf_token: 'c2' } });
    renderApp('/settings/muted');

    fireEvent.click(await screen.findByRole('button', { name: 'Log out' }));
    fireEvent.click(within(await screen.findByRole('dialog')).getByRole('button', { name: 'Log out' }));
    fireEvent.change(await screen.findByLabelText('Username or email'), { target: { value: 'mara' } });
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'password1' } });
    fireEvent.click(screen.getByRole('button', { name: 'Log in' }));

    expect(await screen.findByRole('heading', { name: 'Your feed' })).toBeTruthy();
    expect(screen.getByTestId('current-path').textContent).toBe('/');
  });
});
