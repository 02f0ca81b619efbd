import { type SqlBool, sql } from 'kysely';
import { type AccountFacts, canSeeAccount, canSeeAccountContent, isLocked } from './account-policy.ts';
import { type SqlForm, column } from './sql-form.ts';
import { type ViewerContext, isBlockedEitherWay, isSelf } from './viewer-context.ts';

/** The story fields the policies read. */
export interface StoryFacts {
  id: string;
  account_id: string;
  audience: 'followers' | 'close_friends';
  expires_at: string;
}

export interface StoryViewFacts {
  /** Current time, from the injectable clock. */
  now: Date;
  /** Read through a highlight, where it outlives the 24 hours. */
  viaHighlight: boolean;
}

export function isExpired(story: Pick<StoryFacts, 'expires_at'>, now: Date): boolean {
  return story.expires_at <= now.toISOString();
}

/** The SQL form of `!isExpired`: the story (`stories`) is live at `now`. */
export function liveStorySql(now: Date, stories = 'stories'): SqlForm {
  return sql<SqlBool>`${column(stories, 'expires_at')} > ${now.toISOString()}`;
}

/** The SQL form of `isExpired`: the story (`stories`) has expired by `now` (the author's archive lists these). */
export function expiredStorySql(now: Date, stories = 'stories'): SqlForm {
  return sql<SqlBool>`${column(stories, 'expires_at')} <= ${now.toISOString()}`;
}

/**
 * Whether the viewer may see a story. The author always. Nobody blocked either way. It must
 * be live, unless read through a highlight. The author's content must be visible to the
 * viewer (a private account's stories: approved followers only). A close-friends story also
 * needs the viewer on the author's list now, so removing someone hides it at once, including
 * stories already in their tray and in highlights.
 */
export function canViewStory(ctx: ViewerContext, story: StoryFacts, author: AccountFacts, facts: StoryViewFacts): boolean {
  if (isSelf(ctx, story.account_id)) return true;
  if (!canSeeAccount(ctx, author) || isBlockedEitherWay(ctx, author.id)) return false;
  if (!facts.viaHighlight && isExpired(story, facts.now)) return false;
  if (!canSeeAccountContent(ctx, author)) return false;
  if (story.audience === 'close_friends') return ctx.closeFriendOf.has(author.id);
  return true;
}

/**
 * Whether the viewer may add someone's story to their own: they must be mentioned in it and
 * see it, and the story must be one its author shares beyond a chosen few — a close-friends
 * story or a private account's story can never be carried to another audience. A reshare is
 * not reshared again: only the original's audience is checked when a reshare is shown.
 */
export function canReshareStory(ctx: ViewerContext, story: StoryFacts & { reshare_of_id: string | null }, author: AccountFacts, isMentioned: boolean, now: Date): boolean {
  if (ctx.viewer === undefined || isSelf(ctx, story.account_id) || story.reshare_of_id !== null) return false;
  if (!isMentioned || !canViewStory(ctx, story, author, { now, viaHighlight: false })) return false;
  return story.audience === 'followers' && !isLocked(author);
}

/** Only the author deletes a story. */
export function canDeleteStory(ctx: ViewerContext, story: StoryFacts): boolean {
  return isSelf(ctx, story.account_id);
}

/** Only the author sees who viewed a story. */
export function canSeeStoryViewers(ctx: ViewerContext, story: StoryFacts): boolean {
  return isSelf(ctx, story.account_id);
}

/** Replies and reactions: a signed-in viewer who may see the live story, and not its author. */
export function canRespondToStory(ctx: ViewerContext, story: StoryFacts, author: AccountFacts, now: Date): boolean {
  return ctx.viewer !== undefined && !isSelf(ctx, story.account_id) && canViewStory(ctx, story, author, { now, viaHighlight: false });
}

/** A mention sticker may name any existing account not blocked either way by the author. */
export function canMentionInStory(authorCtx: ViewerContext, accountId: string): boolean {
  return !isBlockedEitherWay(authorCtx, accountId);
}

/**
 * Whether a story's author may read a reply or reaction sent to them: not one the author's
 * hidden words caught, whether when it was sent or when the list was re-applied later.
 */
export function canAuthorReadStoryResponse(response: { hidden: number }): boolean {
  return response.hidden === 0;
}
