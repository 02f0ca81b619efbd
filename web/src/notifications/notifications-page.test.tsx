import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { describe, expect, it } from 'vitest';
import { ApiClient } from '../api/api-client.ts';
import { AppProviders } from '../app/app.tsx';
import { installFetchMock } from '../test/fetch-mock.ts';
import { makeAccount, makeMedia } from '../test/fixtures.ts';
import { renderApp, signedInAs } from '../test/render-app.tsx';
import type { GroupedNotification } from './grouped-notifications.ts';
import { resolveGroups } from './grouped-notifications.ts';
import { VirtualNotificationList } from './notifications-page.tsx';

const mara = makeAccount('mara', { id: '2', display_name: 'Mara' });
const ines = makeAccount('ines', { id: '7', display_name: 'ines' });
const sam = makeAccount('sam', { id: '8', display_name: 'Sam' });
const now = new Date().toISOString();

const photo = {
  id: '500',
  created_at: now,
  content: '<p>Party</p>',
  account: mara,
  media_attachments: [makeMedia('m1')],
  glimpse: { hide_like_count: false, like_count_hidden: false, comment_policy: 'everyone', can: { comment: true, pin: true, edit: true, delete: true }, post_id: null },
};
const comment = { ...photo, id: '600', content: '<p>Happy birthday!</p>', account: sam, media_attachments: [], glimpse: { ...photo.glimpse, post_id: '500' } };

function textOf(start: string) {
  return (_: string, el: Element | null) => el?.tagName === 'P' && el.textContent?.startsWith(start) === true;
}

