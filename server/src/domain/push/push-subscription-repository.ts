import { sql, type RawBuilder, type Selectable } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { PushSubscriptionsTable } from '../../db/schema.ts';

export type PushSubscriptionRow = Selectable<PushSubscriptionsTable>;

/** A recipient's subscription with how the sender stands to the recipient. */
export interface PushTarget extends PushSubscriptionRow {
  recipient_follows: number | string;
  sender_follows: number | string;
}

/** Web Push subscriptions (`push_subscriptions`), one per access token. */
export class PushSubscriptionRepository {
  constructor(private readonly db: Db) {}

  /** Stores the token's subscription, replacing the one it had (Mastodon: one per token). */
  async replace(row: PushSubscriptionRow): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('push_subscriptions').where('access_token_id', '=', row.access_token_id).execute();
      await trx.insertInto('push_subscriptions').values(row).execute();
    });
  }

  async findByToken(accessTokenId: string): Promise<PushSubscriptionRow | undefined> {
    return this.db.selectFrom('push_subscriptions').selectAll().where('access_token_id', '=', accessTokenId).executeTakeFirst();
  }

  async updateData(accessTokenId: string, change: { alerts: string; policy: string; updated_at: string }): Promise<boolean> {
    const result = await this.db.updateTable('push_subscriptions').set(change).where('access_token_id', '=', accessTokenId).executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async deleteByToken(accessTokenId: string): Promise<void> {
    await this.db.deleteFrom('push_subscriptions').where('access_token_id', '=', accessTokenId).execute();
  }

  /** Removes a subscription the push service said is gone; only if it still points at that endpoint. */
  async deleteGone(id: string, endpoint: string): Promise<void> {
    await this.db.deleteFrom('push_subscriptions').where('id', '=', id).where('endpoint', '=', endpoint).execute();
  }

  /** The notification a push announces, if it is still there. */
  async notification(id: string, recipientId: string) {
    return this.db.selectFrom('notifications').selectAll().where('id', '=', id).where('account_id', '=', recipientId).executeTakeFirst();
  }

  /** What a push's body shows of a status. */
  async statusText(id: string): Promise<{ text: string; spoiler_text: string } | undefined> {
    return this.db.selectFrom('statuses').select(['text', 'spoiler_text']).where('id', '=', id).executeTakeFirst();
  }

  /** SQL that holds when the account has a push subscription (the push job's `onlyIf`). */
  hasAnyCondition(accountId: string): RawBuilder<boolean> {
    return sql<boolean>`EXISTS (SELECT 1 FROM push_subscriptions WHERE account_id = ${accountId})`;
  }

  /**
   * The recipient's subscriptions whose token is still valid, each with whether the recipient
   * follows the sender and the sender follows the recipient (for the push policies): one query.
   */
  async forRecipient(recipientId: string, senderId: string): Promise<PushTarget[]> {
    return this.db
      .selectFrom('push_subscriptions as ps')
      .innerJoin('access_tokens as t', 't.id', 'ps.access_token_id')
      .selectAll('ps')
      .select([
        sql<number>`(SELECT count(*) FROM follows f WHERE f.account_id = ${recipientId} AND f.target_account_id = ${senderId})`.as('recipient_follows'),
        sql<number>`(SELECT count(*) FROM follows f WHERE f.account_id = ${senderId} AND f.target_account_id = ${recipientId})`.as('sender_follows'),
      ])
      .where('ps.account_id', '=', recipientId)
      .where('t.revoked_at', 'is', null)
      .orderBy('ps.id')
      .execute();
  }
}
