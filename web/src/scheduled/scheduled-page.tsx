import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { Link, useLocation, useNavigate } from 'react-router';
import { useApi } from '../api/api-context.tsx';
import type { ScheduledStatus } from '../api/mastodon-types.ts';
import { LoadMoreButton } from '../ui/account-row.tsx';
import { EmptyState, ErrorMessage, Loading, LoadError } from '../ui/feedback.tsx';
import { usePagedList } from '../ui/use-paged-list.ts';
import { useDocumentTitle } from '../ui/use-document-title.ts';
import { useFormSubmit } from '../ui/use-form-submit.ts';
import {
  cancelScheduled,
  earliestScheduleTime,
  fetchScheduledPage,
  formatScheduledTime,
  localInputToIso,
  localTimeZone,
  reschedule,
  SCHEDULED_PATH,
  scheduleProblem,
  toLocalInputValue,
} from './scheduled-api.ts';
import './scheduled.css';

/** What the composer hands over after scheduling, to say so on arrival. */
export interface ScheduledState {
  scheduled?: ScheduledStatus;
}

/**
 * Scheduled posts (Settings → Scheduled posts): each with its time, caption and photos, to be
 * moved to another time or deleted (asked once more). Publication is the server's.
 */
export function ScheduledPostsPage() {
  useDocumentTitle('Scheduled posts');
  const api = useApi();
  const location = useLocation();
  const navigate = useNavigate();
  const loadPage = useCallback((path: string, signal?: AbortSignal) => fetchScheduledPage(api, path, signal), [api]);
  const list = usePagedList<ScheduledStatus>(SCHEDULED_PATH, loadPage);
  const { setItems } = list;
  // Kept from the first render: the location's state is cleared below.
  const [justScheduled] = useState(() => (location.state as ScheduledState | null)?.scheduled);
  const [announcement, setAnnouncement] = useState(() => (justScheduled ? `Your post is scheduled for ${formatScheduledTime(justScheduled.scheduled_at)}.` : ''));
  const titleRef = useRef<HTMLHeadingElement>(null);

  // The note is said once: a reload of this page does not repeat it.
  const hasState = Boolean((location.state as ScheduledState | null)?.scheduled);
  useEffect(() => {
    if (hasState) navigate(`${location.pathname}${location.search}`, { replace: true, state: null });
  }, [hasState, navigate, location.pathname, location.search]);

  // The post just scheduled is listed even if the list was read before it was stored.
  useEffect(() => {
    if (!justScheduled || list.status !== 'ready') return;
    setItems((items) => (items.some((s) => s.id === justScheduled.id) ? items : [justScheduled, ...items]));
  }, [justScheduled, list.status, setItems]);

  return (
    <section className="settings-section scheduled-settings">
      <h1 className="page-title" ref={titleRef} tabIndex={-1}>
        Scheduled posts
      </h1>
      <p className="success-message" role="status">
        {announcement}
      </p>
      {list.status === 'loading' ? (
        <Loading />
      ) : list.status === 'error' ? (
        <LoadError error={list.error} onRetry={list.reload} />
      ) : list.items.length === 0 && !list.hasMore ? (
        <EmptyState title="No scheduled posts">
          <p>Choose “Schedule” when you share a new post to publish it later.</p>
          <p>
            <Link className="button button-primary" to="/compose">
              New post
            </Link>
          </p>
        </EmptyState>
      ) : (
        <>
          <ul className="scheduled-list" aria-label="Your scheduled posts">
            {list.items.map((item) => (
              <ScheduledRow
                key={item.id}
                item={item}
                onRescheduled={(next) => {
                  setItems((items) => items.map((s) => (s.id === next.id ? next : s)));
                  setAnnouncement(`Rescheduled for ${formatScheduledTime(next.scheduled_at)}.`);
                }}
                onDeleted={() => {
                  setItems((items) => items.filter((s) => s.id !== item.id));
                  setAnnouncement('The scheduled post was deleted.');
                  titleRef.current?.focus();
                }}
              />
            ))}
          </ul>
          {list.error ? <ErrorMessage error={list.error} /> : null}
          {list.hasMore && <LoadMoreButton isLoading={list.isLoadingMore} onClick={list.loadMore} />}
        </>
      )}
    </section>
  );
}

