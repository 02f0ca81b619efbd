import { forwardRef, useId, type FormEvent, type KeyboardEvent } from 'react';
import { ErrorMessage } from '../ui/feedback.tsx';

/** Comments are at most 2,200 characters, like captions. */
export const COMMENT_LIMIT = 2200;

export interface ReplyTarget {
  /** The comment answered: its id is the new comment's in_reply_to_id. */
  id: string;
  threadId: string;
  username: string;
}

export interface CommentBoxProps {
  value: string;
  onChange: (value: string) => void;
  onSubmit: () => void;
  replyTo: ReplyTarget | null;
  onCancelReply: () => void;
  isPosting: boolean;
  error: unknown;
}

/**
 * "Add a comment…" with its Post button. Enter posts (Shift+Enter is a new line); when
 * answering a comment it says whom, with a way back to a plain comment.
 */
export const CommentBox = forwardRef<HTMLTextAreaElement, CommentBoxProps>(function CommentBox({ value, onChange, onSubmit, replyTo, onCancelReply, isPosting, error }, ref) {
  const counterId = useId();
  const replyId = useId();
  const trimmed = value.trim();
  const isTooLong = value.length > COMMENT_LIMIT;
  const canPost = trimmed.length > 0 && !isTooLong && !isPosting;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (canPost) onSubmit();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      if (canPost) onSubmit();
    }
  };

  return (
    <form className="comment-box" onSubmit={submit}>
      {replyTo && (
        <p className="comment-box-reply" id={replyId}>
          <span>Replying to @{replyTo.username}</span>
          <button type="button" className="button-link comment-box-cancel" onClick={onCancelReply}>
            Cancel reply
          </button>
        </p>
      )}
      <div className="comment-box-row">
        <textarea
          ref={ref}
          className="comment-box-input"
          aria-label="Add a comment…"
          placeholder="Add a comment…"
          rows={1}
          value={value}
          maxLength={COMMENT_LIMIT + 200}
          aria-invalid={isTooLong || undefined}
          aria-describedby={[replyTo ? replyId : null, value.length > COMMENT_LIMIT - 200 ? counterId : null].filter(Boolean).join(' ') || undefined}
          onChange={(e) => onChange(e.target.value)}
          onKeyDown={onKeyDown}
        />
        <button type="submit" className="comment-box-post" disabled={!canPost} aria-busy={isPosting}>
          Post
        </button>
      </div>
      {value.length > COMMENT_LIMIT - 200 && (
        <p className={`field-hint${isTooLong ? ' field-error' : ''}`} id={counterId}>
          {value.length}/{COMMENT_LIMIT}
        </p>
      )}
      <ErrorMessage error={error} />
    </form>
  );
});
