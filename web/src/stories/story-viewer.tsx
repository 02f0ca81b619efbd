import { useCallback, useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { Link, useNavigate } from 'react-router';
import { isAbort, messageOf } from '../api/api-client.ts';
import { useApi } from '../api/api-context.tsx';
import type { Account } from '../api/mastodon-types.ts';
import { useSession } from '../auth/session-context.tsx';
import { AccountRow } from '../ui/account-row.tsx';
import { profilePath } from '../ui/account-name.ts';
import { Avatar } from '../ui/avatar.tsx';
import { ErrorMessage, Loading } from '../ui/feedback.tsx';
import { plural } from '../ui/format-count.ts';
import { RelativeTime } from '../ui/relative-time.tsx';
import { HighlightPicker } from './highlights.tsx';
import {
  createStory,
  deleteStory,
  fetchStory,
  fetchStoryViewers,
  markStorySeen,
  reactToStory,
  replyToStory,
  STORY_LIMITS,
  type Story,
  type StoryViewer as StoryViewerEntry,
} from './stories-api.ts';
import { resolveIndex, stepBack, stepForward, type Anchor, type Position } from './story-navigation.ts';
import { mentionLabel, StoryOverlays } from './story-overlays.tsx';
import { useAutoAdvance } from './use-auto-advance.ts';
import './stories.css';

export const QUICK_REACTIONS = ['😍', '😂', '😮', '😢', '👏', '🔥'] as const;

/** A press longer than this is a hold (pause), not a tap. */
export const HOLD_MS = 250;

/** One account's stories in the viewer's queue; `stories` when already known (a highlight). */
export interface QueueItem {
  accountId: string;
  account?: Account;
  stories?: Story[];
}

type Segment = Story[] | { error: unknown } | undefined;

const isLoaded = (segment: Segment): segment is Story[] => Array.isArray(segment);

type Panel = null | 'viewers' | 'highlight' | 'delete';

export interface StoryViewerProps {
  queue: QueueItem[];
  startIndex?: number;
  startAt?: Anchor;
  /** Loads an account's stories when the viewer reaches it. */
  load: (accountId: string, signal: AbortSignal) => Promise<Story[]>;
  onClose: () => void;
  /** Told when the viewer moves on to another account (to keep the address in step). */
  onAccountChange?: (accountId: string) => void;
  /** Named collection being watched (a highlight), shown in the header. */
  title?: string;
}

function isTextField(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

/**
 * The full-screen story viewer: progress bars, auto-advance by each story's duration, tap
 * (left third back, the rest forward) or arrow keys, hold or Space to pause, Escape to close.
 * At the end of one account's stories it goes on to the next account of the queue, and after
 * the last it closes. Each story shown is marked seen.
 */
export function StoryViewer({ queue, startIndex = 0, startAt = 'first-unseen', load, onClose, onAccountChange, title }: StoryViewerProps) {
  const api = useApi();
  const navigate = useNavigate();
  const { account: me } = useSession();
  const [segments, setSegments] = useState<Segment[]>(() => queue.map((item) => item.stories));
  const [position, setPosition] = useState<Position>({ seg: Math.min(Math.max(0, startIndex), Math.max(0, queue.length - 1)), at: startAt });
  const [restart, setRestart] = useState(0);
  const [isPausedByUser, setPausedByUser] = useState(false);
  const [isHeld, setHeld] = useState(false);
  const [loadedKey, setLoadedKey] = useState<string | null>(null);
  const [panel, setPanel] = useState<Panel>(null);
  const [isReplying, setReplying] = useState(false);
  const [isHidden, setHidden] = useState(() => typeof document !== 'undefined' && document.visibilityState === 'hidden');
  const [originals, setOriginals] = useState<Record<string, Story | null>>({});
  const direction = useRef<1 | -1>(1);
  const hasShown = useRef(false);
  const controllers = useRef(new Map<number, AbortController>());
  const marked = useRef(new Set<string>());
  const press = useRef({ downAt: 0, upAt: 0, duration: 0 });
  const rootRef = useRef<HTMLDivElement>(null);
  const onCloseRef = useRef(onClose);
  onCloseRef.current = onClose;

  const { seg, at } = position;
  const segment = segments[seg];
  const stories = isLoaded(segment) ? segment : null;
  const index = stories ? resolveIndex(stories, at) : -1;
  const story = stories && index >= 0 ? stories[index] : null;
  const account = story?.account ?? queue[seg]?.account;
  const isOwn = Boolean(me && story && story.account.id === me.id);
  if (story) hasShown.current = true;

  // Load the account on show, and the next one ahead of time; loads end only when the viewer does.
  useEffect(() => {
    for (const target of [seg, seg + 1]) {
      if (target >= queue.length || segments[target] !== undefined || controllers.current.has(target)) continue;
      const controller = new AbortController();
      controllers.current.set(target, controller);
      load(queue[target].accountId, controller.signal).then(
        (list) => {
          if (!controller.signal.aborted) setSegments((current) => current.map((s, i) => (i === target ? list : s)));
        },
        (error: unknown) => {
          if (!controller.signal.aborted && !isAbort(error)) setSegments((current) => current.map((s, i) => (i === target ? { error } : s)));
        },
      ).finally(() => {
        if (controllers.current.get(target) === controller) controllers.current.delete(target);
      });
    }
    // `load` and `queue` are fixed for the viewer's life.
  }, [seg, segments]);

  useEffect(() => {
    const running = controllers.current;
    return () => {
      running.forEach((c) => c.abort());
      running.clear();
    };
  }, []);

  // An account with nothing (left) to show is passed over in the direction of travel.
  const isEmpty = segment !== undefined && (!isLoaded(segment) || segment.length === 0);
  useEffect(() => {
    if (!isEmpty) return;
    if (direction.current === -1 && seg > 0) setPosition({ seg: seg - 1, at: 'last' });
    else if (seg + 1 < queue.length) setPosition({ seg: seg + 1, at: 'first-unseen' });
    else if (hasShown.current) onCloseRef.current();
  }, [isEmpty, seg, queue.length]);

  // Once the stories are in, the anchor becomes a plain index (so marking seen cannot move it).
  useEffect(() => {
    if (stories && typeof at !== 'number' && index >= 0) setPosition({ seg, at: index });
  }, [stories, at, index, seg]);

  const reportedSeg = useRef(seg);
  useEffect(() => {
    if (reportedSeg.current === seg) return;
    reportedSeg.current = seg;
    const id = queue[seg]?.accountId;
    if (id) onAccountChange?.(id);
  }, [seg, queue, onAccountChange]);

  // Seen: once per story shown, by a signed-in viewer.
  const storyId = story?.id;
  useEffect(() => {
    if (!story || !me || story.seen || marked.current.has(story.id)) return;
    marked.current.add(story.id);
    const id = story.id;
    setSegments((current) => current.map((s) => (isLoaded(s) ? s.map((item) => (item.id === id ? { ...item, seen: true } : item)) : s)));
    markStorySeen(api, id).catch(() => marked.current.delete(id));
  }, [storyId, me, api]);

  // A reshare is drawn with the original's words and stickers, when the viewer may read them.
  const originalId = story?.reshare_of?.id;
  useEffect(() => {
    if (!originalId || originalId in originals) return;
    const controller = new AbortController();
    fetchStory(api, originalId, controller.signal).then(
      (original) => setOriginals((current) => ({ ...current, [originalId]: original })),
      (error: unknown) => {
        if (!isAbort(error)) setOriginals((current) => ({ ...current, [originalId]: null }));
      },
    );
    return () => controller.abort();
  }, [originalId, api]);

  useEffect(() => {
    const onVisibility = () => setHidden(document.visibilityState === 'hidden');
    document.addEventListener('visibilitychange', onVisibility);
    return () => document.removeEventListener('visibilitychange', onVisibility);
  }, []);

  useEffect(() => {
    rootRef.current?.focus();
  }, []);

  const goNext = useCallback(() => {
    if (!stories || index < 0) return;
    const next = stepForward(seg, index, stories.length, queue.length);
    direction.current = 1;
    if (next) setPosition(next);
    else onCloseRef.current();
  }, [stories, index, seg, queue.length]);

  const goPrevious = useCallback(() => {
    if (!stories || index < 0) return;
    const previous = stepBack(seg, index);
    direction.current = -1;
    if (previous) setPosition(previous);
    else setRestart((n) => n + 1);
  }, [stories, index, seg]);

  const isPhotoLoaded = story !== null && loadedKey === story.id;
  const isPaused = isPausedByUser || isHeld || !isPhotoLoaded || panel !== null || isReplying || isHidden;
  useAutoAdvance(story ? `${story.id}:${restart}` : null, story?.duration_ms ?? 5000, isPaused, goNext);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
      if (event.key === 'Escape') {
        event.preventDefault();
        if (panel) setPanel(null);
        else if (isTextField(event.target)) (event.target as HTMLElement).blur();
        else onCloseRef.current();
        return;
      }
      if (panel || isTextField(event.target)) return;
      if (event.key === 'ArrowRight') {
        event.preventDefault();
        goNext();
      } else if (event.key === 'ArrowLeft') {
        event.preventDefault();
        goPrevious();
      } else if (event.key === ' ' || event.key === 'Spacebar') {
        // Space still presses a focused control (a reaction, a link); elsewhere it pauses.
        const target = event.target instanceof HTMLElement ? event.target : null;
        if (target?.closest('button:not(.story-tap), a, [role="button"]')) return;
        event.preventDefault();
        setPausedByUser((p) => !p);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [panel, goNext, goPrevious]);

  // A tap that ended a hold is not a tap.
  const onTap = (go: () => void) => () => {
    const { upAt, duration } = press.current;
    press.current = { downAt: 0, upAt: 0, duration: 0 };
    if (upAt !== 0 && Date.now() - upAt < 1000 && duration >= HOLD_MS) return;
    go();
  };

  const onStoryDeleted = (id: string) => {
    setPanel(null);
    setSegments((current) => current.map((s) => (isLoaded(s) ? s.filter((item) => item.id !== id) : s)));
    if (stories && stories.length > 1) setPosition({ seg, at: Math.min(index, stories.length - 2) });
  };

  const name = account ? account.acct || account.username : '';
  const label = title ? `Highlight: ${title}` : isOwn ? 'Your story' : name ? `${name}'s story` : 'Story';

  let body: ReactNode;
  if (story && stories) {
    const original = story.reshare_of ? originals[story.reshare_of.id] : undefined;
    const drawn = original ?? story;
    body = (
      <>
        <div className="story-progress" aria-hidden="true">
          {stories.map((s, i) => (
            <span key={s.id} className="story-progress-track">
              <span
                key={i === index ? `${s.id}:${restart}` : s.id}
                className={`story-progress-fill${i < index ? ' is-done' : ''}${i === index ? ' is-active' : ''}`}
                style={i === index ? { animationDuration: `${s.duration_ms}ms`, animationPlayState: isPaused ? 'paused' : 'running' } : undefined}
              />
            </span>
          ))}
        </div>
        <header className="story-header">
          <Link to={profilePath(story.account)} className="story-author">
            <Avatar account={story.account} size="small" />
            <span className="story-author-name">{story.account.acct || story.account.username}</span>
          </Link>
          <RelativeTime className="story-time" iso={story.created_at} />
          {story.audience === 'close_friends' && <span className="story-badge">Close friends</span>}
          {title && <span className="story-collection">{title}</span>}
          <span className="story-header-actions">
            <button type="button" className="story-icon-button" onClick={() => setPausedByUser((p) => !p)} aria-pressed={isPausedByUser}>
              {isPausedByUser ? 'Play' : 'Pause'}
            </button>
            <button type="button" className="story-icon-button" onClick={() => onCloseRef.current()}>
              Close
            </button>
          </span>
          {story.reshare_of && (
            <p className="story-reshare">
              from{' '}
              <Link to={profilePath(story.reshare_of.account)} dir="ltr">
                {mentionLabel(story.reshare_of.account)}
              </Link>
            </p>
          )}
        </header>
        <p className="visually-hidden" aria-live="polite">
          Story {index + 1} of {stories.length}
          {isPausedByUser ? ', paused' : ''}
        </p>
        <div
          className="story-stage"
          onPointerDown={(event) => {
            if (event.button !== 0) return;
            press.current = { downAt: Date.now(), upAt: 0, duration: 0 };
            setHeld(true);
          }}
          onPointerUp={() => {
            const now = Date.now();
            press.current = { ...press.current, upAt: now, duration: press.current.downAt ? now - press.current.downAt : 0 };
            setHeld(false);
          }}
          onPointerCancel={() => setHeld(false)}
          onPointerLeave={() => setHeld(false)}
          onContextMenu={(event) => event.preventDefault()}
        >
          <StoryPicture key={story.id} story={story} onLoaded={() => setLoadedKey(story.id)}>
            <StoryOverlays overlays={drawn.overlays ?? []} mentions={drawn.mentions ?? []} onOpenAccount={(a) => navigate(profilePath(a))} />
          </StoryPicture>
          <button type="button" className="story-tap story-tap-previous" aria-label="Previous story" onClick={onTap(goPrevious)} />
          <button type="button" className="story-tap story-tap-next" aria-label="Next story" onClick={onTap(goNext)} />
          {!isPhotoLoaded && (
            <div className="story-loading">
              <Loading label="Loading story…" />
            </div>
          )}
        </div>
        <footer className="story-footer">
          {/* What the viewer may do with the story is the server's answer (glimpse.can). */}
          {(isOwn || story.glimpse.can.delete) && <AuthorActions story={story} isOwn={isOwn} onOpen={setPanel} />}
          {(story.glimpse.can.respond || story.glimpse.can.reshare) && <ResponseBox key={story.id} story={story} onFocusChange={setReplying} />}
        </footer>
        {panel === 'viewers' && (
          <Sheet label="Viewers" onClose={() => setPanel(null)}>
            <ViewersList story={story} />
          </Sheet>
        )}
        {panel === 'highlight' && (
          <Sheet label="Add to highlight" onClose={() => setPanel(null)}>
            <HighlightPicker story={story} />
          </Sheet>
        )}
        {panel === 'delete' && (
          <Sheet label="Delete story" onClose={() => setPanel(null)}>
            <DeleteStory story={story} onDeleted={() => onStoryDeleted(story.id)} onCancel={() => setPanel(null)} />
          </Sheet>
        )}
      </>
    );
  } else if (isEmpty && !hasShown.current && seg + 1 >= queue.length) {
    body = (
      <div className="story-message">
        {segment && !isLoaded(segment) ? <ErrorMessage error={segment.error} /> : <p>This story is no longer available.</p>}
        <button type="button" className="button button-secondary" onClick={() => onCloseRef.current()}>
          Close
        </button>
      </div>
    );
  } else {
    body = (
      <div className="story-message">
        <Loading label="Loading stories…" />
        <button type="button" className="button button-secondary" onClick={() => onCloseRef.current()}>
          Close
        </button>
      </div>
    );
  }

  return (
    <div className="story-viewer" role="dialog" aria-modal="true" aria-label={label} ref={rootRef} tabIndex={-1}>
      <div className="story-frame">{body}</div>
    </div>
  );
}

/** The photo, fitted whole into the stage, with the overlays placed on the photo itself. */
function StoryPicture({ story, onLoaded, children }: { story: Story; onLoaded: () => void; children: ReactNode }) {
  const media = story.media_attachment;
  const original = media.meta?.original;
  const [natural, setNatural] = useState<number | null>(null);
  const aspect = natural ?? (original && original.width > 0 && original.height > 0 ? original.width / original.height : 9 / 16);
  const onLoadedRef = useRef(onLoaded);
  onLoadedRef.current = onLoaded;
  const alt = media.description?.trim() ? media.description : `Story by ${story.account.acct || story.account.username}`;
  return (
    <div className="story-picture" style={{ aspectRatio: `${aspect}`, width: `min(100cqw, calc(100cqh * ${aspect}))` }}>
      <img
        className="story-photo"
        src={media.url ?? media.preview_url ?? undefined}
        alt={alt}
        draggable={false}
        ref={(img) => {
          if (img && img.complete && img.naturalWidth > 0) onLoadedRef.current();
        }}
        onLoad={(event) => {
          const img = event.currentTarget;
          if (img.naturalWidth > 0 && img.naturalHeight > 0) setNatural(img.naturalWidth / img.naturalHeight);
          onLoadedRef.current();
        }}
        onError={() => onLoadedRef.current()}
      />
      {children}
    </div>
  );
}

function Sheet({ label, onClose, children }: { label: string; onClose: () => void; children: ReactNode }) {
  const headingId = useId();
  const ref = useRef<HTMLElement>(null);
  useEffect(() => {
    ref.current?.focus();
  }, []);
  return (
    <section className="story-sheet" role="dialog" aria-labelledby={headingId} ref={ref} tabIndex={-1}>
      <div className="story-sheet-header">
        <h2 className="story-sheet-title" id={headingId}>
          {label}
        </h2>
        <button type="button" className="button button-link" onClick={onClose}>
          Back to story
        </button>
      </div>
      {children}
    </section>
  );
}

/**
 * The author's Viewers and Add to highlight (author-only, with no capability presented for them),
 * and Delete when the server allows it (`glimpse.can.delete`).
 */
function AuthorActions({ story, isOwn, onOpen }: { story: Story; isOwn: boolean; onOpen: (panel: Panel) => void }) {
  return (
    <div className="story-author-actions">
      {isOwn && (
        <>
          <button type="button" className="button button-secondary button-small" onClick={() => onOpen('viewers')}>
            Viewers
            {typeof story.viewers_count === 'number' && (
              <span className="story-count" aria-hidden="true">
                {story.viewers_count}
              </span>
            )}
          </button>
          <button type="button" className="button button-secondary button-small" onClick={() => onOpen('highlight')}>
            Add to highlight
          </button>
        </>
      )}
      {story.glimpse.can.delete && (
        <button type="button" className="button button-secondary button-small" onClick={() => onOpen('delete')}>
          Delete
        </button>
      )}
    </div>
  );
}

function ViewersList({ story }: { story: Story }) {
  const api = useApi();
  const [state, setState] = useState<{ status: 'loading' } | { status: 'error'; error: unknown } | { status: 'ready'; viewers: StoryViewerEntry[] }>({ status: 'loading' });
  useEffect(() => {
    const controller = new AbortController();
    fetchStoryViewers(api, story.id, controller.signal).then(
      (viewers) => setState({ status: 'ready', viewers }),
      (error: unknown) => {
        if (!isAbort(error)) setState({ status: 'error', error });
      },
    );
    return () => controller.abort();
  }, [api, story.id]);
  if (state.status === 'loading') return <Loading />;
  if (state.status === 'error') return <ErrorMessage error={state.error} />;
  const count = Math.max(state.viewers.length, story.viewers_count ?? 0);
  return (
    <>
      <p className="story-viewers-count">
        {count} {plural(count, 'viewer', 'viewers')}
      </p>
      {state.viewers.length === 0 ? (
        <p className="muted">Nobody has seen this story yet.</p>
      ) : (
        <ul className="account-list" aria-label="People who saw this story">
          {state.viewers.map((v) => (
            <AccountRow key={v.account.id} account={v.account} detail={<RelativeTime iso={v.viewed_at} />} />
          ))}
        </ul>
      )}
    </>
  );
}

function DeleteStory({ story, onDeleted, onCancel }: { story: Story; onDeleted: () => void; onCancel: () => void }) {
  const api = useApi();
  const [isBusy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      await deleteStory(api, story.id);
      onDeleted();
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };
  return (
    <div className="story-confirm">
      <p>Delete this story? It will also leave any highlight it is in.</p>
      <ErrorMessage error={error} />
      <div className="story-confirm-actions">
        <button type="button" className="button button-primary story-danger" onClick={confirm} disabled={isBusy} aria-busy={isBusy}>
          Delete story
        </button>
        <button type="button" className="button button-secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </div>
  );
}

/** A private reply and quick reactions (`can.respond`), and adding a story one is mentioned in to one's own (`can.reshare`). */
function ResponseBox({ story, onFocusChange }: { story: Story; onFocusChange: (focused: boolean) => void }) {
  const api = useApi();
  const inputId = useId();
  const [text, setText] = useState('');
  const [isBusy, setBusy] = useState(false);
  const [message, setMessage] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [isReshared, setReshared] = useState(false);
  const username = story.account.acct || story.account.username;
  const { respond: canRespond, reshare: canReshare } = story.glimpse.can;

  const run = async (action: () => Promise<unknown>, done: string) => {
    setBusy(true);
    setError(null);
    setMessage('');
    try {
      await action();
      setMessage(done);
      return true;
    } catch (err) {
      setError(err);
      return false;
    } finally {
      setBusy(false);
    }
  };

  const send = async (event: FormEvent) => {
    event.preventDefault();
    const reply = text.trim();
    if (!reply) return;
    if (await run(() => replyToStory(api, story.id, reply), `Reply sent to ${username}.`)) setText('');
  };

  return (
    <div className="story-responses">
      {canRespond && (
        <>
          <form className="story-reply" onSubmit={send}>
            <label className="visually-hidden" htmlFor={inputId}>
              Reply
            </label>
            <input
              id={inputId}
              className="story-reply-input"
              type="text"
              dir="auto"
              autoComplete="off"
              placeholder={`Reply to ${username}…`}
              maxLength={STORY_LIMITS.reply}
              value={text}
              onChange={(e) => setText(e.target.value)}
              onFocus={() => onFocusChange(true)}
              onBlur={() => onFocusChange(false)}
            />
            <button type="submit" className="button button-link story-send" disabled={isBusy || !text.trim()}>
              Send
            </button>
          </form>
          <div className="story-reactions" role="group" aria-label="Quick reactions">
            {QUICK_REACTIONS.map((emoji) => (
              <button key={emoji} type="button" className="story-reaction" aria-label={`React ${emoji}`} disabled={isBusy} onClick={() => run(() => reactToStory(api, story.id, emoji), `You reacted ${emoji}`)}>
                {emoji}
              </button>
            ))}
          </div>
        </>
      )}
      {canReshare && (
        <button
          type="button"
          className="button button-secondary button-small story-reshare-button"
          disabled={isBusy || isReshared}
          onClick={async () => {
            if (await run(() => createStory(api, { reshare_of_id: story.id, audience: 'followers', overlays: [] }), 'Added to your story.')) setReshared(true);
          }}
        >
          {isReshared ? 'Added to your story' : 'Add to your story'}
        </button>
      )}
      <p className="story-status" role="status">
        {message}
      </p>
      {error ? <ErrorMessage>{messageOf(error)}</ErrorMessage> : null}
    </div>
  );
}

