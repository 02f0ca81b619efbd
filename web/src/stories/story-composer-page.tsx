import { useEffect, useId, useRef, useState, type ChangeEvent, type KeyboardEvent, type PointerEvent, type RefObject } from 'react';
import { Link, useNavigate } from 'react-router';
import { isAbort, messageOf } from '../api/api-client.ts';
import { useApi } from '../api/api-context.tsx';
import type { Account, MediaAttachment } from '../api/mastodon-types.ts';
import { updateMediaDescription, uploadMedia, waitUntilProcessed } from '../api/media-api.ts';
import { displayNameOf } from '../ui/account-name.ts';
import { Avatar } from '../ui/avatar.tsx';
import { ErrorMessage } from '../ui/feedback.tsx';
import { useDocumentTitle } from '../ui/use-document-title.ts';
import { useFormSubmit } from '../ui/use-form-submit.ts';
import { createStory, STORY_FONTS, STORY_LIMITS, type StoryAlign, type StoryAudience, type StoryFont } from './stories-api.ts';
import {
  canAddLayer,
  FONT_NAMES,
  isTextTooLong,
  movedBy,
  movedTo,
  newMentionLayer,
  newTextLayer,
  PALETTE,
  textColours,
  toOverlays,
  type Layer,
  type TextLayer,
} from './story-draft.ts';
import { fontClass, mentionLabel, overlayPosition, textAppearance } from './story-overlays.tsx';
import { usePeopleSearch } from './use-people-search.ts';
import './stories.css';

const MAX_UPLOAD_BYTES = 16 * 1024 * 1024;
const ALT_LIMIT = 1500;

interface DraftPhoto {
  file: File;
  previewUrl: string;
  phase: 'uploading' | 'processing' | 'ready' | 'failed';
  progress: number;
  media: MediaAttachment | null;
  error: string | null;
}

function objectUrl(file: File): string {
  return typeof URL.createObjectURL === 'function' ? URL.createObjectURL(file) : '';
}

function revoke(url: string): void {
  if (url && typeof URL.revokeObjectURL === 'function') URL.revokeObjectURL(url);
}

/** One photo: uploaded as soon as it is chosen, then polled until the server has processed it. */
function useStoryPhoto() {
  const api = useApi();
  const [photo, setPhoto] = useState<DraftPhoto | null>(null);
  const controller = useRef<AbortController | null>(null);
  const previewRef = useRef('');

  useEffect(
    () => () => {
      controller.current?.abort();
      revoke(previewRef.current);
    },
    [],
  );

  const choose = (file: File): string | null => {
    if (!file.type.startsWith('image/')) return `${file.name} is not a photo.`;
    if (file.size > MAX_UPLOAD_BYTES) return `${file.name} is larger than 16 MB.`;
    controller.current?.abort();
    revoke(previewRef.current);
    const running = new AbortController();
    controller.current = running;
    const previewUrl = objectUrl(file);
    previewRef.current = previewUrl;
    setPhoto({ file, previewUrl, phase: 'uploading', progress: 0, media: null, error: null });
    const patch = (change: Partial<DraftPhoto>) => {
      if (!running.signal.aborted) setPhoto((current) => (current && current.previewUrl === previewUrl ? { ...current, ...change } : current));
    };
    void (async () => {
      try {
        const uploaded = await uploadMedia(api, file, { signal: running.signal, onProgress: (f) => patch({ progress: Math.round(f * 100) }) });
        patch({ progress: 100, media: uploaded.media, phase: uploaded.isReady ? 'ready' : 'processing' });
        if (uploaded.isReady) return;
        const processed = await waitUntilProcessed(api, uploaded.media.id, running.signal);
        patch({ media: processed, phase: 'ready' });
      } catch (error) {
        if (!isAbort(error)) patch({ phase: 'failed', error: messageOf(error) });
      }
    })();
    return null;
  };

  return { photo, choose };
}

/**
 * `/stories/new`: pick a photo, put text layers (colour, background, font, alignment) and
 * mention stickers on it, drag them into place (or move them with the arrow keys), choose
 * who sees it, and share.
 */
