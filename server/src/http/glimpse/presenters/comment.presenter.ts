import type { CommentCluster, CommentItem } from '../../../domain/comments/comment-service.ts';
import { presentStatus, type StatusPresentContext } from '../../mastodon/presenters/status.presenter.ts';

export function presentCommentItem(ctx: StatusPresentContext, item: CommentItem) {
  return { type: 'comment' as const, status: presentStatus(ctx, item.post), replies_count: item.post.repliesCount, pinned: item.pinned };
}

/**
 * The "similar comments" section of a first page: how many comments it holds and its clusters,
 * largest first. A hostile cluster's text is sent too; the client keeps it behind a tap.
 */
export function presentSimilar(clusters: CommentCluster[]) {
  return {
    count: clusters.reduce((n, c) => n + c.count, 0),
    clusters: clusters.map((c) => ({ id: c.id, text: c.text, count: c.count, accounts: c.accounts, tone: c.tone, hostile: c.hostile })),
  };
}
