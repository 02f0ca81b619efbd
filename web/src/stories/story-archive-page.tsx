import { useCallback } from 'react';
import { Link } from 'react-router';
import { useApi } from '../api/api-context.tsx';
import { LoadMoreButton } from '../ui/account-row.tsx';
import { EmptyState, ErrorMessage, Loading, LoadError } from '../ui/feedback.tsx';
import { usePagedList } from '../ui/use-paged-list.ts';
import { useDocumentTitle } from '../ui/use-document-title.ts';
import { fetchStoryArchivePage, STORY_ARCHIVE_PATH, type Story } from './stories-api.ts';
import './stories.css';

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/**
 * Settings → Story archive: the signed-in author's stories after their 24 hours, newest first.
 * Only the author sees the archive; highlights keep showing the stories they hold.
 */
export function StoryArchivePage() {
  useDocumentTitle('Story archive');
  const api = useApi();
  const loadPage = useCallback((path: string, signal?: AbortSignal) => fetchStoryArchivePage(api, path, signal), [api]);
  const list = usePagedList<Story>(STORY_ARCHIVE_PATH, loadPage);

  return (
    <section className="settings-section story-archive" aria-labelledby="story-archive-title">
      <h1 id="story-archive-title" className="page-title">
        Story archive
      </h1>
      <p className="muted">Your stories stay here after their 24 hours. Only you can see this page.</p>
      {list.status === 'loading' ? (
        <Loading />
      ) : list.status === 'error' ? (
        <LoadError error={list.error} onRetry={list.reload} />
      ) : list.items.length === 0 && !list.hasMore ? (
        <EmptyState title="No archived stories yet">
          <p>A story you share moves here once its 24 hours are over.</p>
          <p>
            <Link className="button button-primary" to="/stories/new">
              New story
            </Link>
          </p>
        </EmptyState>
      ) : (
        <>
          <ul className="story-archive-grid" aria-label="Your archived stories, newest first">
            {list.items.map((story) => {
              const when = dateFormat.format(new Date(story.created_at));
              const src = story.media_attachment.preview_url ?? story.media_attachment.url ?? undefined;
              return (
                <li key={story.id} className="story-archive-item">
                  <figure>
                    {src ? <img src={src} alt={story.media_attachment.description ?? story.text ?? ''} loading="lazy" decoding="async" /> : null}
                    <figcaption>
                      <time dateTime={story.created_at}>{when}</time>
                      {story.audience === 'close_friends' ? <span className="story-archive-audience"> · Close friends</span> : null}
                    </figcaption>
                  </figure>
                </li>
              );
            })}
          </ul>
          {list.error ? <ErrorMessage error={list.error} /> : null}
          {list.hasMore && <LoadMoreButton isLoading={list.isLoadingMore} onClick={list.loadMore} />}
        </>
      )}
    </section>
  );
}