export function StoryComposerPage() {
  useDocumentTitle('New story');
  const api = useApi();
  const navigate = useNavigate();
  const fileId = useId();
  const { photo, choose } = useStoryPhoto();
  const [fileProblem, setFileProblem] = useState<string | null>(null);
  const [layers, setLayers] = useState<Layer[]>([]);
  const [selectedKey, setSelectedKey] = useState<string | null>(null);
  const [isMentioning, setMentioning] = useState(false);
  const [audience, setAudience] = useState<StoryAudience>('followers');
  const [alt, setAlt] = useState('');
  const [aspect, setAspect] = useState(9 / 16);
  const { submit: share, isSubmitting: isSharing, error: shareError } = useFormSubmit(
    async () => {
      // The form sends only once the photo is uploaded.
      const mediaId = photo!.media!.id;
      if (alt.trim()) await updateMediaDescription(api, mediaId, alt.trim());
      await createStory(api, { media_id: mediaId, audience, overlays: toOverlays(layers) });
    },
    {
      onSuccess: () => {
        navigate('/', { replace: true });
      },
    },
  );
  const textRef = useRef<HTMLTextAreaElement>(null);
  const [focusText, setFocusText] = useState(0);

  useEffect(() => {
    if (focusText) textRef.current?.focus();
  }, [focusText]);

  const selected = layers.find((l) => l.key === selectedKey) ?? null;
  const isFull = !canAddLayer(layers);
  const hasTooLong = layers.some(isTextTooLong);
  const canShare = photo?.phase === 'ready' && photo.media !== null && !hasTooLong && !isSharing;

  const update = (key: string, change: (layer: Layer) => Layer) => setLayers((current) => current.map((l) => (l.key === key ? change(l) : l)));
  const remove = (key: string) => {
    setLayers((current) => current.filter((l) => l.key !== key));
    if (selectedKey === key) setSelectedKey(null);
  };

  const onFile = (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (!file) return;
    setFileProblem(choose(file));
  };

  const addText = () => {
    if (isFull) return;
    const layer = newTextLayer();
    setLayers((current) => [...current, layer]);
    setSelectedKey(layer.key);
    setMentioning(false);
    setFocusText((n) => n + 1);
  };

  const addMention = (account: Account) => {
    if (isFull) return;
    const layer = newMentionLayer(account);
    setLayers((current) => [...current, layer]);
    setSelectedKey(layer.key);
    setMentioning(false);
  };

  return (
    <div className="page story-composer">
      <div className="story-composer-header">
        <h1 className="page-title">New story</h1>
        <Link to="/" className="button button-secondary button-small">
          Cancel
        </Link>
      </div>
      <form className="story-composer-form" onSubmit={(event) => (canShare ? share(event) : event.preventDefault())} noValidate>
        <div className="composer-photo-picker">
          <input id={fileId} className="visually-hidden composer-file" type="file" accept="image/jpeg,image/png,image/webp,image/gif,image/heic,image/heif" onChange={onFile} />
          <label htmlFor={fileId} className="button button-secondary composer-file-label">
            Story photo
          </label>
          <span className="field-hint">{photo ? 'Choose another photo to replace it.' : 'Choose the photo for your story.'}</span>
        </div>
        <ErrorMessage>{fileProblem}</ErrorMessage>
        {photo && (
          <>
            <UploadState photo={photo} />
            <div className="composer-stage">
              <div className="story-picture composer-picture" style={{ aspectRatio: `${aspect}`, width: `min(100%, 420px, calc(70vh * ${aspect}))` }} data-testid="story-canvas">
                <img
                  className="story-photo"
                  src={photo.previewUrl || undefined}
                  alt={alt.trim() || 'Your story photo'}
                  draggable={false}
                  onLoad={(e) => {
                    const img = e.currentTarget;
                    if (img.naturalWidth > 0 && img.naturalHeight > 0) setAspect(img.naturalWidth / img.naturalHeight);
                  }}
                  onPointerDown={() => setSelectedKey(null)}
                />
                <div className="story-overlays composer-layers">
                  {layers.map((layer, i) => (
                    <DraggableLayer
                      key={layer.key}
                      layer={layer}
                      number={i + 1}
                      isSelected={layer.key === selectedKey}
                      onSelect={() => setSelectedKey(layer.key)}
                      onMove={(x, y) => update(layer.key, (l) => movedTo(l, x, y))}
                      onNudge={(dx, dy) => update(layer.key, (l) => movedBy(l, dx, dy))}
                      onRemove={() => remove(layer.key)}
                    />
                  ))}
                </div>
              </div>
            </div>
            <p className="field-hint" id={`${fileId}-layers-hint`}>
              Drag a layer to move it, or focus it and use the arrow keys (Shift for bigger steps).
            </p>
            <div className="composer-tools">
              <button type="button" className="button button-secondary" onClick={addText} disabled={isFull}>
                Add text
              </button>
              <button type="button" className="button button-secondary" onClick={() => setMentioning((m) => !m)} disabled={isFull} aria-expanded={isMentioning}>
                Add mention
              </button>
              <span className="field-hint composer-count">
                {layers.length}/{STORY_LIMITS.overlays} layers
              </span>
            </div>
            {isFull && <p className="field-hint">A story can have at most {STORY_LIMITS.overlays} layers.</p>}
            {isMentioning && !isFull && <MentionPicker exclude={layers.flatMap((l) => (l.type === 'mention' ? [l.account.id] : []))} onPick={addMention} onCancel={() => setMentioning(false)} />}
            {selected && (
              <LayerEditor
                key={selected.key}
                layer={selected}
                number={layers.indexOf(selected) + 1}
                textRef={textRef}
                onChange={(change) => update(selected.key, change)}
                onRemove={() => remove(selected.key)}
                onDone={() => setSelectedKey(null)}
              />
            )}
            <div className="field">
              <label className="field-label" htmlFor={`${fileId}-alt`}>
                Alt text
              </label>
              <input id={`${fileId}-alt`} className="field-input" dir="auto" maxLength={ALT_LIMIT} value={alt} onChange={(e) => setAlt(e.target.value)} aria-describedby={`${fileId}-alt-hint`} />
              <p className="field-hint" id={`${fileId}-alt-hint`}>
                Describe the photo for people who can&rsquo;t see it. The words of your text layers are read out too.
              </p>
            </div>
            <fieldset className="composer-audience">
              <legend className="field-label">Audience</legend>
              <label className="composer-radio">
                <input type="radio" name="audience" value="followers" checked={audience === 'followers'} onChange={() => setAudience('followers')} />
                Followers
              </label>
              <label className="composer-radio">
                <input type="radio" name="audience" value="close_friends" checked={audience === 'close_friends'} onChange={() => setAudience('close_friends')} />
                Close friends
              </label>
            </fieldset>
          </>
        )}
        <ErrorMessage error={shareError} />
        <div className="composer-submit">
          <button type="submit" className="button button-primary" disabled={!canShare} aria-busy={isSharing}>
            {isSharing ? 'Sharing…' : 'Share to story'}
          </button>
        </div>
      </form>
    </div>
  );
}

