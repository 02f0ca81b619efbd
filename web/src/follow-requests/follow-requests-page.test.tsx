import { fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { installFetchMock } from '../test/fetch-mock.ts';
import { makeAccount, makeRelationship } from '../test/fixtures.ts';
import { CSRF, renderApp, signedInAs } from '../test/render-app.tsx';

const mara = makeAccount('mara', { id: '2', locked: true });

function rowOf(handle: string): HTMLElement {
  return screen.getByText(handle).closest('li')!;
}

describe('follow requests page', () => {
  it('accepts one request and declines another, each leaving the list, and offers to follow back', async () => {
    const server = installFetchMock();
    signedInAs(server, mara);
    server.on('GET', '/api/v1/follow_requests', { body: [makeAccount('ines', { id: '7' }), makeAccount('stranger', { id: '8' })] });
    server.on('POST', '/api/v1/follow_requests/7/authorize', { body: makeRelationship('7', { followed_by: true }) });
    server.on('POST', '/api/v1/follow_requests/8/reject', { body: makeRelationship('8') });
    server.on('POST', '/api/v1/accounts/7/follow', { body: makeRelationship('7', { followed_by: true, following: true }) });

    renderApp('/follow-requests');

    await screen.findByText('@ines');
    fireEvent.click(within(rowOf('@ines')).getByRole('button', { name: 'Accept' }));
    await screen.findByText('ines can now see your posts.', { selector: '[role=status]' });
    expect(screen.queryByText('@ines')).toBeNull();

    fireEvent.click(within(rowOf('@stranger')).getByRole('button', { name: 'Decline' }));
    expect(await screen.findByText('No pending follow requests')).toBeTruthy();

    const accepted = screen.getByRole('region', { name: 'Accepted' });
    fireEvent.click(within(accepted).getByRole('button', { name: 'Follow back' }));
    expect(await within(accepted).findByRole('button', { name: 'Following' })).toBeTruthy();

    expect(server.callsTo('POST', '/api/v1/follow_requests/7/authorize')[0].headers.get('X-CSRF-Token')).toBe(CSRF);
    expect(server.callsTo('POST', '/api/v1/follow_requests/8/reject')).toHaveLength(1);
    expect(server.callsTo('POST', '/api/v1/accounts/7/follow')).toHaveLength(1);
  });

  it('offers no follow back to someone already followed', async () => {
    const server = installFetchMock();
    signedInAs(server, mara);
    server.on('GET', '/api/v1/follow_requests', { body: [makeAccount('ines', { id: '7' })] });
    server.on('POST', '/api/v1/follow_requests/7/authorize', { body: makeRelationship('7', { followed_by: true, following: true }) });

    renderApp('/follow-requests');
    fireEvent.click(await screen.findByRole('button', { name: 'Accept' }));
    expect(await screen.findByText('No pending follow requests')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Follow back' })).toBeNull();
  });

  it('keeps the request and shows why when the server refuses', async () => {
    const server = installFetchMock();
    signedInAs(server, mara);
    server.on('GET', '/api/v1/follow_requests', { body: [makeAccount('ines', { id: '7' })] });
    server.on('POST', '/api/v1/follow_requests/7/authorize', { status: 404, body: { error: 'Record not found' } });

    renderApp('/follow-requests');
    fireEvent.click(await screen.findByRole('button', { name: 'Accept' }));

    expect((await screen.findByRole('alert')).textContent).toBe('Record not found');
    expect(screen.getByText('@ines')).toBeTruthy();
  });
});