function ScheduledRow({ item, onRescheduled, onDeleted }: { item: ScheduledStatus; onRescheduled: (next: ScheduledStatus) => void; onDeleted: () => void }) {
  const titleId = useId();
  const [mode, setMode] = useState<'view' | 'reschedule' | 'delete'>('view');
  const [focusAfter, setFocusAfter] = useState<'reschedule' | 'delete' | null>(null);
  const rescheduleButton = useRef<HTMLButtonElement>(null);
  const deleteButton = useRef<HTMLButtonElement>(null);
  const caption = item.params.text?.trim() ?? '';
  const photos = item.media_attachments;

  useEffect(() => {
    if (!focusAfter || mode !== 'view') return;
    (focusAfter === 'reschedule' ? rescheduleButton : deleteButton).current?.focus();
    setFocusAfter(null);
  }, [focusAfter, mode]);

  const back = (focus: 'reschedule' | 'delete') => {
    setMode('view');
    setFocusAfter(focus);
  };

  return (
    <li className="scheduled-row" aria-labelledby={titleId}>
      <h2 className="scheduled-time" id={titleId}>
        <span className="muted">Posts on </span>
        <time dateTime={item.scheduled_at}>{formatScheduledTime(item.scheduled_at)}</time>
      </h2>
      {photos.length > 0 && (
        <ul className="scheduled-photos" aria-label={`${photos.length} ${photos.length === 1 ? 'photo' : 'photos'}`}>
          {photos.map((photo) => (
            <li key={photo.id} className="scheduled-photo">
              {photo.preview_url ? <img src={photo.preview_url} alt={photo.description ?? ''} loading="lazy" decoding="async" /> : <span className="scheduled-photo-missing" role="img" aria-label={photo.description || 'Photo'} />}
            </li>
          ))}
        </ul>
      )}
      <p className={`scheduled-caption${caption ? '' : ' muted'}`}>{caption || 'No caption'}</p>
      {mode === 'reschedule' ? (
        <RescheduleForm
          item={item}
          onCancel={() => back('reschedule')}
          onSaved={(next) => {
            onRescheduled(next);
            back('reschedule');
          }}
        />
      ) : mode === 'delete' ? (
        <DeleteScheduled item={item} onCancel={() => back('delete')} onDeleted={onDeleted} />
      ) : (
        <div className="scheduled-actions">
          <button ref={rescheduleButton} type="button" className="button button-secondary button-small" aria-describedby={titleId} onClick={() => setMode('reschedule')}>
            Reschedule
          </button>
          <button ref={deleteButton} type="button" className="button button-secondary button-small" aria-describedby={titleId} onClick={() => setMode('delete')}>
            Delete
          </button>
        </div>
      )}
    </li>
  );
}

function RescheduleForm({ item, onCancel, onSaved }: { item: ScheduledStatus; onCancel: () => void; onSaved: (next: ScheduledStatus) => void }) {
  const api = useApi();
  const inputId = useId();
  const hintId = useId();
  const [value, setValue] = useState(() => toLocalInputValue(new Date(item.scheduled_at)));
  const { submit, isSubmitting: isSaving, error } = useFormSubmit(
    () => {
      const problem = scheduleProblem(value);
      if (problem) throw new Error(problem);
      return reschedule(api, item.id, localInputToIso(value)!);
    },
    { onSuccess: onSaved },
  );

  return (
    <form className="scheduled-reschedule" aria-label="Reschedule" onSubmit={submit} noValidate>
      <div className="field">
        <label className="field-label" htmlFor={inputId}>
          New date and time
        </label>
        <input
          id={inputId}
          type="datetime-local"
          className="field-input"
          min={toLocalInputValue(earliestScheduleTime())}
          step={60}
          required
          autoFocus
          value={value}
          aria-describedby={hintId}
          aria-invalid={error ? true : undefined}
          onChange={(e) => setValue(e.target.value)}
        />
        <p className="field-hint" id={hintId}>
          In your time zone ({localTimeZone()}), at least 5 minutes from now.
        </p>
      </div>
      <ErrorMessage error={error} />
      <div className="scheduled-actions">
        <button type="submit" className="button button-primary button-small" disabled={isSaving} aria-busy={isSaving}>
          Save
        </button>
        <button type="button" className="button button-secondary button-small" onClick={onCancel} disabled={isSaving}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function DeleteScheduled({ item, onCancel, onDeleted }: { item: ScheduledStatus; onCancel: () => void; onDeleted: () => void }) {
  const api = useApi();
  const [isBusy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      await cancelScheduled(api, item.id);
      onDeleted();
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  return (
    <div className="scheduled-delete-confirm" role="group" aria-label="Delete this scheduled post?">
      <span>Delete this scheduled post? It will not be shared.</span>
      <button type="button" className="button button-danger button-small" onClick={confirm} disabled={isBusy} aria-busy={isBusy} autoFocus>
        Delete scheduled post
      </button>
      <button type="button" className="button button-secondary button-small" onClick={onCancel} disabled={isBusy}>
        Cancel
      </button>
      <ErrorMessage error={error} />
    </div>
  );
}
