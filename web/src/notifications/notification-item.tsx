import { Link } from 'react-router';
import type { Notification } from '../api/mastodon-types.ts';
import { Avatar } from '../ui/avatar.tsx';
import { displayNameOf, profilePath } from '../ui/account-name.ts';
import { RelativeTime } from '../ui/relative-time.tsx';
import { StoryReplyText, ViewStoryLink } from '../stories/story-notification.tsx';

/** What happened, after the name of who did it: "started following you". */
export function describeNotification(type: Notification['type']): string {
  switch (type) {
    case 'follow':
      return 'started following you';
    case 'follow_request':
      return 'requested to follow you';
    case 'favourite':
      return 'liked your post';
    case 'mention':
      return 'mentioned you';
    case 'comment':
      return 'commented on your post';
    case 'reblog':
      return 'shared your post';
    case 'status':
      return 'just posted';
    case 'update':
      return 'edited a post';
    case 'story_mention':
      return 'mentioned you in their story';
    case 'story_reply':
      return 'replied to your story';
    case 'story_reaction':
      return 'reacted to your story';
    case 'tag':
      return 'tagged you in a post';
    default:
      return 'sent you a notification';
  }
}

export function NotificationItem({ notification }: { notification: Notification }) {
  const { account, type } = notification;
  // A notice about one's own request: no "who did it" to name.
  if (type === 'archive_ready') {
    return (
      <li className={`notification notification-${type}`}>
        <p className="notification-text">
          Your data archive is ready. <RelativeTime className="notification-time" iso={notification.created_at} />
        </p>
        <Link to="/settings/import-export" className="button button-primary button-small">
          Download
        </Link>
      </li>
    );
  }
  return (
    <li className={`notification notification-${type}`}>
      <Link to={profilePath(account)} className="notification-avatar" tabIndex={-1} aria-hidden="true">
        <Avatar account={account} size="medium" />
      </Link>
      <p className="notification-text">
        <Link to={profilePath(account)} className="notification-name">
          {displayNameOf(account)}
        </Link>{' '}
        {describeNotification(type)}
        <StoryReplyText notification={notification} /> <RelativeTime className="notification-time" iso={notification.created_at} />
      </p>
      {type === 'follow_request' && (
        <Link to="/follow-requests" className="button button-primary button-small">
          Review request
        </Link>
      )}
      <ViewStoryLink notification={notification} />
    </li>
  );
}