describe('grouped notifications', () => {
  it('reads comments (mentions keyed comment-) under their own type and drops groups with no senders', () => {
    const items = resolveGroups({
      accounts: [ines],
      statuses: [],
      notification_groups: [
        { group_key: 'comment-500-1', type: 'mention', notifications_count: 3, most_recent_notification_id: '9', sample_account_ids: ['7'] },
        { group_key: 'ungrouped-8', type: 'mention', notifications_count: 1, most_recent_notification_id: '8', sample_account_ids: ['7'] },
        { group_key: 'favourite-500-1', type: 'favourite', notifications_count: 2, most_recent_notification_id: '7', sample_account_ids: ['99'] },
      ],
    });
    expect(items.map((i) => [i.key, i.type])).toEqual([
      ['comment-500-1', 'comment'],
      ['ungrouped-8', 'mention'],
    ]);
  });

  it('shows one row per group with counts, the thumbnail and the newest comment, pending requests on top, and marks read', async () => {
    const server = installFetchMock();
    signedInAs(server, mara);
    server.on('GET', '/api/v1/follow_requests', { body: [makeAccount('stranger', { id: '30' })] });
    server.on('GET', '/api/v2/notifications', {
      body: {
        accounts: [ines, sam],
        statuses: [photo, comment],
        notification_groups: [
          { group_key: 'favourite-500-1', type: 'favourite', notifications_count: 1204, most_recent_notification_id: '91', latest_page_notification_at: now, sample_account_ids: ['7', '8'], status_id: '500' },
          { group_key: 'comment-500-1', type: 'mention', notifications_count: 300, most_recent_notification_id: '90', latest_page_notification_at: now, sample_account_ids: ['8', '7'], status_id: '600' },
        ],
      },
    });
    server.on('POST', '/api/v1/markers', { body: {} });

    renderApp('/notifications');

    expect(await screen.findByText(textOf('ines and 1,203 others liked your post'))).toBeTruthy();
    expect(screen.getByText(textOf('Sam and ines left 300 comments on your post: Happy birthday!'))).toBeTruthy();
    await waitFor(() => expect(screen.getAllByRole('link', { name: 'Open post' })).toHaveLength(2));
    expect(screen.getAllByRole('link', { name: 'Open post' })[0].getAttribute('href')).toBe('/@mara/500');
    // The comment's post came with the page: no request per row.
    expect(server.calls.filter((c) => c.path.startsWith('/api/v1/statuses/'))).toHaveLength(0);
    await screen.findByText('stranger', { selector: '.pending-requests-who' });
    const pending = document.querySelector('a.pending-requests')!;
    expect(pending.getAttribute('href')).toBe('/follow-requests');
    expect(pending.textContent).toContain('stranger');

    await waitFor(() => expect(server.callsTo('POST', '/api/v1/markers')).toHaveLength(1));
    expect(server.callsTo('POST', '/api/v1/markers')[0].body).toEqual({ notifications: { last_read_id: '91' } });
    const asked = server.callsTo('GET', '/api/v2/notifications')[0].url.searchParams.getAll('types[]');
    expect(asked).toContain('mention');
    expect(asked).toContain('follow_request');
  }, 15_000);

  it('a story reply shows its words and a Reply link from the group itself, without another request', async () => {
    const server = installFetchMock();
    signedInAs(server, mara);
    server.on('GET', '/api/v1/follow_requests', { body: [] });
    server.on('POST', '/api/v1/markers', { body: {} });
    server.on('GET', '/api/v2/notifications', {
      body: {
        accounts: [ines],
        statuses: [],
        notification_groups: [
          { group_key: 'ungrouped-70', type: 'story_reply', notifications_count: 1, most_recent_notification_id: '70', latest_page_notification_at: now, sample_account_ids: ['7'], glimpse: { story: null, story_response: { id: '71', text: 'Happy birthday!', emoji: null } } },
        ],
      },
    });
    renderApp('/notifications');
    expect(await screen.findByText('Happy birthday!')).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Reply' }).getAttribute('href')).toBe('/direct/new?to=ines');
    expect(server.callsTo('GET', '/api/glimpse/v1/notifications')).toHaveLength(0);
  });

  it('filters with tabs on the server: mentions and comments, follow requests', async () => {
    const server = installFetchMock();
    signedInAs(server, mara);
    server.on('GET', '/api/v1/follow_requests', { body: [] });
    server.on('POST', '/api/v1/markers', { body: {} });
    server.on('GET', '/api/v2/notifications', (call) => {
      const types = call.url.searchParams.getAll('types[]');
      if (types.length === 1 && types[0] === 'follow_request') {
        return { body: { accounts: [ines], statuses: [], notification_groups: [{ group_key: 'ungrouped-5', type: 'follow_request', notifications_count: 1, most_recent_notification_id: '5', latest_page_notification_at: now, sample_account_ids: ['7'] }] } };
      }
      return { body: { accounts: [ines], statuses: [], notification_groups: [{ group_key: 'follow-1', type: 'follow', notifications_count: 1, most_recent_notification_id: '4', latest_page_notification_at: now, sample_account_ids: ['7'] }] } };
    });

    renderApp('/notifications');
    expect(await screen.findByText(textOf('ines started following you'))).toBeTruthy();
    expect(screen.getByRole('tab', { name: 'All' }).getAttribute('aria-selected')).toBe('true');

    fireEvent.click(screen.getByRole('tab', { name: 'Follow requests' }));
    expect(await screen.findByText(textOf('ines requested to follow you'))).toBeTruthy();
    expect(screen.getByRole('tab', { name: 'Follow requests' }).getAttribute('aria-selected')).toBe('true');
    expect(screen.getByRole('tab', { name: 'All' }).getAttribute('aria-selected')).toBe('false');
    expect(screen.getByRole('link', { name: 'Review request' }).getAttribute('href')).toBe('/follow-requests');

    fireEvent.click(screen.getByRole('tab', { name: 'Mentions and comments' }));
    await waitFor(() => expect(server.callsTo('GET', '/api/v2/notifications').some((c) => c.url.searchParams.getAll('types[]').join() === 'mention,story_mention,story_reply')).toBe(true));
  });

  it('clears all notifications', async () => {
    const server = installFetchMock();
    signedInAs(server, mara);
    server.on('GET', '/api/v1/follow_requests', { body: [] });
    server.on('GET', '/api/v2/notifications', { body: { accounts: [ines], statuses: [], notification_groups: [{ group_key: 'follow-1', type: 'follow', notifications_count: 1, most_recent_notification_id: '4', latest_page_notification_at: now, sample_account_ids: ['7'] }] } });
    server.on('POST', '/api/v1/markers', { body: {} });
    server.on('POST', '/api/v1/notifications/clear', { body: {} });

    renderApp('/notifications');
    fireEvent.click(await screen.findByRole('button', { name: 'Clear all' }));

    expect(await screen.findByText('No notifications yet')).toBeTruthy();
    expect(server.callsTo('POST', '/api/v1/notifications/clear')).toHaveLength(1);
  });

  it('renders only a small window of 10,000 groups', () => {
    installFetchMock();
    const items: GroupedNotification[] = Array.from({ length: 10_000 }, (_, i) => ({
      key: `follow-${i}`,
      type: 'follow',
      count: 2,
      accounts: [ines, sam],
      status: null,
      post: null,
      mostRecentId: String(20_000 - i),
      createdAt: now,
    }));
    render(
      <MemoryRouter>
        <AppProviders client={new ApiClient()}>
          <VirtualNotificationList items={items} hasMore={false} isLoadingMore={false} onNearEnd={() => undefined} />
        </AppProviders>
      </MemoryRouter>,
    );
    const rows = screen.getAllByRole('listitem');
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.length).toBeLessThan(40);
    expect(rows[0].textContent).toContain('ines and Sam started following you');
  });
});