function UploadState({ photo }: { photo: DraftPhoto }) {
  if (photo.phase === 'failed') return <ErrorMessage>{photo.error ?? 'The photo could not be uploaded.'}</ErrorMessage>;
  if (photo.phase === 'ready') return null;
  return (
    <p className="field-hint" role="status">
      {photo.phase === 'uploading' ? (
        <>
          Uploading… <progress max={100} value={photo.progress} aria-label="Upload progress" />
        </>
      ) : (
        'Processing the photo…'
      )}
    </p>
  );
}

const STEP = 0.01;
const BIG_STEP = 0.05;

/** A layer on the preview: dragged with a pointer, or moved with the arrow keys once focused. */
function DraggableLayer({
  layer,
  number,
  isSelected,
  onSelect,
  onMove,
  onNudge,
  onRemove,
}: {
  layer: Layer;
  number: number;
  isSelected: boolean;
  onSelect: () => void;
  onMove: (x: number, y: number) => void;
  onNudge: (dx: number, dy: number) => void;
  onRemove: () => void;
}) {
  const drag = useRef<{ id: number; startX: number; startY: number; x: number; y: number; width: number; height: number } | null>(null);

  const onPointerDown = (event: PointerEvent<HTMLDivElement>) => {
    if (event.button !== 0) return;
    const picture = event.currentTarget.closest('.composer-picture');
    const rect = picture?.getBoundingClientRect();
    onSelect();
    if (!rect || rect.width === 0 || rect.height === 0) return;
    event.preventDefault();
    event.currentTarget.focus();
    event.currentTarget.setPointerCapture?.(event.pointerId);
    drag.current = { id: event.pointerId, startX: event.clientX, startY: event.clientY, x: layer.x, y: layer.y, width: rect.width, height: rect.height };
  };
  const onPointerMove = (event: PointerEvent<HTMLDivElement>) => {
    const d = drag.current;
    if (!d || d.id !== event.pointerId) return;
    onMove(d.x + (event.clientX - d.startX) / d.width, d.y + (event.clientY - d.startY) / d.height);
  };
  const endDrag = (event: PointerEvent<HTMLDivElement>) => {
    if (drag.current?.id === event.pointerId) drag.current = null;
  };
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const step = event.shiftKey ? BIG_STEP : STEP;
    const moves: Record<string, [number, number]> = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] };
    const move = moves[event.key];
    if (move) {
      event.preventDefault();
      onNudge(move[0], move[1]);
    } else if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      onSelect();
    } else if (event.key === 'Delete' || event.key === 'Backspace') {
      event.preventDefault();
      onRemove();
    }
  };

  const where = `at ${Math.round(layer.x * 100)}% across, ${Math.round(layer.y * 100)}% down`;
  const label = layer.type === 'text' ? `Text layer ${number}: ${layer.text.trim() || 'empty'}, ${where}` : `Mention ${mentionLabel(layer.account)}, ${where}`;
  return (
    <div
      role="button"
      tabIndex={0}
      aria-label={label}
      aria-pressed={isSelected}
      className={`composer-layer${isSelected ? ' is-selected' : ''}`}
      style={overlayPosition(layer)}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={endDrag}
      onPointerCancel={endDrag}
      onKeyDown={onKeyDown}
      onFocus={onSelect}
    >
      {layer.type === 'text' ? (
        <p dir="auto" className={`story-text ${fontClass(layer.font)}${layer.hasBackground ? ' has-background' : ''}`} style={textAppearance({ ...textColours(layer), align: layer.align })}>
          {layer.text || '\u00a0'}
        </p>
      ) : (
        <span className="story-mention" dir="ltr">
          {mentionLabel(layer.account)}
        </span>
      )}
    </div>
  );
}

