import { fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { installFetchMock } from '../test/fetch-mock.ts';
import { makeAccount } from '../test/fixtures.ts';
import { CSRF, renderApp, signedInAs } from '../test/render-app.tsx';

const me = makeAccount('ines', { id: '1' });
const TWO_FACTOR = '/api/glimpse/v1/two_factor';
const SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 29 29"><path d="M0 0h7v7H0z"/></svg>';
const CODES = ['aaaaa-bbbbb', 'ccccc-ddddd', 'eeeee-fffff'];

describe('settings: security', () => {
  it('sets up two-factor log-in: QR code and key, a code to confirm, then the recovery codes once with a copy button', async () => {
    const server = installFetchMock();
    signedInAs(server, me);
    server.once('GET', TWO_FACTOR, { body: { enabled: false, pending: false, recovery_codes_remaining: 0, required: false } });
    server.on('POST', TWO_FACTOR, { body: { secret: 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ', otpauth_uri: 'otpauth://totp/Glimpse:ines', qr_svg: SVG } });
    server.on('POST', `${TWO_FACTOR}/confirm`, { body: { recovery_codes: CODES } });
    const writeText = vi.fn(async () => {});
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });

    renderApp('/settings/security');
    fireEvent.click(await screen.findByRole('button', { name: 'Set up two-factor log-in' }));

    const qr = (await screen.findByAltText('QR code for your authenticator app')) as HTMLImageElement;
    expect(decodeURIComponent(qr.src)).toBe(`data:image/svg+xml;charset=utf-8,${SVG}`);
    expect(screen.getByText('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ')).toBeTruthy();

    fireEvent.change(screen.getByLabelText('Code from the app'), { target: { value: '123456' } });
    fireEvent.click(screen.getByRole('button', { name: 'Turn on' }));

    const list = await screen.findByRole('list', { name: 'Recovery codes' });
    expect(within(list).getAllByRole('listitem').map((li) => li.textContent)).toEqual(CODES);
    const [confirm] = server.callsTo('POST', `${TWO_FACTOR}/confirm`);
    expect(confirm.body).toEqual({ code: '123456' });
    expect(confirm.headers.get('X-CSRF-Token')).toBe(CSRF);

    fireEvent.click(screen.getByRole('button', { name: 'Copy codes' }));
    expect(await screen.findByRole('button', { name: 'Copied' })).toBeTruthy();
    expect(writeText).toHaveBeenCalledWith(CODES.join('\n'));

    server.on('GET', TWO_FACTOR, { body: { enabled: true, pending: false, recovery_codes_remaining: 3, required: false } });
    fireEvent.click(screen.getByRole('button', { name: 'Done' }));
    expect(await screen.findByText(/3 of 10 recovery codes left/)).toBeTruthy();
    expect(screen.queryByText('aaaaa-bbbbb')).toBeNull();
  });

  it('makes new recovery codes with a code, and turns it off with the password and a code', async () => {
    const server = installFetchMock();
    signedInAs(server, me);
    server.once('GET', TWO_FACTOR, { body: { enabled: true, pending: false, recovery_codes_remaining: 4, required: false } });
    server.on('POST', `${TWO_FACTOR}/recovery_codes`, { body: { recovery_codes: CODES } });
    server.on('DELETE', TWO_FACTOR, (call) =>
      (call.body as { password: string }).password === 'ines-password' ? { body: {} } : { status: 422, body: { error: 'Current password is incorrect' } },
    );

    renderApp('/settings/security');
    const regenerate = await screen.findByRole('form', { name: 'New recovery codes' });
    fireEvent.change(within(regenerate).getByLabelText('Code from the app'), { target: { value: '111111' } });
    fireEvent.click(within(regenerate).getByRole('button', { name: 'Make new recovery codes' }));
    expect(await screen.findByText('ccccc-ddddd')).toBeTruthy();
    expect(server.callsTo('POST', `${TWO_FACTOR}/recovery_codes`)[0].body).toEqual({ code: '111111' });

    server.once('GET', TWO_FACTOR, { body: { enabled: true, pending: false, recovery_codes_remaining: 10, required: false } });
    fireEvent.click(screen.getByRole('button', { name: 'Done' }));
    const disable = await screen.findByRole('form', { name: 'Turn off two-factor log-in' });
    fireEvent.change(within(disable).getByLabelText('Current password'), { target: { value: 'guess' } });
    fireEvent.change(within(disable).getByLabelText('Code from the app or a recovery code'), { target: { value: '222222' } });
    fireEvent.click(within(disable).getByRole('button', { name: 'Turn off two-factor log-in' }));
    expect((await within(disable).findByRole('alert')).textContent).toBe('Current password is incorrect');

    server.on('GET', TWO_FACTOR, { body: { enabled: false, pending: false, recovery_codes_remaining: 0, required: false } });
    fireEvent.change(within(disable).getByLabelText('Current password'), { target: { value: 'ines-password' } });
    fireEvent.click(within(disable).getByRole('button', { name: 'Turn off two-factor log-in' }));
    expect(await screen.findByRole('button', { name: 'Set up two-factor log-in' })).toBeTruthy();
    expect(server.callsTo('DELETE', TWO_FACTOR).at(-1)!.body).toEqual({ password: 'ines-password', code: '222222' });
  });

  it('says when the instance requires it, and offers no way to turn it off then', async () => {
    const server = installFetchMock();
    signedInAs(server, me, 'admin');
    server.on('GET', TWO_FACTOR, { body: { enabled: true, pending: false, recovery_codes_remaining: 10, required: true } });
    renderApp('/settings/security');
    expect(await screen.findByText(/cannot be turned off/)).toBeTruthy();
    expect(screen.queryByRole('form', { name: 'Turn off two-factor log-in' })).toBeNull();
  });
});
