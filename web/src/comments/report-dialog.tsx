import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useApi } from '../api/api-context.tsx';
import { ErrorMessage } from '../ui/feedback.tsx';
import { TextAreaField } from '../ui/form-fields.tsx';
import { htmlToText } from '../ui/html-to-text.ts';
import { reportComment, type CommentStatus, type ReportCategory } from './comments-api.ts';

const CATEGORIES: Array<{ value: ReportCategory; label: string }> = [
  { value: 'violation', label: 'Harassment, hate or another rule broken' },
  { value: 'spam', label: 'Spam' },
  { value: 'legal', label: 'Illegal content' },
  { value: 'other', label: 'Something else' },
];

const COMMENT_LIMIT = 1000;

/** Report a comment to the instance's moderators: a category and an optional note. */
export function ReportDialog({ status, onClose }: { status: CommentStatus; onClose: (sent: boolean) => void }) {
  const api = useApi();
  const [category, setCategory] = useState<ReportCategory>('violation');
  const [comment, setComment] = useState('');
  const [isSending, setSending] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const titleId = useId();
  const categoryId = useId();
  const dialogRef = useRef<HTMLDivElement>(null);
  const handle = status.account.acct || status.account.username;
  const quote = htmlToText(status.content).replace(/\s+/g, ' ').trim();

  useEffect(() => {
    dialogRef.current?.querySelector<HTMLElement>('select, textarea, button')?.focus();
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') onClose(false);
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
    // Focus once on open; onClose is stable enough for Escape.
  }, []);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSending(true);
    setError(null);
    try {
      await reportComment(api, { account_id: status.account.id, status_ids: [status.id], comment: comment.trim(), category });
      onClose(true);
    } catch (err) {
      setError(err);
      setSending(false);
    }
  };

  return (
    <div className="dialog-backdrop">
      <div className="dialog" role="dialog" aria-modal="true" aria-labelledby={titleId} ref={dialogRef}>
        <h2 className="dialog-title" id={titleId}>
          Report comment
        </h2>
        <p className="muted report-quote">
          @{handle}: “{quote.length > 140 ? `${quote.slice(0, 140)}…` : quote}”
        </p>
        <form onSubmit={submit}>
          <div className="field">
            <label className="field-label" htmlFor={categoryId}>
              Why are you reporting it?
            </label>
            <select id={categoryId} className="field-input" value={category} onChange={(e) => setCategory(e.target.value as ReportCategory)}>
              {CATEGORIES.map((c) => (
                <option key={c.value} value={c.value}>
                  {c.label}
                </option>
              ))}
            </select>
          </div>
          <TextAreaField
            label="Anything the moderators should know?"
            value={comment}
            maxLength={COMMENT_LIMIT}
            rows={3}
            hint={`Optional. ${comment.length}/${COMMENT_LIMIT}`}
            onChange={(e) => setComment(e.target.value)}
          />
          <ErrorMessage error={error} />
          <div className="dialog-actions">
            <button type="button" className="button button-secondary" onClick={() => onClose(false)} disabled={isSending}>
              Cancel
            </button>
            <button type="submit" className="button button-primary" disabled={isSending} aria-busy={isSending}>
              Send report
            </button>
          </div>
        </form>
      </div>
    </div>
  );
}
