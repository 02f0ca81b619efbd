import type { Clock } from '../../clock.ts';
import type { Db } from '../../db/database.ts';
import { newId } from '../../db/ids.ts';
import { notFound, unprocessable } from '../../errors.ts';
import type { Viewer } from '../../access/viewer-context.ts';
import { shouldNotify } from '../../access/account-policy.ts';
import { canReceiveMessage, canSeeParticipant, isConversationMessage } from '../../access/message-policy.ts';
import { threadKeysOf } from '../../access/thread-policy.ts';
import type { AccountRepository } from '../accounts/account-repository.ts';
import type { AccountRow } from '../accounts/account.ts';
import type { RelationshipRepository } from '../follows/relationship-repository.ts';
import type { MediaRepository } from '../media/media-repository.ts';
import type { MediaRow } from '../media/media.ts';
import type { NotificationService } from '../notifications/notification-service.ts';
import type { NotificationRow } from '../notifications/notification.ts';
import { countableLength, mentionedUsernames } from '../posts/caption.ts';
import type { HydratedPost, PostHydrator } from '../posts/post-hydrator.ts';
import type { PostRepository } from '../posts/post-repository.ts';
import { POST_LIMITS, type StatusRow, newStatusRow } from '../posts/post.ts';
import { type AccountConversationRow, type ConversationPaging, type ConversationRepository, participantsKey, participantsOf } from './conversation-repository.ts';

export const CONVERSATION_LIMITS = {
  /** Accounts one message may be sent to (its @mentions). */
  recipients: 20,
  /** As captions and comments. */
  text: POST_LIMITS.caption,
} as const;

/** A conversation as one participant sees it. */
export interface ConversationView {
  id: string;
  unread: boolean;
  /** The other participants the viewer may see. */
  accounts: AccountRow[];
  /** The newest message the viewer may see; undefined when it cannot be shown any more. */
  lastStatus: HydratedPost | undefined;
}

export interface SendMessageInput {
  text: string;
  mediaIds: string[];
  inReplyToId?: string;
  sensitive?: boolean;
  spoilerText?: string;
  language?: string;
  idempotencyKey?: string;
  /** Publishing a scheduled status: its claim runs first in the message's transaction. */
  scheduled?: { id: string; claim(trx: Db, statusId: string): Promise<void> };
}

/** A story reply or reaction, written as a message from its sender to the story's author. */
export interface StoryResponseMessage {
  /** The story reply's or reaction's own id: the message shares it, so answering that id answers the message. */
  id?: string;
  senderId: string;
  storyAuthorId: string;
  storyId: string;
  text: string;
  /** Caught by the author's hidden words: only the sender's side of the conversation shows it. */
  hidden: boolean;
}

/** A message written: who is told (a `conversation` event on each one's user channel). */
export interface MessageWritten {
  conversationId: string;
  statusId: string;
  accountIds: string[];
}

export interface ConversationEvents {
  onMessage?(written: MessageWritten): void;
}

/** Checks the photos of a message like a post's (PostService.ownReadyMedia). */
export type MediaCheck = (viewer: Viewer, ids: string[], options: { forScheduled?: string; allowProcessing?: boolean }) => Promise<MediaRow[]>;

/**
 * Direct messages and Mastodon's conversations. A direct status goes to the accounts it
 * mentions that may receive it (access/message-policy.ts); a conversation is one per set of
 * participants, continued by replies (in_reply_to_id), and each participant keeps their own
 * state of it (last status, unread, removed).
 */
export class ConversationService {
  private checkMedia: MediaCheck = async () => {
    throw unprocessable('Validation failed: Media is invalid or not yours');
  };

  constructor(
    private readonly db: Db,
    private readonly conversations: ConversationRepository,
    private readonly posts: PostRepository,
    private readonly accounts: AccountRepository,
    private readonly media: MediaRepository,
    private readonly relationships: RelationshipRepository,
    private readonly hydrator: PostHydrator,
    private readonly notifications: NotificationService,
    private readonly clock: Clock,
    private readonly events: ConversationEvents = {},
  ) {}

