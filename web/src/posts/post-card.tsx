import { useId, useState, type ReactNode } from 'react';
import { Link } from 'react-router';
import { useApi } from '../api/api-context.tsx';
import type { Account, Status } from '../api/mastodon-types.ts';
import { fetchFavouritedBy, postPath } from '../api/statuses-api.ts';
import { useSession } from '../auth/session-context.tsx';
import { AccountRow } from '../ui/account-row.tsx';
import { displayNameOf, profilePath } from '../ui/account-name.ts';
import { Avatar } from '../ui/avatar.tsx';
import { ErrorMessage, Loading, LoadError } from '../ui/feedback.tsx';
import { formatCount, plural } from '../ui/format-count.ts';
import { RelativeTime } from '../ui/relative-time.tsx';
import { useResource } from '../ui/use-resource.ts';
import { Carousel } from './carousel.tsx';
import { CommentPreview } from '../comments/comment-preview.tsx';
import { BlurredMedia, FilteredNotice, useStatusFilter } from '../filters/filtered-post.tsx';
import { PostActions } from './post-actions.tsx';
import { SafeContent } from './safe-content.tsx';
import { useLike } from './use-like.ts';
import './posts.css';

export interface PostCardProps {
  status: Status;
  /** The post after a like or unlike (optimistic first, then as the server has it). */
  onChange: (status: Status) => void;
  /** The post page shows it larger. */
  size?: 'feed' | 'large';
  /** Extra controls in the header (the author's Delete on the post page). */
  actions?: ReactNode;
  /** The first post of a page loads its photo with priority. */
  priority?: boolean;
  /** The post page: focus its comment box (Comment). */
  onComment?: () => void;
  /** The post page: what goes under the caption (the comments). */
  children?: ReactNode;
}

/** A photo post: author, carousel, like, like count, caption and time. */
export function PostCard({ status, onChange, size = 'feed', actions, priority, onComment, children }: PostCardProps) {
  const { account: viewer } = useSession();
  const { setLiked, error } = useLike(status, onChange);
  const headingId = useId();
  const author = status.account;
  const name = displayNameOf(author);
  const liked = Boolean(status.favourited);
  const path = postPath(status);
  // The viewer's filters (Settings → Filters): a notice instead of the post, or blurred photos.
  const filter = useStatusFilter(status);
  if (filter.mode === 'warn') return <FilteredNotice filter={filter} className={`post-card post-card-${size}`} />;

  const header = (
    <header className="post-header">
      <Link to={profilePath(author)} className="post-author" tabIndex={-1} aria-hidden="true">
        <Avatar account={author} size="small" />
      </Link>
      <h2 className="post-author-name" id={headingId}>
        <Link to={profilePath(author)}>{name}</Link>
      </h2>
      <span className="post-header-dot" aria-hidden="true">
        •
      </span>
      <Link to={path} className="post-time">
        <span className="visually-hidden">Open post, shared </span>
        <RelativeTime iso={status.created_at} />
      </Link>
      {status.edited_at ? <span className="post-edited">· Edited</span> : null}
      {actions && <div className="post-header-actions">{actions}</div>}
    </header>
  );
  const media = (
    <BlurredMedia filter={filter}>
      <Carousel
        media={status.media_attachments}
        label={`Photos by ${name}`}
        onDoubleTap={viewer ? () => setLiked(true) : undefined}
        sizes={size === 'large' ? '(max-width: 999px) 100vw, 60vw' : undefined}
        priority={priority}
      />
    </BlurredMedia>
  );
  const footer = (
    <>
      {viewer && <PostActions status={status} onChange={onChange} liked={liked} onToggleLike={() => setLiked(!liked)} onComment={onComment} />}
      <ErrorMessage error={error} />
      <LikeCount status={status} isAuthor={viewer?.id === author.id} />
    </>
  );
  const caption = status.content && (
    <div className="post-caption">
      <Link to={profilePath(author)} className="post-caption-author">
        {author.acct || author.username}
      </Link>{' '}
      <SafeContent html={status.content} emojis={status.emojis} className="post-caption-text" />
    </div>
  );

  // The post page: photos on the left and, on a wide screen, a column on the right with the
  // header, the caption and comments (scrolling), and the actions (posts.css).
  if (size === 'large') {
    return (
      <article ref={filter.articleRef} tabIndex={filter.wasCollapsed ? -1 : undefined} className="post-card post-card-large post-detail" aria-labelledby={headingId}>
        <div className="post-detail-header">{header}</div>
        <div className="post-detail-media">{media}</div>
        <div className="post-body post-detail-footer">{footer}</div>
        <div className="post-detail-scroll">
          {caption}
          {children}
        </div>
      </article>
    );
  }

  return (
    <article ref={filter.articleRef} tabIndex={filter.wasCollapsed ? -1 : undefined} className={`post-card post-card-${size}`} aria-labelledby={headingId}>
      {header}
      {media}
      <div className="post-body">
        {footer}
        {caption}
        <CommentPreview status={status} />
      </div>
    </article>
  );
}

/**
 * "12 likes", which opens the list of who liked. Nothing when the author hid the count from
 * this viewer; the author sees it with a note that others do not.
 */
function LikeCount({ status, isAuthor }: { status: Status; isAuthor: boolean }) {
  const [isOpen, setOpen] = useState(false);
  const listId = useId();
  if (status.glimpse?.like_count_hidden) return null;
  const count = status.favourites_count ?? 0;
  if (count <= 0) return null;
  return (
    <div className="post-likes">
      <button type="button" className="post-likes-button" aria-expanded={isOpen} aria-controls={listId} onClick={() => setOpen((open) => !open)}>
        {formatCount(count)} {plural(count, 'like', 'likes')}
      </button>
      {isAuthor && status.glimpse?.hide_like_count && <span className="post-likes-note muted"> · only you can see this</span>}
      <div id={listId} hidden={!isOpen}>
        {isOpen && <Likers statusId={status.id} count={count} />}
      </div>
    </div>
  );
}

function Likers({ statusId, count }: { statusId: string; count: number }) {
  const api = useApi();
  const [likers, { reload }] = useResource((signal) => fetchFavouritedBy(api, statusId, signal), `${statusId}:${count}`);
  if (likers.status === 'loading') return <Loading label="Loading likes…" />;
  if (likers.status === 'error') return <LoadError error={likers.error} onRetry={reload} />;
  const accounts: Account[] = likers.data.items;
  if (accounts.length === 0) return null;
  return (
    <ul className="account-list post-likers" aria-label="Liked by">
      {accounts.map((account) => (
        <AccountRow key={account.id} account={account} />
      ))}
    </ul>
  );
}
