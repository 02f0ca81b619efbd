import { useEffect, useRef, useState } from 'react';
import { Navigate, useLocation, useNavigate, useParams } from 'react-router';
import { ApiError } from '../api/api-client.ts';
import { useApi } from '../api/api-context.tsx';
import type { Status } from '../api/mastodon-types.ts';
import { deleteStatus, fetchStatus, postPath } from '../api/statuses-api.ts';
import { NotFoundPage } from '../app/not-found-page.tsx';
import { displayNameOf, profilePath } from '../ui/account-name.ts';
import { ErrorMessage, Loading, LoadError } from '../ui/feedback.tsx';
import { htmlToText } from '../ui/html-to-text.ts';
import { useDocumentTitle } from '../ui/use-document-title.ts';
import { useResource } from '../ui/use-resource.ts';
import { PostCard } from './post-card.tsx';
import { CommentSection } from '../comments/comment-section.tsx';
import { EditPostForm } from './edit-post.tsx';
import type { PostPageState } from './post-actions.tsx';
import './posts.css';

/** `/@username/:id`; anything else with two segments is not a page. */
export function PostRoute() {
  const { handle, postId } = useParams();
  const username = handle?.startsWith('@') ? handle.slice(1) : null;
  if (!username || !/^[A-Za-z0-9_]{1,30}(@[A-Za-z0-9.-]+)?$/.test(username) || !postId || !/^\d{1,20}$/.test(postId)) return <NotFoundPage />;
  return <PostPage key={postId} username={username} postId={postId} />;
}

export function PostPage({ username, postId }: { username: string; postId: string }) {
  const api = useApi();
  const [isEditing, setEditing] = useState(false);
  const [announcement, setAnnouncement] = useState('');
  const [state, { reload, update }] = useResource((signal) => fetchStatus(api, postId, signal), postId);
  const post = state.status === 'ready' ? state.data : null;
  useDocumentTitle(post ? postTitle(post) : 'Post');
  const pageRef = useRef<HTMLDivElement>(null);
  const location = useLocation();
  const navigate = useNavigate();
  // The comment box belongs to the comment section; it is found by its class in this page.
  const focusCommentBox = () => {
    const box = pageRef.current?.querySelector<HTMLTextAreaElement>('textarea.comment-box-input');
    box?.focus();
    box?.scrollIntoView?.({ block: 'nearest' });
  };
  // Arriving from a feed card's Comment: the box has focus, once, then the state is dropped.
  const wantsFocus = Boolean((location.state as PostPageState | null)?.focusComment);
  const isReady = post !== null;
  useEffect(() => {
    if (!wantsFocus || !isReady) return;
    focusCommentBox();
    navigate(`${location.pathname}${location.search}`, { replace: true, state: null });
  }, [wantsFocus, isReady, navigate, location.pathname, location.search]);

  if (state.status === 'loading') return <Loading />;
  if (state.status === 'error') {
    if (state.error instanceof ApiError && state.error.status === 404) return <NotFoundPage />;
    return <LoadError error={state.error} onRetry={reload} />;
  }
  const status = state.data;
  // A post reached under another name (renamed account, edited link) moves to its own address.
  const author = status.account.acct || status.account.username;
  if (author.toLowerCase() !== username.toLowerCase()) return <Navigate to={postPath(status)} replace />;
  // Edit and Delete as the server allows them (glimpse.can), not decided again here.
  const { edit: canEdit, delete: canDelete } = status.glimpse.can;
  const actions =
    canEdit || canDelete ? (
      <>
        {canEdit && !isEditing && (
          <button type="button" className="button button-secondary button-small" onClick={() => setEditing(true)}>
            Edit
          </button>
        )}
        {canDelete && <DeletePost status={status} />}
      </>
    ) : null;
  return (
    <div className="page page-post" ref={pageRef}>
      <h1 className="visually-hidden">{postHeading(status)}</h1>
      <PostCard status={status} onChange={(next) => update(() => next)} size="large" actions={actions} priority onComment={focusCommentBox}>
        <CommentSection post={status} onPostChange={(next) => update(() => next)} />
      </PostCard>
      <p className="visually-hidden" role="status">
        {announcement}
      </p>
      {isEditing && (
        <EditPostForm
          status={status}
          onCancel={() => setEditing(false)}
          onSaved={(next) => {
            update(() => next);
            setEditing(false);
            setAnnouncement('Your changes are saved.');
          }}
        />
      )}
    </div>
  );
}

/** The page's one h1: "Post by Mara", or "Comment by Mara" on a comment's own page. */
function postHeading(status: Status): string {
  return `${status.in_reply_to_id ? 'Comment' : 'Post'} by ${displayNameOf(status.account)}`;
}

function postTitle(status: Status): string {
  const caption = htmlToText(status.content).replace(/\s+/g, ' ').trim();
  const who = `${displayNameOf(status.account)} (@${status.account.acct})`;
  return caption ? `${who}: “${caption.length > 60 ? `${caption.slice(0, 60)}…` : caption}”` : `Post by ${who}`;
}

/** Delete (shown when the server allows it: `glimpse.can.delete`), asking once more before it acts. */
function DeletePost({ status }: { status: Status }) {
  const api = useApi();
  const navigate = useNavigate();
  const [isConfirming, setConfirming] = useState(false);
  const [isBusy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      await deleteStatus(api, status.id);
      navigate(profilePath(status.account), { replace: true });
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  if (!isConfirming) {
    return (
      <button type="button" className="button button-secondary button-small" onClick={() => setConfirming(true)}>
        Delete
      </button>
    );
  }
  return (
    <div className="post-delete-confirm" role="group" aria-label="Delete this post?">
      <span>Delete this post?</span>
      <button type="button" className="button button-danger button-small" onClick={confirm} disabled={isBusy} aria-busy={isBusy} autoFocus>
        Delete post
      </button>
      <button type="button" className="button button-secondary button-small" onClick={() => setConfirming(false)} disabled={isBusy}>
        Cancel
      </button>
      <ErrorMessage error={error} />
    </div>
  );
}
