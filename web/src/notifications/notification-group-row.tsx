import { forwardRef, type CSSProperties } from 'react';
import { Link } from 'react-router';
import type { Account, Notification, Status } from '../api/mastodon-types.ts';
import { postPath } from '../api/statuses-api.ts';
import { imageSources } from '../posts/media-sources.ts';
import { StoryReplyText, ViewStoryLink } from '../stories/story-notification.tsx';
import { Avatar } from '../ui/avatar.tsx';
import { displayNameOf, profilePath } from '../ui/account-name.ts';
import { htmlToText } from '../ui/html-to-text.ts';
import { RelativeTime } from '../ui/relative-time.tsx';
import { formatWhole, type GroupedNotification } from './grouped-notifications.ts';
import { describeNotification } from './describe-notification.ts';

/** The server lists at most this many senders of a group. */
const SAMPLE_LIMIT = 8;

const isComment = (status: Status | null) => Boolean(status && (status.glimpse as { post_id?: string | null } | undefined)?.post_id);

/** "and Mara", "and 1,203 others": who besides the first did it. */
function othersPhrase(accounts: Account[], count: number): string {
  const others = count - 1;
  if (others <= 0) return '';
  if (others === 1 && accounts[1]) return ` and ${displayNameOf(accounts[1])}`;
  return ` and ${formatWhole(others)} others`;
}

/** The words after the first name: "and 1,203 others liked your post". */
export function groupSentence(item: Pick<GroupedNotification, 'type' | 'count' | 'accounts' | 'status'>): string {
  const { type, count, accounts, status } = item;
  switch (type) {
    case 'favourite':
      return `${othersPhrase(accounts, count)} liked your ${isComment(status) ? 'comment' : 'post'}`;
    case 'follow':
      return `${othersPhrase(accounts, count)} started following you`;
    case 'comment': {
      if (count === 1) return ' commented on your post';
      // One person may write many comments: count authors, not comments.
      const authors = accounts.length;
      const who = authors === 1 ? '' : authors === 2 ? ` and ${displayNameOf(accounts[1])}` : authors < SAMPLE_LIMIT ? ` and ${authors - 1} others` : ' and others';
      return `${who} left ${formatWhole(count)} comments on your post`;
    }
    default:
      return ` ${describeNotification(type)}`;
  }
}

/** The post's first photo, beside the row (the page carries the post a comment is on). */
function PostThumbnail({ post }: { post: Status | null }) {
  const media = post?.media_attachments[0];
  if (!post || !media) return null;
  const { src } = imageSources(media, 'small');
  if (!src) return null;
  return (
    <Link to={postPath(post)} className="notification-thumb" aria-label="Open post">
      <img src={src} alt="" loading="lazy" decoding="async" width={44} height={44} />
    </Link>
  );
}

/** What the newest comment or mention said, in its writer's direction. */
function QuotedText({ status }: { status: Status | null }) {
  const text = htmlToText(status?.content).replace(/\s+/g, ' ').trim();
  if (!text) return null;
  const short = text.length > 140 ? `${text.slice(0, 140)}…` : text;
  return (
    <>
      :{' '}
      <q className="notification-quote" dir="auto">
        {short}
      </q>
    </>
  );
}

function Avatars({ accounts }: { accounts: Account[] }) {
  const [first, second] = accounts;
  return (
    <Link to={profilePath(first)} className={`notification-avatar${second ? ' notification-avatar-pair' : ''}`} tabIndex={-1} aria-hidden="true">
      <Avatar account={first} size="medium" />
      {second && <Avatar account={second} size="small" />}
    </Link>
  );
}

/** The row of one group: avatars, "ines and 1,203 others liked your post", when, and the post. */
export const NotificationGroupRow = forwardRef<HTMLLIElement, { item: GroupedNotification; index: number; style?: CSSProperties }>(function NotificationGroupRow(
  { item, index, style },
  ref,
) {
  const { type, accounts } = item;
  const first = accounts[0];
  const className = `notification notification-${type}`;
  if (type === 'archive_ready') {
    return (
      <li ref={ref} data-index={index} className={className} style={style}>
        <p className="notification-text">
          Your data archive is ready. <RelativeTime className="notification-time" iso={item.createdAt} />
        </p>
        <Link to="/settings/import-export" className="button button-primary button-small">
          Download
        </Link>
      </li>
    );
  }
  // The story parts read one notification, as the Glimpse list sends them.
  const single = { id: item.mostRecentId, type, created_at: item.createdAt, account: first, status: item.status, story: item.story, story_response: item.story_response } as Notification;
  const quotes = type === 'comment' || type === 'mention';
  return (
    <li ref={ref} data-index={index} className={className} style={style}>
      <Avatars accounts={accounts} />
      <p className="notification-text">
        <Link to={profilePath(first)} className="notification-name">
          {displayNameOf(first)}
        </Link>
        {groupSentence(item)}
        {quotes && <QuotedText status={item.status} />}
        <StoryReplyText notification={single} />{' '}
        {item.createdAt && <RelativeTime className="notification-time" iso={item.createdAt} />}
      </p>
      {type === 'follow_request' && (
        <Link to="/follow-requests" className="button button-primary button-small">
          Review request
        </Link>
      )}
      {(type === 'story_reply' || type === 'story_reaction') && first && (
        // Straight to the conversation the reply is in; without it, a new message to the same person lands there too.
        <Link to={item.story_response?.conversation_id ? `/direct/${item.story_response.conversation_id}` : `/direct/new?to=${encodeURIComponent(first.acct)}`} className="button button-secondary button-small">
          Reply
        </Link>
      )}
      <ViewStoryLink notification={single} />
      <PostThumbnail post={item.post} />
    </li>
  );
});
