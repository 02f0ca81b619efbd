import { useEffect, useId, useRef, useState, type ReactNode, type RefObject } from 'react';
import type { FilterResult, Status } from '../api/mastodon-types.ts';
import './filters.css';

/**
 * The viewer's filters as a status carries them (`filtered`, decided by the server for the
 * context the status was fetched in). An entry whose filter has expired since is ignored.
 */
export function activeFilterResults(status: Pick<Status, 'filtered'>, now: number = Date.now()): FilterResult[] {
  return (status.filtered ?? []).filter((result) => {
    const expires = result.filter.expires_at ? Date.parse(result.filter.expires_at) : NaN;
    return Number.isNaN(expires) || expires > now;
  });
}

/** “A”, “A” and “B”, “A”, “B” and “C”. */
export function quotedTitles(titles: string[]): string {
  const quoted = [...new Set(titles)].map((title) => `“${title}”`);
  if (quoted.length <= 1) return quoted.join('');
  return `${quoted.slice(0, -1).join(', ')} and ${quoted[quoted.length - 1]}`;
}

export interface StatusFilter {
  /** `warn`: the post is collapsed behind a notice; `blur`: its photos are blurred; null: shown as is. */
  mode: 'warn' | 'blur' | null;
  /** The titles of the filters behind the current mode. */
  titles: string[];
  /** The status has `blur` matches, so its photos sit in the blur frame (shown or not). */
  hasBlur: boolean;
  /** The post was collapsed and shown on request: its card takes focus (tabIndex -1). */
  wasCollapsed: boolean;
  reveal: () => void;
  /** The card, focused after "Show anyway". */
  articleRef: RefObject<HTMLElement | null>;
  /** The photos' frame, whose carousel is focused after "Show". */
  mediaRef: RefObject<HTMLDivElement | null>;
}

/**
 * What a post card does with the viewer's filters. A `warn` match (or a `hide` one, which the
 * server only sends where a post is opened on its own) collapses the post behind a notice;
 * a `blur` match blurs its photos. Either is undone, for this card, by the person's choice;
 * focus then moves to what was revealed, since the button pressed is gone.
 */
export function useStatusFilter(status: Status): StatusFilter {
  const [revealed, setRevealed] = useState(false);
  const [focusAfter, setFocusAfter] = useState<'article' | 'media' | null>(null);
  const articleRef = useRef<HTMLElement | null>(null);
  const mediaRef = useRef<HTMLDivElement | null>(null);
  const results = activeFilterResults(status);
  const collapsing = results.filter((r) => r.filter.filter_action === 'warn' || r.filter.filter_action === 'hide');
  const blurring = results.filter((r) => r.filter.filter_action === 'blur');
  const hasBlur = blurring.length > 0 && (status.media_attachments?.length ?? 0) > 0;
  const mode = revealed ? null : collapsing.length > 0 ? 'warn' : hasBlur ? 'blur' : null;

  useEffect(() => {
    if (!focusAfter) return;
    if (focusAfter === 'article') articleRef.current?.focus();
    else mediaRef.current?.querySelector<HTMLElement>('.carousel')?.focus();
    setFocusAfter(null);
  }, [focusAfter]);

  return {
    mode,
    titles: (mode === 'blur' ? blurring : collapsing).map((r) => r.filter.title),
    hasBlur,
    wasCollapsed: revealed && collapsing.length > 0,
    reveal: () => {
      setFocusAfter(mode === 'warn' ? 'article' : 'media');
      setRevealed(true);
    },
    articleRef,
    mediaRef,
  };
}

/** In place of a collapsed post: which filter hid it, and "Show anyway". */
export function FilteredNotice({ filter, className }: { filter: StatusFilter; className: string }) {
  const textId = useId();
  return (
    <article className={`${className} filtered-post`} aria-labelledby={textId}>
      <div className="filtered-notice">
        <p className="filtered-notice-text" id={textId}>
          Hidden by your {filter.titles.length > 1 ? 'filters' : 'filter'} {quotedTitles(filter.titles)}
        </p>
        <button type="button" className="button button-secondary button-small" onClick={filter.reveal} aria-describedby={textId}>
          Show anyway
        </button>
      </div>
    </article>
  );
}

/**
 * The photos of a post with `blur` matches: blurred, out of reach of the keyboard and of screen
 * readers (their alt text could say what the filter is for), under a note and a "Show" button.
 */
export function BlurredMedia({ filter, children }: { filter: StatusFilter; children: ReactNode }) {
  const noteId = useId();
  if (!filter.hasBlur) return <>{children}</>;
  const isBlurred = filter.mode === 'blur';
  return (
    <div ref={filter.mediaRef} className={`filter-blur${isBlurred ? ' is-blurred' : ''}`}>
      <div className="filter-blur-media" inert={isBlurred} aria-hidden={isBlurred || undefined}>
        {children}
      </div>
      {isBlurred && (
        <div className="filter-blur-overlay">
          <p className="filter-blur-note" id={noteId}>
            Photos hidden by your {filter.titles.length > 1 ? 'filters' : 'filter'} {quotedTitles(filter.titles)}
          </p>
          <button type="button" className="button button-secondary button-small filter-blur-show" onClick={filter.reveal} aria-describedby={noteId}>
            Show
          </button>
        </div>
      )}
    </div>
  );
}