  /** Wired by services.ts: photos are checked by the posts feature's rule. */
  useMediaCheck(check: MediaCheck): void {
    this.checkMedia = check;
  }

  /** Sends a direct message (POST /api/v1/statuses with visibility=direct, or a reply to one). */
  async send(viewer: Viewer, input: SendMessageInput): Promise<HydratedPost> {
    if (input.idempotencyKey) {
      const existing = await this.posts.findIdempotent(viewer.accountId, input.idempotencyKey);
      if (existing) return this.getStatus(viewer, existing);
    }
    const { replyTo, media, text, recipients } = await this.prepare(viewer, input, { forScheduled: input.scheduled?.id });
    const now = this.clock.now();
    const row = this.statusRow(newId(now.getTime()), viewer.accountId, text, now, {
      replyTo: replyTo?.status,
      hasMedia: media.length > 0,
      sensitive: input.sensitive,
      spoilerText: input.spoilerText,
      language: input.language,
    });
    // Who is told, as the reads decide (loaded before the transaction: SQLite has one connection).
    const audience = await this.relationships.loadAudienceContexts([viewer.accountId], recipients.map((r) => r.id), threadKeysOf(row));
    const result = await this.db.transaction().execute(async (trx) => {
      await input.scheduled?.claim(trx, row.id);
      if (input.idempotencyKey && !(await this.posts.claimIdempotencyKey(viewer.accountId, input.idempotencyKey, row.id, row.created_at, trx))) return undefined;
      const written = await this.write(trx, row, recipients.map((r) => r.id), recipients.map((r) => r.id), media);
      const sent: NotificationRow[] = [];
      for (const r of recipients) {
        const ctx = audience.get(r.id);
        if (!ctx || !shouldNotify(ctx, viewer.accountId, true, row)) continue;
        const n = await this.notifications.notify(trx, 'mention', r.id, viewer.accountId, row.id);
        if (n) sent.push(n);
      }
      return { written, sent };
    });
    if (!result) return this.getStatus(viewer, (await this.posts.findIdempotent(viewer.accountId, input.idempotencyKey!))!);
    for (const n of result.sent) this.notifications.published(n);
    this.events.onMessage?.(result.written);
    return this.getStatus(viewer, row.id);
  }

  /** The checks `send` makes, writing nothing (a scheduled message; its photos may still be processing). */
  async check(viewer: Viewer, input: SendMessageInput): Promise<void> {
    await this.prepare(viewer, input, { allowProcessing: true });
  }

  /** What a message is: the message it answers, its photos, its text and who receives it. */
  private async prepare(viewer: Viewer, input: SendMessageInput, mediaOptions: { forScheduled?: string; allowProcessing?: boolean }) {
    let replyTo: HydratedPost | undefined;
    if (input.inReplyToId) {
      [replyTo] = await this.hydrator.hydrate(viewer, [input.inReplyToId]);
      if (!replyTo) throw notFound();
      if (!isConversationMessage(replyTo.status)) throw unprocessable('Validation failed: A direct message can only answer a direct message');
    }
    const media = input.mediaIds.length ? await this.checkMedia(viewer, input.mediaIds, mediaOptions) : [];
    let text = input.text;
    // Answering someone else's message addresses them, as a reply to a comment does.
    const answering = replyTo && replyTo.author.id !== viewer.accountId ? replyTo.author : undefined;
    if (answering && !mentionedUsernames(text).includes(answering.username.toLowerCase())) text = `@${answering.username} ${text}`;
    if (text.trim() === '' && media.length === 0) throw unprocessable("Validation failed: Text can't be blank");
    if (countableLength(text) > CONVERSATION_LIMITS.text) throw unprocessable(`Validation failed: Text is too long (maximum is ${CONVERSATION_LIMITS.text} characters)`);
    const names = mentionedUsernames(text);
    if (names.length === 0) throw unprocessable('Validation failed: A direct message must mention the accounts it is sent to');
    if (names.length > CONVERSATION_LIMITS.recipients) throw unprocessable(`Validation failed: A direct message is sent to at most ${CONVERSATION_LIMITS.recipients} accounts`);
    const found = await this.db.selectFrom('accounts').selectAll().where('username_lower', 'in', names).execute();
    const senderCtx = await this.relationships.loadViewerContext(viewer, found.map((a) => a.id));
    // Missing, suspended, blocked either way and oneself all get the same answer.
    const recipients = found.filter((a) => canReceiveMessage(senderCtx, a));
    if (recipients.length === 0) throw unprocessable('Validation failed: This message cannot be delivered');
    return { replyTo, media, text, recipients };
  }

