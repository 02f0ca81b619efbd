import type { Selectable } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { MailTokensTable } from '../../db/schema.ts';

export type MailTokenRow = Selectable<MailTokensTable>;
export type MailTokenPurpose = MailTokensTable['purpose'];

/** The single-use links mailed out (migration 0025), by SHA-256 hash of the token. */
export class MailTokenRepository {
  constructor(private readonly db: Db) {}

  async insert(row: MailTokenRow, db: Db = this.db): Promise<void> {
    await db.insertInto('mail_tokens').values(row).execute();
  }

  /**
   * Uses the link once: marks it used if it is of this purpose, unused and not expired, in one
   * statement (two requests racing get one row between them). Undefined otherwise.
   */
  async consume(db: Db, tokenHash: string, purpose: MailTokenPurpose, now: string): Promise<MailTokenRow | undefined> {
    return db
      .updateTable('mail_tokens')
      .set({ used_at: now })
      .where('token_hash', '=', tokenHash)
      .where('purpose', '=', purpose)
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .returningAll()
      .executeTakeFirst();
  }

  /** Every other outstanding link of the account for this purpose stops working. */
  async supersede(db: Db, accountId: string, purpose: MailTokenPurpose, now: string): Promise<void> {
    await db.updateTable('mail_tokens').set({ used_at: now }).where('account_id', '=', accountId).where('purpose', '=', purpose).where('used_at', 'is', null).execute();
  }
}
