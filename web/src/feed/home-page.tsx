import { useCallback, useEffect } from 'react';
import { Link, useLocation, useNavigate } from 'react-router';
import { useApi } from '../api/api-context.tsx';
import type { Status } from '../api/mastodon-types.ts';
import { fetchStatusPage, HOME_TIMELINE_PATH } from '../api/statuses-api.ts';
import { PostCard } from '../posts/post-card.tsx';
import { StoryTray } from '../stories/story-tray.tsx';
import { LoadMoreButton } from '../ui/account-row.tsx';
import { EmptyState, ErrorMessage, Loading, LoadError } from '../ui/feedback.tsx';
import { InfiniteScrollTrigger } from '../ui/infinite-scroll-trigger.tsx';
import { CameraIcon } from '../ui/icons.tsx';
import { usePagedList } from '../ui/use-paged-list.ts';
import { useDocumentTitle } from '../ui/use-document-title.ts';
import './feed.css';

/** What the composer hands over after sharing, so the new post is on top at once. */
export interface FeedState {
  posted?: Status;
}

/** Posts are statuses with photos; comments (replies) are not shown in the feed. */
export function isPhotoPost(status: Status): boolean {
  return (status.media_attachments?.length ?? 0) > 0 && !status.in_reply_to_id;
}

/** The home feed: posts of the people one follows and one's own, newest first, endlessly. */
export function HomePage() {
  useDocumentTitle('Home');
  const api = useApi();
  const location = useLocation();
  const navigate = useNavigate();
  const loadPage = useCallback((path: string, signal?: AbortSignal) => fetchStatusPage(api, path, signal), [api]);
  const list = usePagedList<Status>(HOME_TIMELINE_PATH, loadPage);
  const { setItems } = list;
  const posted = (location.state as FeedState | null)?.posted;

  // The post just shared goes on top even if the timeline has not caught up with it yet.
  useEffect(() => {
    if (!posted || list.status !== 'ready') return;
    setItems((items) => (items.some((s) => s.id === posted.id) ? items : [posted, ...items]));
    navigate(`${location.pathname}${location.search}`, { replace: true, state: null });
  }, [posted, list.status, setItems, navigate, location.pathname, location.search]);

  const replace = useCallback((next: Status) => setItems((items) => items.map((s) => (s.id === next.id ? next : s))), [setItems]);
  const posts = list.items.filter(isPhotoPost);

  return (
    <div className="page page-feed">
      <h1 className="page-title">Your feed</h1>
      <StoryTray />
      {list.status === 'loading' ? (
        <Loading />
      ) : list.status === 'error' ? (
        <LoadError error={list.error} onRetry={list.reload} />
      ) : posts.length === 0 && !list.hasMore ? (
        <EmptyState icon={<CameraIcon />} title="Nothing to see yet">
          <p>When people you follow share photos, they will show up here.</p>
          <p>
            <Link className="button button-primary" to="/search">
              Find people to follow
            </Link>
          </p>
        </EmptyState>
      ) : (
        <>
          <div className="feed-list">
            {posts.map((status, i) => (
              <PostCard key={status.id} status={status} onChange={replace} priority={i === 0} />
            ))}
          </div>
          {list.error ? <ErrorMessage error={list.error} /> : null}
          {list.hasMore ? (
            <>
              {!list.error && <InfiniteScrollTrigger onVisible={list.loadMore} isLoading={list.isLoadingMore} itemCount={list.items.length} className="feed-sentinel" />}
              <LoadMoreButton isLoading={list.isLoadingMore} onClick={list.loadMore} />
            </>
          ) : (
            <p className="feed-end muted">You&rsquo;re all caught up.</p>
          )}
        </>
      )}
    </div>
  );
}