  /**
   * A story reply or reaction becomes a message from its sender to the story's author, in
   * their conversation, inside the story response's transaction. A hidden reply (the author's
   * hidden words) is on the sender's side only: the author is not a recipient, so it is not
   * theirs to read, never unread or new in their list, and does not bring back a conversation
   * they removed. Returns what to announce once the transaction has committed.
   */
  async recordStoryResponse(trx: Db, input: StoryResponseMessage): Promise<MessageWritten> {
    const now = this.clock.now();
    const row = this.statusRow(input.id ?? newId(now.getTime()), input.senderId, input.text, now, { storyId: input.storyId });
    const recipients = input.hidden ? [] : [input.storyAuthorId];
    return this.write(trx, row, [input.storyAuthorId], recipients, []);
  }

  announce(written: MessageWritten | undefined): void {
    if (written) this.events.onMessage?.(written);
  }

  /** A message is being deleted (in the delete's transaction): participants' last statuses move back. */
  async messageDeleted(trx: Db, status: StatusRow): Promise<void> {
    if (status.conversation_id) await this.conversations.messageDeleted(status.conversation_id, status.id, trx);
  }

  /** The viewer's conversations, newest message first; paging keys are the last statuses' ids. */
  async list(viewer: Viewer, paging: ConversationPaging): Promise<{ conversations: ConversationView[]; ids: string[] }> {
    const rows = await this.conversations.page(viewer.accountId, paging);
    return { conversations: await this.assemble(viewer, rows), ids: rows.map((r) => r.last_status_id) };
  }

  /** One conversation of the viewer's (not removed), or 404. */
  async get(viewer: Viewer, id: string): Promise<ConversationView> {
    const row = await this.conversations.findFor(viewer.accountId, id);
    if (!row || row.removed) throw notFound();
    const [view] = await this.assemble(viewer, [row]);
    return view;
  }

  /**
   * One conversation's messages the viewer reads, newest first, paged by id (max_id, since_id,
   * min_id): the thread of the inbox. 404 unless the conversation is the viewer's and not removed.
   */
  async messages(viewer: Viewer, id: string, paging: ConversationPaging): Promise<{ messages: HydratedPost[]; ids: string[] }> {
    await this.get(viewer, id);
    const ids = await this.conversations.messageIds(id, viewer, paging);
    return { messages: await this.hydrator.hydrate(viewer, ids), ids };
  }

  /** The viewer's unread conversations, as the inbox's badge counts them (up to `limit`). */
  unreadCount(viewer: Viewer, limit: number): Promise<number> {
    return this.conversations.unreadCount(viewer.accountId, limit);
  }

  /** Marks the conversation read (or, with `read` false, unread again) for the viewer. */
  async markRead(viewer: Viewer, id: string, read = true): Promise<ConversationView> {
    await this.get(viewer, id);
    await this.conversations.update(viewer.accountId, id, { unread: read ? 0 : 1 }, this.clock.now().toISOString());
    return this.get(viewer, id);
  }

  /** Hides the conversation from the viewer's list until a new message reaches them. */
  async remove(viewer: Viewer, id: string): Promise<void> {
    await this.get(viewer, id);
    await this.conversations.update(viewer.accountId, id, { removed: 1, unread: 0 }, this.clock.now().toISOString());
  }

