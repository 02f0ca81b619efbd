import { fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { installFetchMock } from '../test/fetch-mock.ts';
import { makeAccount } from '../test/fixtures.ts';
import { renderApp, signedInAs } from '../test/render-app.tsx';
import { AUTHOR_STORY_CAN, makeStory } from './story-fixtures.ts';

const mara = makeAccount('mara', { id: '2' });
const ARCHIVE = '/api/glimpse/v1/stories/archive';

function archived(id: string, description: string) {
  const story = makeStory(mara, { id, can: AUTHOR_STORY_CAN });
  return { ...story, media_attachment: { ...story.media_attachment, description } };
}

describe('Settings → Story archive', () => {
  it("lists the author's expired stories, newest first, and loads older ones with Load more", async () => {
    const server = installFetchMock();
    signedInAs(server, mara);
    server.on('GET', ARCHIVE, (call) =>
      call.url.searchParams.get('max_id') === 'a2'
        ? { body: [archived('a1', 'The first day')] }
        : { body: [archived('a3', 'The beach'), archived('a2', 'The harbour')], headers: { Link: `<http://glimpse.test${ARCHIVE}?max_id=a2>; rel="next"` } },
    );
    renderApp('/settings/story-archive');

    const grid = await screen.findByRole('list', { name: 'Your archived stories, newest first' });
    expect(within(grid).getAllByRole('img').map((img) => img.getAttribute('alt'))).toEqual(['The beach', 'The harbour']);
    fireEvent.click(screen.getByRole('button', { name: 'Load more' }));
    expect(await within(grid).findByRole('img', { name: 'The first day' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Load more' })).toBeNull();
    expect(screen.getByRole('link', { name: 'Story archive' })).toBeTruthy();
  });

  it('says so when nothing is archived yet', async () => {
    const server = installFetchMock();
    signedInAs(server, mara);
    server.on('GET', ARCHIVE, { body: [] });
    renderApp('/settings/story-archive');
    expect(await screen.findByText('No archived stories yet')).toBeTruthy();
  });
});
