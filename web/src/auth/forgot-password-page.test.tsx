import { fireEvent, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { installFetchMock } from '../test/fetch-mock.ts';
import { renderApp, signedOut } from '../test/render-app.tsx';

describe('forgot password', () => {
  it('is linked from the log-in page', async () => {
    const server = installFetchMock();
    signedOut(server);
    renderApp('/login');

    fireEvent.click(await screen.findByRole('link', { name: 'Forgot password?' }));

    expect(await screen.findByRole('heading', { name: 'Forgot your password?' })).toBeTruthy();
    expect(screen.getByTestId('current-path').textContent).toBe('/forgot-password');
  });

  it('asks for a reset link and says it is on its way, whatever the address', async () => {
    const server = installFetchMock();
    signedOut(server);
    server.on('POST', '/api/glimpse/v1/password_resets', { status: 202, body: {} });
    renderApp('/forgot-password');

    fireEvent.change(await screen.findByLabelText('Email'), { target: { value: ' mara@example.com ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Send reset link' }));

    expect((await screen.findByRole('status')).textContent).toMatch(/If an account uses mara@example\.com, a link .* is on its way/);
    expect(server.callsTo('POST', '/api/glimpse/v1/password_resets')[0].body).toEqual({ email: 'mara@example.com' });
  });

  it("shows the server's refusal when mail is not available", async () => {
    const server = installFetchMock();
    signedOut(server);
    server.on('POST', '/api/glimpse/v1/password_resets', { status: 404, body: { error: 'Password reset is not available on this server' } });
    renderApp('/forgot-password');

    fireEvent.change(await screen.findByLabelText('Email'), { target: { value: 'mara@example.com' } });
    fireEvent.click(screen.getByRole('button', { name: 'Send reset link' }));

    expect((await screen.findByRole('alert')).textContent).toBe('Password reset is not available on this server');
  });
});
