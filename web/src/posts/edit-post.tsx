import { useEffect, useId, useState } from 'react';
import { isAbort } from '../api/api-client.ts';
import { useApi } from '../api/api-context.tsx';
import type { Status } from '../api/mastodon-types.ts';
import { editStatus, fetchStatusSource } from '../api/statuses-api.ts';
import { ErrorMessage, Loading } from '../ui/feedback.tsx';
import { formatCount } from '../ui/format-count.ts';
import { useFormSubmit } from '../ui/use-form-submit.ts';

export const CAPTION_LIMIT = 2200;
export const ALT_TEXT_LIMIT = 1500;

/**
 * The author's caption and alt-text editor on the post page. It starts from the caption as
 * typed (`/source`), keeps the photos as they are, and hands the edited post back.
 */
export function EditPostForm({ status, onSaved, onCancel }: { status: Status; onSaved: (next: Status) => void; onCancel: () => void }) {
  const api = useApi();
  const id = useId();
  const [caption, setCaption] = useState<string | null>(null);
  const [altTexts, setAltTexts] = useState(() => status.media_attachments.map((m) => m.description ?? ''));
  const [loadError, setLoadError] = useState<unknown>(null);
  const { submit, isSubmitting: isSaving, error: saveError } = useFormSubmit(
    () =>
      editStatus(api, status.id, {
        // The form is shown only once the caption is loaded.
        status: caption ?? '',
        media_attributes: status.media_attachments.map((m, i) => ({ id: m.id, description: altTexts[i] ?? '' })),
      }),
    { onSuccess: onSaved },
  );

  useEffect(() => {
    const controller = new AbortController();
    fetchStatusSource(api, status.id, controller.signal).then(
      (source) => setCaption(source.text),
      (error: unknown) => {
        if (!isAbort(error)) setLoadError(error);
      },
    );
    return () => controller.abort();
  }, [api, status.id]);

  if (loadError) return <ErrorMessage error={loadError} />;
  if (caption === null) return <Loading label="Loading the caption…" />;

  const isOver = caption.length > CAPTION_LIMIT || altTexts.some((t) => t.length > ALT_TEXT_LIMIT);
  return (
    <form
      className="edit-post"
      aria-label="Edit post"
      onSubmit={(event) => (isOver ? event.preventDefault() : submit(event))}
    >
      <label className="field-label" htmlFor={`${id}-caption`}>
        Caption
      </label>
      <textarea
        id={`${id}-caption`}
        className="field-input edit-post-caption"
        value={caption}
        onChange={(e) => setCaption(e.target.value)}
        aria-invalid={caption.length > CAPTION_LIMIT}
        aria-describedby={`${id}-count`}
        rows={4}
        autoFocus
      />
      <p id={`${id}-count`} className={`field-hint ${caption.length > CAPTION_LIMIT ? 'is-over' : ''}`}>
        {formatCount(caption.length)}/{formatCount(CAPTION_LIMIT)}
      </p>
      {status.media_attachments.map((media, i) => (
        <div key={media.id} className="edit-post-alt">
          <label className="field-label" htmlFor={`${id}-alt-${i}`}>
            Alt text for photo {i + 1}
          </label>
          <input
            id={`${id}-alt-${i}`}
            className="field-input"
            value={altTexts[i] ?? ''}
            maxLength={ALT_TEXT_LIMIT}
            onChange={(e) => setAltTexts((current) => current.map((t, j) => (j === i ? e.target.value : t)))}
          />
        </div>
      ))}
      <ErrorMessage error={saveError} />
      <div className="edit-post-actions">
        <button type="submit" className="button button-primary button-small" disabled={isSaving || isOver} aria-busy={isSaving}>
          {isSaving ? 'Saving…' : 'Save'}
        </button>
        <button type="button" className="button button-secondary button-small" onClick={onCancel} disabled={isSaving}>
          Cancel
        </button>
      </div>
    </form>
  );
}
