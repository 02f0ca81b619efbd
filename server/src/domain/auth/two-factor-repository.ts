import type { Selectable } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { TwoFactorCredentialsTable } from '../../db/schema.ts';

export type TwoFactorCredentialRow = Selectable<TwoFactorCredentialsTable>;

const changed = (r: { numUpdatedRows?: bigint; numDeletedRows?: bigint }) => Number(r.numUpdatedRows ?? r.numDeletedRows ?? 0n);

/** Two-factor credentials (sealed TOTP secrets) and recovery-code hashes (migration 0026). */
export class TwoFactorRepository {
  constructor(private readonly db: Db) {}

  async find(accountId: string): Promise<TwoFactorCredentialRow | undefined> {
    return this.db.selectFrom('two_factor_credentials').selectAll().where('account_id', '=', accountId).executeTakeFirst();
  }

  /** A new, unconfirmed credential; replaces an earlier unconfirmed one, never a confirmed one. */
  async startEnrolment(accountId: string, sealedSecret: string, now: string): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const existing = await trx.selectFrom('two_factor_credentials').select('confirmed_at').where('account_id', '=', accountId).executeTakeFirst();
      if (existing?.confirmed_at) return false;
      if (existing) {
        await trx.updateTable('two_factor_credentials').set({ sealed_secret: sealedSecret, created_at: now, last_used_step: null }).where('account_id', '=', accountId).execute();
      } else {
        await trx.insertInto('two_factor_credentials').values({ account_id: accountId, sealed_secret: sealedSecret, confirmed_at: null, last_used_step: null, created_at: now }).execute();
      }
      return true;
    });
  }

  /**
   * Records that a code of `step` was accepted, only when no code of this step or a later one
   * was: one statement, so two requests racing with the same code cannot both win.
   */
  async useStep(accountId: string, step: number): Promise<boolean> {
    const result = await this.db
      .updateTable('two_factor_credentials')
      .set({ last_used_step: step })
      .where('account_id', '=', accountId)
      .where((eb) => eb.or([eb('last_used_step', 'is', null), eb('last_used_step', '<', step)]))
      .executeTakeFirst();
    return changed(result) === 1;
  }

  /** Turns the credential on and replaces the recovery codes, in one transaction. */
  async confirm(accountId: string, recoveryCodeHashes: string[], now: string): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const result = await trx.updateTable('two_factor_credentials').set({ confirmed_at: now }).where('account_id', '=', accountId).where('confirmed_at', 'is', null).executeTakeFirst();
      if (changed(result) !== 1) return false;
      await this.writeRecoveryCodes(trx, accountId, recoveryCodeHashes, now);
      return true;
    });
  }

  async replaceRecoveryCodes(accountId: string, recoveryCodeHashes: string[], now: string): Promise<void> {
    await this.db.transaction().execute((trx) => this.writeRecoveryCodes(trx, accountId, recoveryCodeHashes, now));
  }

  private async writeRecoveryCodes(trx: Db, accountId: string, hashes: string[], now: string): Promise<void> {
    await trx.deleteFrom('two_factor_recovery_codes').where('account_id', '=', accountId).execute();
    if (hashes.length > 0) {
      await trx
        .insertInto('two_factor_recovery_codes')
        .values(hashes.map((code_hash) => ({ account_id: accountId, code_hash, used_at: null, created_at: now })))
        .execute();
    }
  }

  /** Uses a recovery code: true once per code, false for an unknown or used one. */
  async useRecoveryCode(accountId: string, codeHash: string, now: string): Promise<boolean> {
    const result = await this.db
      .updateTable('two_factor_recovery_codes')
      .set({ used_at: now })
      .where('account_id', '=', accountId)
      .where('code_hash', '=', codeHash)
      .where('used_at', 'is', null)
      .executeTakeFirst();
    return changed(result) === 1;
  }

  async unusedRecoveryCodes(accountId: string): Promise<number> {
    const row = await this.db
      .selectFrom('two_factor_recovery_codes')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('account_id', '=', accountId)
      .where('used_at', 'is', null)
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  async remove(accountId: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('two_factor_recovery_codes').where('account_id', '=', accountId).execute();
      await trx.deleteFrom('two_factor_credentials').where('account_id', '=', accountId).execute();
    });
  }
}
