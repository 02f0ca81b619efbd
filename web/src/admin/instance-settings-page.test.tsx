import { fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { installFetchMock } from '../test/fetch-mock.ts';
import { makeAccount } from '../test/fixtures.ts';
import { CSRF, renderApp, signedInAs } from '../test/render-app.tsx';
import type { InstanceSettings } from './instance-settings-api.ts';

const URL = '/api/glimpse/v1/admin/instance';
const mara = makeAccount('mara', { id: '2' });
const ines = makeAccount('ines', { id: '3' });

function settings(overrides: Partial<InstanceSettings> = {}): InstanceSettings {
  const env = <T,>(value: T) => ({ value, default: value, source: 'environment' as const });
  return {
    title: { value: 'Mara’s Photos', default: 'Glimpse', source: 'database' },
    description: env('A self-hosted place for photo series and 24-hour stories.'),
    rules: env([]),
    registrations: env('open'),
    default_hidden_words: env(false),
    limits: { comments: env(30), story_responses: env(30) },
    rate_limits_enabled: true,
    ...overrides,
  };
}

describe('instance settings page', () => {
  it('shows each setting with where its value comes from, and saves only what was changed', async () => {
    const server = installFetchMock();
    signedInAs(server, mara, 'admin');
    server.on('GET', URL, { body: settings() });
    server.on('PATCH', URL, {
      body: settings({ rules: { value: ['Be kind', 'No spam'], default: [], source: 'database' }, registrations: { value: 'approval', default: 'open', source: 'database' } }),
    });
    renderApp('/admin/instance');

    const title = await screen.findByRole('textbox', { name: 'Title' });
    expect((title as HTMLInputElement).value).toBe('Mara’s Photos');
    // The stored title says so, with the environment's value beside it; the others are the environment's.
    expect(screen.getByText(/Set here\. The environment’s default is “Glimpse”\./)).toBeTruthy();
    expect(screen.getAllByText('From the environment (the default).').length).toBeGreaterThanOrEqual(5);
    expect(within(screen.getByRole('navigation', { name: 'Main' })).getByRole('link', { name: 'Instance' })).toBeTruthy();

    fireEvent.change(screen.getByRole('textbox', { name: 'Rules' }), { target: { value: 'Be kind\n\n  No spam  \n' } });
    fireEvent.change(screen.getByRole('combobox', { name: 'Sign-ups' }), { target: { value: 'approval' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));

    expect(await screen.findByText('Saved. The server uses these settings now.')).toBeTruthy();
    const [call] = server.callsTo('PATCH', URL);
    expect(call.body).toEqual({ rules: ['Be kind', 'No spam'], registrations: 'approval' });
    expect(call.headers.get('X-CSRF-Token')).toBe(CSRF);
    expect((screen.getByRole('textbox', { name: 'Rules' }) as HTMLTextAreaElement).value).toBe('Be kind\nNo spam');
  });

  it('"Use the default" sends null for that setting, and the page then shows the environment’s value', async () => {
    const server = installFetchMock();
    signedInAs(server, mara, 'admin');
    server.on('GET', URL, { body: settings() });
    server.on('PATCH', URL, { body: settings({ title: { value: 'Glimpse', default: 'Glimpse', source: 'environment' } }) });
    renderApp('/admin/instance');

    fireEvent.click(await screen.findByRole('button', { name: 'Use the default title' }));
    expect((screen.getByRole('textbox', { name: 'Title' }) as HTMLInputElement).value).toBe('Glimpse');
    expect(screen.getByText('Back to the environment’s default (“Glimpse”) when you save.')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));

    expect(await screen.findByText('Saved. The server uses these settings now.')).toBeTruthy();
    expect(server.callsTo('PATCH', URL)[0].body).toEqual({ title: null });
    expect(screen.queryByRole('button', { name: 'Use the default title' })).toBeNull();
  });

  it('turns the default hidden-words list on and sets a limit', async () => {
    const server = installFetchMock();
    signedInAs(server, mara, 'admin');
    server.on('GET', URL, { body: settings() });
    server.on('PATCH', URL, { body: settings() });
    renderApp('/admin/instance');

    fireEvent.click(await screen.findByRole('checkbox', { name: /Hide comments with common offensive words/ }));
    fireEvent.change(screen.getByRole('spinbutton', { name: 'Comments per person per minute' }), { target: { value: '5' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await screen.findByText('Saved. The server uses these settings now.');
    expect(server.callsTo('PATCH', URL)[0].body).toEqual({ default_hidden_words: true, limits: { comments: 5 } });
  });

  it('keeps a value out of bounds from being sent, and shows the server’s refusal as it phrased it', async () => {
    const server = installFetchMock();
    signedInAs(server, mara, 'admin');
    server.on('GET', URL, { body: settings({ rate_limits_enabled: false }) });
    server.on('PATCH', URL, { status: 422, body: { error: 'Validation failed: description is too long (maximum is 2000 characters)' } });
    renderApp('/admin/instance');

    const limit = await screen.findByRole('spinbutton', { name: 'Comments per person per minute' });
    expect(screen.getByText(/Rate limits are off on this server/)).toBeTruthy();
    fireEvent.change(limit, { target: { value: '-1' } });
    expect(screen.getByText('A whole number from 0 to 10,000.')).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Save' }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.change(limit, { target: { value: '30' } });
    fireEvent.change(screen.getByRole('textbox', { name: 'Title' }), { target: { value: ' ' } });
    expect(screen.getByText('The title can’t be blank.')).toBeTruthy();
    fireEvent.change(screen.getByRole('textbox', { name: 'Title' }), { target: { value: 'Fine' } });

    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(within(await screen.findByRole('alert')).getByText('Validation failed: description is too long (maximum is 2000 characters)')).toBeTruthy();
  });

  it('is not there for moderators or users: no nav link, the not-found page, no request', async () => {
    for (const role of ['moderator', 'user']) {
      const server = installFetchMock();
      signedInAs(server, ines, role);
      const { unmount } = renderApp('/admin/instance');
      expect(await screen.findByText(/not found|doesn’t exist|isn't available|isn’t available/i)).toBeTruthy();
      expect(screen.queryByRole('link', { name: 'Instance' })).toBeNull();
      expect(server.callsTo('GET', URL)).toHaveLength(0);
      unmount();
    }
  });
});
