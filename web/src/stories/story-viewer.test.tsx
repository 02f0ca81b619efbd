import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { installFetchMock, type FetchMock } from '../test/fetch-mock.ts';
import { makeAccount } from '../test/fixtures.ts';
import { CSRF, renderApp, signedInAs } from '../test/render-app.tsx';
import type { Story } from './stories-api.ts';
import { AUTHOR_STORY_CAN, makeStory, makeTrayEntry } from './story-fixtures.ts';

const me = makeAccount('ines', { id: '1' });
const mara = makeAccount('mara', { id: '2' });
const nora = makeAccount('nora', { id: '3' });

const S = '/api/glimpse/v1';

function serve(server: FetchMock, stories: Record<string, Story[]>, tray = Object.keys(stories)) {
  signedInAs(server, me);
  server.on('GET', '/api/v1/timelines/home', { body: [] });
  server.on('GET', `${S}/stories/tray`, { body: tray.map((id) => makeTrayEntry(stories[id][0].account)) });
  for (const [id, list] of Object.entries(stories)) server.on('GET', `${S}/accounts/${id}/stories`, { body: list });
  server.on('POST', /\/stories\/[^/]+\/seen$/, { body: {} });
}

const path = () => screen.getByTestId('current-path').textContent;
const shownPhoto = () => screen.getByRole('img', { name: /^Photo of story/ }) as HTMLImageElement;
const shownStory = () => shownPhoto().alt.replace('Photo of story ', '');
const seenCalls = (server: FetchMock) => server.calls.filter((c) => c.method === 'POST' && c.path.endsWith('/seen')).map((c) => c.path.split('/')[5]);

/** The photo on show has loaded (the viewer waits for it before the clock runs). */
function photoLoads() {
  fireEvent.load(shownPhoto());
}

async function open(accountId: string) {
  renderApp(`/stories/${accountId}`);
  await screen.findByRole('img', { name: /^Photo of story/ });
}

afterEach(() => {
  vi.useRealTimers();
});

