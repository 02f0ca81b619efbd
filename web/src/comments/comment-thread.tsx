import { useId } from 'react';
import type { CommentEntry, CommentStatus } from './comments-api.ts';
import { useComments } from './comments-context.tsx';
import { CommentRow } from './comment-row.tsx';

const fullCount = new Intl.NumberFormat('en');

/** A top-level comment and, when opened, its replies (oldest first, paged). */
export function CommentThread({ entry, onChange, onRemove }: { entry: CommentEntry; onChange: (status: CommentStatus) => void; onRemove: (status: CommentStatus) => void }) {
  const { thread, toggleThread, loadMoreReplies, replace, remove } = useComments();
  const repliesId = useId();
  const state = thread(entry.status.id);
  const count = entry.replies_count;
  const hasReplies = count > 0 || state.replies.length > 0;

  return (
    <>
      <CommentRow status={entry.status} pinned={entry.pinned} onChange={onChange} onRemove={onRemove} />
      {hasReplies && (
        <div className="comment-replies">
          <button type="button" className="comment-replies-toggle" aria-expanded={state.isOpen} aria-controls={repliesId} onClick={() => toggleThread(entry.status.id)}>
            <span className="comment-replies-rule" aria-hidden="true" />
            {state.isOpen ? 'Hide replies' : `View ${fullCount.format(Math.max(count, state.replies.length))} ${Math.max(count, state.replies.length) === 1 ? 'reply' : 'replies'}`}
          </button>
          <div id={repliesId} hidden={!state.isOpen}>
            {state.isOpen && (
              <>
                {state.replies.length > 0 && (
                  <ul className="comment-list comment-reply-list" aria-label={`Replies to ${entry.status.account.acct || entry.status.account.username}`}>
                    {state.replies.map((reply) => (
                      <li key={reply.id} className="comment-item">
                        <CommentRow status={reply} onChange={replace} onRemove={remove} />
                      </li>
                    ))}
                  </ul>
                )}
                {state.isLoading && <p className="muted comment-replies-loading" role="status">Loading replies…</p>}
                {state.error ? (
                  <p className="error-message comment-replies-error">
                    Replies could not be loaded.{' '}
                    <button type="button" className="button-link" onClick={() => loadMoreReplies(entry.status.id)}>
                      Try again
                    </button>
                  </p>
                ) : null}
                {state.nextCursor && !state.isLoading && !state.error && (
                  <button type="button" className="comment-replies-toggle" onClick={() => loadMoreReplies(entry.status.id)}>
                    <span className="comment-replies-rule" aria-hidden="true" />
                    View more replies
                  </button>
                )}
              </>
            )}
          </div>
        </div>
      )}
    </>
  );
}
