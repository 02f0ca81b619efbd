import { fireEvent, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { installFetchMock, type FetchMock } from '../test/fetch-mock.ts';
import { makeAccount } from '../test/fixtures.ts';
import { renderApp, signedOut } from '../test/render-app.tsx';

function openInstance(server: FetchMock, approvalRequired = false) {
  server.on('GET', '/api/v2/instance', { body: { title: 'Glimpse', registrations: { enabled: true, approval_required: approvalRequired, message: null } } });
}

async function fillForm() {
  fireEvent.change(await screen.findByLabelText('Username'), { target: { value: 'ines' } });
  fireEvent.change(screen.getByLabelText('Email'), { target: { value: 'ines@example.com' } });
  fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'long enough password' } });
}

describe('signing up', () => {
  it('will not send the form until the terms are accepted', async () => {
    const server = installFetchMock();
    signedOut(server);
    openInstance(server);
    renderApp('/signup');

    await fillForm();
    fireEvent.click(screen.getByRole('button', { name: 'Sign up' }));

    expect((await screen.findByRole('alert')).textContent).toMatch(/agree to the terms/);
    expect(server.callsTo('POST', '/api/glimpse/v1/registrations')).toHaveLength(0);
  });

  it('signs the new account in and opens the feed', async () => {
    const server = installFetchMock();
    signedOut(server);
    openInstance(server);
    server.on('POST', '/api/glimpse/v1/registrations', { body: { account: makeAccount('ines'), csrf_token: 'new-csrf' } });
    server.on('GET', '/api/glimpse/v1/notifications/unread_count', { body: { count: 0 } });
    renderApp('/signup');

    await fillForm();
    fireEvent.click(screen.getByLabelText('I agree to the terms'));
    fireEvent.click(screen.getByRole('button', { name: 'Sign up' }));

    expect(await screen.findByRole('heading', { name: 'Your feed' })).toBeTruthy();
    expect(server.callsTo('POST', '/api/glimpse/v1/registrations')[0].body).toEqual({
      username: 'ines',
      email: 'ines@example.com',
      password: 'long enough password',
      agreement: true,
    });
  });

  it('says the account awaits approval when the server answers 202, asking for a reason first', async () => {
    const server = installFetchMock();
    signedOut(server);
    openInstance(server, true);
    server.on('POST', '/api/glimpse/v1/registrations', { status: 202, body: { pending_approval: true } });
    renderApp('/signup');

    await fillForm();
    fireEvent.change(await screen.findByLabelText('Why do you want to join?'), { target: { value: 'I am Mara’s friend' } });
    fireEvent.click(screen.getByLabelText('I agree to the terms'));
    fireEvent.click(screen.getByRole('button', { name: 'Sign up' }));

    expect((await screen.findByRole('status')).textContent).toMatch(/waiting for approval/);
    expect(server.callsTo('POST', '/api/glimpse/v1/registrations')[0].body).toMatchObject({ reason: 'I am Mara’s friend' });
  });

  it('shows why the server refused, next to the field at fault', async () => {
    const server = installFetchMock();
    signedOut(server);
    openInstance(server);
    server.on('POST', '/api/glimpse/v1/registrations', {
      status: 422,
      body: { error: 'Validation failed: Username is already taken', details: { username: [{ error: 'ERR_TAKEN', description: 'is already taken' }] } },
    });
    renderApp('/signup');

    await fillForm();
    fireEvent.click(screen.getByLabelText('I agree to the terms'));
    fireEvent.click(screen.getByRole('button', { name: 'Sign up' }));

    expect((await screen.findByRole('alert')).textContent).toBe('Validation failed: Username is already taken');
    const username = screen.getByLabelText('Username');
    expect(username.getAttribute('aria-invalid')).toBe('true');
    const description = document.getElementById(username.getAttribute('aria-describedby')!.split(' ')[0]);
    expect(description?.textContent).toBe('Username is already taken');
  });
});
