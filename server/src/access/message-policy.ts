import { type SqlBool, sql } from 'kysely';
import { type AccountFacts, canSeeAccount, isSuspended } from './account-policy.ts';
import { type SqlForm, anyOf, column } from './sql-form.ts';
import { type StoryFacts, canViewStory, isExpired } from './story-policy.ts';
import { type ViewerContext, isBlockedEitherWay, isSelf } from './viewer-context.ts';

/**
 * Direct statuses are messages: read in conversations by those in them (canViewPost: the
 * sender and the mentioned), and never listed anywhere else — not in the home, list, public or
 * hashtag timelines, the streams built on them, the profile grid, search, tag counts or the
 * account's statuses_count.
 */
export function isMessage(post: { visibility: string }): boolean {
  return post.visibility === 'direct';
}

/** The SQL form of `!isMessage` over a `statuses` row: what the listings and counts may read. */
export function notMessageSql(statuses = 'statuses'): SqlForm {
  return sql<SqlBool>`${column(statuses, 'visibility')} <> ${'direct'}`;
}

/** A message of a conversation (direct statuses written since conversations exist). */
export function isConversationMessage(status: { visibility: string; conversation_id: string | null }): boolean {
  return isMessage(status) && status.conversation_id !== null;
}

/**
 * Whether the viewer reads a message in its conversation's thread: its sender, and the
 * accounts it was delivered to (its `mentions`), as canViewPost reads a direct status. A story
 * reply the author's hidden words caught was delivered to nobody: only its sender reads it.
 * (The thread's hydration then applies canViewPost itself: blocks and suspensions.)
 */
export function isMessageReader(ctx: ViewerContext, message: { account_id: string }, facts: { isMentioned: boolean }): boolean {
  if (ctx.viewer === undefined) return false;
  return isSelf(ctx, message.account_id) || facts.isMentioned;
}

/** The SQL form of isMessageReader over a `statuses` row (the `mentions` table holds deliveries). */
export function messageReaderSql(ctx: Pick<ViewerContext, 'viewer'>, statuses = 'statuses'): SqlForm {
  if (ctx.viewer === undefined) return sql<SqlBool>`1 = 0`;
  const id = ctx.viewer.accountId;
  return anyOf(
    sql<SqlBool>`${column(statuses, 'account_id')} = ${id}`,
    sql<SqlBool>`exists (select 1 from mentions as mr where mr.status_id = ${column(statuses, 'id')} and mr.account_id = ${id})`,
  );
}

/**
 * Whether a message from the sender reaches a mentioned account (`senderCtx`: the sender's
 * relations to it). Never oneself, a suspended account, or across a block either way. Refusals
 * are never explained to the sender beyond "cannot be delivered", so a block is not revealed.
 */
export function canReceiveMessage(senderCtx: ViewerContext, recipient: AccountFacts): boolean {
  if (isSelf(senderCtx, recipient.id)) return false;
  if (isSuspended(recipient) || !canSeeAccount(senderCtx, recipient)) return false;
  return !isBlockedEitherWay(senderCtx, recipient.id);
}

/** Whether the viewer may see the conversation's other participant in its `accounts`. */
export function canSeeParticipant(ctx: ViewerContext, account: AccountFacts): boolean {
  return canSeeAccount(ctx, account);
}

/**
 * A story a message answers is previewed (its photo shown beside the message) only while it
 * is live and the viewer may see it now: its author, or someone its audience rule admits.
 */
export function canPreviewAnsweredStory(ctx: ViewerContext, story: StoryFacts, author: AccountFacts, now: Date): boolean {
  return !isExpired(story, now) && canViewStory(ctx, story, author, { now, viaHighlight: false });
}
