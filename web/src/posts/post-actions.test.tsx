import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { installFetchMock } from '../test/fetch-mock.ts';
import { makeAccount, makeStatus } from '../test/fixtures.ts';
import { CSRF, renderApp, signedInAs } from '../test/render-app.tsx';

const me = makeAccount('ines', { id: '1' });
const mara = makeAccount('mara', { id: '2', display_name: 'Mara' });
const G = '/api/glimpse/v1';

function feedWith(server: ReturnType<typeof installFetchMock>, overrides: Parameters<typeof makeStatus>[1] = {}) {
  signedInAs(server, me);
  const post = makeStatus(mara, { id: '60', url: 'http://glimpse.test/@mara/60', ...overrides });
  server.on('GET', '/api/v1/timelines/home', { body: [post] });
  server.on('GET', '/api/glimpse/v1/stories', { body: [] });
  return post;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('the actions on a feed card', () => {
  it('has like, comment, share and save, and Comment opens the post with the comment box focused', async () => {
    const server = installFetchMock();
    const post = feedWith(server);
    server.on('GET', '/api/v1/statuses/60', { body: post });
    server.on('GET', `${G}/statuses/60/comments`, { body: { items: [], next_cursor: null } });
    renderApp('/');
    const card = await screen.findByRole('article', { name: 'Mara' });
    for (const name of ['Like', 'Comment', 'Share', 'Save']) expect(within(card).getByRole(name === 'Comment' ? 'link' : 'button', { name })).toBeTruthy();

    fireEvent.click(within(card).getByRole('link', { name: 'Comment' }));
    const box = await screen.findByRole('textbox', { name: 'Add a comment…' });
    await waitFor(() => expect(document.activeElement).toBe(box));
    expect(screen.getByRole('heading', { level: 1, name: 'Post by Mara' })).toBeTruthy();
    expect(screen.getAllByRole('heading', { level: 1 })).toHaveLength(1);
  });

  it('saves at once, before the server answers, and unsaves; a refusal puts it back', async () => {
    const server = installFetchMock();
    feedWith(server);
    server.on('POST', '/api/v1/statuses/60/bookmark', { body: makeStatus(mara, { id: '60', bookmarked: true }) });
    server.on('POST', '/api/v1/statuses/60/unbookmark', { status: 429, body: { error: 'Too many requests' } });
    renderApp('/');
    const save = await screen.findByRole('button', { name: 'Save' });
    expect(save.getAttribute('aria-pressed')).toBe('false');

    fireEvent.click(save);
    expect(save.getAttribute('aria-pressed')).toBe('true');
    await waitFor(() => expect(server.callsTo('POST', '/api/v1/statuses/60/bookmark')).toHaveLength(1));
    expect(server.callsTo('POST', '/api/v1/statuses/60/bookmark')[0].headers.get('X-CSRF-Token')).toBe(CSRF);

    fireEvent.click(save);
    expect(save.getAttribute('aria-pressed')).toBe('false');
    expect((await screen.findByRole('alert')).textContent).toBe('Too many requests');
    expect(save.getAttribute('aria-pressed')).toBe('true');
  });

  it('shows a saved post as saved (bookmarked)', async () => {
    const server = installFetchMock();
    feedWith(server, { bookmarked: true });
    renderApp('/');
    expect((await screen.findByRole('button', { name: 'Save' })).getAttribute('aria-pressed')).toBe('true');
  });

  it('shares: copies the link with the Clipboard API, and the embed code with or without comments', async () => {
    const server = installFetchMock();
    feedWith(server);
    const writeText = vi.fn().mockResolvedValue(undefined);
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    renderApp('/');

    const share = await screen.findByRole('button', { name: 'Share' });
    expect(share.getAttribute('aria-expanded')).toBe('false');
    fireEvent.click(share);
    expect(share.getAttribute('aria-expanded')).toBe('true');
    const menu = screen.getByRole('menu', { name: 'Share' });
    await waitFor(() => expect(document.activeElement).toBe(within(menu).getByRole('menuitem', { name: 'Copy link' })));
    fireEvent.click(within(menu).getByRole('menuitem', { name: 'Copy link' }));
    await waitFor(() => expect(writeText).toHaveBeenCalledWith('http://glimpse.test/@mara/60'));
    expect(await screen.findByText('Link copied.')).toBeTruthy();
    expect(document.activeElement).toBe(share);

    fireEvent.click(share);
    fireEvent.click(screen.getByRole('menuitem', { name: 'Copy embed code' }));
    await waitFor(() => expect(writeText).toHaveBeenCalledTimes(2));
    const code = writeText.mock.calls[1][0] as string;
    expect(code).toContain('<blockquote class="glimpse-embed" data-glimpse-post="http://glimpse.test/@mara/60">');
    expect(code).toContain('<script async src="http://glimpse.test/static/embed-loader.js"></script>');
    expect(code).not.toContain('data-glimpse-comments');

    fireEvent.click(share);
    fireEvent.click(screen.getByRole('menuitem', { name: 'Copy embed code without comments' }));
    await waitFor(() => expect(writeText).toHaveBeenCalledTimes(3));
    expect(writeText.mock.calls[2][0]).toContain('data-glimpse-comments="off"');
  });

  it('falls back to the copy command, and shows the text to copy by hand when that fails too', async () => {
    const server = installFetchMock();
    feedWith(server);
    Object.defineProperty(navigator, 'clipboard', { value: { writeText: vi.fn().mockRejectedValue(new Error('not allowed')) }, configurable: true });
    const execCommand = vi.fn().mockReturnValueOnce(true).mockReturnValueOnce(false);
    Object.defineProperty(document, 'execCommand', { value: execCommand, configurable: true });
    renderApp('/');

    const share = await screen.findByRole('button', { name: 'Share' });
    fireEvent.click(share);
    fireEvent.click(screen.getByRole('menuitem', { name: 'Copy link' }));
    expect(await screen.findByText('Link copied.')).toBeTruthy();
    expect(execCommand).toHaveBeenCalledWith('copy');

    fireEvent.click(share);
    fireEvent.click(screen.getByRole('menuitem', { name: 'Copy link' }));
    const manual = await screen.findByRole('textbox', { name: 'Text to copy' });
    expect((manual as HTMLTextAreaElement).value).toBe('http://glimpse.test/@mara/60');
  });
});

describe('the actions on the post page', () => {
  it('Comment focuses the comment box', async () => {
    const server = installFetchMock();
    signedInAs(server, me);
    server.on('GET', '/api/v1/statuses/61', { body: makeStatus(mara, { id: '61' }) });
    server.on('GET', `${G}/statuses/61/comments`, { body: { items: [], next_cursor: null } });
    renderApp('/@mara/61');
    fireEvent.click(await screen.findByRole('button', { name: 'Comment' }));
    expect(document.activeElement).toBe(screen.getByRole('textbox', { name: 'Add a comment…' }));
    expect(screen.getByRole('button', { name: 'Save' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Share' })).toBeTruthy();
  });
});
