import { fireEvent, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { installFetchMock } from '../test/fetch-mock.ts';
import { makeAccount } from '../test/fixtures.ts';
import { CSRF, renderApp, signedInAs } from '../test/render-app.tsx';

const me = makeAccount('ines', { id: '1' });

describe('settings: e-mail address', () => {
  it('asks for a new address with the password, and says it waits for the link when mail is on', async () => {
    const server = installFetchMock();
    signedInAs(server, me);
    let pending: string | null = null;
    server.on('GET', '/api/glimpse/v1/email', () => ({ body: { email: 'ines@old.test', confirmed: true, unconfirmed_email: pending, mail_enabled: true } }));
    server.on('PUT', '/api/glimpse/v1/email', () => {
      pending = 'ines@new.test';
      return { status: 202, body: { pending: true } };
    });
    renderApp('/settings/email');

    expect((await screen.findByText('ines@old.test')).tagName).toBe('STRONG');
    fireEvent.change(screen.getByLabelText('New e-mail address'), { target: { value: 'ines@new.test' } });
    fireEvent.change(screen.getByLabelText('Current password'), { target: { value: 'her password' } });
    fireEvent.click(screen.getByRole('button', { name: 'Change e-mail address' }));

    expect(await screen.findByText(/We sent a link to ines@new\.test/)).toBeTruthy();
    expect(await screen.findByText(/Waiting for you to confirm ines@new\.test/)).toBeTruthy();
    const [put] = server.callsTo('PUT', '/api/glimpse/v1/email');
    expect(put.body).toEqual({ email: 'ines@new.test', current_password: 'her password' });
    expect(put.headers.get('X-CSRF-Token')).toBe(CSRF);
  });

  it('shows a wrong password as the server says it', async () => {
    const server = installFetchMock();
    signedInAs(server, me);
    server.on('GET', '/api/glimpse/v1/email', { body: { email: 'ines@old.test', confirmed: true, unconfirmed_email: null, mail_enabled: false } });
    server.on('PUT', '/api/glimpse/v1/email', { status: 422, body: { error: 'Current password is incorrect' } });
    renderApp('/settings/email');

    fireEvent.change(await screen.findByLabelText('New e-mail address'), { target: { value: 'ines@new.test' } });
    fireEvent.change(screen.getByLabelText('Current password'), { target: { value: 'guess' } });
    fireEvent.click(screen.getByRole('button', { name: 'Change e-mail address' }));

    expect((await screen.findByRole('alert')).textContent).toBe('Current password is incorrect');
  });
});
