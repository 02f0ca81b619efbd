import { fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { PostCapabilities } from '../api/mastodon-types.ts';
import { installFetchMock, type FetchMock } from '../test/fetch-mock.ts';
import { AUTHOR_CAN, STRANGER_CAN, makeAccount, makeStatus } from '../test/fixtures.ts';
import { CSRF, renderApp, signedInAs } from '../test/render-app.tsx';

const mara = makeAccount('mara', { id: '2', display_name: 'Mara' });
const ines = makeAccount('ines', { id: '1' });

/** Post 70 by mara; `can` is what the server tells the signed-in viewer (the author's, or a stranger's). */
function servePost(server: FetchMock, can: Partial<PostCapabilities> = AUTHOR_CAN) {
  const post = makeStatus(mara, { id: '70', content: '<p>Party night</p>', can });
  server.on('GET', '/api/v1/statuses/70', { body: post });
  server.on('GET', '/api/glimpse/v1/statuses/70/comments', { body: { items: [], next_cursor: null } });
  server.on('GET', '/api/v1/statuses/70/source', { body: { id: '70', text: 'Party night', spoiler_text: '' } });
  return post;
}

describe('editing a post', () => {
  it('the author edits the caption and alt text from the post page; the post shows the edit', async () => {
    const server = installFetchMock();
    signedInAs(server, mara);
    const post = servePost(server);
    server.on('PUT', '/api/v1/statuses/70', (call) => {
      const body = call.body as { status: string; media_attributes: Array<{ id: string; description: string }> };
      return { body: { ...post, content: `<p>${body.status}</p>`, edited_at: new Date().toISOString(), media_attachments: post.media_attachments.map((m, i) => ({ ...m, description: body.media_attributes[i].description })) } };
    });
    renderApp('/@mara/70');

    fireEvent.click(await screen.findByRole('button', { name: 'Edit' }));
    const form = await screen.findByRole('form', { name: 'Edit post' });
    const caption = within(form).getByLabelText('Caption') as HTMLTextAreaElement;
    expect(caption.value).toBe('Party night');
    fireEvent.change(caption, { target: { value: 'Party night with @ines' } });
    fireEvent.change(within(form).getByLabelText('Alt text for photo 1'), { target: { value: 'Friends around a cake' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Save' }));

    expect(await screen.findByText('Your changes are saved.')).toBeTruthy();
    expect(screen.queryByRole('form', { name: 'Edit post' })).toBeNull();
    expect(screen.getByText('Party night with @ines')).toBeTruthy();
    expect(screen.getByText('· Edited')).toBeTruthy();
    const [call] = server.callsTo('PUT', '/api/v1/statuses/70');
    expect(call.body).toEqual({ status: 'Party night with @ines', media_attributes: [{ id: post.media_attachments[0].id, description: 'Friends around a cake' }] });
    expect(call.headers.get('X-CSRF-Token')).toBe(CSRF);
  });

  it('a caption over 2,200 characters cannot be saved; a refusal from the server is shown and the form stays', async () => {
    const server = installFetchMock();
    signedInAs(server, mara);
    servePost(server);
    server.on('PUT', '/api/v1/statuses/70', { status: 422, body: { error: 'Validation failed: A post needs at least one photo' } });
    renderApp('/@mara/70');
    fireEvent.click(await screen.findByRole('button', { name: 'Edit' }));
    const form = await screen.findByRole('form', { name: 'Edit post' });
    const caption = within(form).getByLabelText('Caption');
    const save = within(form).getByRole('button', { name: 'Save' }) as HTMLButtonElement;
    fireEvent.change(caption, { target: { value: 'x'.repeat(2201) } });
    expect(save.disabled).toBe(true);
    expect(caption.getAttribute('aria-invalid')).toBe('true');
    fireEvent.change(caption, { target: { value: 'fine' } });
    fireEvent.click(save);
    expect((await within(form).findByRole('alert')).textContent).toBe('Validation failed: A post needs at least one photo');
    expect(screen.getByRole('form', { name: 'Edit post' })).toBeTruthy();
  });

  it('someone else sees no Edit button', async () => {
    const server = installFetchMock();
    signedInAs(server, ines);
    servePost(server, STRANGER_CAN);
    renderApp('/@mara/70');
    await screen.findByText('Party night');
    expect(screen.queryByRole('button', { name: 'Edit' })).toBeNull();
    expect(server.callsTo('GET', '/api/v1/statuses/70/source')).toHaveLength(0);
  });
});
