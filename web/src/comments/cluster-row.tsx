import { useInfiniteQuery, useQueryClient, type InfiniteData } from '@tanstack/react-query';
import type { Page } from '../api/api-client.ts';
import { useId, useState } from 'react';
import { useApi } from '../api/api-context.tsx';
import { ErrorMessage } from '../ui/feedback.tsx';
import { actOnCluster, fetchClusterComments, type ClusterAction, type CommentCluster, type CommentStatus } from './comments-api.ts';
import { useComments } from './comments-context.tsx';
import { CommentRow } from './comment-row.tsx';
import { ReportDialog, shortQuote, type ReportInput } from './report-dialog.tsx';

const fullCount = new Intl.NumberFormat('en');

export function commentCount(count: number): string {
  return `${fullCount.format(count)} ${count === 1 ? 'comment' : 'comments'}`;
}

/** `“Not Ines” · 12,403 comments`: the text of a fold and its count. */
export function clusterLine(cluster: Pick<CommentCluster, 'text' | 'count'>): string {
  return `“${cluster.text}” · ${commentCount(cluster.count)}`;
}

const ACTIONS: Array<{ action: ClusterAction; label: string; busy: string; done: (n: { comments: number; accounts: number }) => string }> = [
  { action: 'hide', label: 'Hide all', busy: 'Hiding…', done: (n) => `${commentCount(n.comments)} hidden. You can review them in Hidden comments.` },
  { action: 'restrict', label: 'Restrict every author', busy: 'Restricting…', done: (n) => `${fullCount.format(n.accounts)} ${n.accounts === 1 ? 'account' : 'accounts'} restricted.` },
  { action: 'report', label: 'Report', busy: 'Reporting…', done: (n) => `${fullCount.format(n.accounts)} ${n.accounts === 1 ? 'account' : 'accounts'} reported to the moderators.` },
];

/**
 * One storm in the "similar comments" section. A hostile one is muted and its text waits
 * behind "Show": abuse is never a headline. "View all" pages through every comment of it
 * (each can still be liked, answered or reported); the post's author gets bulk actions.
 */
