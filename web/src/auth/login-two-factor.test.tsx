import { fireEvent, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { installFetchMock } from '../test/fetch-mock.ts';
import { makeAccount } from '../test/fixtures.ts';
import { renderApp, signedOut } from '../test/render-app.tsx';

const SESSION = '/api/glimpse/v1/session';

async function typePassword(login: string, password: string) {
  fireEvent.change(await screen.findByLabelText('Username or email'), { target: { value: login } });
  fireEvent.change(screen.getByLabelText('Password'), { target: { value: password } });
  fireEvent.click(screen.getByRole('button', { name: 'Log in' }));
}

describe('logging in with two-factor log-in', () => {
  it('asks for the code when the server says it is required, then sends it with the password', async () => {
    const server = installFetchMock();
    signedOut(server);
    server.on('POST', SESSION, (call) => {
      const body = call.body as { code?: string };
      if (body.code === undefined) return { status: 422, body: { error: 'Enter the code from your authenticator app, or a recovery code', two_factor_required: true } };
      if (body.code !== '123456') return { status: 401, body: { error: 'Invalid two-factor code', two_factor_required: true } };
      return { body: { account: makeAccount('ines'), csrf_token: 'c' } };
    });
    server.on('GET', '/api/glimpse/v1/notifications/unread_count', { body: { count: 0 } });
    renderApp('/login');

    await typePassword('ines', 'ines-password');
    const codeField = await screen.findByLabelText('Two-factor code');
    expect(screen.queryByRole('alert')).toBeNull();

    fireEvent.change(codeField, { target: { value: '000000' } });
    fireEvent.click(screen.getByRole('button', { name: 'Log in' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Invalid two-factor code');

    fireEvent.change(screen.getByLabelText('Two-factor code'), { target: { value: ' 123456 ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Log in' }));
    expect(await screen.findByRole('heading', { name: 'Your feed' })).toBeTruthy();
    expect(server.callsTo('POST', SESSION).map((c) => c.body)).toEqual([
      { login: 'ines', password: 'ines-password' },
      { login: 'ines', password: 'ines-password', code: '000000' },
      { login: 'ines', password: 'ines-password', code: '123456' },
    ]);
  });

  it('lets a staff member who must have it set it up at log-in, shows the recovery codes, then signs in', async () => {
    const server = installFetchMock();
    signedOut(server);
    server.on('POST', SESSION, { status: 403, body: { error: 'Two-factor log-in is required for staff accounts on this instance. Set it up to continue.', two_factor_enrolment_required: true, enrolment_token: 'ticket' } });
    server.on('POST', '/api/glimpse/v1/two_factor', { body: { secret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', otpauth_uri: 'otpauth://totp/x', qr_svg: '<svg xmlns="http://www.w3.org/2000/svg"></svg>' } });
    server.on('POST', '/api/glimpse/v1/two_factor/confirm', { body: { recovery_codes: ['abcde-fghij', 'klmno-pqrst'], account: makeAccount('mara'), csrf_token: 'fresh' } });
    server.on('GET', '/api/glimpse/v1/notifications/unread_count', { body: { count: 0 } });
    renderApp('/login');

    await typePassword('mara', 'mara-password');
    expect((await screen.findByRole('alert')).textContent).toMatch(/required for staff accounts/);
    expect(await screen.findByText('JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP')).toBeTruthy();
    expect(server.callsTo('POST', '/api/glimpse/v1/two_factor')[0].body).toEqual({ enrolment_token: 'ticket' });

    fireEvent.change(screen.getByLabelText('Code from the app'), { target: { value: '654321' } });
    fireEvent.click(screen.getByRole('button', { name: 'Turn on' }));
    expect(await screen.findByText('abcde-fghij')).toBeTruthy();
    expect(server.callsTo('POST', '/api/glimpse/v1/two_factor/confirm')[0].body).toEqual({ code: '654321', enrolment_token: 'ticket' });

    fireEvent.click(screen.getByRole('button', { name: 'Continue' }));
    expect(await screen.findByRole('heading', { name: 'Your feed' })).toBeTruthy();
  });
});
