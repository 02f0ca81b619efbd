import { useId } from 'react';
import { Link } from 'react-router';
import { ApiError } from '../api/api-client.ts';
import { useApi } from '../api/api-context.tsx';
import type { Status } from '../api/mastodon-types.ts';
import { fetchStatus, postPath } from '../api/statuses-api.ts';
import { NotFoundPage } from '../app/not-found-page.tsx';
import type { CommentStatus } from '../comments/comments-api.ts';
import { SafeContent } from '../posts/safe-content.tsx';
import { profilePath } from '../ui/account-name.ts';
import { Loading, LoadError } from '../ui/feedback.tsx';
import { BackIcon } from '../ui/icons.tsx';
import { useDocumentTitle } from '../ui/use-document-title.ts';
import { useResource } from '../ui/use-resource.ts';
import { usePostParams } from './hidden-comments-page.tsx';
import { fetchReactionsDigest, TONES, type ReactionsDigest, type Tone } from './moderation-api.ts';
import { TONE_LABELS, ToneChart } from './tone-chart.tsx';
import '../comments/comments.css';
import './moderation.css';

const fullCount = new Intl.NumberFormat('en');
const percent = new Intl.NumberFormat('en', { style: 'percent', maximumFractionDigits: 0 });

/** `/@username/:id/digest`: the reactions digest of a post, for its author. */
export function DigestRoute() {
  const params = usePostParams();
  if (!params) return <NotFoundPage />;
  return <DigestPage key={params.postId} postId={params.postId} />;
}

export function DigestPage({ postId }: { postId: string }) {
  useDocumentTitle('Reactions digest');
  const api = useApi();
  const [state, { reload }] = useResource(async (signal) => {
    const [post, digest] = await Promise.all([fetchStatus(api, postId, signal), fetchReactionsDigest(api, postId, signal)]);
    return { post, digest };
  }, postId);

  if (state.status === 'loading') return <Loading label="Loading the digest…" />;
  if (state.status === 'error') {
    if (state.error instanceof ApiError && (state.error.status === 404 || state.error.status === 403)) return <NotFoundPage />;
    return <LoadError error={state.error} onRetry={reload} />;
  }
  return <Digest post={state.data.post} digest={state.data.digest} />;
}

function Digest({ post, digest }: { post: Status; digest: ReactionsDigest }) {
  const toneId = useId();
  const timeId = useId();
  const phrasesId = useId();
  const quotesId = useId();
  const visible = Math.max(0, digest.comments_total - digest.hidden_total);
  const toneTotal = TONES.reduce((sum, tone) => sum + (digest.tone[tone] ?? 0), 0);

  return (
    <div className="page page-narrow digest-page">
      <Link to={postPath(post)} className="back-link">
        <BackIcon />
        <span>Back to post</span>
      </Link>
      <h1 className="page-title">Reactions digest</h1>

      <dl className="digest-totals" aria-label="Totals">
        <div className="digest-total">
          <dt>Comments</dt>
          <dd>{fullCount.format(digest.comments_total)}</dd>
        </div>
        <div className="digest-total">
          <dt>Hidden</dt>
          <dd>{fullCount.format(digest.hidden_total)}</dd>
        </div>
        <div className="digest-total">
          <dt>Visible</dt>
          <dd>{fullCount.format(visible)}</dd>
        </div>
      </dl>

      <section className="digest-section" aria-labelledby={toneId}>
        <h2 className="digest-heading" id={toneId}>
          Tone
        </h2>
        <ul className="tone-split">
          {TONES.map((tone) => {
            const count = digest.tone[tone] ?? 0;
            const share = toneTotal > 0 ? count / toneTotal : 0;
            return (
              <li key={tone} className="tone-split-row">
                <span className="tone-split-label">{TONE_LABELS[tone]}</span>
                <span className="tone-split-track" aria-hidden="true">
                  <span className={`tone-split-fill tone-bg-${tone}`} style={{ width: `${(share * 100).toFixed(1)}%` }} />
                </span>
                <span className="tone-split-value">
                  {fullCount.format(count)} <span className="muted">({percent.format(share)})</span>
                </span>
              </li>
            );
          })}
        </ul>
        <p className="field-hint">Tone is estimated from the words of each comment (a sentiment word list) and from questions; sarcasm can fool it.</p>
      </section>

      <section className="digest-section" aria-labelledby={timeId}>
        <h2 className="digest-heading" id={timeId}>
          Over time
        </h2>
        <ToneChart buckets={digest.over_time} />
      </section>

      <section className="digest-section" aria-labelledby={phrasesId}>
        <h2 className="digest-heading" id={phrasesId}>
          Most repeated
        </h2>
        {digest.clusters.length === 0 ? (
          <p className="muted">No comment was repeated yet.</p>
        ) : (
          <ol className="digest-phrases">
            {digest.clusters.map((cluster) => (
              <li key={cluster.text} className="digest-phrase">
                <span className="digest-phrase-text">“{cluster.text}”</span>
                <span className="digest-phrase-count">
                  {fullCount.format(cluster.count)} {cluster.count === 1 ? 'comment' : 'comments'}
                </span>
              </li>
            ))}
          </ol>
        )}
      </section>

      <section className="digest-section" aria-labelledby={quotesId}>
        <h2 className="digest-heading" id={quotesId}>
          Representative comments
        </h2>
        <div className="digest-quotes">
          {(['supportive', 'critical', 'question'] as const).map((tone) => (
            <Quotes key={tone} tone={tone} statuses={digest.representative[tone] ?? []} />
          ))}
        </div>
      </section>
    </div>
  );
}

function Quotes({ tone, statuses }: { tone: Exclude<Tone, 'neutral'>; statuses: CommentStatus[] }) {
  const headingId = useId();
  return (
    <section className={`digest-quote-group tone-border-${tone}`} aria-labelledby={headingId}>
      <h3 className="digest-subheading" id={headingId}>
        {TONE_LABELS[tone]}
      </h3>
      {statuses.length === 0 ? (
        <p className="muted">None yet.</p>
      ) : (
        <ul className="digest-quote-list">
          {statuses.map((status) => (
            <li key={status.id}>
              <figure className="digest-quote">
                <blockquote>
                  <SafeContent html={status.content} className="comment-content" />
                </blockquote>
                <figcaption>
                  <Link to={profilePath(status.account)} className="comment-author">
                    @{status.account.acct || status.account.username}
                  </Link>
                </figcaption>
              </figure>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
