import { fireEvent, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { installFetchMock } from '../test/fetch-mock.ts';
import { renderApp, signedOut } from '../test/render-app.tsx';

const PATH = '/api/glimpse/v1/email_confirmations/confirm-token_1';

describe('e-mail confirmation', () => {
  it('confirms the address once on arrival from the mailed link', async () => {
    const server = installFetchMock();
    signedOut(server);
    server.on('PUT', PATH, { body: {} });
    renderApp('/confirm-email/confirm-token_1');

    expect((await screen.findByText('E-mail address confirmed'))).toBeTruthy();
    expect(server.callsTo('PUT', PATH)).toHaveLength(1);
    expect(screen.getByRole('link', { name: 'Log in' }).getAttribute('href')).toBe('/login');
  });

  it('says when the link no longer works', async () => {
    const server = installFetchMock();
    signedOut(server);
    server.on('PUT', PATH, { status: 404, body: { error: 'This link is invalid or has expired' } });
    renderApp('/confirm-email/confirm-token_1');

    expect((await screen.findByRole('alert')).textContent).toMatch(/already used, it has expired/);
  });

  it('after a sign-up with mail on, tells the new account to check its e-mail', async () => {
    const server = installFetchMock();
    signedOut(server);
    server.on('GET', '/api/v2/instance', { body: { title: 'Glimpse', registrations: { enabled: true, approval_required: false, message: null } } });
    server.on('POST', '/api/glimpse/v1/registrations', { status: 202, body: { pending_approval: false, confirmation_required: true } });
    renderApp('/signup');

    fireEvent.change(await screen.findByLabelText('Username'), { target: { value: 'ines' } });
    fireEvent.change(screen.getByLabelText('Email'), { target: { value: 'ines@example.com' } });
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'long enough password' } });
    fireEvent.click(screen.getByLabelText('I agree to the terms'));
    fireEvent.click(screen.getByRole('button', { name: 'Sign up' }));

    expect((await screen.findByRole('status')).textContent).toMatch(/sent a link to ines@example\.com/);
  });
});