function LayerEditor({
  layer,
  number,
  textRef,
  onChange,
  onRemove,
  onDone,
}: {
  layer: Layer;
  number: number;
  textRef: RefObject<HTMLTextAreaElement | null>;
  onChange: (change: (layer: Layer) => Layer) => void;
  onRemove: () => void;
  onDone: () => void;
}) {
  const id = useId();
  const setText = (change: Partial<TextLayer>) => onChange((l) => (l.type === 'text' ? { ...l, ...change } : l));
  return (
    <section className="layer-editor" aria-label={layer.type === 'text' ? `Edit text layer ${number}` : `Edit mention ${mentionLabel(layer.account)}`}>
      {layer.type === 'text' && (
        <>
          <div className="field">
            <label className="field-label" htmlFor={`${id}-text`}>
              Story text
            </label>
            <textarea
              id={`${id}-text`}
              ref={textRef}
              className="field-input field-textarea"
              dir="auto"
              rows={2}
              maxLength={STORY_LIMITS.text}
              value={layer.text}
              aria-invalid={isTextTooLong(layer) || undefined}
              aria-describedby={`${id}-count`}
              onChange={(e) => setText({ text: e.target.value })}
            />
            <p className={`field-hint${isTextTooLong(layer) ? ' field-error' : ''}`} id={`${id}-count`}>
              {layer.text.length}/{STORY_LIMITS.text} characters
            </p>
          </div>
          <div className="layer-colours" role="group" aria-label="Colour">
            {PALETTE.map((c) => (
              <button
                key={c.value}
                type="button"
                className="layer-colour"
                aria-label={c.name}
                aria-pressed={layer.colour === c.value}
                style={{ backgroundColor: c.value }}
                onClick={() => setText({ colour: c.value })}
              />
            ))}
          </div>
          <div className="layer-options">
            <label className="composer-check">
              <input type="checkbox" checked={layer.hasBackground} onChange={(e) => setText({ hasBackground: e.target.checked, ...(e.target.checked ? { hasOutline: false } : {}) })} />
              Background
            </label>
            <label className="composer-check">
              <input type="checkbox" checked={layer.hasOutline} onChange={(e) => setText({ hasOutline: e.target.checked, ...(e.target.checked ? { hasBackground: false } : {}) })} />
              Outline
            </label>
            <label className="composer-select">
              <span>Font</span>
              <select className="field-input" value={layer.font} onChange={(e) => setText({ font: e.target.value as StoryFont })}>
                {STORY_FONTS.map((font) => (
                  <option key={font} value={font}>
                    {FONT_NAMES[font]}
                  </option>
                ))}
              </select>
            </label>
            <div className="layer-align" role="group" aria-label="Alignment">
              {(['left', 'center', 'right'] as StoryAlign[]).map((align) => (
                <button key={align} type="button" className="button button-secondary button-small" aria-pressed={layer.align === align} onClick={() => setText({ align })}>
                  {align === 'left' ? 'Left' : align === 'center' ? 'Centre' : 'Right'}
                </button>
              ))}
            </div>
          </div>
        </>
      )}
      <div className="layer-options">
        <label className="composer-range">
          <span>Size</span>
          <input type="range" min={0.5} max={3} step={0.1} value={layer.scale} onChange={(e) => onChange((l) => ({ ...l, scale: Number(e.target.value) }))} />
        </label>
        <label className="composer-range">
          <span>Rotation</span>
          <input type="range" min={-180} max={180} step={1} value={layer.rotation} onChange={(e) => onChange((l) => ({ ...l, rotation: Number(e.target.value) }))} />
        </label>
      </div>
      <div className="layer-actions">
        <button type="button" className="button button-secondary button-small" onClick={onRemove}>
          Remove layer
        </button>
        <button type="button" className="button button-link button-small" onClick={onDone}>
          Done
        </button>
      </div>
    </section>
  );
}

