import { useEffect, useId, useRef, useState, type ChangeEvent, type CSSProperties, type FormEvent } from 'react';
import { DndContext, KeyboardSensor, PointerSensor, closestCenter, useSensor, useSensors, type DragEndEvent } from '@dnd-kit/core';
import { SortableContext, rectSortingStrategy, sortableKeyboardCoordinates, useSortable } from '@dnd-kit/sortable';
import { useNavigate } from 'react-router';
import { useApi } from '../api/api-context.tsx';
import type { CommentPolicy } from '../api/mastodon-types.ts';
import { updateMediaDescription } from '../api/media-api.ts';
import { createStatus, type NewPhotoTag, type NewPost } from '../api/statuses-api.ts';
import type { FeedState } from '../feed/home-page.tsx';
import { isCommentPolicy } from '../comments/comment-policy.ts';
import { fetchCommentSettings } from '../comments/comments-api.ts';
import { ScheduleField } from '../scheduled/schedule-field.tsx';
import { localInputToIso, SCHEDULED_PAGE, scheduleProblem, schedulePost } from '../scheduled/scheduled-api.ts';
import type { ScheduledState } from '../scheduled/scheduled-page.tsx';
import { ErrorMessage } from '../ui/feedback.tsx';
import { CheckboxField } from '../ui/form-fields.tsx';
import { CameraIcon } from '../ui/icons.tsx';
import { croppedName, renderCrop } from '../ui/crop-math.ts';
import { useDocumentTitle } from '../ui/use-document-title.ts';
import { useFormSubmit } from '../ui/use-form-submit.ts';
import { MentionTextarea } from './mention-textarea.tsx';
import { PhotoEditor } from './photo-editor.tsx';
import { aspectRatio, filterCss, limitsFor, type AspectId, type PhotoDraft } from './photo-edits.ts';
import { PhotoTagger } from './photo-tagger.tsx';
import { MAX_PHOTOS, usePhotoUploads, type ComposerPhoto, type PhotoUploads } from './use-photo-uploads.ts';
import './compose.css';

export const CAPTION_LIMIT = 2200;
export const ALT_TEXT_LIMIT = 1500;

export const COMMENT_POLICY_OPTIONS: Array<{ value: CommentPolicy; label: string }> = [
  { value: 'everyone', label: 'Everyone' },
  { value: 'followers', label: 'Followers' },
  { value: 'following', label: 'People you follow' },
  { value: 'followers_and_following', label: 'Followers and people you follow' },
  { value: 'nobody', label: 'Nobody' },
];

/** 128 random bits as hex; crypto.getRandomValues works outside secure contexts too. */
let nextDraft = 0;

