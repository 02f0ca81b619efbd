import { useEffect, useId, useRef, useState } from 'react';
import { ErrorMessage } from '../ui/feedback.tsx';
import { TextAreaField } from '../ui/form-fields.tsx';
import { useFormSubmit } from '../ui/use-form-submit.ts';
import type { ReportCategory } from './comments-api.ts';

const CATEGORIES: Array<{ value: ReportCategory; label: string }> = [
  { value: 'violation', label: 'Harassment, hate or another rule broken' },
  { value: 'spam', label: 'Spam' },
  { value: 'legal', label: 'Illegal content' },
  { value: 'other', label: 'Something else' },
];

const COMMENT_LIMIT = 1000;

/** A quote for the dialog: one line, at most 140 characters. */
export function shortQuote(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 140 ? `${line.slice(0, 140)}…` : line;
}

export interface ReportInput {
  category: ReportCategory;
  /** The note to the moderators, trimmed; may be empty. */
  comment: string;
}

/**
 * Report to the instance's moderators: a category and an optional note, for one comment or a
 * whole storm of them. `what` is the quoted subject; `send` makes the report.
 */
export function ReportDialog({ title, what, send, onClose }: { title: string; what: string; send: (input: ReportInput) => Promise<unknown>; onClose: (sent: boolean) => void }) {
  const [category, setCategory] = useState<ReportCategory>('violation');
  const [comment, setComment] = useState('');
  const titleId = useId();
  const categoryId = useId();
  const dialogRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    dialogRef.current?.querySelector<HTMLElement>('select, textarea, button')?.focus();
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') onClose(false);
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
    // Focus once on open; onClose is stable enough for Escape.
  }, []);

  const { submit, isSubmitting: isSending, error } = useFormSubmit(
    () => send({ category, comment: comment.trim() }),
    { onSuccess: () => onClose(true) },
  );

  return (
    <div className="dialog-backdrop">
      <div className="dialog" role="dialog" aria-modal="true" aria-labelledby={titleId} ref={dialogRef}>
        <h2 className="dialog-title" id={titleId}>
          {title}
        </h2>
        <p className="muted report-quote">{what}</p>
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
