import { Link } from 'react-router';
import type { Status } from '../api/mastodon-types.ts';
import { postPath } from '../api/statuses-api.ts';
import { imageSources } from './media-sources.ts';
import { htmlToText } from '../ui/html-to-text.ts';
import { CarouselIcon } from '../ui/icons.tsx';
import './photo-grid.css';

/** What a grid tile is called: its caption (or first alt text), and how many photos it holds. */
export function gridLabel(status: Status): string {
  const caption = htmlToText(status.content).replace(/\s+/g, ' ').trim();
  const about = caption || status.media_attachments[0]?.description?.trim() || 'Photo post';
  const short = about.length > 100 ? `${about.slice(0, 100)}…` : about;
  const count = status.media_attachments.length;
  return count > 1 ? `${short} (${count} photos)` : short;
}

/** Three columns of first photos, each opening its post; a marker shows a post of several (profiles, hashtags, explore). */
export function PhotoGrid({ posts }: { posts: Status[] }) {
  return (
    <ul className="post-grid">
      {posts.map((status) => {
        const media = status.media_attachments[0];
        const { src, srcSet } = imageSources(media, 'small');
        return (
          <li key={status.id} className="post-grid-item">
            <Link to={postPath(status)} className="post-grid-link" aria-label={gridLabel(status)}>
              {src && <img src={src} srcSet={srcSet} sizes="(max-width: 735px) 33vw, 300px" alt="" loading="lazy" decoding="async" />}
              {status.media_attachments.length > 1 && (
                <span className="post-grid-marker" aria-hidden="true">
                  <CarouselIcon />
                </span>
              )}
            </Link>
          </li>
        );
      })}
    </ul>
  );
}