function MentionPicker({ exclude, onPick, onCancel }: { exclude: string[]; onPick: (account: Account) => void; onCancel: () => void }) {
  const id = useId();
  const [text, setText] = useState('');
  const { accounts, isSearching, error } = usePeopleSearch(text);
  const results = accounts.filter((a) => !exclude.includes(a.id));
  return (
    <div className="mention-picker">
      <label className="field-label" htmlFor={id}>
        Mention someone
      </label>
      <input
        id={id}
        className="field-input"
        type="search"
        autoComplete="off"
        autoCapitalize="none"
        spellCheck={false}
        autoFocus
        maxLength={100}
        placeholder="Search by name or username"
        value={text}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.preventDefault();
            onCancel();
          } else if (e.key === 'Enter') {
            e.preventDefault();
            if (results[0]) onPick(results[0]);
          }
        }}
      />
      {error ? <ErrorMessage error={error} /> : null}
      {text.trim() && !isSearching && results.length === 0 && !error && <p className="field-hint">Nobody found.</p>}
      {results.length > 0 && (
        <ul className="mention-results" aria-label="People to mention">
          {results.map((account) => (
            <li key={account.id}>
              <button type="button" className="mention-result" onClick={() => onPick(account)}>
                <Avatar account={account} size="small" />
                <span className="mention-result-name">{displayNameOf(account)}</span>
                <span className="mention-result-handle">{mentionLabel(account)}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