export function ClusterRow({ cluster, onChange, onRemove, onHidden }: { cluster: CommentCluster; onChange: (status: CommentStatus) => void; onRemove: (status: CommentStatus) => void; onHidden: (cluster: CommentCluster) => void }) {
  const api = useApi();
  const { post, isPostAuthor } = useComments();
  const [isOpen, setOpen] = useState(false);
  const [isShown, setShown] = useState(!cluster.hostile);
  const [busy, setBusy] = useState<ClusterAction | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [isReporting, setReporting] = useState(false);
  const [notice, setNotice] = useState('');
  const listId = useId();
  const textId = useId();

  const queryClient = useQueryClient();
  const queryKey = ['comment-cluster', post.id, cluster.id];
  const pages = useInfiniteQuery({
    queryKey,
    queryFn: ({ pageParam, signal }) => fetchClusterComments(api, post.id, cluster.id, pageParam, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => (last.items.length > 0 ? last.nextPath : null),
    enabled: isOpen,
  });
  const comments = pages.data?.pages.flatMap((page) => page.items) ?? [];
  // A comment of the list liked or deleted changes in its cached page too.
  const editPages = (edit: (items: CommentStatus[]) => CommentStatus[]) =>
    queryClient.setQueryData<InfiniteData<Page<CommentStatus>, string | null>>(queryKey, (data) => data && { ...data, pages: data.pages.map((page) => ({ ...page, items: edit(page.items) })) });
  const changed = (next: CommentStatus) => {
    editPages((items) => items.map((s) => (s.id === next.id ? next : s)));
    onChange(next);
  };
  const removed = (gone: CommentStatus) => {
    editPages((items) => items.filter((s) => s.id !== gone.id));
    onRemove(gone);
  };

  const run = async (action: ClusterAction) => {
    if (action === 'report') {
      setError(null);
      setNotice('');
      setReporting(true);
      return;
    }
    setBusy(action);
    setError(null);
    setNotice('');
    try {
      const done = await actOnCluster(api, post.id, cluster.id, action);
      setNotice(ACTIONS.find((a) => a.action === action)!.done(done));
      if (action === 'hide') onHidden(cluster);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(null);
    }
  };
  // A report of the whole storm: the moderators see its phrase beside what the author wrote.
  const report = async ({ category, comment }: ReportInput) => {
    const phrase = `A storm of similar comments: “${shortQuote(cluster.text)}”`;
    // Within the server's 1,000 characters for a report's note.
    const note = (comment ? `${phrase}\n\n${comment}` : phrase).slice(0, 1000);
    const done = await actOnCluster(api, post.id, cluster.id, 'report', { category, comment: note });
    setNotice(ACTIONS.find((a) => a.action === 'report')!.done(done));
  };

  return (
    <div className={`comment-cluster${cluster.hostile ? ' is-hostile' : ''}`}>
      <div className="comment-cluster-line">
        <p className="comment-cluster-text" id={textId}>
          {isShown ? (
            <>
              <span className="comment-cluster-phrase">“{cluster.text}”</span> · {commentCount(cluster.count)}
            </>
          ) : (
            <>Hostile comments · {commentCount(cluster.count)}</>
          )}
        </p>
        <div className="comment-cluster-buttons">
          {!isShown && (
            <button type="button" className="comment-meta-button" onClick={() => setShown(true)} aria-describedby={textId}>
              Show
            </button>
          )}
          <button type="button" className="comment-meta-button" aria-expanded={isOpen} aria-controls={listId} aria-describedby={textId} onClick={() => setOpen((open) => !open)}>
            {isOpen ? 'Hide list' : 'View all'}
          </button>
        </div>
      </div>
      {isPostAuthor && (
        <div className="comment-cluster-actions" role="group" aria-label={isShown ? `Act on all comments like “${cluster.text}”` : 'Act on all these hostile comments'}>
          {ACTIONS.map((a) => (
            <button key={a.action} type="button" className="button button-secondary button-small" onClick={() => run(a.action)} disabled={busy !== null} aria-busy={busy === a.action}>
              {busy === a.action ? a.busy : a.label}
            </button>
          ))}
        </div>
      )}
      <p className="comment-cluster-notice muted" role="status">
        {notice}
      </p>
      <ErrorMessage error={error} />
      {isReporting && (
        <ReportDialog
          title="Report every author of these comments"
          what={isShown ? `“${shortQuote(cluster.text)}” · ${commentCount(cluster.count)}` : `Hostile comments · ${commentCount(cluster.count)}`}
          send={report}
          onClose={() => setReporting(false)}
        />
      )}
      <div id={listId} hidden={!isOpen}>
        {isOpen && (
          <>
            {pages.isPending ? (
              <p className="muted comment-replies-loading" role="status">
                Loading comments…
              </p>
            ) : pages.isError ? (
              <p className="error-message comment-replies-error">
                Comments could not be loaded.{' '}
                <button type="button" className="button-link" onClick={() => pages.refetch()}>
                  Try again
                </button>
              </p>
            ) : (
              <ul className="comment-list comment-cluster-sample" aria-label={isShown ? `Comments like “${cluster.text}”` : 'Hostile comments'}>
                {comments.map((status) => (
                  <li key={status.id} className="comment-item">
                    <CommentRow status={status} onChange={changed} onRemove={removed} />
                  </li>
                ))}
              </ul>
            )}
            {pages.hasNextPage && (
              <div className="load-more">
                <button type="button" className="button button-secondary" onClick={() => pages.fetchNextPage()} disabled={pages.isFetchingNextPage} aria-busy={pages.isFetchingNextPage}>
                  {pages.isFetchingNextPage ? 'Loading…' : `More of these (${fullCount.format(comments.length)} of ${fullCount.format(cluster.count)} shown)`}
                </button>
              </div>
            )}
          </>
        )}
      </div>
    </div>
  );
}

/**
 * After the conversation, one collapsed section holds every storm, largest first: "N similar
 * comments". Nothing of a storm is a headline before the reader asks for it.
 */
export function SimilarSection({ similar, onChange, onRemove, onHidden }: { similar: { count: number; clusters: CommentCluster[] }; onChange: (status: CommentStatus) => void; onRemove: (status: CommentStatus) => void; onHidden: (cluster: CommentCluster) => void }) {
  const [isOpen, setOpen] = useState(false);
  const bodyId = useId();
  if (similar.clusters.length === 0) return null;
  return (
    <section className="comment-similar" aria-label="Similar comments">
      <button type="button" className="comment-similar-toggle" aria-expanded={isOpen} aria-controls={bodyId} onClick={() => setOpen((open) => !open)}>
        <span className="comment-replies-rule" aria-hidden="true" />
        {`${fullCount.format(similar.count)} similar ${similar.count === 1 ? 'comment' : 'comments'}`}
      </button>
      <div id={bodyId} hidden={!isOpen}>
        {isOpen && (
          <ul className="comment-list comment-similar-list" aria-label="Groups of similar comments">
            {similar.clusters.map((cluster) => (
              <li key={cluster.id} className="comment-item comment-item-cluster">
                <ClusterRow cluster={cluster} onChange={onChange} onRemove={onRemove} onHidden={onHidden} />
              </li>
            ))}
          </ul>
        )}
      </div>
    </section>
  );
}