export function newIdempotencyKey(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** New post: 1–20 photos, each with alt text and tags, a caption, and who may comment. */
export function ComposePage() {
  useDocumentTitle('New post');
  const api = useApi();
  const navigate = useNavigate();
  const uploads = usePhotoUploads();
  const { photos } = uploads;
  const [caption, setCaption] = useState('');
  const [hideLikeCount, setHideLikeCount] = useState(false);
  const [commentPolicy, setCommentPolicy] = useState<CommentPolicy>('everyone');
  // The account's default (Settings → Comments) until the person picks another.
  const policyTouched = useRef(false);
  useEffect(() => {
    const controller = new AbortController();
    fetchCommentSettings(api, controller.signal).then(
      (settings) => {
        if (!policyTouched.current && isCommentPolicy(settings.default_comment_policy)) setCommentPolicy(settings.default_comment_policy);
      },
      () => {},
    );
    return () => controller.abort();
  }, [api]);
  const [taggingKey, setTaggingKey] = useState<string | null>(null);
  // Chosen photos wait here for their crop and filter; only the result is uploaded.
  const [drafts, setDrafts] = useState<PhotoDraft[]>([]);
  const [aspect, setAspect] = useState<AspectId>('square');
  const [isRendering, setRendering] = useState(false);
  const draftsRef = useRef(drafts);
  draftsRef.current = drafts;
  useEffect(() => () => draftsRef.current.forEach((d) => d.url && URL.revokeObjectURL?.(d.url)), []);
  const [notice, setNotice] = useState<string | null>(null);
  // Schedule: null shares now; otherwise the chosen time as a datetime-local value (local time).
  const [scheduleAt, setScheduleAt] = useState<string | null>(null);
  // One key per compose attempt: pressing Share again after a lost answer cannot post twice.
  const [idempotencyKey] = useState(newIdempotencyKey);
  const fileInputId = useId();
  const policyId = useId();
  const shareHintId = useId();

  // A time that can't be used, said at once in place of the form's error.
  const [scheduleIssue, setScheduleIssue] = useState<string | null>(null);
  const { submit, isSubmitting: isSharing, error } = useFormSubmit(
    async () => {
      // Alt text is typed while the photo uploads; it is saved on the media just before posting.
      await Promise.all(
        photos.map((photo) => {
          const alt = photo.alt.trim();
          return alt !== (photo.media!.description ?? '') ? updateMediaDescription(api, photo.media!.id, alt) : null;
        }),
      );
      const mediaTags: NewPhotoTag[] = photos.flatMap((photo) => photo.tags.map((tag) => ({ media_id: photo.media!.id, account_id: tag.account.id, x: tag.x, y: tag.y })));
      const post: NewPost = {
        status: caption,
        media_ids: photos.map((photo) => photo.media!.id),
        hide_like_count: hideLikeCount,
        comment_policy: commentPolicy,
        ...(mediaTags.length > 0 ? { media_tags: mediaTags } : {}),
      };
      if (scheduleAt !== null) return { scheduled: await schedulePost(api, post, localInputToIso(scheduleAt)!, idempotencyKey) };
      return { posted: await createStatus(api, post, idempotencyKey) };
    },
    {
      onSuccess: (done) => {
        if ('scheduled' in done) navigate(SCHEDULED_PAGE, { state: { scheduled: done.scheduled } satisfies ScheduledState });
        else navigate('/', { state: { posted: done.posted } satisfies FeedState });
      },
    },
  );

  const tagging = photos.find((p) => p.key === taggingKey) ?? null;
  const pending = photos.filter((p) => p.phase === 'uploading' || p.phase === 'processing').length;
  const failed = photos.filter((p) => p.phase === 'failed').length;
  const canShare = uploads.isAllReady && drafts.length === 0 && !isSharing && caption.length <= CAPTION_LIMIT;
  const room = MAX_PHOTOS - photos.length - drafts.length;

  const onFiles = (event: ChangeEvent<HTMLInputElement>) => {
    const files = Array.from(event.target.files ?? []);
    event.target.value = '';
    if (files.length === 0) return;
    const photosOnly = files.filter((file) => file.type.startsWith('image/'));
    const problems = files.filter((file) => !file.type.startsWith('image/')).map((file) => `${file.name} is not a photo.`);
    if (photosOnly.length > room) problems.push(`A post can have at most ${MAX_PHOTOS} photos.`);
    setNotice(problems.length > 0 ? problems.join(' ') : null);
    const added = photosOnly.slice(0, Math.max(0, room)).map((file) => ({ key: `draft-${++nextDraft}`, file, url: typeof URL.createObjectURL === 'function' ? URL.createObjectURL(file) : '', area: null, percentages: null, filter: 'normal' as const }));
    if (added.length > 0) setDrafts((current) => [...current, ...added]);
  };

  const cancelDrafts = () => {
    drafts.forEach((d) => d.url && URL.revokeObjectURL?.(d.url));
    setDrafts([]);
  };

  // Crop and filter each photo on a canvas, then upload what came out.
  const addDrafts = async () => {
    setRendering(true);
    try {
      const ratio = aspectRatio(aspect);
      const limits = limitsFor(ratio);
      const files = await Promise.all(
        drafts.map(async (draft) => {
          const blob = await renderCrop(draft.url, draft.area, { ...limits, aspect: ratio, filter: filterCss(draft.filter), type: 'image/jpeg' });
          return new File([blob], croppedName(draft.file.name, 'image/jpeg'), { type: 'image/jpeg' });
        }),
      );
      const problem = uploads.add(files);
      if (problem) setNotice(problem);
      cancelDrafts();
    } catch (err) {
      setNotice(err instanceof Error ? err.message : 'The photos could not be prepared.');
    } finally {
      setRendering(false);
    }
  };

  const share = (event: FormEvent) => {
    event.preventDefault();
    if (!canShare) return;
    const issue = scheduleAt === null ? null : scheduleProblem(scheduleAt);
    setScheduleIssue(issue);
    if (!issue) submit();
  };

  return (
    <div className="page page-narrow compose-page">
      <h1 className="page-title">New post</h1>
      <form className="compose-form" onSubmit={share} noValidate>
        <section className="compose-section" aria-label="Photos">
          <div className="compose-picker">
            <input id={fileInputId} className="visually-hidden compose-file-input" type="file" accept="image/*" multiple onChange={onFiles} disabled={room <= 0 || isRendering} />
            <label htmlFor={fileInputId} className={`button button-secondary compose-file-label${room <= 0 ? ' is-disabled' : ''}`}>
              <CameraIcon />
              Add photos
            </label>
            <span className="field-hint">
              {photos.length}/{MAX_PHOTOS} photos
            </span>
          </div>
          {notice && (
            <p className="error-message" role="alert">
              {notice}
            </p>
          )}
          {drafts.length > 0 && (
            <PhotoEditor
              drafts={drafts}
              aspect={aspect}
              isAspectLocked={photos.length > 0}
              isBusy={isRendering}
              onAspect={(next) => {
                // A crop chosen for another shape no longer fits: each photo starts centred again.
                setAspect(next);
                setDrafts((current) => current.map((d) => ({ ...d, area: null, percentages: null })));
              }}
              onChange={(key, change) => setDrafts((current) => current.map((d) => (d.key === key ? { ...d, ...change } : d)))}
              onDone={addDrafts}
              onCancel={cancelDrafts}
            />
          )}
          {photos.length === 0 ? (
            drafts.length === 0 && 
<p className="compose-empty muted">Choose up to {MAX_PHOTOS} photos. They upload while you write the caption.</p>
          ) : (
            <PhotoList uploads={uploads} taggingKey={taggingKey} onTag={(key) => setTaggingKey((current) => (current === key ? null : key))} />
          )}
        </section>

        {tagging && (
          <PhotoTagger
            key={tagging.key}
            photo={tagging}
            number={photos.indexOf(tagging) + 1}
            onAdd={(tag) => uploads.addTag(tagging.key, tag)}
            onRemove={(accountId) => uploads.removeTag(tagging.key, accountId)}
            onDone={() => setTaggingKey(null)}
          />
        )}

        <MentionTextarea label="Caption" value={caption} onChange={setCaption} maxLength={CAPTION_LIMIT} hint="Type @ to mention someone." />

        <CheckboxField label="Hide like count" hint="Only you will see how many people liked this post." checked={hideLikeCount} onChange={(e) => setHideLikeCount(e.target.checked)} />

        <div className="field">
          <label className="field-label" htmlFor={policyId}>
            Who can comment
          </label>
          <select
            id={policyId}
            className="field-input"
            value={commentPolicy}
            onChange={(e) => {
              policyTouched.current = true;
              setCommentPolicy(e.target.value as CommentPolicy);
            }}
          >
            {COMMENT_POLICY_OPTIONS.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </select>
        </div>

        <ScheduleField value={scheduleAt} onChange={setScheduleAt} />

        <ErrorMessage error={error}>{scheduleIssue}</ErrorMessage>
        <div className="compose-submit">
          <button type="submit" className="button button-primary" disabled={!canShare} aria-busy={isSharing} aria-describedby={shareHintId}>
            {scheduleAt !== null ? (isSharing ? 'Scheduling…' : 'Schedule post') : isSharing ? 'Sharing…' : 'Share'}
          </button>
          <span id={shareHintId} className="field-hint" role="status">
            {drafts.length > 0
              ? 'Finish cropping the chosen photos first.'
              : photos.length === 0
              ? 'Add at least one photo.'
              : failed > 0
                ? 'Remove or retry the photos that failed.'
                : pending > 0
                  ? `Waiting for ${pending} ${pending === 1 ? 'photo' : 'photos'} to finish uploading…`
                  : ''}
          </span>
        </div>
      </form>
    </div>
  );
}

/** The chosen photos in post order: progress, reorder (buttons or dragging), remove, alt text. */
function PhotoList({ uploads, taggingKey, onTag }: { uploads: PhotoUploads; taggingKey: string | null; onTag: (key: string) => void }) {
  const { photos } = uploads;
  const [announcement, setAnnouncement] = useState('');
  const [focusAfterMove, setFocusAfterMove] = useState<{ key: string; direction: 'left' | 'right' } | null>(null);
  const buttons = useRef(new Map<string, { left: HTMLButtonElement | null; right: HTMLButtonElement | null }>());
  // Drag by pointer (after a few pixels, so a tap stays a tap) or by keyboard: Space, arrows, Space.
  const sensors = useSensors(useSensor(PointerSensor, { activationConstraint: { distance: 6 } }), useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }));
  const numberOf = (id: string | number) => photos.findIndex((p) => p.key === id) + 1;

  // After a move the pressed button keeps focus, or its twin when it reached the end.
  useEffect(() => {
    if (!focusAfterMove) return;
    const pair = buttons.current.get(focusAfterMove.key);
    const wanted = focusAfterMove.direction === 'left' ? pair?.left : pair?.right;
    const other = focusAfterMove.direction === 'left' ? pair?.right : pair?.left;
    (wanted && !wanted.disabled ? wanted : other)?.focus();
    setFocusAfterMove(null);
  }, [focusAfterMove, photos]);

  const move = (photo: ComposerPhoto, direction: 'left' | 'right') => {
    const from = photos.indexOf(photo);
    const to = from + (direction === 'left' ? -1 : 1);
    if (to < 0 || to >= photos.length) return;
    uploads.move(photo.key, direction === 'left' ? -1 : 1);
    setAnnouncement(`Photo moved to position ${to + 1} of ${photos.length}.`);
    setFocusAfterMove({ key: photo.key, direction });
  };

  const onDragEnd = ({ active, over }: DragEndEvent) => {
    if (!over || active.id === over.id) return;
    const to = photos.findIndex((p) => p.key === over.id);
    uploads.moveTo(String(active.id), to);
    setAnnouncement(`Photo moved to position ${to + 1} of ${photos.length}.`);
  };

  return (
    <DndContext
      sensors={sensors}
      collisionDetection={closestCenter}
      onDragEnd={onDragEnd}
      accessibility={{
        screenReaderInstructions: { draggable: 'To move a photo, press Space, then the arrow keys, then Space again to drop it, or Escape to cancel.' },
        announcements: {
          onDragStart: ({ active }) => `Picked up photo ${numberOf(active.id)}.`,
          onDragOver: ({ active, over }) => (over ? `Photo ${numberOf(active.id)} is over position ${numberOf(over.id)}.` : undefined),
          onDragEnd: ({ active, over }) => (over ? `Photo dropped at position ${numberOf(over.id)}.` : `Photo ${numberOf(active.id)} dropped.`),
          onDragCancel: ({ active }) => `Moving photo ${numberOf(active.id)} was cancelled.`,
        },
      }}
    >
      <SortableContext items={photos.map((p) => p.key)} strategy={rectSortingStrategy}>
      <ol className="compose-photos" aria-label="Chosen photos">
        {photos.map((photo, index) => (
          <PhotoTile
            key={photo.key}
            photo={photo}
            number={index + 1}
            isFirst={index === 0}
            isLast={index === photos.length - 1}
            isTagging={taggingKey === photo.key}
            buttonRefs={(pair) => buttons.current.set(photo.key, pair)}
            onMove={(direction) => move(photo, direction)}
            onRemove={() => {
              buttons.current.delete(photo.key);
              uploads.remove(photo.key);
              setAnnouncement(`Photo ${index + 1} removed.`);
            }}
            onRetry={() => uploads.retry(photo.key)}
            onAlt={(alt) => uploads.setAlt(photo.key, alt)}
            onTag={() => onTag(photo.key)}
          />
        ))}
      </ol>
      </SortableContext>
      <p className="visually-hidden" aria-live="polite">
        {announcement}
      </p>
    </DndContext>
  );
}

