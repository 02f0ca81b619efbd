import { useCallback } from 'react';
import { useParams } from 'react-router';
import { useApi } from '../api/api-context.tsx';
import type { Status } from '../api/mastodon-types.ts';
import { fetchStatusPage } from '../api/statuses-api.ts';
import { NotFoundPage } from '../app/not-found-page.tsx';
import { PhotoGrid } from '../posts/photo-grid.tsx';
import { LoadMoreButton } from '../ui/account-row.tsx';
import { EmptyState, ErrorMessage, Loading, LoadError } from '../ui/feedback.tsx';
import { useDocumentTitle } from '../ui/use-document-title.ts';
import { usePagedList } from '../ui/use-paged-list.ts';
import { HASHTAG_PATTERN, hashtagTimelinePath } from './hashtags-api.ts';
import '../profile/profile.css';

/** `/tags/:tag`: the public photo posts with a hashtag, newest first, as a grid. */
export function HashtagRoute() {
  const { tag } = useParams();
  if (!tag || !HASHTAG_PATTERN.test(tag)) return <NotFoundPage />;
  return <HashtagPage key={tag} tag={tag} />;
}

export function HashtagPage({ tag }: { tag: string }) {
  useDocumentTitle(`#${tag}`);
  const api = useApi();
  const loadPage = useCallback((path: string, signal?: AbortSignal) => fetchStatusPage(api, path, signal), [api]);
  const list = usePagedList<Status>(hashtagTimelinePath(tag), loadPage);
  const withPhotos = list.items.filter((s) => s.media_attachments?.length > 0);

  return (
    <div className="page">
      <header className="hashtag-header">
        <h1 className="page-title">#{tag}</h1>
      </header>
      {list.status === 'loading' ? (
        <Loading />
      ) : list.status === 'error' ? (
        <LoadError error={list.error} onRetry={list.reload} />
      ) : withPhotos.length === 0 && !list.hasMore ? (
        <EmptyState title="No posts yet">
          <p>Public photo posts with #{tag} show up here.</p>
        </EmptyState>
      ) : (
        <section aria-label={`Posts with #${tag}`}>
          <PhotoGrid posts={withPhotos} />
          {list.error ? <ErrorMessage error={list.error} /> : null}
          {list.hasMore && <LoadMoreButton isLoading={list.isLoadingMore} onClick={list.loadMore} />}
        </section>
      )}
    </div>
  );
}
