import { Link } from 'react-router';
import type { Notification } from '../api/mastodon-types.ts';
import { storyOf, storyPath, type StoryViewerState } from './stories-api.ts';

const STORY_TYPES = new Set(['story_mention', 'story_reply', 'story_reaction']);

export function isStoryNotification(notification: Notification): boolean {
  return STORY_TYPES.has(notification.type);
}

/** After "replied to your story": the reply itself, in the writer's own direction; after "reacted": the emoji. */
export function StoryReplyText({ notification }: { notification: Notification }) {
  const response = notification.story_response;
  if (!response) return null;
  if (notification.type === 'story_reaction' && response.emoji) {
    return (
      <>
        {' '}
        <span className="notification-emoji">{response.emoji}</span>
      </>
    );
  }
  if (notification.type !== 'story_reply' || !response.text) return null;
  return (
    <>
      :{' '}
      <q className="notification-quote" dir="auto">
        {response.text}
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
