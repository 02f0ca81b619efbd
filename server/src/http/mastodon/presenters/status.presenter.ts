import type { HydratedPost } from '../../../domain/posts/post-hydrator.ts';
import { renderCaptionHtml } from '../../../domain/posts/caption.ts';
import type { MediaUrls } from '../../../domain/media/media-urls.ts';
import { type PresentContext, presentAccount } from './account.presenter.ts';
import { presentMediaAttachment } from './media-attachment.presenter.ts';
import type { Filtered } from '../../../domain/filters/filter-matcher.ts';
import { presentFilterResult } from './filter.presenter.ts';
import { presentEmojisIn } from './custom-emoji.presenter.ts';
import type { CommentPolicy, Status, StatusGlimpse } from '../entities.ts';

export interface StatusPresentContext extends PresentContext {
  mediaUrls: MediaUrls;
}

export function statusUrl(ctx: PresentContext, username: string, id: string): string {
  return `${ctx.publicUrl}/@${username}/${id}`;
}

/** A caption as Mastodon HTML (everything escaped), mentions linked to the post's mentioned accounts. */
export function renderStatusContent(ctx: PresentContext, post: Pick<HydratedPost, 'mentions'>, text: string): string {
  const mentionUrls = new Map(post.mentions.map((m) => [m.username.toLowerCase(), `${ctx.publicUrl}/@${m.username}`]));
  return renderCaptionHtml(text, ctx.publicUrl, mentionUrls);
}

/**
 * The Mastodon Status entity, plus our fields under `glimpse`; `filtered` from FilterService.apply.
 * It is made of four parts: what every viewer sees alike (statusSharedFields, sharedGlimpse), the
 * author, and the viewer's own fields; status-json.ts serialises the shared parts once per post.
 */
export function presentStatus(ctx: StatusPresentContext, post: HydratedPost & Filtered): Status {
  return {
    ...statusSharedFields(ctx, post),
    ...statusViewerFields(post),
    account: presentAccount(ctx, post.author),
    glimpse: { ...sharedGlimpse(post), ...viewerGlimpse(ctx, post) },
  };
}

/** What every viewer of the post is shown alike, but its author (shown as its own Account). */
export function statusSharedFields(ctx: StatusPresentContext, post: HydratedPost): Omit<Status, StatusViewerField | 'account' | 'glimpse'> {
  const { status, author } = post;
  return {
    id: status.id,
    created_at: status.created_at,
    edited_at: status.edited_at,
    in_reply_to_id: status.in_reply_to_id,
    in_reply_to_account_id: status.in_reply_to_account_id,
    sensitive: Boolean(status.sensitive),
    spoiler_text: status.spoiler_text,
    visibility: status.visibility,
    language: status.language,
    uri: `${ctx.publicUrl}/users/${author.username}/statuses/${status.id}`,
    url: statusUrl(ctx, author.username, status.id),
    reblogs_count: 0,
    reblogged: false,
    content: renderStatusContent(ctx, post, status.text),
    reblog: null,
    application: null,
    media_attachments: post.media.map((m) =>
      presentMediaAttachment(ctx.mediaUrls, m, {
        restricted: post.restrictedMedia,
        tags: (post.mediaTags.get(m.id) ?? []).flatMap((t) => {
          const account = post.accounts.get(t.account_id);
          return account ? [{ account: presentAccount(ctx, account), x: t.x, y: t.y }] : [];
        }),
      }),
    ),
    mentions: post.mentions.map((m) => ({ id: m.id, username: m.username, acct: m.username, url: `${ctx.publicUrl}/@${m.username}` })),
    tags: post.tags.map((t) => ({ name: t.display, url: `${ctx.publicUrl}/tags/${encodeURIComponent(t.tag)}` })),
    emojis: presentEmojisIn(ctx, status.spoiler_text, status.text),
    card: null,
    poll: null,
  };
}

/** The viewer's own fields: its marks, the counts as it may see them, the caption's source to its author. */
export function statusViewerFields(post: HydratedPost & Filtered): Pick<Status, StatusViewerField> {
  const { status } = post;
  return {
    replies_count: post.repliesCount,
    favourites_count: post.likeCountVisible ? status.favourites_count : 0,
    favourited: post.favourited,
    muted: post.muted,
    bookmarked: post.bookmarked,
    pinned: post.pinned,
    text: post.canManage ? status.text : undefined,
    filtered: post.filterResults?.map(presentFilterResult) ?? [],
  };
}

/** `glimpse` fields every viewer sees alike. */
export function sharedGlimpse({ status }: HydratedPost): Pick<StatusGlimpse, SharedGlimpseField> {
  return {
    // Checked on the way in (status-input.ts); the column is plain text.
    comment_policy: status.comment_policy as CommentPolicy,
    post_id: status.post_id,
    thread_id: status.thread_id,
    pinned: status.pinned_at !== null,
    hide_like_count: Boolean(status.hide_like_count),
  };
}

/** `glimpse` fields of this viewer. */
export function viewerGlimpse(ctx: StatusPresentContext, post: HydratedPost): Omit<StatusGlimpse, SharedGlimpseField> {
  return {
    // Decided in access/comment-policy.ts (canSeeHiddenReason): reviewers only, never the comment's author.
    ...(post.hiddenReasonVisible ? { hidden_reason: post.status.hidden_reason } : {}),
    like_count_hidden: !post.likeCountVisible,
    can: post.can,
    // A message's conversation (GET /api/glimpse/v1/conversations/:id/messages); only its participants see a message at all.
    ...(post.status.conversation_id ? { conversation_id: post.status.conversation_id } : {}),
    // A message answering a story (a story reply or reaction): its photo while the viewer may see it live.
    ...(post.story
      ? { story: { id: post.story.id, preview_url: post.story.preview ? presentMediaAttachment(ctx.mediaUrls, post.story.preview, { restricted: true }).preview_url : null, expired: post.story.expired } }
      : {}),
  };
}

export type PresentedStatus = Status;

/** The fields of a Status that are the viewer's own (statusViewerFields). */
type StatusViewerField = 'replies_count' | 'favourites_count' | 'favourited' | 'muted' | 'bookmarked' | 'pinned' | 'text' | 'filtered';
type SharedGlimpseField = 'comment_policy' | 'post_id' | 'thread_id' | 'pinned' | 'hide_like_count';
