import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Conversation, Status } from '../api/mastodon-types.ts';
import { installFetchMock } from '../test/fetch-mock.ts';
import { makeAccount, makeStatus } from '../test/fixtures.ts';
import { renderApp, signedInAs } from '../test/render-app.tsx';
import { addressedText } from './conversations-api.ts';
import { messageText } from './message-text.ts';
import { recipientsOf } from './new-message-page.tsx';

const mara = makeAccount('mara', { id: '1' });
const ines = makeAccount('ines', { id: '2' });

const message = (from: typeof mara, id: string, html: string, extra: Partial<Status> = {}): Status => {
  const to = from.id === mara.id ? ines : mara;
  const base = makeStatus(from, { id, visibility: 'direct', content: html, media_attachments: [], mentions: [{ id: to.id, username: to.username, acct: to.acct, url: to.url }], ...extra });
  return { ...base, glimpse: { ...base.glimpse, conversation_id: '50', ...extra.glimpse } };
};

describe('message text', () => {
  it('leaves out the leading mentions that only address the message, and keeps one inside the sentence', () => {
    const m = message(ines, '10', '<p><span class="h-card"><a href="/@mara">@<span>mara</span></a></span> have you met <a href="/@sam">@sam</a>?</p>');
    expect(messageText(m)).toBe('have you met @sam?');
    expect(messageText({ ...m, mentions: [] })).toBe('@mara have you met @sam?');
    expect(messageText({ ...m, content: '<p>@mara   @ines  </p>' , mentions: [...m.mentions, { id: '2', username: 'ines', acct: 'ines', url: '' }] })).toBe('');
    expect(messageText({ ...m, content: '<p>hi @mara</p>' })).toBe('hi @mara');
  });

  it('names each recipient not named yet, and reads usernames typed with @ and commas', () => {
    expect(addressedText('hi there', ['ines', 'sam'])).toBe('@ines @sam hi there');
    expect(addressedText('@Ines hi', ['ines'])).toBe('@Ines hi');
    expect(recipientsOf(' @ines, sam  ines')).toEqual(['ines', 'sam']);
  });
});

