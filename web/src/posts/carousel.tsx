import { useEffect, useRef, useState, type KeyboardEvent, type MouseEvent, type TouchEvent } from 'react';
import { Link } from 'react-router';
import type { MediaAttachment } from '../api/mastodon-types.ts';
import { profilePath } from '../ui/account-name.ts';
import { ChevronLeftIcon, ChevronRightIcon, HeartFilledIcon, PersonIcon } from '../ui/icons.tsx';
import { aspectOf, fittedBox, frameAspect, imageSources, percent } from './media-sources.ts';

/** Two taps closer than this are a double tap. */
export const DOUBLE_TAP_MS = 300;
/** A horizontal swipe longer than this turns the page. */
const SWIPE_PX = 40;

export interface CarouselProps {
  media: MediaAttachment[];
  /** Names the region, e.g. "Photos by Mara". */
  label: string;
  /** A double tap (or double click) on a photo: liking, with the heart shown here. */
  onDoubleTap?: () => void;
  /** The `sizes` of the images' srcset. */
  sizes?: string;
  /** Load the first photo at once (the top of a page). */
  priority?: boolean;
}

/**
 * One photo at a time, with Previous/Next buttons, ArrowLeft/ArrowRight while the carousel has
 * focus, swiping on touch screens and dots saying where one is ("Photo 2 of 5"). Tags appear
 * on a tap or with the "Show tags" toggle; a double tap likes.
 */
