import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { MediaAttachment } from '../api/mastodon-types.ts';
import { installFetchMock, type FetchMock } from '../test/fetch-mock.ts';
import { makeAccount, makeMedia, makeStatus } from '../test/fixtures.ts';
import { CSRF, renderApp, signedInAs } from '../test/render-app.tsx';
import { installXhrMock } from '../test/xhr-mock.ts';
import { SEARCH_DEBOUNCE_MS } from './use-account-search.ts';

const me = makeAccount('mara', { id: '1', display_name: 'Mara' });

function photoFile(name: string, type = 'image/jpeg'): File {
  return new File([new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3])], name, { type });
}

async function openComposer(server: FetchMock) {
  signedInAs(server, me);
  server.on('GET', '/api/v1/timelines/home', { body: [] });
  const view = renderApp('/compose');
  await screen.findByRole('heading', { name: 'New post', level: 1 });
  return view;
}

// Cropping draws on a canvas, which happy-dom lacks: the crop gives back a photo of the same bytes.
vi.mock('../ui/crop-math.ts', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../ui/crop-math.ts')>()),
  renderCrop: async () => new Blob(['photo'], { type: 'image/jpeg' }),
}));

/** Chooses files, then takes the crop step as it comes (square, no filter). */
async function choose(...files: File[]) {
  fireEvent.change(screen.getByLabelText('Add photos'), { target: { files } });
  const add = screen.queryByRole('button', { name: /^Add (photo|\d+ photos)$/ });
  if (!add) return;
  await act(async () => {
    fireEvent.click(add);
  });
  await waitFor(() => expect(screen.queryByRole('button', { name: /^Add (photo|\d+ photos)$/ })).toBeNull());
}

const processing = (id: string): MediaAttachment => ({ ...makeMedia(id), url: null, preview_url: null, glimpse: { state: 'processing', tags: [] } });

const shareButton = () => screen.getByRole('button', { name: 'Share' }) as HTMLButtonElement;