interface PhotoTileProps {
  photo: ComposerPhoto;
  number: number;
  isFirst: boolean;
  isLast: boolean;
  isTagging: boolean;
  buttonRefs: (pair: { left: HTMLButtonElement | null; right: HTMLButtonElement | null }) => void;
  onMove: (direction: 'left' | 'right') => void;
  onRemove: () => void;
  onRetry: () => void;
  onAlt: (alt: string) => void;
  onTag: () => void;
}

function PhotoTile({ photo, number, isFirst, isLast, isTagging, buttonRefs, onMove, onRemove, onRetry, onAlt, onTag }: PhotoTileProps) {
  const titleId = useId();
  const altId = useId();
  const pair = useRef<{ left: HTMLButtonElement | null; right: HTMLButtonElement | null }>({ left: null, right: null });
  const tagCount = photo.tags.length;
  const { attributes, listeners, setNodeRef, setActivatorNodeRef, transform, transition, isDragging, isOver } = useSortable({ id: photo.key });
  // Set through the style object (CSSOM), which the CSP allows.
  const style: CSSProperties = { transform: transform ? `translate3d(${transform.x}px, ${transform.y}px, 0)` : undefined, transition, zIndex: isDragging ? 2 : undefined };

  return (
    <li ref={setNodeRef} style={style} className={`compose-photo${isOver && !isDragging ? ' is-drop-target' : ''}${isDragging ? ' is-dragging' : ''}`} aria-labelledby={titleId}>
      <div className="compose-photo-preview compose-drag-handle" ref={setActivatorNodeRef} {...attributes} {...listeners} aria-label={`Drag to reorder photo ${number}`} aria-roledescription="sortable photo">
        {photo.previewUrl ? <img src={photo.previewUrl} alt="" draggable={false} /> : <span className="compose-photo-placeholder" aria-hidden="true" />}
        {photo.phase === 'uploading' && (
          <div className="progress" role="progressbar" aria-label={`Uploading photo ${number}`} aria-valuemin={0} aria-valuemax={100} aria-valuenow={photo.progress} aria-valuetext={`${photo.progress}%`}>
            <span className="progress-bar" style={{ width: `${photo.progress}%` }} />
          </div>
        )}
        {photo.phase === 'processing' && <span className="compose-photo-badge">Processing…</span>}
        {tagCount > 0 && (
          <span className="compose-photo-badge compose-photo-tags">
            {tagCount} {tagCount === 1 ? 'person' : 'people'} tagged
          </span>
        )}
      </div>
      <div className="compose-photo-details">
        <p className="compose-photo-title" id={titleId}>
          Photo {number}
          {photo.phase === 'ready' && <span className="visually-hidden"> (uploaded)</span>}
        </p>
        {photo.phase === 'failed' && (
          <div className="compose-photo-error">
            <p className="error-message" role="alert">
              {photo.error ?? 'The upload failed.'}
            </p>
            <button type="button" className="button button-secondary button-small" onClick={onRetry} aria-describedby={titleId}>
              Retry
            </button>
          </div>
        )}
        <div className="compose-photo-actions">
          <button
            ref={(element) => {
              pair.current.left = element;
              buttonRefs(pair.current);
            }}
            type="button"
            className="button button-secondary button-small"
            aria-label="Move left"
            aria-describedby={titleId}
            disabled={isFirst}
            onClick={() => onMove('left')}
          >
            ←
          </button>
          <button
            ref={(element) => {
              pair.current.right = element;
              buttonRefs(pair.current);
            }}
            type="button"
            className="button button-secondary button-small"
            aria-label="Move right"
            aria-describedby={titleId}
            disabled={isLast}
            onClick={() => onMove('right')}
          >
            →
          </button>
          <button type="button" className="button button-secondary button-small" aria-describedby={titleId} aria-expanded={isTagging} onClick={onTag}>
            Tag people
          </button>
          <button type="button" className="button button-link button-small compose-remove" aria-describedby={titleId} onClick={onRemove}>
            Remove
          </button>
        </div>
        <div className="field compose-alt">
          <label className="field-label" htmlFor={altId}>
            Alt text for photo {number}
          </label>
          <textarea
            id={altId}
            className="field-input field-textarea compose-alt-input"
            rows={2}
            maxLength={ALT_TEXT_LIMIT}
            placeholder="Describe this photo for people who can’t see it"
            value={photo.alt}
            onChange={(event) => onAlt(event.target.value)}
          />
        </div>
      </div>
    </li>
  );
}