  private async getStatus(viewer: Viewer, id: string): Promise<HydratedPost> {
    const [post] = await this.hydrator.hydrate(viewer, [id]);
    if (!post) throw notFound();
    return post;
  }

  /** A page of conversations in a fixed number of queries: the hydrator's batch, accounts, relations. */
  private async assemble(viewer: Viewer, rows: AccountConversationRow[]): Promise<ConversationView[]> {
    if (rows.length === 0) return [];
    const others = [...new Set(rows.flatMap((r) => participantsOf(r.participants_key)))].filter((id) => id !== viewer.accountId);
    const [posts, accounts, ctx] = await Promise.all([
      this.hydrator.hydrate(viewer, rows.map((r) => r.last_status_id)),
      this.accounts.findByIds(others),
      this.relationships.loadViewerContext(viewer, others),
    ]);
    const byId = new Map(posts.map((p) => [p.status.id, p]));
    return rows.map((r) => ({
      id: r.conversation_id,
      unread: r.unread === 1,
      accounts: participantsOf(r.participants_key).flatMap((id) => {
        const account = id === viewer.accountId ? undefined : accounts.get(id);
        return account && canSeeParticipant(ctx, account) ? [account] : [];
      }),
      lastStatus: byId.get(r.last_status_id),
    }));
  }

  private statusRow(
    id: string,
    senderId: string,
    text: string,
    now: Date,
    options: { replyTo?: StatusRow; storyId?: string; hasMedia?: boolean; sensitive?: boolean; spoilerText?: string; language?: string },
  ): StatusRow {
    return newStatusRow({
      id,
      account_id: senderId,
      text,
      visibility: 'direct',
      in_reply_to_id: options.replyTo?.id ?? null,
      in_reply_to_account_id: options.replyTo?.account_id ?? null,
      sensitive: options.sensitive ? 1 : 0,
      spoiler_text: options.spoilerText ?? '',
      language: options.language ?? null,
      comment_policy: 'nobody',
      has_media: options.hasMedia ? 1 : 0,
      created_at: now.toISOString(),
      conversation_id: options.replyTo?.conversation_id ?? null,
      story_id: options.storyId ?? null,
    });
  }
  /**
   * Writes a message in the transaction: its conversation (the replied one, whose participants
   * grow by any new recipient, or the one of exactly these participants, or a new one), the
   * status, its photos and recipients (`mentions`, who may read it), and the participants'
   * states: the sender's (read) and each delivered recipient's (unread, back if removed).
   */
  private async write(trx: Db, row: StatusRow, participantIds: string[], deliveredIds: string[], media: MediaRow[]): Promise<MessageWritten> {
    const everyone = [row.account_id, ...participantIds];
    let conversationId = row.conversation_id;
    const existing = conversationId ? await this.conversations.findById(conversationId, trx) : await this.conversations.findByParticipants(participantsKey(everyone), trx);
    if (existing) {
      conversationId = existing.id;
      const key = participantsKey([...participantsOf(existing.participants_key), ...everyone]);
      if (key !== existing.participants_key) await this.conversations.setParticipants(existing.id, key, trx);
    } else {
      conversationId = newId(this.clock.now().getTime());
      await this.conversations.insert({ id: conversationId, participants_key: participantsKey(everyone), created_at: row.created_at }, trx);
    }
    const status: StatusRow = { ...row, conversation_id: conversationId };
    await this.posts.insert(status, trx);
    for (const [position, m] of media.entries()) await this.media.update(m.id, { status_id: status.id, position }, trx);
    await this.posts.insertMentions(status.id, [...new Set(deliveredIds)], trx);
    const states = [{ accountId: row.account_id, unread: false }, ...[...new Set(deliveredIds)].map((accountId) => ({ accountId, unread: true }))];
    await this.conversations.touch(conversationId, status.id, states, row.created_at, trx);
    return { conversationId, statusId: status.id, accountIds: states.map((s) => s.accountId) };
  }
}
