import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import type { ApiClient } from '../api/api-client.ts';
import { useApi } from '../api/api-context.tsx';
import type { Notification } from '../api/mastodon-types.ts';
import { fetchStoryReplies, storyOf, storyPath, type StoryReply, type StoryViewerState } from './stories-api.ts';

const STORY_TYPES = new Set(['story_mention', 'story_reply', 'story_reaction']);

export function isStoryNotification(notification: Notification): boolean {
  return STORY_TYPES.has(notification.type);
}

/**
 * The replies inbox, asked for once for a whole page of notifications: a story_reply
 * notification carries the story but not the words, which are in the inbox.
 */
const inboxes = new WeakMap<ApiClient, { at: number; promise: Promise<StoryReply[]> }>();
const INBOX_TTL_MS = 10_000;

function repliesInbox(api: ApiClient): Promise<StoryReply[]> {
  const cached = inboxes.get(api);
  if (cached && Date.now() - cached.at < INBOX_TTL_MS) return cached.promise;
  const promise = fetchStoryReplies(api).catch(() => [] as StoryReply[]);
  inboxes.set(api, { at: Date.now(), promise });
  return promise;
}

/** The reply a story_reply notification is about: same story and sender, the closest in time. */
export function matchReply(notification: Notification, replies: readonly StoryReply[]): StoryReply | null {
  const story = storyOf(notification);
  const at = Date.parse(notification.created_at);
  let best: StoryReply | null = null;
  let bestGap = Infinity;
  for (const reply of replies) {
    if (reply.account.id !== notification.account.id || (story && reply.story_id !== story.id)) continue;
    const gap = Math.abs(Date.parse(reply.created_at) - at);
    if (gap < bestGap) {
      best = reply;
      bestGap = gap;
    }
  }
  return best && bestGap <= 60_000 ? best : null;
}

/** After "replied to your story": the reply itself, in the writer's own direction. */
export function StoryReplyText({ notification }: { notification: Notification }) {
  const api = useApi();
  const [reply, setReply] = useState<StoryReply | null>(null);
  const isReply = notification.type === 'story_reply';
  useEffect(() => {
    if (!isReply) return;
    let isCurrent = true;
    repliesInbox(api).then((replies) => {
      if (isCurrent) setReply(matchReply(notification, replies));
    });
    return () => {
      isCurrent = false;
    };
  }, [api, isReply, notification]);
  if (!isReply || !reply) return null;
  return (
    <>
      :{' '}
      <q className="notification-quote" dir="auto">
        {reply.text}
      </q>
    </>
  );
}

/** "View story" for a story notification whose story can still be seen. */
export function ViewStoryLink({ notification }: { notification: Notification }) {
  const story = storyOf(notification);
  if (!isStoryNotification(notification) || !story) return null;
  return (
    <Link className="button button-secondary button-small" to={storyPath(story.account.id, story.id)} state={{ fromApp: true } satisfies StoryViewerState}>
      View story
    </Link>
  );
}
