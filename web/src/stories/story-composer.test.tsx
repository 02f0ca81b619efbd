import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { installFetchMock, type FetchMock } from '../test/fetch-mock.ts';
import { makeAccount, makeMedia } from '../test/fixtures.ts';
import { CSRF, renderApp, signedInAs } from '../test/render-app.tsx';
import { installXhrMock } from '../test/xhr-mock.ts';
import { newMentionLayer, newTextLayer, toOverlays } from './story-draft.ts';

const me = makeAccount('mara', { id: '1' });
const ines = makeAccount('ines', { id: '2', display_name: 'Ines' });

const photo = () => new File([new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3])], 'birthday.jpg', { type: 'image/jpeg' });
const shareButton = () => screen.getByRole('button', { name: 'Share to story' }) as HTMLButtonElement;

async function openComposer(server: FetchMock) {
  signedInAs(server, me);
  server.on('GET', '/api/v1/timelines/home', { body: [] });
  server.on('GET', '/api/glimpse/v1/stories/tray', { body: [] });
  renderApp('/stories/new');
  await screen.findByRole('heading', { name: 'New story', level: 1 });
}

async function withPhoto(server: FetchMock) {
  const xhr = installXhrMock();
  await openComposer(server);
  expect(shareButton().disabled).toBe(true);
  fireEvent.change(screen.getByLabelText('Story photo'), { target: { files: [photo()] } });
  expect(xhr.requests).toHaveLength(1);
  expect(xhr.requests[0].url).toBe('/api/v2/media');
  expect(xhr.requests[0].headers['X-CSRF-Token']).toBe(CSRF);
  expect(xhr.requests[0].file()?.name).toBe('birthday.jpg');
  xhr.requests[0].respond(200, makeMedia('m1'));
  await waitFor(() => expect(shareButton().disabled).toBe(false));
}

