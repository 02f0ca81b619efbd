import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { useApi } from '../api/api-context.tsx';
import type { Status } from '../api/mastodon-types.ts';
import { postPath } from '../api/statuses-api.ts';
import { profilePath } from '../ui/account-name.ts';
import { SafeContent } from '../posts/safe-content.tsx';
import { fetchComments, type CommentItem } from './comments-api.ts';
import { itemKey } from './use-comment-pages.ts';
import './comments.css';

const fullCount = new Intl.NumberFormat('en');
const PREVIEW_SIZE = 2;

/**
 * Under a card in the feed: "View all N comments" and the first two (top) comments, each
 * opening the post's page where the whole conversation is. Nothing when there are none.
 * Single comments only: a storm (the page's `similar`) is never previewed under a photo.
 */
export function CommentPreview({ status }: { status: Status }) {
  const api = useApi();
  const count = status.replies_count ?? 0;
  const [items, setItems] = useState<CommentItem[]>([]);
  const path = postPath(status);
  const hasComments = count > 0 && !status.in_reply_to_id;

  useEffect(() => {
    if (!hasComments) return;
    const controller = new AbortController();
    fetchComments(api, status.id, { sort: 'top', limit: PREVIEW_SIZE }, controller.signal).then(
      (page) => setItems(page.items.filter((item) => item.type === 'comment').slice(0, PREVIEW_SIZE)),
      // The link to the post stays; the preview is a nicety.
      () => {},
    );
    return () => controller.abort();
  }, [api, status.id, hasComments, count]);

  if (!hasComments) return null;
  return (
    <div className="comment-preview">
      <Link to={path} className="comment-preview-all">
        {count === 1 ? 'View 1 comment' : `View all ${fullCount.format(count)} comments`}
      </Link>
      {items.length > 0 && (
        <ul className="comment-preview-list" aria-label={`Comments on the post by ${status.account.acct || status.account.username}`}>
          {items.map((item) => (
            <li key={itemKey(item)} className="comment-preview-item">
              <Link to={profilePath(item.status.account)} className="comment-author">
                {item.status.account.acct || item.status.account.username}
              </Link>{' '}
              <SafeContent html={item.status.content} emojis={item.status.emojis} className="comment-content" />
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
