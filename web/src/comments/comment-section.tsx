import { useCallback, useId, useMemo, useRef, useState } from 'react';
import { Link, useLocation } from 'react-router';
import { ApiError } from '../api/api-client.ts';
import { useApi } from '../api/api-context.tsx';
import type { Status } from '../api/mastodon-types.ts';
import { useSession } from '../auth/session-context.tsx';
import { Loading } from '../ui/feedback.tsx';
import { InfiniteScrollTrigger } from '../ui/infinite-scroll-trigger.tsx';
import { AuthorCommentTools } from './author-comment-tools.tsx';
import { SimilarSection } from './cluster-row.tsx';
import { CommentBox, type ReplyTarget } from './comment-box.tsx';
import { CommentThread } from './comment-thread.tsx';
import { fetchReplies, newCommentKey, postComment, type CommentCluster, type CommentSort, type CommentStatus } from './comments-api.ts';
import { CLOSED_THREAD, CommentsContext, threadIdOf, type CommentsContextValue, type ThreadState } from './comments-context.tsx';
import { itemKey, useCommentPages } from './use-comment-pages.ts';
import './comments.css';

const SORTS: Array<{ value: CommentSort; label: string }> = [
  { value: 'top', label: 'Top' },
  { value: 'newest', label: 'Newest' },
];

