import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import { ApiError, isAbort } from '../api/api-client.ts';
import { useApi } from '../api/api-context.tsx';
import type { Status } from '../api/mastodon-types.ts';
import { fetchStatus, postPath } from '../api/statuses-api.ts';
import { NotFoundPage } from '../app/not-found-page.tsx';
import type { CommentStatus } from '../comments/comments-api.ts';
import { SafeContent } from '../posts/safe-content.tsx';
import { profilePath } from '../ui/account-name.ts';
import { Avatar } from '../ui/avatar.tsx';
import { EmptyState, ErrorMessage, Loading, LoadError } from '../ui/feedback.tsx';
import { BackIcon } from '../ui/icons.tsx';
import { RelativeTime } from '../ui/relative-time.tsx';
import { useDocumentTitle } from '../ui/use-document-title.ts';
import { fetchHiddenComments, unhideComment } from './moderation-api.ts';
import '../comments/comments.css';
import './moderation.css';

const PAGE_SIZE = 40;

export function hiddenReasonLabel(reason: string | undefined): string {
  switch (reason) {
    case 'hidden_words':
      return 'Matched your hidden words';
    case 'restricted':
      return 'From a restricted account';
    case 'moderator':
      return 'Removed by a moderator';
    default:
      return 'Hidden';
  }
}

/** `/@username/:id/…` with a valid handle and id, or null. */
export function usePostParams(): { username: string; postId: string } | null {
  const { handle, postId } = useParams();
  const username = handle?.startsWith('@') ? handle.slice(1) : null;
  if (!username || !/^[A-Za-z0-9_]{1,30}(@[A-Za-z0-9.-]+)?$/.test(username) || !postId || !/^\d{1,20}$/.test(postId)) return null;
  return { username, postId };
}

/** `/@username/:id/hidden`: the post author's review of hidden comments, each can be un-hidden. */
export function HiddenCommentsRoute() {
  const params = usePostParams();
  if (!params) return <NotFoundPage />;
  return <HiddenCommentsPage key={params.postId} postId={params.postId} />;
}

type Load = { status: 'loading' } | { status: 'error'; error: unknown } | { status: 'ready'; post: Status; comments: CommentStatus[]; hasMore: boolean };

export function HiddenCommentsPage({ postId }: { postId: string }) {
  useDocumentTitle('Hidden comments');
  const api = useApi();
  const [load, setLoad] = useState<Load>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const [isLoadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<unknown>(null);
  const [busyId, setBusyId] = useState<string | null>(null);
  const [actionError, setActionError] = useState<unknown>(null);
  const [announcement, setAnnouncement] = useState('');

  useEffect(() => {
    const controller = new AbortController();
    setLoad({ status: 'loading' });
    Promise.all([fetchStatus(api, postId, controller.signal), fetchHiddenComments(api, postId, { limit: PAGE_SIZE }, controller.signal)]).then(
      ([post, comments]) => setLoad({ status: 'ready', post, comments, hasMore: comments.length === PAGE_SIZE }),
      (error: unknown) => {
        if (!controller.signal.aborted && !isAbort(error)) setLoad({ status: 'error', error });
      },
    );
    return () => controller.abort();
  }, [api, postId, attempt]);

  if (load.status === 'loading') return <Loading />;
  if (load.status === 'error') {
    if (load.error instanceof ApiError && (load.error.status === 404 || load.error.status === 403)) return <NotFoundPage />;
    return <LoadError error={load.error} onRetry={() => setAttempt((a) => a + 1)} />;
  }
  const { post, comments, hasMore } = load;

  const loadMore = async () => {
    const last = comments[comments.length - 1];
    if (!last) return;
    setLoadingMore(true);
    setMoreError(null);
    try {
      const more = await fetchHiddenComments(api, postId, { limit: PAGE_SIZE, maxId: last.id });
      setLoad((current) => {
        if (current.status !== 'ready') return current;
        const seen = new Set(current.comments.map((c) => c.id));
        return { ...current, comments: [...current.comments, ...more.filter((c) => !seen.has(c.id))], hasMore: more.length === PAGE_SIZE };
      });
    } catch (err) {
      setMoreError(err);
    } finally {
      setLoadingMore(false);
    }
  };

  const unhide = async (comment: CommentStatus) => {
    setBusyId(comment.id);
    setActionError(null);
    setAnnouncement('');
    try {
      await unhideComment(api, comment.id);
      setLoad((current) => (current.status === 'ready' ? { ...current, comments: current.comments.filter((c) => c.id !== comment.id) } : current));
      setAnnouncement(`The comment by @${comment.account.acct || comment.account.username} is visible to everyone again.`);
    } catch (err) {
      setActionError(err);
    } finally {
      setBusyId(null);
    }
  };

  return (
    <div className="page page-narrow moderation-page">
      <Link to={postPath(post)} className="back-link">
        <BackIcon />
        <span>Back to post</span>
      </Link>
      <h1 className="page-title">Hidden comments</h1>
      <p className="muted moderation-intro">
        Only their authors see these comments. Un-hide one to show it to everyone; hidden words will not hide it again.{' '}
        <Link to="/settings/hidden-words" className="text-link">
          Edit hidden words
        </Link>
      </p>
      <p className="visually-hidden" role="status">
        {announcement}
      </p>
      <ErrorMessage error={actionError} />
      {comments.length === 0 ? (
        <EmptyState title="No hidden comments">
          <p>Comments hidden by your hidden words or from restricted accounts show up here.</p>
        </EmptyState>
      ) : (
        <ul className="hidden-comment-list" aria-label="Hidden comments">
          {comments.map((comment) => (
            <li key={comment.id} className="hidden-comment">
              <Link to={profilePath(comment.account)} className="comment-avatar" tabIndex={-1} aria-hidden="true">
                <Avatar account={comment.account} size="small" />
              </Link>
              <div className="hidden-comment-main">
                <div className="hidden-comment-text" id={`hidden-comment-${comment.id}`}>
                  <Link to={profilePath(comment.account)} className="comment-author">
                    {comment.account.acct || comment.account.username}
                  </Link>{' '}
                  <SafeContent html={comment.content} className="comment-content" />
                </div>
                <p className="hidden-comment-meta">
                  <span className="hidden-comment-reason">{hiddenReasonLabel(comment.glimpse?.hidden_reason ?? undefined)}</span>
                  <span aria-hidden="true"> · </span>
                  <RelativeTime iso={comment.created_at} />
                </p>
              </div>
              <button type="button" className="button button-secondary button-small" onClick={() => unhide(comment)} disabled={busyId !== null} aria-busy={busyId === comment.id} aria-describedby={`hidden-comment-${comment.id}`}>
                Unhide
              </button>
            </li>
          ))}
        </ul>
      )}
      <ErrorMessage error={moreError} />
      {hasMore && (
        <div className="load-more">
          <button type="button" className="button button-secondary" onClick={loadMore} disabled={isLoadingMore} aria-busy={isLoadingMore}>
            {isLoadingMore ? 'Loading…' : 'Load more'}
          </button>
        </div>
      )}
    </div>
  );
}
