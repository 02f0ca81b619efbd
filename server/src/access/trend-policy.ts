import type { ViewerContext } from './viewer-context.ts';

/**
 * Trending posts are the same ranked list for everyone (only publicly listable posts rank:
 * publiclyListableSql). A viewer's page is then what canViewPost lets them see (the hydrator
 * drops blocked authors either way), without the authors they mute, as on Mastodon.
 */
export function isShownInTrends(ctx: ViewerContext, post: { account_id: string }): boolean {
  return !ctx.muting.has(post.account_id);
}
