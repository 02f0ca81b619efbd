import type { FeaturedTagView, TagView } from '../../../domain/tags/tag-service.ts';
import type { PresentContext } from './account.presenter.ts';

export function tagUrl(ctx: PresentContext, tag: string): string {
  return `${ctx.publicUrl}/tags/${encodeURIComponent(tag)}`;
}

/** The Mastodon Tag entity: history newest day first, counts as strings as Mastodon sends them. */
export function presentTag(ctx: PresentContext, view: TagView) {
  return {
    id: view.tag,
    name: view.display,
    url: tagUrl(ctx, view.tag),
    history: view.history.map((d) => ({ day: String(d.day), uses: String(d.uses), accounts: String(d.accounts) })),
    ...(view.following !== undefined ? { following: view.following } : {}),
    ...(view.featuring !== undefined ? { featuring: view.featuring } : {}),
  };
}

/** The Mastodon FeaturedTag entity; last_status_at is a date, as on Mastodon. */
export function presentFeaturedTag(ctx: PresentContext, view: FeaturedTagView) {
  return {
    id: view.row.id,
    name: view.row.display,
    url: `${ctx.publicUrl}/@${view.account.username}/tagged/${encodeURIComponent(view.row.tag)}`,
    statuses_count: view.statusesCount,
    last_status_at: view.lastStatusAt ? view.lastStatusAt.slice(0, 10) : null,
  };
}
