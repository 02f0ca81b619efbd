import { useId, useState } from 'react';
import type { CommentCluster, CommentStatus } from './comments-api.ts';
import { CommentRow } from './comment-row.tsx';

const fullCount = new Intl.NumberFormat('en');

/** `“Not Ines” · 12,403 comments`: the text of a fold and its count. */
export function clusterLine(cluster: Pick<CommentCluster, 'text' | 'count'>): string {
  return `“${cluster.text}” · ${fullCount.format(cluster.count)} ${cluster.count === 1 ? 'comment' : 'comments'}`;
}

/**
 * A storm of near-identical comments, folded into one counted line. Pressing it shows a few
 * of them (each can still be liked, answered or reported).
 */
export function ClusterRow({ cluster, onChange, onRemove }: { cluster: CommentCluster; onChange: (status: CommentStatus) => void; onRemove: (status: CommentStatus) => void }) {
  const [isOpen, setOpen] = useState(false);
  const sampleId = useId();
  return (
    <div className="comment-cluster">
      <button type="button" className="comment-cluster-line" aria-expanded={isOpen} aria-controls={sampleId} onClick={() => setOpen((open) => !open)}>
        <span className="comment-cluster-text">{clusterLine(cluster)}</span>
        <span className="comment-cluster-action">{isOpen ? 'Hide comments like this' : 'Show comments like this'}</span>
      </button>
      <div id={sampleId} hidden={!isOpen}>
        {isOpen && (
          <>
            <ul className="comment-list comment-cluster-sample" aria-label={`Comments like “${cluster.text}”`}>
              {cluster.sample.map((status) => (
                <li key={status.id} className="comment-item">
                  <CommentRow status={status} onChange={onChange} onRemove={onRemove} />
                </li>
              ))}
            </ul>
            {cluster.count > cluster.sample.length && (
              <p className="comment-cluster-more muted">
                Showing {cluster.sample.length} of {fullCount.format(cluster.count)}.
              </p>
            )}
          </>
        )}
      </div>
    </div>
  );
}