describe('the story viewer: navigation', () => {
  const maraStories = () => [makeStory(mara, { id: 'a1', seen: true }), makeStory(mara, { id: 'a2' }), makeStory(mara, { id: 'a3' })];

  it('starts at the first unseen story, marks each story it shows as seen, and moves with the arrow keys', async () => {
    const server = installFetchMock();
    serve(server, { [mara.id]: maraStories() });
    await open(mara.id);
    expect(shownStory()).toBe('a2');
    expect(screen.getByRole('dialog', { name: "mara's story" })).toBeTruthy();
    expect(screen.getByText('Story 2 of 3')).toBeTruthy();
    await waitFor(() => expect(seenCalls(server)).toEqual(['a2']));
    expect(server.callsTo('POST', `${S}/stories/a2/seen`)[0].headers.get('X-CSRF-Token')).toBe(CSRF);

    fireEvent.keyDown(window, { key: 'ArrowRight' });
    expect(shownStory()).toBe('a3');
    fireEvent.keyDown(window, { key: 'ArrowLeft' });
    fireEvent.keyDown(window, { key: 'ArrowLeft' });
    expect(shownStory()).toBe('a1');
    // Already seen stories are not marked again.
    await waitFor(() => expect(seenCalls(server)).toEqual(['a2', 'a3']));
    // Back at the very first story, Left stays there.
    fireEvent.keyDown(window, { key: 'ArrowLeft' });
    expect(shownStory()).toBe('a1');
  });

  it('taps: the left third goes back, the right side forward', async () => {
    const server = installFetchMock();
    serve(server, { [mara.id]: maraStories() });
    await open(mara.id);
    const previous = screen.getByRole('button', { name: 'Previous story' });
    const next = screen.getByRole('button', { name: 'Next story' });
    expect(previous.className).toContain('story-tap-previous');
    fireEvent.click(next);
    expect(shownStory()).toBe('a3');
    fireEvent.click(previous);
    fireEvent.click(previous);
    expect(shownStory()).toBe('a1');
  });

  it('moves on by itself after each story\'s duration, to the next account of the tray, and back to the feed after the last', async () => {
    const server = installFetchMock();
    serve(server, { [mara.id]: [makeStory(mara, { id: 'a1', duration_ms: 5000 }), makeStory(mara, { id: 'a2', duration_ms: 8000 })], [nora.id]: [makeStory(nora, { id: 'n1', duration_ms: 3000 })] });
    await open(mara.id);
    await waitFor(() => expect(seenCalls(server)).toEqual(['a1']));
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    // The clock runs only once the photo is in.
    act(() => vi.advanceTimersByTime(10_000));
    expect(shownStory()).toBe('a1');
    photoLoads();
    act(() => vi.advanceTimersByTime(4999));
    expect(shownStory()).toBe('a1');
    act(() => vi.advanceTimersByTime(1));
    expect(shownStory()).toBe('a2');
    photoLoads();
    act(() => vi.advanceTimersByTime(7999));
    expect(shownStory()).toBe('a2');
    act(() => vi.advanceTimersByTime(1));
    // Nora's stories were loaded ahead of time.
    expect(shownStory()).toBe('n1');
    expect(screen.getByRole('dialog', { name: "nora's story" })).toBeTruthy();
    expect(path()).toBe(`/stories/${nora.id}`);
    photoLoads();
    act(() => vi.advanceTimersByTime(3000));
    vi.useRealTimers();
    await screen.findByRole('heading', { name: 'Your feed' });
    expect(path()).toBe('/');
  });

  it('pauses while held and with Space, keeping the time already shown', async () => {
    const server = installFetchMock();
    serve(server, { [mara.id]: [makeStory(mara, { id: 'a1' }), makeStory(mara, { id: 'a2' })] });
    await open(mara.id);
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    photoLoads();
    act(() => vi.advanceTimersByTime(3000));

    // Space pauses and resumes.
    fireEvent.keyDown(window, { key: ' ' });
    expect(screen.getByRole('button', { name: 'Play' }).getAttribute('aria-pressed')).toBe('true');
    expect(screen.getByText(/paused/)).toBeTruthy();
    act(() => vi.advanceTimersByTime(60_000));
    expect(shownStory()).toBe('a1');
    fireEvent.keyDown(window, { key: ' ' });

    // Holding the picture pauses; letting go resumes, and the hold is not taken as a tap.
    const stage = document.querySelector('.story-stage')!;
    const next = screen.getByRole('button', { name: 'Next story' });
    fireEvent.pointerDown(next, { button: 0 });
    act(() => vi.advanceTimersByTime(10_000));
    expect(shownStory()).toBe('a1');
    fireEvent.pointerUp(next);
    fireEvent.click(next);
    expect(shownStory()).toBe('a1');
    expect(stage).toBeTruthy();

    // 3 of the 5 seconds were shown before the pauses: 2 remain.
    act(() => vi.advanceTimersByTime(1999));
    expect(shownStory()).toBe('a1');
    act(() => vi.advanceTimersByTime(1));
    expect(shownStory()).toBe('a2');
  });

  it('Escape closes the viewer and goes back to the feed', async () => {
    const server = installFetchMock();
    serve(server, { [mara.id]: maraStories() });
    await open(mara.id);
    fireEvent.keyDown(window, { key: 'Escape' });
    await screen.findByRole('heading', { name: 'Your feed' });
    expect(path()).toBe('/');
  });

  it('keys typed in the reply box stay there, and Escape there only leaves the box', async () => {
    const server = installFetchMock();
    serve(server, { [mara.id]: maraStories() });
    await open(mara.id);
    const reply = screen.getByLabelText('Reply');
    reply.focus();
    fireEvent.keyDown(reply, { key: 'ArrowRight' });
    fireEvent.keyDown(reply, { key: ' ' });
    expect(shownStory()).toBe('a2');
    expect(screen.getByRole('button', { name: 'Pause' })).toBeTruthy();
    fireEvent.keyDown(reply, { key: 'Escape' });
    expect(path()).toBe(`/stories/${mara.id}`);
    // Space on a focused control presses it rather than pausing; on a tap zone it pauses.
    fireEvent.keyDown(screen.getByRole('button', { name: 'React 😍' }), { key: ' ' });
    expect(screen.getByRole('button', { name: 'Pause' })).toBeTruthy();
    fireEvent.keyDown(screen.getByRole('button', { name: 'Next story' }), { key: ' ' });
    expect(screen.getByRole('button', { name: 'Play' })).toBeTruthy();
  });
});

