import type { Notification } from '../api/mastodon-types.ts';

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