describe('the story composer', () => {
  it('uploads the photo, puts a styled text layer and a mention on it, and shares to close friends', async () => {
    const server = installFetchMock();
    server.on('GET', '/api/v1/accounts/search', { body: [ines] });
    server.on('POST', '/api/glimpse/v1/stories', { body: {} });
    await withPhoto(server);

    fireEvent.click(screen.getByRole('button', { name: 'Add text' }));
    const text = screen.getByLabelText('Story text') as HTMLTextAreaElement;
    expect(document.activeElement).toBe(text);
    expect(text.getAttribute('dir')).toBe('auto');
    fireEvent.change(text, { target: { value: 'Happy Birthday to the most thoughtful sweetest soul' } });
    fireEvent.click(screen.getByRole('button', { name: 'Red' }));
    expect(screen.getByRole('button', { name: 'Red' }).getAttribute('aria-pressed')).toBe('true');
    fireEvent.click(screen.getByLabelText('Background'));
    fireEvent.change(screen.getByLabelText('Font'), { target: { value: 'modern' } });
    fireEvent.click(screen.getByRole('button', { name: 'Left' }));

    // The layer is drawn on the preview, where the keyboard can move it.
    const layer = screen.getByRole('button', { name: /^Text layer 1: Happy Birthday/ });
    expect(layer.style.left).toBe('50%');
    fireEvent.keyDown(layer, { key: 'ArrowRight' });
    fireEvent.keyDown(layer, { key: 'ArrowDown', shiftKey: true });
    expect(layer.style.left).toBe('51%');
    expect(layer.style.top).toBe('55%');
    expect(layer.getAttribute('aria-label')).toContain('51% across, 55% down');

    fireEvent.click(screen.getByRole('button', { name: 'Add mention' }));
    fireEvent.change(screen.getByLabelText('Mention someone'), { target: { value: 'ine' } });
    fireEvent.click(await screen.findByRole('button', { name: /@ines/ }));
    expect(screen.getByRole('button', { name: /^Mention @ines/ })).toBeTruthy();
    expect(screen.getByText('2/10 layers')).toBeTruthy();

    fireEvent.click(screen.getByLabelText('Close friends'));
    fireEvent.click(shareButton());
    await waitFor(() => expect(screen.getByTestId('current-path').textContent).toBe('/'));
    const [post] = server.callsTo('POST', '/api/glimpse/v1/stories');
    expect(post.body).toEqual({
      media_id: 'm1',
      audience: 'close_friends',
      overlays: [
        { type: 'text', text: 'Happy Birthday to the most thoughtful sweetest soul', x: 0.51, y: 0.55, color: '#ffffff', background: '#ed4956', font: 'modern', align: 'left' },
        { type: 'mention', account_id: '2', x: 0.5, y: 0.62 },
      ],
    });
  });

  it('the outline style puts a contrasting edge around the letters, and takes the place of a background', async () => {
    const server = installFetchMock();
    server.on('POST', '/api/glimpse/v1/stories', { body: {} });
    await withPhoto(server);
    fireEvent.click(screen.getByRole('button', { name: 'Add text' }));
    fireEvent.change(screen.getByLabelText('Story text'), { target: { value: 'Party!' } });
    fireEvent.click(screen.getByLabelText('Background'));
    fireEvent.click(screen.getByLabelText('Outline'));
    expect((screen.getByLabelText('Background') as HTMLInputElement).checked).toBe(false);
    const drawn = screen.getByRole('button', { name: /^Text layer 1: Party!/ }).querySelector('p')!;
    expect(drawn.style.textShadow).toContain('#000000');
    fireEvent.click(shareButton());
    await waitFor(() => expect(server.callsTo('POST', '/api/glimpse/v1/stories')).toHaveLength(1));
    expect((server.callsTo('POST', '/api/glimpse/v1/stories')[0].body as { overlays: unknown[] }).overlays[0]).toEqual({ type: 'text', text: 'Party!', x: 0.5, y: 0.5, color: '#ffffff', outline: '#000000', font: 'classic', align: 'center' });
  });

  it('drags a layer with the pointer, kept on the picture', async () => {
    const server = installFetchMock();
    await withPhoto(server);
    fireEvent.click(screen.getByRole('button', { name: 'Add text' }));
    fireEvent.change(screen.getByLabelText('Story text'), { target: { value: 'drag me' } });
    const picture = screen.getByTestId('story-canvas');
    picture.getBoundingClientRect = () => ({ left: 0, top: 0, right: 200, bottom: 400, width: 200, height: 400, x: 0, y: 0, toJSON: () => ({}) });
    const layer = screen.getByRole('button', { name: /^Text layer 1/ });
    fireEvent.pointerDown(layer, { button: 0, pointerId: 1, clientX: 100, clientY: 200 });
    fireEvent.pointerMove(layer, { pointerId: 1, clientX: 150, clientY: 300 });
    expect(layer.style.left).toBe('75%');
    expect(layer.style.top).toBe('75%');
    fireEvent.pointerMove(layer, { pointerId: 1, clientX: 900, clientY: -900 });
    expect(layer.style.left).toBe('100%');
    expect(layer.style.top).toBe('0%');
    fireEvent.pointerUp(layer, { pointerId: 1 });
    fireEvent.pointerMove(layer, { pointerId: 1, clientX: 100, clientY: 200 });
    expect(layer.style.left).toBe('100%');
  });

  it('keeps to the limits: 10 layers, 500 characters a layer', async () => {
    const server = installFetchMock();
    await withPhoto(server);
    const addText = screen.getByRole('button', { name: 'Add text' }) as HTMLButtonElement;
    for (let i = 0; i < 10; i++) fireEvent.click(addText);
    expect(screen.getAllByRole('button', { name: /^Text layer/ })).toHaveLength(10);
    expect(addText.disabled).toBe(true);
    expect((screen.getByRole('button', { name: 'Add mention' }) as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByText('A story can have at most 10 layers.')).toBeTruthy();
    fireEvent.click(addText);
    expect(screen.getAllByRole('button', { name: /^Text layer/ })).toHaveLength(10);

    const text = screen.getByLabelText('Story text') as HTMLTextAreaElement;
    expect(text.maxLength).toBe(500);
    fireEvent.change(text, { target: { value: 'a'.repeat(500) } });
    expect(screen.getByText('500/500 characters')).toBeTruthy();

    // Removing one makes room again.
    fireEvent.click(screen.getByRole('button', { name: 'Remove layer' }));
    expect(addText.disabled).toBe(false);
  });

  it('refuses a file that is not a photo', async () => {
    const server = installFetchMock();
    const xhr = installXhrMock();
    await openComposer(server);
    fireEvent.change(screen.getByLabelText('Story photo'), { target: { files: [new File(['x'], 'notes.txt', { type: 'text/plain' })] } });
    expect(screen.getByRole('alert').textContent).toBe('notes.txt is not a photo.');
    expect(xhr.requests).toHaveLength(0);
  });

  it('shows why the server refused the story', async () => {
    const server = installFetchMock();
    server.on('POST', '/api/glimpse/v1/stories', { status: 422, body: { error: 'Validation failed: A mentioned account does not exist' } });
    await withPhoto(server);
    fireEvent.click(shareButton());
    expect((await screen.findByRole('alert')).textContent).toBe('Validation failed: A mentioned account does not exist');
    expect(screen.getByTestId('current-path').textContent).toBe('/stories/new');
  });

  it('sends only non-blank text layers, and never more than 10 overlays', () => {
    const blank = { ...newTextLayer(), text: '   ' };
    const words = { ...newTextLayer(), text: 'hi', rotation: 10, scale: 1.5 };
    const mention = newMentionLayer(ines);
    expect(toOverlays([blank, words, mention])).toEqual([
      { type: 'text', text: 'hi', x: 0.5, y: 0.5, rotation: 10, scale: 1.5, color: '#ffffff', font: 'classic', align: 'center' },
      { type: 'mention', account_id: '2', x: 0.5, y: 0.62 },
    ]);
    expect(toOverlays(Array.from({ length: 12 }, () => ({ ...newTextLayer(), text: 'x' })))).toHaveLength(10);
  });
});
