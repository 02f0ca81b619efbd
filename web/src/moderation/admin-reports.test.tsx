import { fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { installFetchMock } from '../test/fetch-mock.ts';
import { makeAccount, makeStatus } from '../test/fixtures.ts';
import { CSRF, renderApp, signedInAs } from '../test/render-app.tsx';
import type { AdminReport } from './moderation-api.ts';

const G = '/api/glimpse/v1';
const admin = makeAccount('mara', { id: '2' });
const rex = makeAccount('rex', { id: '7' });
const sam = makeAccount('sam', { id: '3' });

function report(id: string, statuses = [makeStatus(rex, { content: '<p>Not Ines</p>' })]): AdminReport {
  return { id, category: 'spam', comment: 'Same line on every post', created_at: new Date().toISOString(), action_taken: false, action_taken_at: null, account: sam, target_account: rex, statuses };
}

describe('admin report queue', () => {
  it('lists open reports with what was reported, and hiding the comments resolves one', async () => {
    const server = installFetchMock();
    signedInAs(server, admin, 'admin');
    server.on('GET', `${G}/admin/reports`, { body: [report('11'), report('12', [])] });
    server.on('POST', `${G}/admin/reports/11/resolve`, (call) => ({ body: { id: '11', action_taken: (call.body as { action: string }).action } }));
    renderApp('/admin/reports');

    const list = await screen.findByRole('list', { name: 'Open reports' });
    const cards = within(list).getAllByRole('listitem', { name: /@rex reported by @sam/ });
    expect(cards).toHaveLength(2);
    expect(within(cards[0]).getByText('Not Ines')).toBeTruthy();
    expect(within(cards[0]).getByText('Same line on every post')).toBeTruthy();
    // A report without statuses offers no "hide the comments".
    expect(within(cards[1]).queryByRole('button', { name: 'Hide the reported comments' })).toBeNull();
    expect(within(screen.getByRole('navigation', { name: 'Main' })).getByRole('link', { name: 'Reports' })).toBeTruthy();

    fireEvent.click(within(cards[0]).getByRole('button', { name: 'Hide the reported comments' }));
    expect(await screen.findByText('Report on @rex resolved: the comments are hidden from everyone.')).toBeTruthy();
    const [call] = server.callsTo('POST', `${G}/admin/reports/11/resolve`);
    expect(call.body).toEqual({ action: 'hide' });
    expect(call.headers.get('X-CSRF-Token')).toBe(CSRF);
    expect(within(screen.getByRole('list', { name: 'Open reports' })).getAllByRole('listitem', { name: /reported by/ })).toHaveLength(1);
  });

  it('switches to resolved reports, which offer no actions', async () => {
    const server = installFetchMock();
    signedInAs(server, admin, 'admin');
    server.on('GET', `${G}/admin/reports`, (call) => ({ body: call.url.searchParams.get('resolved') === 'true' ? [{ ...report('9'), action_taken: true, action_taken_at: new Date().toISOString() }] : [] }));
    renderApp('/admin/reports');
    expect(await screen.findByText('No open reports')).toBeTruthy();
    expect(screen.getByRole('tab', { name: 'Open' }).getAttribute('aria-selected')).toBe('true');
    fireEvent.click(screen.getByRole('tab', { name: 'Resolved' }));
    expect(screen.getByRole('tab', { name: 'Resolved' }).getAttribute('aria-selected')).toBe('true');
    expect(screen.getByRole('tab', { name: 'Open' }).getAttribute('aria-selected')).toBe('false');
    const list = await screen.findByRole('list', { name: 'Resolved reports' });
    expect(within(list).queryByRole('button')).toBeNull();
  });

  it('is not there for people who are not admins: no nav link, the not-found page, no request', async () => {
    const server = installFetchMock();
    signedInAs(server, sam);
    renderApp('/admin/reports');
    expect(await screen.findByText(/not found|doesn’t exist|isn't available|isn’t available/i)).toBeTruthy();
    expect(screen.queryByRole('link', { name: 'Reports' })).toBeNull();
    expect(server.callsTo('GET', `${G}/admin/reports`)).toHaveLength(0);
  });
});