/** Snowflake-like ids: a longer id is a later one; equal lengths compare as text. */
function byId(a: { id: string }, b: { id: string }): number {
  return a.id.length - b.id.length || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

function mergeReplies(...lists: CommentStatus[][]): CommentStatus[] {
  const byKey = new Map<string, CommentStatus>();
  for (const list of lists) for (const s of list) byKey.set(s.id, s);
  return [...byKey.values()].sort(byId);
}

/**
 * The comments under a post: its author's tools, the order (Top or Newest), the comment box
 * (or why there is none), comments with their threads, more as one scrolls, and after them
 * the storms, folded into one "similar comments" section.
 */
export function CommentSection({ post, onPostChange }: { post: Status; onPostChange?: (status: Status) => void }) {
  // A comment's own page has no comments of its own: they belong to its post.
  if (post.in_reply_to_id) return null;
  return <CommentSectionOf key={post.id} post={post} onPostChange={onPostChange} />;
}

function CommentSectionOf({ post, onPostChange }: { post: Status; onPostChange?: (status: Status) => void }) {
  const api = useApi();
  const { account: viewer } = useSession();
  const location = useLocation();
  const titleId = useId();
  const isPostAuthor = viewer?.id === post.account.id;
  const [sort, setSort] = useState<CommentSort>('top');
  const pages = useCommentPages(api, post.id, sort);
  const { setItems, setSimilar, reload } = pages;

  // Who may comment is decided on the server and presented with the post (glimpse.can); a
  // refusal that comes later (the author narrowed it meanwhile) closes the box too.
  const [isRefused, setRefused] = useState(false);
  const canWrite = !isRefused && Boolean(viewer) && post.glimpse.can.comment;

  // The box.
  const [text, setText] = useState('');
  const [replyTo, setReplyTo] = useState<ReplyTarget | null>(null);
  const [isPosting, setPosting] = useState(false);
  const [boxError, setBoxError] = useState<unknown>(null);
  const [announcement, setAnnouncement] = useState('');
  const idempotencyKey = useRef(newCommentKey());
  const boxRef = useRef<HTMLTextAreaElement>(null);

  // Threads and restrict states.
  const [threads, setThreads] = useState<Record<string, ThreadState>>({});
  const [restrictions, setRestrictions] = useState<ReadonlyMap<string, boolean>>(new Map());

  const fetchThread = useCallback(
    (threadId: string, cursor: string | null) => {
      setThreads((t) => ({ ...t, [threadId]: { ...(t[threadId] ?? CLOSED_THREAD), isOpen: true, isLoading: true, error: null } }));
      fetchReplies(api, threadId, cursor).then(
        (page) =>
          setThreads((t) => {
            const current = t[threadId] ?? CLOSED_THREAD;
            return { ...t, [threadId]: { ...current, replies: mergeReplies(current.replies, page.items), nextCursor: page.items.length > 0 ? page.next_cursor : null, isFetched: true, isLoading: false } };
          }),
        (error: unknown) => setThreads((t) => ({ ...t, [threadId]: { ...(t[threadId] ?? CLOSED_THREAD), isLoading: false, error } })),
      );
    },
    [api],
  );

  const replace = useCallback(
    (next: CommentStatus) => {
      setItems((items) => items.map((item) => (item.status.id === next.id ? { ...item, status: next } : item)));
      setThreads((t) => {
        const threadId = threadIdOf(next);
        const current = t[threadId];
        if (!current || !current.replies.some((s) => s.id === next.id)) return t;
        return { ...t, [threadId]: { ...current, replies: current.replies.map((s) => (s.id === next.id ? next : s)) } };
      });
    },
    [setItems],
  );

  const remove = useCallback(
    (gone: CommentStatus) => {
      if (gone.in_reply_to_id === post.id || threadIdOf(gone) === gone.id) {
        // A top-level comment goes with its replies.
        setItems((items) => items.filter((item) => item.status.id !== gone.id));
        setThreads((t) => {
          const { [gone.id]: _removed, ...rest } = t;
          return rest;
        });
        return;
      }
      const threadId = threadIdOf(gone);
      setThreads((t) => {
        const current = t[threadId];
        if (!current) return t;
        return { ...t, [threadId]: { ...current, replies: current.replies.filter((s) => s.id !== gone.id) } };
      });
      setItems((items) => items.map((item) => (item.status.id === threadId ? { ...item, replies_count: Math.max(0, item.replies_count - 1) } : item)));
    },
    [post.id, setItems],
  );

  // A cluster hidden in bulk leaves the section (its comments are in Hidden comments now).
  const clusterHidden = useCallback(
    (cluster: CommentCluster) =>
      setSimilar((similar) => similar && { count: similar.count - cluster.count, clusters: similar.clusters.filter((c) => c.id !== cluster.id) }),
    [setSimilar],
  );

  const reply = useCallback(
    (target: CommentStatus) => {
      const username = target.account.acct || target.account.username;
      const mention = `@${username} `;
      setReplyTo({ id: target.id, threadId: threadIdOf(target), username });
      // The server names the person answered; writing it here shows what will be posted.
      setText((current) => (target.account.id === viewer?.id || current.startsWith(mention) ? current : `${mention}${current.replace(/^@\S+\s+/, '')}`));
      setBoxError(null);
      requestAnimationFrame(() => {
        const box = boxRef.current;
        if (!box) return;
        box.focus();
        box.setSelectionRange(box.value.length, box.value.length);
        box.scrollIntoView?.({ block: 'center' });
      });
    },
    [viewer?.id],
  );

  const cancelReply = () => {
    setReplyTo(null);
    setText((current) => current.replace(/^@\S+\s+/, ''));
    boxRef.current?.focus();
  };

  const submit = async () => {
    const target = replyTo;
    setPosting(true);
    setBoxError(null);
    setAnnouncement('');
    try {
      const created = await postComment(api, target?.id ?? post.id, text.trim(), idempotencyKey.current);
      idempotencyKey.current = newCommentKey();
      setText('');
      setReplyTo(null);
      if (target) {
        const threadId = target.threadId;
        setItems((items) => items.map((item) => (item.status.id === threadId ? { ...item, replies_count: item.replies_count + 1 } : item)));
        const known = threads[threadId];
        const hadReplies = pages.items.some((item) => item.status.id === threadId && item.replies_count > 0);
        setThreads((t) => {
          const current = t[threadId] ?? CLOSED_THREAD;
          return { ...t, [threadId]: { ...current, isOpen: true, replies: mergeReplies(current.replies, [created]) } };
        });
        // The earlier replies come along, so the new one is seen in its place.
        if (hadReplies && !known?.isFetched && !known?.isLoading) fetchThread(threadId, null);
        setAnnouncement('Your reply was posted.');
      } else {
        setItems((items) => [{ type: 'comment', status: created, replies_count: 0, pinned: false }, ...items.filter((item) => itemKey(item) !== `c:${created.id}`)]);
        setAnnouncement('Your comment was posted.');
      }
    } catch (error) {
      if (error instanceof ApiError && error.status === 403) setRefused(true);
      else setBoxError(error);
    } finally {
      setPosting(false);
    }
  };

  const toggleThread = useCallback(
    (threadId: string) => {
      const current = threads[threadId] ?? CLOSED_THREAD;
      if (current.isOpen) {
        setThreads((t) => ({ ...t, [threadId]: { ...(t[threadId] ?? CLOSED_THREAD), isOpen: false } }));
      } else if (!current.isFetched && !current.isLoading) {
        fetchThread(threadId, null);
      } else {
        setThreads((t) => ({ ...t, [threadId]: { ...(t[threadId] ?? CLOSED_THREAD), isOpen: true } }));
      }
    },
    [threads, fetchThread],
  );

  const loadMoreReplies = useCallback(
    (threadId: string) => {
      const current = threads[threadId] ?? CLOSED_THREAD;
      if (current.isLoading) return;
      fetchThread(threadId, current.isFetched ? current.nextCursor : null);
    },
    [threads, fetchThread],
  );

  const setRestriction = useCallback((accountId: string, on: boolean) => {
    setRestrictions((current) => new Map(current).set(accountId, on));
  }, []);

  const context = useMemo<CommentsContextValue>(
    () => ({
      post,
      viewer,
      isPostAuthor,
      canWrite,
      reply,
      replace,
      remove,
      reload,
      thread: (threadId) => threads[threadId] ?? CLOSED_THREAD,
      toggleThread,
      loadMoreReplies,
      restrictions,
      setRestriction,
    }),
    [post, viewer, isPostAuthor, canWrite, reply, replace, remove, reload, threads, toggleThread, loadMoreReplies, restrictions, setRestriction],
  );

  return (
    <CommentsContext.Provider value={context}>
      <section className="comments" aria-labelledby={titleId}>
        {isPostAuthor && <AuthorCommentTools post={post} onPostChange={onPostChange} />}
        <div className="comments-header">
          <h2 className="comments-title" id={titleId}>
            Comments
          </h2>
          <div className="comments-sort" role="group" aria-label="Sort comments">
            {SORTS.map((option) => (
              <button key={option.value} type="button" className="comments-sort-button" aria-pressed={sort === option.value} onClick={() => setSort(option.value)}>
                {option.label}
              </button>
            ))}
          </div>
        </div>

        <p className="visually-hidden" role="status">
          {announcement}
        </p>

        {pages.status === 'loading' ? (
          <Loading label="Loading comments…" />
        ) : pages.status === 'error' ? (
          <p className="error-message comments-error">
            Comments could not be loaded.{' '}
            <button type="button" className="button-link" onClick={reload}>
              Try again
            </button>
          </p>
        ) : pages.items.length === 0 && !pages.similar?.clusters.length ? (
          <p className="comments-empty muted">No comments yet.</p>
        ) : (
          <>
            {pages.items.length > 0 && (
              <ul className="comment-list" aria-label="Comments">
                {pages.items.map((item) => (
                  <li key={itemKey(item)} className="comment-item">
                    <CommentThread entry={item} onChange={replace} onRemove={remove} />
                  </li>
                ))}
              </ul>
            )}
            {pages.similar && <SimilarSection similar={pages.similar} onChange={replace} onRemove={remove} onHidden={clusterHidden} />}
          </>
        )}

        {pages.status === 'ready' && pages.moreError ? (
          <p className="error-message comments-error">
            More comments could not be loaded.{' '}
            <button type="button" className="button-link" onClick={pages.loadMore}>
              Try again
            </button>
          </p>
        ) : null}
        {pages.status === 'ready' && pages.hasMore && (
          <>
            {!pages.moreError && <InfiniteScrollTrigger onVisible={pages.loadMore} isLoading={pages.isLoadingMore} itemCount={pages.items.length} margin="400px" className="comments-sentinel" />}
            <div className="load-more">
              <button type="button" className="button button-secondary" onClick={pages.loadMore} disabled={pages.isLoadingMore} aria-busy={pages.isLoadingMore}>
                {pages.isLoadingMore ? 'Loading…' : 'Load more comments'}
              </button>
            </div>
          </>
        )}
        {/* Last, as in Instagram: kept in view at the bottom of the comments (the right column on a desktop). */}
        <div className="comments-compose">
          {canWrite ? (
            <CommentBox
              ref={boxRef}
              value={text}
              onChange={setText}
              onSubmit={submit}
              replyTo={replyTo}
              onCancelReply={cancelReply}
              isPosting={isPosting}
              error={boxError}
            />
          ) : viewer ? (
            <p className="comments-limited muted">Comments are limited on this post.</p>
          ) : (
            <p className="comments-limited muted">
              <Link to="/login" state={{ from: location.pathname }} className="text-link">
                Log in
              </Link>{' '}
              to add a comment.
            </p>
          )}
        </div>
      </section>
    </CommentsContext.Provider>
  );
}