describe('the composer', () => {
  it('is reached from the "New post" link in the navigation', async () => {
    const server = installFetchMock();
    signedInAs(server, me);
    server.on('GET', '/api/v1/timelines/home', { body: [] });
    renderApp('/');
    fireEvent.click(await screen.findByRole('link', { name: 'New post' }));
    expect(await screen.findByRole('heading', { name: 'New post', level: 1 })).toBeTruthy();
    expect(screen.getByTestId('current-path').textContent).toBe('/compose');
    expect(screen.getByLabelText('Add photos').getAttribute('accept')).toBe('image/*');
  });

  it('uploads each photo at once with its progress, waits for processing, and only then allows Share', async () => {
    const server = installFetchMock();
    const xhr = installXhrMock();
    await openComposer(server);
    expect(shareButton().disabled).toBe(true);

    await choose(photoFile('one.jpg'), photoFile('two.jpg'));

    expect(xhr.requests).toHaveLength(2);
    for (const request of xhr.requests) {
      expect(request.method).toBe('POST');
      expect(request.url).toBe('/api/v2/media');
      expect(request.headers['X-CSRF-Token']).toBe(CSRF);
    }
    expect(xhr.requests.map((r) => r.file()?.name)).toEqual(['one.jpg', 'two.jpg']);

    const first = await screen.findByRole('progressbar', { name: 'Uploading photo 1' });
    expect(first.getAttribute('aria-valuenow')).toBe('0');
    xhr.requests[0].progress(30, 120);
    await waitFor(() => expect(first.getAttribute('aria-valuenow')).toBe('25'));
    xhr.requests[1].progress(120, 120);
    await waitFor(() => expect(screen.getByRole('progressbar', { name: 'Uploading photo 2' }).getAttribute('aria-valuenow')).toBe('100'));
    expect(shareButton().disabled).toBe(true);

    // The first is processed by the time it has arrived; the second takes a while.
    xhr.requests[0].respond(200, makeMedia('m1'));
    let polls = 0;
    server.on('GET', '/api/v1/media/m2', () => (++polls < 2 ? { status: 206, body: processing('m2') } : { status: 200, body: makeMedia('m2') }));
    xhr.requests[1].respond(202, processing('m2'));

    await waitFor(() => expect(screen.queryByRole('progressbar', { name: 'Uploading photo 1' })).toBeNull());
    expect(await screen.findByText('Processing…')).toBeTruthy();
    expect(screen.getByText('Waiting for 1 photo to finish uploading…')).toBeTruthy();
    expect(shareButton().disabled).toBe(true);

    await waitFor(() => expect(shareButton().disabled).toBe(false), { timeout: 4000 });
    expect(screen.queryByText('Processing…')).toBeNull();
    expect(polls).toBe(2);
  });

  it('reorders photos with Move left/Move right, keeps alt text with its photo, and shares them in that order', async () => {
    const server = installFetchMock();
    const xhr = installXhrMock();
    await openComposer(server);
    await choose(photoFile('a.jpg'), photoFile('b.jpg'), photoFile('c.jpg'));
    xhr.requests.forEach((request, i) => request.respond(200, makeMedia(`m${i + 1}`)));
    await waitFor(() => expect(shareButton().disabled).toBe(false));

    const moveLeft = () => screen.getAllByRole('button', { name: 'Move left' }) as HTMLButtonElement[];
    const moveRight = () => screen.getAllByRole('button', { name: 'Move right' }) as HTMLButtonElement[];
    expect(moveLeft()[0].disabled).toBe(true);
    expect(moveRight()[2].disabled).toBe(true);

    fireEvent.change(screen.getByLabelText('Alt text for photo 1'), { target: { value: 'A cake with candles' } });
    // a b c → b a c: the alt text moves with its photo, now number 2.
    fireEvent.click(moveRight()[0]);
    expect((screen.getByLabelText('Alt text for photo 2') as HTMLTextAreaElement).value).toBe('A cake with candles');
    expect((screen.getByLabelText('Alt text for photo 1') as HTMLTextAreaElement).value).toBe('');
    expect(document.activeElement).toBe(moveRight()[1]);
    expect(screen.getByText('Photo moved to position 2 of 3.')).toBeTruthy();

    // b a c → b c a, pressed with the keyboard's Enter (a click on a button).
    const lastLeft = moveLeft()[2];
    lastLeft.focus();
    fireEvent.click(lastLeft);
    expect((screen.getByLabelText('Alt text for photo 3') as HTMLTextAreaElement).value).toBe('A cake with candles');

    // Moving to the first place disables Move left, so focus goes to Move right.
    fireEvent.click(moveLeft()[1]);
    expect(document.activeElement).toBe(moveRight()[0]);

    fireEvent.change(screen.getByLabelText('Caption'), { target: { value: 'Party!' } });
    fireEvent.click(screen.getByRole('checkbox', { name: 'Hide like count' }));
    fireEvent.change(screen.getByLabelText('Who can comment'), { target: { value: 'followers' } });
    expect(Array.from((screen.getByLabelText('Who can comment') as HTMLSelectElement).options).map((o) => o.textContent)).toEqual([
      'Everyone',
      'Followers',
      'People you follow',
      'Followers and people you follow',
      'Nobody',
    ]);

    server.on('PUT', '/api/v1/media/m1', (call) => ({ body: makeMedia('m1', { description: (call.body as { description: string }).description }) }));
    const posted = makeStatus(me, { id: '77', content: '<p>Party!</p>', media_attachments: [makeMedia('m3'), makeMedia('m2'), makeMedia('m1')] });
    server.on('POST', '/api/v1/statuses', { body: posted });
    fireEvent.click(shareButton());

    await waitFor(() => expect(screen.getByTestId('current-path').textContent).toBe('/'));
    const [put] = server.callsTo('PUT', '/api/v1/media/m1');
    expect(put.body).toEqual({ description: 'A cake with candles' });
    expect(server.callsTo('PUT', '/api/v1/media/m2')).toHaveLength(0);
    const [create] = server.callsTo('POST', '/api/v1/statuses');
    expect(create.body).toEqual({ status: 'Party!', media_ids: ['m3', 'm2', 'm1'], hide_like_count: true, comment_policy: 'followers' });
    expect(create.headers.get('Idempotency-Key')).toMatch(/^[0-9a-f]{32}$/);
    expect(create.headers.get('X-CSRF-Token')).toBe(CSRF);

    // The feed shows the new post on top even though the timeline answered empty.
    const article = await screen.findByRole('article', { name: 'Mara' });
    expect(within(article).getByRole('link', { name: /Open post/ }).getAttribute('href')).toBe('/@mara/77');
  });

  it('sends the same Idempotency-Key when Share is pressed again after a failure', async () => {
    const server = installFetchMock();
    const xhr = installXhrMock();
    await openComposer(server);
    await choose(photoFile('a.jpg'));
    xhr.requests[0].respond(200, makeMedia('m1'));
    await waitFor(() => expect(shareButton().disabled).toBe(false));
    server.on('POST', '/api/v1/statuses', { body: makeStatus(me, { id: '78' }) });
    server.once('POST', '/api/v1/statuses', { status: 503, body: { error: 'Service unavailable' } });

    fireEvent.click(shareButton());
    expect((await screen.findByRole('alert')).textContent).toBe('Service unavailable');
    fireEvent.click(shareButton());
    await waitFor(() => expect(screen.getByTestId('current-path').textContent).toBe('/'));
    const keys = server.callsTo('POST', '/api/v1/statuses').map((c) => c.headers.get('Idempotency-Key'));
    expect(keys).toHaveLength(2);
    expect(keys[0]).toBe(keys[1]);
  });

  it('removes a photo (cancelling its upload), refuses files that are not photos, and retries a failed upload', async () => {
    const server = installFetchMock();
    const xhr = installXhrMock();
    await openComposer(server);
    await choose(photoFile('a.jpg'), photoFile('notes.txt', 'text/plain'), photoFile('b.jpg'));
    expect((await screen.findByRole('alert')).textContent).toBe('notes.txt is not a photo.');
    expect(xhr.requests).toHaveLength(2);

    const list = screen.getByRole('list', { name: 'Chosen photos' });
    fireEvent.click(within(within(list).getAllByRole('listitem')[0]).getByRole('button', { name: 'Remove' }));
    expect(xhr.requests[0].aborted).toBe(true);
    expect(within(list).getAllByRole('listitem')).toHaveLength(1);
    expect(screen.getByLabelText('Alt text for photo 1')).toBeTruthy();

    xhr.requests[1].respond(422, { error: 'Image could not be processed' });
    expect(await screen.findByText('Image could not be processed')).toBeTruthy();
    expect(shareButton().disabled).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(xhr.requests).toHaveLength(3);
    xhr.requests[2].respond(200, makeMedia('m9'));
    await waitFor(() => expect(shareButton().disabled).toBe(false));
  });

  it('suggests accounts while an @mention is typed and inserts the chosen one', async () => {
    const server = installFetchMock();
    installXhrMock();
    await openComposer(server);
    server.on('GET', '/api/v1/accounts/search', { body: [makeAccount('mallory'), makeAccount('marco', { display_name: 'Marco' })] });
    const caption = screen.getByLabelText('Caption') as HTMLTextAreaElement;
    caption.focus();

    fireEvent.change(caption, { target: { value: 'Hello @ma', selectionStart: 9, selectionEnd: 9 } });
    const list = await screen.findByRole('listbox', { name: 'Suggested accounts' });
    const search = server.callsTo('GET', '/api/v1/accounts/search')[0];
    expect(search.url.searchParams.get('q')).toBe('ma');
    expect(search.url.searchParams.get('limit')).toBe('5');
    const options = within(list).getAllByRole('option');
    expect(options.map((o) => o.getAttribute('aria-selected'))).toEqual(['true', 'false']);
    expect(caption.getAttribute('aria-activedescendant')).toBe(options[0].id);

    fireEvent.keyDown(caption, { key: 'ArrowDown' });
    expect(caption.getAttribute('aria-activedescendant')).toBe(options[1].id);
    fireEvent.keyDown(caption, { key: 'Enter' });
    expect(caption.value).toBe('Hello @marco ');
    expect(screen.queryByRole('listbox')).toBeNull();

    // Clicking an option works too, and Tab picks the highlighted one.
    fireEvent.change(caption, { target: { value: 'Hello @marco and @mal', selectionStart: 21, selectionEnd: 21 } });
    fireEvent.click(within(await screen.findByRole('listbox')).getByText('@mallory'));
    expect(caption.value).toBe('Hello @marco and @mallory ');
    fireEvent.change(caption, { target: { value: '@m', selectionStart: 2, selectionEnd: 2 } });
    await screen.findByRole('listbox');
    fireEvent.keyDown(caption, { key: 'Tab' });
    expect(caption.value).toBe('@mallory ');

    // Escape closes the suggestions without changing the text; an e-mail address is no mention.
    // The search would go out once typing pauses: the clock is moved past that pause.
    const searches = server.callsTo('GET', '/api/v1/accounts/search').length;
    vi.useFakeTimers();
    try {
      fireEvent.change(caption, { target: { value: 'mail me@ma', selectionStart: 10, selectionEnd: 10 } });
      await act(() => vi.advanceTimersByTimeAsync(SEARCH_DEBOUNCE_MS * 2));
      expect(server.callsTo('GET', '/api/v1/accounts/search')).toHaveLength(searches);
      expect(screen.queryByRole('listbox')).toBeNull();
    } finally {
      vi.useRealTimers();
    }
  });

  it('tags a person on a photo at the chosen spot, shows the label, and sends it with the post', async () => {
    const server = installFetchMock();
    const xhr = installXhrMock();
    await openComposer(server);
    const ines = makeAccount('ines', { id: '5' });
    server.on('GET', '/api/v1/accounts/search', { body: [ines] });
    await choose(photoFile('a.jpg'));
    xhr.requests[0].respond(200, makeMedia('m1'));
    await waitFor(() => expect(shareButton().disabled).toBe(false));

    fireEvent.click(screen.getByRole('button', { name: 'Tag people' }));
    const tagger = screen.getByRole('region', { name: 'Tag people on photo 1' });
    // A keyboard press on the photo chooses its middle.
    fireEvent.click(within(tagger).getByRole('button', { name: 'Choose a spot to tag on photo 1' }));
    fireEvent.change(within(tagger).getByLabelText('Search for a person to tag'), { target: { value: 'in' } });
    fireEvent.click(await within(tagger).findByRole('option', { name: /ines/ }));

    const tags = within(tagger).getByRole('list', { name: 'People tagged on photo 1' });
    const label = within(tags).getByText('ines').closest('li') as HTMLElement;
    expect(label.style.left).toBe('50%');
    expect(label.style.top).toBe('50%');
    expect(screen.getByText('1 person tagged')).toBeTruthy();

    server.on('POST', '/api/v1/statuses', { body: makeStatus(me, { id: '79' }) });
    fireEvent.click(shareButton());
    await waitFor(() => expect(server.callsTo('POST', '/api/v1/statuses')).toHaveLength(1));
    expect((server.callsTo('POST', '/api/v1/statuses')[0].body as { media_tags: unknown }).media_tags).toEqual([{ media_id: 'm1', account_id: '5', x: 0.5, y: 0.5 }]);
  });

  it('removes a tag', async () => {
    const server = installFetchMock();
    const xhr = installXhrMock();
    await openComposer(server);
    server.on('GET', '/api/v1/accounts/search', { body: [makeAccount('ines', { id: '5' })] });
    await choose(photoFile('a.jpg'));
    xhr.requests[0].respond(200, makeMedia('m1'));
    fireEvent.click(await screen.findByRole('button', { name: 'Tag people' }));
    fireEvent.click(screen.getByRole('button', { name: 'Choose a spot to tag on photo 1' }));
    fireEvent.change(screen.getByLabelText('Search for a person to tag'), { target: { value: 'ines' } });
    fireEvent.click(await screen.findByRole('option', { name: /ines/ }));
    fireEvent.click(screen.getByRole('button', { name: 'Remove tag ines' }));
    expect(screen.queryByText('1 person tagged')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Done tagging' }));
    expect(screen.queryByRole('region', { name: 'Tag people on photo 1' })).toBeNull();
  });
});