describe('the story viewer: what it shows and what one can do', () => {
  it('draws the overlays on the photo, with alt text, and a mention sticker opens the profile', async () => {
    const server = installFetchMock();
    const story = makeStory(mara, {
      id: 'b1',
      media_attachment: { ...makeStory(mara).media_attachment, description: 'Photo of story b1: two mothers and their babies' },
      overlays: [
        { type: 'text', text: 'Happy Birthday to the most thoughtful sweetest soul', x: 0.5, y: 0.2, rotation: -8, scale: 1.2, color: '#ffffff', background: '#00000080', font: 'modern', align: 'center' },
        { type: 'mention', account_id: me.id, x: 0.5, y: 0.4 },
        { type: 'text', text: 'مرحبا 👩‍👧 😢', x: 0.3, y: 0.8, align: 'right' },
      ],
      mentions: [me],
    });
    serve(server, { [mara.id]: [story] });
    await open(mara.id);
    expect(shownPhoto().alt).toBe('Photo of story b1: two mothers and their babies');
    const text = screen.getByText('Happy Birthday to the most thoughtful sweetest soul');
    expect(text.getAttribute('dir')).toBe('auto');
    expect(text.style.left).toBe('50%');
    expect(text.style.top).toBe('20%');
    expect(text.style.transform).toBe('translate(-50%, -50%) rotate(-8deg) scale(1.2)');
    expect(text.className).toContain('story-font-modern');
    const rtl = screen.getByText('مرحبا 👩‍👧 😢');
    expect(rtl.getAttribute('dir')).toBe('auto');
    expect(rtl.style.textAlign).toBe('right');
    fireEvent.click(screen.getByRole('button', { name: '@ines' }));
    await waitFor(() => expect(path()).toBe('/@ines'));
  });

  it('sends a private reply and quick reactions', async () => {
    const server = installFetchMock();
    serve(server, { [mara.id]: [makeStory(mara, { id: 'c1' })] });
    server.on('POST', `${S}/stories/c1/replies`, { body: { id: 'r1', story_id: 'c1', text: 'Thank you!! ❤️' } });
    server.on('POST', `${S}/stories/c1/reactions`, { body: { id: 'x1', story_id: 'c1', emoji: '😍' } });
    await open(mara.id);
    const reply = screen.getByLabelText('Reply') as HTMLInputElement;
    expect(reply.placeholder).toBe('Reply to mara…');
    fireEvent.change(reply, { target: { value: 'Thank you!! ❤️' } });
    fireEvent.click(screen.getByRole('button', { name: 'Send' }));
    await screen.findByText('Reply sent to mara.');
    expect(server.callsTo('POST', `${S}/stories/c1/replies`)[0].body).toEqual({ text: 'Thank you!! ❤️' });
    expect(reply.value).toBe('');

    const reactions = within(screen.getByRole('group', { name: 'Quick reactions' })).getAllByRole('button');
    expect(reactions.map((b) => b.getAttribute('aria-label'))).toEqual(['React 😍', 'React 😂', 'React 😮', 'React 😢', 'React 👏', 'React 🔥']);
    fireEvent.click(screen.getByRole('button', { name: 'React 😍' }));
    await screen.findByText('You reacted 😍');
    expect(server.callsTo('POST', `${S}/stories/c1/reactions`)[0].body).toEqual({ emoji: '😍' });
    // No author tools for someone else's story.
    expect(screen.queryByRole('button', { name: 'Viewers' })).toBeNull();
  });

  it('offers "Add to your story" to someone mentioned in a followers story, and shows where a reshare is from', async () => {
    const server = installFetchMock();
    const original = makeStory(mara, { id: 'd1', mentions: [me], overlays: [{ type: 'mention', account_id: me.id, x: 0.5, y: 0.5 }], can: { reshare: true } });
    serve(server, { [mara.id]: [original] });
    server.on('POST', `${S}/stories`, { body: makeStory(me, { id: 'd2', reshare_of: { id: 'd1', account: mara }, can: AUTHOR_STORY_CAN }) });
    await open(mara.id);
    fireEvent.click(screen.getByRole('button', { name: 'Add to your story' }));
    await screen.findByRole('button', { name: 'Added to your story' });
    expect(server.callsTo('POST', `${S}/stories`)[0].body).toEqual({ reshare_of_id: 'd1', audience: 'followers', overlays: [] });
  });

  it('does not offer to reshare a story the server says the viewer may not reshare (here a close-friends one)', async () => {
    const server = installFetchMock();
    serve(server, { [mara.id]: [makeStory(mara, { id: 'e1', audience: 'close_friends', mentions: [me] })] });
    await open(mara.id);
    expect(screen.getByText('Close friends')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Add to your story' })).toBeNull();
  });

  it('a reshare says whom it is from and draws the original\'s stickers', async () => {
    const server = installFetchMock();
    const original = makeStory(mara, { id: 'f1', overlays: [{ type: 'text', text: 'Original words', x: 0.5, y: 0.5 }] });
    const reshare = makeStory(nora, { id: 'f2', reshare_of: { id: 'f1', account: mara } });
    serve(server, { [nora.id]: [reshare] });
    server.on('GET', `${S}/stories/f1`, { body: original });
    await open(nora.id);
    expect(screen.getByRole('link', { name: '@mara' }).getAttribute('href')).toBe('/@mara');
    expect(screen.getByText(/from/).textContent).toBe('from @mara');
    await screen.findByText('Original words');
  });

  it('gives the author the viewers list, highlights and delete', async () => {
    const server = installFetchMock();
    const own = makeStory(me, { id: 'g1', viewers_count: 2, can: AUTHOR_STORY_CAN });
    serve(server, { [me.id]: [own] });
    server.on('GET', `${S}/stories/g1/viewers`, {
      body: [
        { account: mara, viewed_at: new Date().toISOString() },
        { account: nora, viewed_at: new Date().toISOString() },
      ],
    });
    server.on('GET', `${S}/accounts/${me.id}/highlights`, { body: [{ id: 'h1', title: 'Birthdays', cover: null, stories: [] }] });
    server.on('PUT', `${S}/highlights/h1`, { body: { id: 'h1', title: 'Birthdays', cover: null, stories: [own] } });
    server.on('POST', `${S}/highlights`, { body: { id: 'h2', title: 'Ines 🎂', cover: null, stories: [own] } });
    server.on('DELETE', `${S}/stories/g1`, { body: {} });
    await open(me.id);
    expect(screen.getByRole('dialog', { name: 'Your story' })).toBeTruthy();
    expect(screen.queryByLabelText('Reply')).toBeNull();

    fireEvent.click(screen.getByRole('button', { name: 'Viewers' }));
    const viewers = await screen.findByRole('list', { name: 'People who saw this story' });
    expect(screen.getByText('2 viewers')).toBeTruthy();
    expect(within(viewers).getAllByRole('link').map((a) => a.getAttribute('href'))).toEqual(['/@mara', '/@nora']);
    // The sheet pauses the story; Escape closes the sheet, not the viewer.
    fireEvent.keyDown(window, { key: 'Escape' });
    expect(screen.queryByRole('list', { name: 'People who saw this story' })).toBeNull();
    expect(path()).toBe(`/stories/${me.id}`);

    fireEvent.click(screen.getByRole('button', { name: 'Add to highlight' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Add to Birthdays' }));
    await screen.findByText('Added to Birthdays.');
    expect(server.callsTo('PUT', `${S}/highlights/h1`)[0].body).toEqual({ story_ids: ['g1'] });
    expect(screen.getByRole('button', { name: 'In Birthdays' })).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Highlight title'), { target: { value: 'Ines 🎂' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create highlight' }));
    await screen.findByText('Added to Ines 🎂.');
    expect(server.callsTo('POST', `${S}/highlights`)[0].body).toEqual({ title: 'Ines 🎂', story_ids: ['g1'] });
    fireEvent.click(screen.getByRole('button', { name: 'Back to story' }));

    fireEvent.click(screen.getByRole('button', { name: 'Delete' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Delete story' }));
    // The only story is gone: back to the feed.
    await screen.findByRole('heading', { name: 'Your feed' });
    expect(server.callsTo('DELETE', `${S}/stories/g1`)).toHaveLength(1);
  });

  it('shows Delete and the reply box exactly as the story\'s glimpse.can says, not by who posted it', async () => {
    const server = installFetchMock();
    // mara's story, which the server lets this viewer delete (say a moderator, later) but not answer.
    serve(server, { [mara.id]: [makeStory(mara, { id: 'm1', can: { respond: false, reshare: false, delete: true } }), makeStory(mara, { id: 'm2', can: { respond: false } })] });
    server.on('DELETE', `${S}/stories/m1`, { body: {} });
    await open(mara.id);
    expect(shownStory()).toBe('m1');
    expect(screen.queryByLabelText('Reply')).toBeNull();
    expect(screen.queryByRole('group', { name: 'Quick reactions' })).toBeNull();
    // The viewers list and highlights are the author's own: not offered.
    expect(screen.queryByRole('button', { name: 'Viewers' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Add to highlight' })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Delete' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Delete story' }));
    await waitFor(() => expect(shownStory()).toBe('m2'));
    expect(server.callsTo('DELETE', `${S}/stories/m1`)).toHaveLength(1);
    // Neither answering nor deleting allowed: no footer controls at all.
    expect(screen.queryByRole('button', { name: 'Delete' })).toBeNull();
    expect(screen.queryByLabelText('Reply')).toBeNull();
  });

  it('offers the author no Delete when the server says she may not', async () => {
    const server = installFetchMock();
    serve(server, { [me.id]: [makeStory(me, { id: 'o1', viewers_count: 0, can: { respond: false, reshare: false, delete: false } })] });
    await open(me.id);
    expect(screen.getByRole('button', { name: 'Viewers' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Delete' })).toBeNull();
  });

  it('opens a highlight from its link, from the first story', async () => {
    const server = installFetchMock();
    signedInAs(server, me);
    const stories = [makeStory(mara, { id: 'k1', seen: true }), makeStory(mara, { id: 'k2' })];
    server.on('GET', `${S}/accounts/${mara.id}/highlights`, { body: [{ id: 'h9', title: 'Party 🎉', cover: stories[0].media_attachment, stories }] });
    server.on('POST', /\/seen$/, { body: {} });
    renderApp(`/stories/${mara.id}/highlights/h9`);
    await screen.findByRole('dialog', { name: 'Highlight: Party 🎉' });
    expect(shownStory()).toBe('k1');
    fireEvent.keyDown(window, { key: 'ArrowRight' });
    expect(shownStory()).toBe('k2');
  });

  it('opens one story by id from a notification, even once it is no longer in the live list', async () => {
    const server = installFetchMock();
    signedInAs(server, me);
    server.on('GET', `${S}/accounts/${mara.id}/stories`, { body: [] });
    server.on('GET', `${S}/stories/z1`, { body: makeStory(mara, { id: 'z1' }) });
    server.on('POST', /\/seen$/, { body: {} });
    renderApp(`/stories/${mara.id}?story=z1`);
    await screen.findByRole('img', { name: /^Photo of story/ });
    expect(shownStory()).toBe('z1');
  });

  it('says so when there is nothing to show', async () => {
    const server = installFetchMock();
    signedInAs(server, me);
    server.on('GET', `${S}/stories/tray`, { body: [] });
    server.on('GET', `${S}/accounts/${mara.id}/stories`, { body: [] });
    renderApp(`/stories/${mara.id}`);
    await screen.findByText('This story is no longer available.');
    fireEvent.click(screen.getByRole('button', { name: 'Close' }));
    await waitFor(() => expect(path()).toBe('/'));
  });
});
