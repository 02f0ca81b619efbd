import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { type IdPaging, pageIds } from '../../db/id-paging.ts';
import type { Viewer } from '../../access/viewer-context.ts';
import { messageReaderSql } from '../../access/message-policy.ts';

export interface ConversationRow {
  id: string;
  participants_key: string;
  created_at: string;
}

/** One participant's view of a conversation, with the conversation's participants. */
export interface AccountConversationRow {
  conversation_id: string;
  last_status_id: string;
  unread: number;
  participants_key: string;
}

export type ConversationPaging = IdPaging;

/** The participants' ids of a key (sorted, comma-joined). */
export const participantsOf = (key: string): string[] => (key === '' ? [] : key.split(','));
export const participantsKey = (ids: Iterable<string>): string => [...new Set(ids)].sort().join(',');

/** Conversations and each participant's state of them. */
export class ConversationRepository {
  constructor(private readonly db: Db) {}

  async findById(id: string, db: Db = this.db): Promise<ConversationRow | undefined> {
    return db.selectFrom('conversations').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** The newest conversation of exactly these participants. */
  async findByParticipants(key: string, db: Db = this.db): Promise<ConversationRow | undefined> {
    return db.selectFrom('conversations').selectAll().where('participants_key', '=', key).orderBy('id', 'desc').limit(1).executeTakeFirst();
  }

  async insert(row: ConversationRow, db: Db): Promise<void> {
    await db.insertInto('conversations').values(row).execute();
  }

  async setParticipants(id: string, key: string, db: Db): Promise<void> {
    await db.updateTable('conversations').set({ participants_key: key }).where('id', '=', id).execute();
  }

  /**
   * A new message reached these accounts: it becomes their last status, the conversation comes
   * back if they had removed it, and it is unread for the recipients (not for the sender).
   */
  async touch(conversationId: string, statusId: string, states: Array<{ accountId: string; unread: boolean }>, now: string, db: Db): Promise<void> {
    if (states.length === 0) return;
    await db
      .insertInto('account_conversations')
      .values(states.map((s) => ({ account_id: s.accountId, conversation_id: conversationId, last_status_id: statusId, unread: s.unread ? 1 : 0, removed: 0, updated_at: now })))
      .onConflict((oc) =>
        oc.columns(['account_id', 'conversation_id']).doUpdateSet((eb) => ({
          last_status_id: eb.ref('excluded.last_status_id'),
          unread: eb.ref('excluded.unread'),
          removed: 0,
          updated_at: eb.ref('excluded.updated_at'),
        })),
      )
      .execute();
  }

  /** A page of the account's conversations that are not removed, newest last status first. */
  async page(accountId: string, paging: ConversationPaging): Promise<AccountConversationRow[]> {
    const q = this.db
      .selectFrom('account_conversations as ac')
      .innerJoin('conversations as c', 'c.id', 'ac.conversation_id')
      .select(['ac.conversation_id', 'ac.last_status_id', 'ac.unread', 'c.participants_key'])
      .where('ac.account_id', '=', accountId)
      .where('ac.removed', '=', 0)
      .where('ac.last_status_id', 'is not', null);
    return pageIds<AccountConversationRow>(q, 'ac.last_status_id', paging);
  }

  /** A page of the messages of one conversation the viewer reads (messageReaderSql), newest first (`statuses_conversation`). */
  async messageIds(conversationId: string, viewer: Viewer, paging: ConversationPaging): Promise<string[]> {
    const q = this.db.selectFrom('statuses').select('id').where('conversation_id', '=', conversationId).where(messageReaderSql({ viewer }));
    return (await pageIds<{ id: string }>(q, 'id', paging)).map((r) => r.id);
  }

  /** How many of the account's conversations (not removed) are unread, counted up to `limit` (`account_conversations_page`). */
  async unreadCount(accountId: string, limit: number): Promise<number> {
    const unread = this.db
      .selectFrom('account_conversations')
      .select('conversation_id')
      .where('account_id', '=', accountId)
      .where('removed', '=', 0)
      .where('last_status_id', 'is not', null)
      .where('unread', '=', 1)
      .limit(limit);
    const row = await this.db.selectFrom(unread.as('u')).select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** The account's state of one conversation (removed ones included). */
  async findFor(accountId: string, conversationId: string): Promise<(AccountConversationRow & { removed: number }) | undefined> {
    const row = await this.db
      .selectFrom('account_conversations as ac')
      .innerJoin('conversations as c', 'c.id', 'ac.conversation_id')
      .select(['ac.conversation_id', 'ac.last_status_id', 'ac.unread', 'ac.removed', 'c.participants_key'])
      .where('ac.account_id', '=', accountId)
      .where('ac.conversation_id', '=', conversationId)
      .where('ac.last_status_id', 'is not', null)
      .executeTakeFirst();
    return row as (AccountConversationRow & { removed: number }) | undefined;
  }

  async update(accountId: string, conversationId: string, set: { unread?: number; removed?: number }, now: string): Promise<boolean> {
    const r = await this.db.updateTable('account_conversations').set({ ...set, updated_at: now }).where('account_id', '=', accountId).where('conversation_id', '=', conversationId).executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  /**
   * A message is being deleted: each participant whose last status it was gets the newest other
   * message of the conversation they may see (they sent it or are mentioned in it); a
   * participant left with none loses the conversation. Bounded by the conversation's messages.
   */
  async messageDeleted(conversationId: string, statusId: string, db: Db): Promise<void> {
    await sql`
      UPDATE account_conversations SET last_status_id = (
        SELECT max(s.id) FROM statuses s
        WHERE s.conversation_id = account_conversations.conversation_id AND s.id <> ${statusId}
          AND (s.account_id = account_conversations.account_id
            OR EXISTS (SELECT 1 FROM mentions m WHERE m.status_id = s.id AND m.account_id = account_conversations.account_id)))
      WHERE conversation_id = ${conversationId} AND last_status_id = ${statusId}`.execute(db);
    await db.deleteFrom('account_conversations').where('conversation_id', '=', conversationId).where('last_status_id', 'is', null).execute();
  }
}
