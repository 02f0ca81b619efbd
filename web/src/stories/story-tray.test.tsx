import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { installFetchMock } from '../test/fetch-mock.ts';
import { makeAccount } from '../test/fixtures.ts';
import { renderApp, signedInAs } from '../test/render-app.tsx';
import { makeStory, makeTrayEntry } from './story-fixtures.ts';
import { ringState } from './story-tray.tsx';

const me = makeAccount('mara', { id: '1' });
const ines = makeAccount('ines', { id: '2' });
const nora = makeAccount('nora', { id: '3' });
const sam = makeAccount('sam', { id: '4' });

const TRAY = '/api/glimpse/v1/stories/tray';

function rings() {
  const tray = screen.getByRole('region', { name: 'Stories' });
  return within(tray).getAllByRole('button');
}

describe('the story tray', () => {
  it('shows own story first, then the tray in the order the server gives, with the ring of each state', async () => {
    const server = installFetchMock();
    signedInAs(server, me);
    server.on('GET', '/api/v1/timelines/home', { body: [] });
    // The server orders: own, then unseen (newest first), then seen.
    server.on('GET', TRAY, {
      body: [
        makeTrayEntry(me, { unseen_count: 0, stories_count: 2 }),
        makeTrayEntry(nora, { unseen_count: 1, has_close_friends: true }),
        makeTrayEntry(ines, { unseen_count: 2, stories_count: 3 }),
        makeTrayEntry(sam, { unseen_count: 0 }),
      ],
    });
    renderApp('/');
    await screen.findByRole('button', { name: "nora's story" });
    const buttons = rings();
    expect(buttons.map((b) => b.getAttribute('aria-label'))).toEqual(['Your story', "nora's story", "ines's story", "sam's story"]);
    expect(buttons.map((b) => b.getAttribute('data-ring'))).toEqual(['seen', 'close-friends', 'unseen', 'seen']);
    expect(buttons[2].className).toContain('ring-unseen');
    expect(buttons[3].className).toContain('ring-seen');
    // The state is also said, not only shown.
    expect(screen.getByRole('button', { name: "ines's story" }).getAttribute('aria-describedby')).toBeTruthy();
    expect(document.getElementById(buttons[2].getAttribute('aria-describedby')!)?.textContent).toBe('New stories');
    expect(screen.getByRole('link', { name: 'New story' }).getAttribute('href')).toBe('/stories/new');
  });

  it('opens the viewer at the account of the ring, and the viewer goes on in tray order', async () => {
    const server = installFetchMock();
    signedInAs(server, me);
    server.on('GET', '/api/v1/timelines/home', { body: [] });
    server.on('GET', TRAY, { body: [makeTrayEntry(nora), makeTrayEntry(ines)] });
    server.on('GET', `/api/glimpse/v1/accounts/${nora.id}/stories`, { body: [makeStory(nora)] });
    server.on('GET', `/api/glimpse/v1/accounts/${ines.id}/stories`, { body: [makeStory(ines)] });
    server.on('POST', /\/api\/glimpse\/v1\/stories\/[^/]+\/seen$/, { body: {} });
    renderApp('/');
    fireEvent.click(await screen.findByRole('button', { name: "nora's story" }));
    await screen.findByRole('dialog', { name: "nora's story" });
    expect(screen.getByTestId('current-path').textContent).toBe(`/stories/${nora.id}`);
    fireEvent.click(screen.getByRole('button', { name: 'Next story' }));
    await screen.findByRole('dialog', { name: "ines's story" });
    expect(screen.getByTestId('current-path').textContent).toBe(`/stories/${ines.id}`);
    // The tray was not asked again: the viewer follows the order the tray showed.
    expect(server.callsTo('GET', TRAY)).toHaveLength(1);
  });

  it('without an own story, "Your story" leads to the story composer; a failing tray still shows it', async () => {
    const server = installFetchMock();
    signedInAs(server, me);
    server.on('GET', '/api/v1/timelines/home', { body: [] });
    server.on('GET', TRAY, { status: 500, body: { error: 'boom' } });
    renderApp('/');
    const own = await screen.findByRole('button', { name: 'Your story' });
    await waitFor(() => expect(server.callsTo('GET', TRAY)).toHaveLength(1));
    expect(own.getAttribute('data-ring')).toBe('none');
    fireEvent.click(own);
    await screen.findByRole('heading', { name: 'New story', level: 1 });
    expect(screen.getByTestId('current-path').textContent).toBe('/stories/new');
  });

  it('ring states follow unseen counts and close friends', () => {
    expect(ringState(undefined)).toBe('none');
    expect(ringState(makeTrayEntry(ines, { unseen_count: 1 }))).toBe('unseen');
    expect(ringState(makeTrayEntry(ines, { unseen_count: 1, has_close_friends: true }))).toBe('close-friends');
    expect(ringState(makeTrayEntry(ines, { unseen_count: 0, has_close_friends: true }))).toBe('seen');
  });
});
