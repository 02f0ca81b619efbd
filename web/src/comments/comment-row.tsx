import { useId, useState } from 'react';
import { Link } from 'react-router';
import { profilePath } from '../ui/account-name.ts';
import { Avatar } from '../ui/avatar.tsx';
import { ErrorMessage } from '../ui/feedback.tsx';
import { plural } from '../ui/format-count.ts';
import { HeartFilledIcon, HeartIcon } from '../ui/icons.tsx';
import { RelativeTime } from '../ui/relative-time.tsx';
import { SafeContent } from '../posts/safe-content.tsx';
import { useLike } from '../posts/use-like.ts';
import type { CommentStatus } from './comments-api.ts';
import { useComments } from './comments-context.tsx';
import { CommentMenu } from './comment-menu.tsx';

const fullCount = new Intl.NumberFormat('en');

export interface CommentRowProps {
  status: CommentStatus;
  pinned?: boolean;
  onChange: (status: CommentStatus) => void;
  onRemove: (status: CommentStatus) => void;
}

/** One comment: picture, name, text, time, likes, Reply, pin badge, its menu and like button. */
export function CommentRow({ status, pinned, onChange, onRemove }: CommentRowProps) {
  const { viewer, canWrite, reply } = useComments();
  const { setLiked, error } = useLike(status, (next) => onChange(next as CommentStatus));
  const textId = useId();
  const author = status.account;
  const handle = author.acct || author.username;
  const liked = Boolean(status.favourited);
  const likes = status.favourites_count ?? 0;
  const isPinned = Boolean(pinned ?? status.glimpse?.pinned);
  const [notice, setNotice] = useState('');

  return (
    <div className="comment">
      <Link to={profilePath(author)} className="comment-avatar" tabIndex={-1} aria-hidden="true">
        <Avatar account={author} size="small" />
      </Link>
      <div className="comment-main">
        {isPinned && <p className="comment-pinned">Pinned</p>}
        <div className="comment-text" id={textId}>
          <Link to={profilePath(author)} className="comment-author">
            {handle}
          </Link>{' '}
          <SafeContent html={status.content} emojis={status.emojis} className="comment-content" />
        </div>
        <div className="comment-meta">
          <RelativeTime iso={status.created_at} />
          {likes > 0 && !status.glimpse?.like_count_hidden && (
            <span className="comment-likes">
              {fullCount.format(likes)} {plural(likes, 'like', 'likes')}
            </span>
          )}
          {viewer && canWrite && status.glimpse.can.comment && (
            <button type="button" className="comment-meta-button" onClick={() => reply(status)} aria-describedby={textId}>
              Reply
            </button>
          )}
          {viewer && <CommentMenu status={status} isPinned={isPinned} onRemove={onRemove} onNotice={setNotice} describedBy={textId} />}
        </div>
        {/* Below the row, full width: inside it, a long notice pushed the like button off its column. */}
        <p className="comment-notice muted" role="status">
          {notice}
        </p>
        <ErrorMessage error={error} />
      </div>
      {viewer && (
        <button
          type="button"
          className={`comment-like${liked ? ' is-liked' : ''}`}
          aria-pressed={liked}
          aria-label={liked ? 'Unlike comment' : 'Like comment'}
          aria-describedby={textId}
          onClick={() => setLiked(!liked)}
        >
          {liked ? <HeartFilledIcon /> : <HeartIcon />}
        </button>
      )}
    </div>
  );
}
