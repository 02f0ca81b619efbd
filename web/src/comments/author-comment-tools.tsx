import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { useApi } from '../api/api-context.tsx';
import type { CommentPolicy, Status } from '../api/mastodon-types.ts';
import { postPath } from '../api/statuses-api.ts';
import { ErrorMessage } from '../ui/feedback.tsx';
import { CommentPolicySelect } from './comment-policy-select.tsx';
import { GLIMPSE_API, updateCommentPolicy } from './comments-api.ts';

/** How many hidden comments the review link counts at most before it says "80+". */
const HIDDEN_COUNT_LIMIT = 80;

/** The post author's controls above the comments: who can comment, hidden comments, the digest. */
export function AuthorCommentTools({ post, onPostChange }: { post: Status; onPostChange?: (status: Status) => void }) {
  const api = useApi();
  const [policy, setPolicy] = useState<CommentPolicy>(post.glimpse?.comment_policy ?? 'everyone');
  const [isSaving, setSaving] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState('');
  const [hiddenCount, setHiddenCount] = useState<number | null>(null);
  const path = postPath(post);

  useEffect(() => setPolicy(post.glimpse?.comment_policy ?? 'everyone'), [post.glimpse?.comment_policy]);

  useEffect(() => {
    const controller = new AbortController();
    api.get<unknown[]>(`${GLIMPSE_API}/statuses/${encodeURIComponent(post.id)}/hidden_comments`, { limit: HIDDEN_COUNT_LIMIT }, controller.signal).then(
      (list) => setHiddenCount(Array.isArray(list) ? list.length : null),
      () => {},
    );
    return () => controller.abort();
  }, [api, post.id]);

  const change = async (next: CommentPolicy) => {
    const before = policy;
    setPolicy(next);
    setSaving(true);
    setError(null);
    setSaved('');
    try {
      const updated = await updateCommentPolicy(api, post.id, next);
      onPostChange?.(updated);
      setSaved('Saved.');
    } catch (err) {
      setPolicy(before);
      setError(err);
    } finally {
      setSaving(false);
    }
  };

  return (
    <div className="comments-author-tools">
      <div className="comments-policy">
        <CommentPolicySelect value={policy} onChange={change} disabled={isSaving} />
        <span className="success-message" role="status">
          {saved}
        </span>
        <ErrorMessage error={error} />
      </div>
      <ul className="comments-author-links">
        <li>
          <Link to={`${path}/hidden`} className="text-link">
            Hidden comments{hiddenCount === null ? '' : ` (${hiddenCount >= HIDDEN_COUNT_LIMIT ? `${HIDDEN_COUNT_LIMIT}+` : hiddenCount})`}
          </Link>
        </li>
        <li>
          <Link to={`${path}/digest`} className="text-link">
            Reactions digest
          </Link>
        </li>
      </ul>
    </div>
  );
}
