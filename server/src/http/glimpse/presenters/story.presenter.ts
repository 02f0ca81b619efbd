import type { HydratedStory, TrayEntry } from '../../../domain/stories/story-service.ts';
import { overlayText } from '../../../domain/stories/story.ts';
import type { HighlightRow } from '../../../domain/stories/story.ts';
import type { StatusPresentContext } from '../../mastodon/presenters/status.presenter.ts';
import { presentAccount } from '../../mastodon/presenters/account.presenter.ts';
import { presentMediaAttachment } from '../../mastodon/presenters/media-attachment.presenter.ts';

/**
 * The Story entity. Story photos are always handed out as signed, expiring URLs. The overlays
 * stay structured; their words are also given as plain text (`text`, and the photo's
 * description when it has none) for screen readers and clients that cannot draw them.
 */
export function presentStory(ctx: StatusPresentContext, s: HydratedStory) {
  const usernames = new Map(s.mentions.map((m) => [m.id, m.username]));
  const words = overlayText(s.overlays, usernames);
  const media = presentMediaAttachment(ctx.mediaUrls, s.media, { restricted: true });
  return {
    id: s.story.id,
    account: presentAccount(ctx, s.author),
    created_at: s.story.created_at,
    expires_at: s.story.expires_at,
    media_attachment: { ...media, description: media.description || words || null },
    overlays: s.overlays,
    text: words,
    audience: s.story.audience,
    duration_ms: s.story.duration_ms,
    mentions: s.mentions.map((m) => presentAccount(ctx, m)),
    seen: s.seen,
    reshare_of: s.reshareOf ? { id: s.reshareOf.story.id, account: presentAccount(ctx, s.reshareOf.author) } : null,
    ...(s.isOwn ? { viewers_count: s.story.viewers_count } : {}),
    // What the viewer may do with it, decided in access/capabilities.ts.
    glimpse: { can: s.can },
  };
}

export function presentTrayEntry(ctx: StatusPresentContext, e: TrayEntry) {
  return {
    account: presentAccount(ctx, e.account),
    stories_count: e.storiesCount,
    unseen_count: e.unseenCount,
    latest_at: e.latestAt,
    has_close_friends: e.hasCloseFriends,
  };
}

export function presentHighlight(ctx: StatusPresentContext, h: { highlight: HighlightRow; stories: HydratedStory[] }) {
  const cover = h.stories.find((s) => s.story.id === h.highlight.cover_story_id) ?? h.stories[0];
  return {
    id: h.highlight.id,
    title: h.highlight.title,
    position: h.highlight.position,
    cover: cover ? presentMediaAttachment(ctx.mediaUrls, cover.media, { restricted: true }) : null,
    cover_story_id: cover?.story.id ?? null,
    stories: h.stories.map((s) => presentStory(ctx, s)),
    created_at: h.highlight.created_at,
    updated_at: h.highlight.updated_at,
  };
}
