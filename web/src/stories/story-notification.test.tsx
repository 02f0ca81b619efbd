import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Notification } from '../api/mastodon-types.ts';
import { installFetchMock } from '../test/fetch-mock.ts';
import { makeAccount } from '../test/fixtures.ts';
import { renderApp, signedInAs } from '../test/render-app.tsx';
import { AUTHOR_STORY_CAN, makeStory } from './story-fixtures.ts';

const me = makeAccount('mara', { id: '1', display_name: 'Mara' });
const ines = makeAccount('ines', { id: '2', display_name: 'Ines' });

describe('story notifications', () => {
  it('shows mentions with a link to the story, replies with their words, and reactions with their emoji, from the notifications alone', async () => {
    const server = installFetchMock();
    signedInAs(server, me);
    const at = '2026-05-01T10:00:00.000Z';
    const theirs = makeStory(ines, { id: 's1' });
    const mine = makeStory(me, { id: 's2', can: AUTHOR_STORY_CAN });
    const notifications: Array<Notification & { story: unknown }> = [
      { id: 'n3', type: 'story_reaction', created_at: at, account: ines, story: mine, story_response: { id: 'x1', text: null, emoji: '😍', conversation_id: '50' } },
      { id: 'n2', type: 'story_reply', created_at: at, account: ines, story: mine, story_response: { id: 'r1', text: 'شكرا Thank you!! ❤️', emoji: null, conversation_id: '50' } },
      { id: 'n1', type: 'story_mention', created_at: at, account: ines, story: theirs },
    ];
    // The grouped list carries each story notification's story and words under the group's glimpse.
    server.on('GET', '/api/v2/notifications', {
      body: {
        accounts: [ines],
        statuses: [],
        notification_groups: notifications.map((n) => ({
          group_key: `ungrouped-${n.id}`,
          type: n.type,
          notifications_count: 1,
          most_recent_notification_id: n.id,
          latest_page_notification_at: at,
          sample_account_ids: [ines.id],
          glimpse: { story: n.story, story_response: n.story_response ?? null },
        })),
      },
    });
    server.on('GET', '/api/v1/follow_requests', { body: [] });
    server.on('POST', '/api/v1/markers', { body: {} });
    renderApp('/notifications');
    await screen.findByText(/mentioned you in their story/);
    const items = [...document.querySelectorAll<HTMLElement>('li.notification')];
    expect(items).toHaveLength(3);
    expect(items[2].querySelector('.notification-text')?.textContent).toMatch(/^Ines mentioned you in their story/);
    expect(within(items[2]).getByRole('link', { name: 'View story' }).getAttribute('href')).toBe('/stories/2?story=s1');
    await within(items[1]).findByText('شكرا Thank you!! ❤️');
    expect(items[1].querySelector('.notification-text')?.textContent).toMatch(/^Ines replied to your story: شكرا Thank you!! ❤️/);
    expect(items[1].querySelector('q')?.getAttribute('dir')).toBe('auto');
    expect(items[0].querySelector('.notification-text')?.textContent).toMatch(/^Ines reacted to your story 😍/);
    expect(within(items[0]).getByRole('link', { name: 'View story' }).getAttribute('href')).toBe('/stories/1?story=s2');
    // Reply opens the conversation the reply and the reaction are in.
    for (const item of [items[0], items[1]]) expect(within(item).getByRole('link', { name: 'Reply' }).getAttribute('href')).toBe('/direct/50');
    // The words come with the groups: no request per row, and no second list.
    expect(server.unmatched).toEqual([]);
    expect(server.callsTo('GET', '/api/glimpse/v1/notifications')).toHaveLength(0);
  });
});