describe('direct messages', () => {
  it('the inbox lists conversations newest first, unread ones marked, with "You:" and story replies told apart', async () => {
    const server = installFetchMock();
    signedInAs(server, mara);
    const sam = makeAccount('sam', { id: '3' });
    const conversations: Conversation[] = [
      { id: '50', unread: true, accounts: [ines], last_status: message(ines, '12', '<p>@mara see you at six</p>') },
      { id: '51', unread: false, accounts: [sam], last_status: message(mara, '11', '<p>@sam thanks!</p>', { mentions: [{ id: sam.id, username: sam.username, acct: sam.acct, url: sam.url }] }) },
      { id: '52', unread: false, accounts: [makeAccount('pat', { id: '4' })], last_status: message(makeAccount('pat', { id: '4' }), '9', '<p>so pretty</p>', { glimpse: { story: { id: '7', preview_url: null, expired: false } } as Status['glimpse'] }) },
    ];
    server.on('GET', '/api/v1/conversations', { body: conversations });
    renderApp('/direct');
    const list = await screen.findByRole('list', { name: 'Conversations' });
    const rows = within(list).getAllByRole('link');
    expect(rows.map((r) => r.getAttribute('href'))).toEqual(['/direct/50', '/direct/51', '/direct/52']);
    expect(rows[0].textContent).toContain('ines, unread');
    expect(rows[0].textContent).toContain('see you at six');
    expect(rows[1].textContent).toContain('You: thanks!');
    expect(rows[2].textContent).toContain('Replied to your story: so pretty');
    expect(screen.getByRole('link', { name: 'New message' }).getAttribute('href')).toBe('/direct/new');
  });

  it('a thread shows its messages oldest first, answers the newest with the participants named, and marks itself read', async () => {
    const server = installFetchMock();
    signedInAs(server, mara);
    server.on('GET', '/api/glimpse/v1/conversations/50', { body: { id: '50', unread: true, accounts: [ines], last_status: null } });
    server.on('GET', '/api/glimpse/v1/conversations/50/messages', { body: [message(ines, '12', '<p>@mara at six?</p>'), message(mara, '11', '<p>@ines shall we shoot at dawn?</p>')] });
    server.on('POST', '/api/v1/conversations/50/read', { body: { id: '50', unread: false, accounts: [ines], last_status: null } });
    server.on('POST', '/api/v1/statuses', (call) => ({ body: message(mara, '13', `<p>${(call.body as { status: string }).status}</p>`) }));
    renderApp('/direct/50');

    expect(await screen.findByRole('heading', { name: 'ines' })).toBeTruthy();
    const messages = within(screen.getByRole('region', { name: 'Messages' }));
    await messages.findByText('at six?');
    const bubbles = messages.getAllByRole('listitem').map((li) => li.querySelector('.message-text')?.textContent);
    expect(bubbles).toEqual(['shall we shoot at dawn?', 'at six?']);
    await waitFor(() => expect(server.callsTo('POST', '/api/v1/conversations/50/read')).toHaveLength(1));

    fireEvent.change(screen.getByLabelText('Message'), { target: { value: 'yes, six' } });
    fireEvent.keyDown(screen.getByLabelText('Message'), { key: 'Enter' });
    await messages.findByText('yes, six');
    expect(server.callsTo('POST', '/api/v1/statuses')[0].body).toEqual({ status: '@ines yes, six', visibility: 'direct', in_reply_to_id: '12' });
    expect((screen.getByLabelText('Message') as HTMLTextAreaElement).value).toBe('');
  });

  it('a link in a message stays a link, and the Messages badge counts unread conversations until the thread is read', async () => {
    const server = installFetchMock();
    signedInAs(server, mara);
    let unread = 2;
    server.on('GET', '/api/glimpse/v1/conversations/unread_count', () => ({ body: { count: unread } }));
    server.on('GET', '/api/glimpse/v1/conversations/50', { body: { id: '50', unread: true, accounts: [ines], last_status: null } });
    const linked = '<p><span class="h-card"><a href="/@mara" class="u-url mention">@<span>mara</span></a></span> the venue: <a href="https://example.com/party" rel="nofollow">example.com/party</a></p>';
    server.on('GET', '/api/glimpse/v1/conversations/50/messages', { body: [message(ines, '12', linked)] });
    server.on('POST', '/api/v1/conversations/50/read', () => {
      unread = 1;
      return { body: { id: '50', unread: false, accounts: [ines], last_status: null } };
    });
    renderApp('/direct/50');

    const messages = within(await screen.findByRole('region', { name: 'Messages' }));
    const link = await messages.findByRole('link', { name: 'example.com/party' });
    expect(link.getAttribute('href')).toBe('https://example.com/party');
    expect(messages.getByRole('listitem').querySelector('.message-text')?.textContent).toBe('the venue: example.com/party');
    expect(messages.queryByRole('link', { name: '@mara' })).toBeNull();

    const badgeOf = () => screen.getAllByRole('link', { name: 'Messages' }).map((l) => document.getElementById(l.getAttribute('aria-describedby') ?? '')?.textContent ?? '');
    await waitFor(() => expect(badgeOf()).toEqual(['1 unread', '1 unread']));
    expect(server.callsTo('POST', '/api/v1/conversations/50/read')).toHaveLength(1);
  });

  it('a conversation that is not the viewer\'s is the not-found page', async () => {
    const server = installFetchMock();
    signedInAs(server, mara);
    server.on('GET', '/api/glimpse/v1/conversations/99', { status: 404, body: { error: 'Record not found' } });
    server.on('GET', '/api/glimpse/v1/conversations/99/messages', { status: 404, body: { error: 'Record not found' } });
    renderApp('/direct/99');
    expect(await screen.findByRole('heading', { name: /not found|isn.t available/i })).toBeTruthy();
  });

  it('a new message from a profile\'s Message button goes to the account named in ?to= and opens its conversation', async () => {
    const server = installFetchMock();
    signedInAs(server, mara);
    server.on('POST', '/api/v1/statuses', { body: message(mara, '20', '<p>@ines hello!</p>') });
    server.on('GET', '/api/glimpse/v1/conversations/50', { body: { id: '50', unread: false, accounts: [ines], last_status: null } });
    server.on('GET', '/api/glimpse/v1/conversations/50/messages', { body: [message(mara, '20', '<p>@ines hello!</p>')] });
    renderApp('/direct/new?to=ines');
    expect(((await screen.findByLabelText('To')) as HTMLInputElement).value).toBe('ines');
    fireEvent.change(screen.getByLabelText('Message'), { target: { value: 'hello!' } });
    fireEvent.click(screen.getByRole('button', { name: 'Send' }));
    await waitFor(() => expect(screen.getByTestId('current-path').textContent).toBe('/direct/50'));
    expect(server.callsTo('POST', '/api/v1/statuses')[0].body).toEqual({ status: '@ines hello!', visibility: 'direct' });
  });
});
