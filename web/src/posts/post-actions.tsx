import { Link } from 'react-router';
import type { Status } from '../api/mastodon-types.ts';
import { postPath } from '../api/statuses-api.ts';
import { ErrorMessage } from '../ui/feedback.tsx';
import { BookmarkFilledIcon, BookmarkIcon, CommentIcon } from '../ui/icons.tsx';
import { LikeButton } from './like-button.tsx';
import { ShareMenu } from './share-menu.tsx';
import { useBookmark } from './use-bookmark.ts';

export interface PostActionsProps {
  status: Status;
  onChange: (status: Status) => void;
  liked: boolean;
  onToggleLike: () => void;
  /** On the post page: focus the comment box. Elsewhere Comment opens the post with the box focused. */
  onComment?: () => void;
}

/** What the post page reads to focus its comment box on arrival (the feed's Comment). */
export interface PostPageState {
  focusComment?: boolean;
}

/** The four actions under a post: like, comment, share (a menu) and, on the right, save. */
export function PostActions({ status, onChange, liked, onToggleLike, onComment }: PostActionsProps) {
  const { saved, setSaved, error } = useBookmark(status, onChange);
  // A comment has no comments of its own; there is nothing to open.
  const canOpenComments = !status.in_reply_to_id;
  return (
    <>
      <div className="post-actions">
        <LikeButton liked={liked} onToggle={onToggleLike} />
        {canOpenComments &&
          (onComment ? (
            <button type="button" className="post-action" aria-label="Comment" onClick={onComment}>
              <CommentIcon />
            </button>
          ) : (
            <Link to={postPath(status)} state={{ focusComment: true } satisfies PostPageState} className="post-action" aria-label="Comment">
              <CommentIcon />
            </Link>
          ))}
        <ShareMenu status={status} />
        <button
          type="button"
          className={`post-action post-save${saved ? ' is-saved' : ''}`}
          aria-pressed={saved}
          aria-label="Save"
          onClick={() => setSaved(!saved)}
        >
          {saved ? <BookmarkFilledIcon /> : <BookmarkIcon />}
        </button>
      </div>
      <ErrorMessage error={error} />
    </>
  );
}
