import type { Viewer } from '../../../access/viewer-context.ts';
import { canAuthorReadStoryResponse } from '../../../access/story-policy.ts';
import type { NotificationApi, NotificationRow } from '../../../domain/notifications/notification.ts';
import type { Services } from '../../../services.ts';
import { presentStory } from '../../glimpse/presenters/story.presenter.ts';
import { presentNotifications } from './notification.presenter.ts';
import { presentStatus } from './status.presenter.ts';

/**
 * Notifications as the REST list and the streaming API send them: one batch each for the
 * accounts, the posts (hydrated, so a post the viewer can no longer see drops its
 * notification), the stories and the story replies and reactions (one the author may not read
 * drops its notification too), whatever the page size.
 */
export async function presentNotificationRows(services: Services, viewer: Viewer, rows: NotificationRow[], api: NotificationApi = 'mastodon') {
  const ctx = { ...services.config, mediaUrls: services.mediaUrls };
  const statusIds = rows.flatMap((r) => (r.status_id ? [r.status_id] : []));
  const storyIds = rows.flatMap((r) => (r.story_id ? [r.story_id] : []));
  const responseIds = rows.flatMap((r) => (r.story_response_id ? [r.story_response_id] : []));
  const [accounts, posts, stories, responses] = await Promise.all([
    services.repositories.accounts.findByIds(rows.map((r) => r.from_account_id)),
    // The viewer's filters in the notifications context: a hide filter's match drops the notification.
    statusIds.length ? services.hydrator.hydrate(viewer, statusIds).then((p) => services.filters.apply(viewer, 'notifications', p)) : [],
    storyIds.length ? services.stories.hydrate(viewer, storyIds) : [],
    services.repositories.stories.responsesByIds(responseIds),
  ]);
  const statuses = new Map(posts.map((p) => [p.status.id, presentStatus(ctx, p)]));
  // A story notification outlives the story: once it expires or is hidden, `story` is null.
  const presentedStories = new Map(stories.map((s) => [s.story.id, presentStory(ctx, s)]));
  // A reply the author's hidden words caught after it was sent drops out, as a hidden comment's
  // notification does.
  const readable = new Map(responses.filter(canAuthorReadStoryResponse).map(({ id, text, emoji, conversation_id }) => [id, { id, text, emoji, conversation_id }]));
  const shown = rows.filter((r) => (!r.status_id || statuses.has(r.status_id)) && (!r.story_response_id || readable.has(r.story_response_id)));
  return presentNotifications(services.config, shown, accounts, statuses, presentedStories, readable, api);
}
