import { fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { installFetchMock } from '../test/fetch-mock.ts';
import { makeAccount } from '../test/fixtures.ts';
import { CSRF, renderApp, signedInAs } from '../test/render-app.tsx';
import type { Highlight } from './stories-api.ts';
import { AUTHOR_STORY_CAN, makeStory } from './story-fixtures.ts';

const mara = makeAccount('mara', { id: '2' });
const H = '/api/glimpse/v1/highlights';

function highlights(): Highlight[] {
  return [
    { id: 'h1', title: 'Ines 🎂', position: 0, cover: null, stories: [makeStory(mara, { id: 'k1', can: AUTHOR_STORY_CAN }), makeStory(mara, { id: 'k2', can: AUTHOR_STORY_CAN })] },
    { id: 'h2', title: 'Summer', position: 1, cover: null, stories: [makeStory(mara, { id: 'k3', can: AUTHOR_STORY_CAN })] },
  ];
}

describe('Settings → Highlights', () => {
  it('renames a highlight, moves it down and takes a story out of it', async () => {
    const server = installFetchMock();
    signedInAs(server, mara);
    const list = highlights();
    server.on('GET', `/api/glimpse/v1/accounts/${mara.id}/highlights`, { body: list });
    server.on('PUT', /\/api\/glimpse\/v1\/highlights\/h\d$/, (call) => {
      const current = list.find((h) => call.path.endsWith(h.id))!;
      const body = call.body as { title?: string; position?: number; story_ids?: string[] };
      Object.assign(current, body.title ? { title: body.title } : {}, body.position !== undefined ? { position: body.position } : {});
      if (body.story_ids) current.stories = current.stories.filter((s) => body.story_ids!.includes(s.id));
      return { body: { ...current } };
    });
    renderApp('/settings/highlights');

    const ordered = await screen.findByRole('list', { name: 'Your highlights, in profile order' });
    const first = within(ordered).getByRole('listitem', { name: 'Ines 🎂' });
    fireEvent.change(within(first).getByLabelText('Title of Ines 🎂'), { target: { value: 'Ines turns 40' } });
    fireEvent.click(within(first).getByRole('button', { name: 'Rename' }));
    expect(await screen.findByText('Renamed to Ines turns 40.')).toBeTruthy();
    const [rename] = server.callsTo('PUT', `${H}/h1`);
    expect(rename.body).toEqual({ title: 'Ines turns 40' });
    expect(rename.headers.get('X-CSRF-Token')).toBe(CSRF);

    fireEvent.click(screen.getByRole('button', { name: 'Move Ines turns 40 down' }));
    expect(await screen.findByText('Ines turns 40 moved down.')).toBeTruthy();
    const items = within(screen.getByRole('list', { name: 'Your highlights, in profile order' })).getAllByRole('listitem', { name: /.+/ }).filter((li) => li.classList.contains('highlight-manage'));
    expect(items.map((li) => li.getAttribute('aria-label'))).toEqual(['Summer', 'Ines turns 40']);
    expect(server.callsTo('PUT', `${H}/h2`).map((c) => c.body)).toEqual([{ position: 0 }]);
    expect(server.callsTo('PUT', `${H}/h1`).at(-1)?.body).toEqual({ position: 1 });

    fireEvent.click(screen.getByRole('button', { name: 'Remove story 1 from Ines turns 40' }));
    expect(await screen.findByText('Story removed from Ines turns 40.')).toBeTruthy();
    expect(server.callsTo('PUT', `${H}/h1`).at(-1)?.body).toEqual({ story_ids: ['k2'] });
    // The last story of a highlight cannot be removed: delete the highlight instead.
    expect((screen.getByRole('button', { name: 'Remove story 1 from Ines turns 40' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('deletes a highlight after a confirmation', async () => {
    const server = installFetchMock();
    signedInAs(server, mara);
    server.on('GET', `/api/glimpse/v1/accounts/${mara.id}/highlights`, { body: highlights() });
    server.on('DELETE', `${H}/h2`, { body: {} });
    renderApp('/settings/highlights');
    const summer = await screen.findByRole('listitem', { name: 'Summer' });
    fireEvent.click(within(summer).getByRole('button', { name: 'Delete…' }));
    expect(server.callsTo('DELETE', `${H}/h2`)).toHaveLength(0);
    fireEvent.click(within(summer).getByRole('button', { name: 'Delete Summer' }));
    expect(await screen.findByText('Summer deleted.')).toBeTruthy();
    expect(screen.queryByRole('listitem', { name: 'Summer' })).toBeNull();
    expect(server.callsTo('DELETE', `${H}/h2`)).toHaveLength(1);
  });
});
