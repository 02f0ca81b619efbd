import { fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { installFetchMock } from '../test/fetch-mock.ts';
import { makeAccount, makeRelationship } from '../test/fixtures.ts';
import { renderApp, signedInAs } from '../test/render-app.tsx';
import { makeStory } from './story-fixtures.ts';

const me = makeAccount('ines', { id: '1' });
const mara = makeAccount('mara', { id: '2', note: '<p>Mother, friend</p>' });

describe('highlights on the profile', () => {
  it('shows a circle per highlight under the bio, each opening the viewer over its stories', async () => {
    const server = installFetchMock();
    signedInAs(server, me);
    const stories = [makeStory(mara, { id: 'k1' }), makeStory(mara, { id: 'k2' })];
    server.on('GET', '/api/v1/accounts/lookup', { body: mara });
    server.on('GET', '/api/v1/accounts/relationships', { body: [makeRelationship(mara.id, { following: true })] });
    server.on('GET', `/api/v1/accounts/${mara.id}/statuses`, { body: [] });
    server.on('GET', `/api/glimpse/v1/accounts/${mara.id}/highlights`, {
      body: [
        { id: 'h1', title: 'Ines 🎂', cover: stories[1].media_attachment, cover_story_id: 'k2', stories },
        { id: 'h2', title: 'حفلة', cover: null, stories: [stories[0]] },
      ],
    });
    server.on('POST', /\/seen$/, { body: {} });
    renderApp('/@mara');
    const row = await screen.findByRole('navigation', { name: 'Highlights' });
    const links = within(row).getAllByRole('link');
    expect(links.map((l) => l.textContent)).toEqual(['Ines 🎂', 'حفلة']);
    expect(links[0].getAttribute('href')).toBe('/stories/2/highlights/h1');
    expect(links[0].querySelector('img')?.getAttribute('src')).toBe(stories[1].media_attachment.preview_url);
    // Under the bio, before the posts.
    const bio = screen.getByText('Mother, friend');
    expect(bio.compareDocumentPosition(row) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();

    fireEvent.click(links[0]);
    await screen.findByRole('dialog', { name: 'Highlight: Ines 🎂' });
    expect(screen.getByRole('img', { name: /^Photo of story k1/ })).toBeTruthy();
    // Closing goes back to the profile.
    fireEvent.keyDown(window, { key: 'Escape' });
    await screen.findByRole('navigation', { name: 'Highlights' });
    expect(screen.getByTestId('current-path').textContent).toBe('/@mara');
  });
});