export function Carousel({ media, label, onDoubleTap, sizes = '(max-width: 630px) 100vw, 630px', priority = false }: CarouselProps) {
  const [index, setIndex] = useState(0);
  const [showTags, setShowTags] = useState(false);
  const [heart, setHeart] = useState(0);
  const [drag, setDrag] = useState(0);
  const [announcement, setAnnouncement] = useState('');
  const regionRef = useRef<HTMLDivElement>(null);
  const lastTap = useRef(0);
  const tapTimer = useRef<number | undefined>(undefined);
  const touch = useRef<{ x: number; y: number; horizontal: boolean | null } | null>(null);

  const count = media.length;
  const current = Math.min(index, Math.max(0, count - 1));
  const currentTags = media[current]?.glimpse?.tags ?? [];
  const frame = frameAspect(media);

  useEffect(() => () => window.clearTimeout(tapTimer.current), []);
  useEffect(() => {
    if (heart === 0) return;
    const timer = window.setTimeout(() => setHeart(0), 1000);
    return () => window.clearTimeout(timer);
  }, [heart]);

  if (count === 0) return null;

  const go = (next: number, fromButton?: 'previous' | 'next') => {
    const target = Math.max(0, Math.min(count - 1, next));
    if (target === current) return;
    setIndex(target);
    setShowTags(false);
    setAnnouncement(`Showing photo ${target + 1} of ${count}`);
    // The button pressed disappears at either end: keep focus in the carousel.
    if ((fromButton === 'previous' && target === 0) || (fromButton === 'next' && target === count - 1)) regionRef.current?.focus();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.key === 'ArrowLeft') {
      event.preventDefault();
      go(current - 1);
    } else if (event.key === 'ArrowRight') {
      event.preventDefault();
      go(current + 1);
    }
  };

  const onPhotoClick = (event: MouseEvent<HTMLDivElement>) => {
    if ((event.target as Element).closest('a, button')) return;
    const now = Date.now();
    if (now - lastTap.current < DOUBLE_TAP_MS) {
      lastTap.current = 0;
      window.clearTimeout(tapTimer.current);
      if (onDoubleTap) {
        setHeart((n) => n + 1);
        onDoubleTap();
      }
      return;
    }
    lastTap.current = now;
    // A single tap shows or hides the tags, once it is clear no second tap follows.
    if (currentTags.length > 0) {
      window.clearTimeout(tapTimer.current);
      tapTimer.current = window.setTimeout(() => setShowTags((shown) => !shown), onDoubleTap ? DOUBLE_TAP_MS : 0);
    }
  };

  const onTouchStart = (event: TouchEvent<HTMLDivElement>) => {
    if (count < 2 || event.touches.length !== 1) return;
    touch.current = { x: event.touches[0].clientX, y: event.touches[0].clientY, horizontal: null };
  };
  const onTouchMove = (event: TouchEvent<HTMLDivElement>) => {
    const start = touch.current;
    if (!start || event.touches.length !== 1) return;
    const dx = event.touches[0].clientX - start.x;
    const dy = event.touches[0].clientY - start.y;
    if (start.horizontal === null && Math.abs(dx) + Math.abs(dy) > 8) start.horizontal = Math.abs(dx) > Math.abs(dy);
    if (start.horizontal) {
      // Resist past either end.
      const atEdge = (dx > 0 && current === 0) || (dx < 0 && current === count - 1);
      setDrag(atEdge ? dx / 3 : dx);
    }
  };
  const onTouchEnd = (event: TouchEvent<HTMLDivElement>) => {
    const start = touch.current;
    touch.current = null;
    setDrag(0);
    if (!start?.horizontal) return;
    const dx = (event.changedTouches[0]?.clientX ?? start.x) - start.x;
    if (dx <= -SWIPE_PX) go(current + 1);
    else if (dx >= SWIPE_PX) go(current - 1);
  };

  return (
    <div
      ref={regionRef}
      className="carousel"
      role="region"
      aria-roledescription="carousel"
      aria-label={label}
      tabIndex={0}
      onKeyDown={onKeyDown}
    >
      <div
        className="carousel-frame"
        style={{ aspectRatio: String(frame), ['--frame-aspect' as string]: String(frame) }}
        onTouchStart={onTouchStart}
        onTouchMove={onTouchMove}
        onTouchEnd={onTouchEnd}
        onTouchCancel={() => {
          touch.current = null;
          setDrag(0);
        }}
      >
        <div
          className={`carousel-track${drag !== 0 ? ' is-dragging' : ''}`}
          style={{ transform: `translateX(calc(${-current * 100}% + ${drag}px))` }}
          onClick={onPhotoClick}
        >
          {media.map((item, i) => {
            const { src, srcSet } = imageSources(item);
            const isCurrent = i === current;
            return (
              <div key={item.id} className="carousel-slide" aria-hidden={isCurrent ? undefined : true}>
                <div className="carousel-photo" style={fittedBox(aspectOf(item), frame)}>
                  {src ? (
                    <img
                      src={src}
                      srcSet={srcSet}
                      sizes={srcSet ? sizes : undefined}
                      alt={item.description ?? ''}
                      loading={Math.abs(i - current) <= 1 ? 'eager' : 'lazy'}
                      fetchPriority={priority && i === 0 ? 'high' : undefined}
                      decoding="async"
                      draggable={false}
                    />
                  ) : (
                    <div className="carousel-missing" role="img" aria-label={item.description || 'Photo not available'} />
                  )}
                  {isCurrent && showTags && (
                    <ul className="photo-tags" aria-label="People in this photo">
                      {(item.glimpse?.tags ?? []).map((tag) => (
                        <li key={tag.account.id} className="photo-tag" style={{ left: percent(tag.x), top: percent(tag.y) }}>
                          <Link to={profilePath(tag.account)}>{tag.account.acct || tag.account.username}</Link>
                        </li>
                      ))}
                    </ul>
                  )}
                </div>
              </div>
            );
          })}
        </div>
        {heart > 0 && (
          <span key={heart} className="carousel-heart" aria-hidden="true">
            <HeartFilledIcon />
          </span>
        )}
        {current > 0 && (
          <button type="button" className="carousel-nav carousel-prev" aria-label="Previous photo" onClick={() => go(current - 1, 'previous')}>
            <ChevronLeftIcon />
          </button>
        )}
        {current < count - 1 && (
          <button type="button" className="carousel-nav carousel-next" aria-label="Next photo" onClick={() => go(current + 1, 'next')}>
            <ChevronRightIcon />
          </button>
        )}
        {currentTags.length > 0 && (
          <button type="button" className="carousel-tags-toggle" aria-pressed={showTags} onClick={() => setShowTags((shown) => !shown)}>
            <PersonIcon />
            <span className="visually-hidden">Show tags</span>
          </button>
        )}
      </div>
      {count > 1 && (
        <div className="carousel-dots" role="img" aria-label={`Photo ${current + 1} of ${count}`}>
          {media.map((item, i) => (
            <span key={item.id} className={`carousel-dot${i === current ? ' is-current' : ''}`} />
          ))}
        </div>
      )}
      <span className="visually-hidden" aria-live="polite">
        {announcement}
      </span>
    </div>
  );
}
