import type { Db } from '../../db/database.ts';
import type { Selectable, Insertable, SelectQueryBuilder } from 'kysely';
import type { AccessTokensTable, AppsTable, AuthorizationCodesTable, Database } from '../../db/schema.ts';
import { preparedQuery } from '../../db/prepared-query.ts';

export type TokenRow = Selectable<AccessTokensTable>;
export type AppRow = Selectable<AppsTable>;
export type CodeRow = Selectable<AuthorizationCodesTable>;

export interface AuthenticatedToken {
  token: TokenRow;
  role: 'user' | 'moderator' | 'admin' | null;
  approved: boolean;
  disabled: boolean;
  /** users.email_confirmed_at is set (migration 0025); false only for a sign-up awaiting its mailed link. */
  confirmed: boolean;
  /** users.filters_version: which of the account's filter sets is current (migration 0023). */
  filtersVersion: number;
  /** users.relations_version: which of the account's sets of relations is current (migration 0024). */
  relationsVersion: number;
}

/**
 * Told, after the change is committed, when tokens stop working: the open streams on them close
 * at once (streaming.route.ts, through the pub/sub's `session:<accountId>` channel).
 */
export interface SessionEvents {
  /** These tokens of the account were revoked. */
  revoked(accountId: string, tokenIds: string[]): void;
  /** Every token of the account stopped working (suspended, log-in disabled). */
  allRevoked(accountId: string): void;
}

/** OAuth apps, authorization codes and access tokens (all secrets stored as hashes). */
export class TokenRepository {
  constructor(
    private readonly db: Db,
    readonly events?: SessionEvents,
  ) {}

  /** Tells `events` which accounts' tokens were just revoked. */
  private announce(rows: Array<{ id: string; account_id: string | null }>): void {
    const byAccount = new Map<string, string[]>();
    for (const row of rows) if (row.account_id) byAccount.set(row.account_id, [...(byAccount.get(row.account_id) ?? []), row.id]);
    for (const [accountId, ids] of byAccount) this.events?.revoked(accountId, ids);
  }

  async insertApp(app: Insertable<AppsTable>): Promise<void> {
    await this.db.insertInto('apps').values(app).execute();
  }

  async findAppByClientId(clientId: string): Promise<AppRow | undefined> {
    return this.db.selectFrom('apps').selectAll().where('client_id', '=', clientId).executeTakeFirst();
  }

  async findApp(id: string): Promise<AppRow | undefined> {
    return this.db.selectFrom('apps').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async insertCode(code: Insertable<AuthorizationCodesTable>): Promise<void> {
    await this.db.insertInto('authorization_codes').values(code).execute();
  }

  /** Marks the code used and returns it, only if it was unused: a code works exactly once. */
  async consumeCode(codeHash: string, now: string): Promise<CodeRow | undefined> {
    return this.db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom('authorization_codes').selectAll().where('code_hash', '=', codeHash).executeTakeFirst();
      if (!row || row.used_at !== null) return row ? { ...row } : undefined;
      const updated = await trx
        .updateTable('authorization_codes')
        .set({ used_at: now })
        .where('code_hash', '=', codeHash)
        .where('used_at', 'is', null)
        .executeTakeFirst();
      return Number(updated.numUpdatedRows) === 1 ? row : { ...row, used_at: now };
    });
  }

  async insertToken(token: Insertable<AccessTokensTable>): Promise<void> {
    await this.db.insertInto('access_tokens').values(token).execute();
  }

  async findActiveToken(tokenHash: string): Promise<AuthenticatedToken | undefined> {
    const [row] = await activeTokenQuery.execute(this.db, { tokenHash });
    if (!row) return undefined;
    const { role, approved, disabled, filters_version, relations_version, email_confirmed_at, ...token } = row;
    return { token, role: role ?? null, approved: approved === null ? true : Boolean(approved), disabled: Boolean(disabled), confirmed: role === null || email_confirmed_at !== null, filtersVersion: Number(filters_version ?? 0), relationsVersion: Number(relations_version ?? 0) };
  }

  /** Which of these tokens are revoked (by primary key, in chunks): the open streams' safety net. */
  async revokedAmong(ids: string[]): Promise<Set<string>> {
    const revoked = new Set<string>();
    for (let i = 0; i < ids.length; i += 500) {
      const rows = await this.db.selectFrom('access_tokens').select('id').where('id', 'in', ids.slice(i, i + 500)).where('revoked_at', 'is not', null).execute();
      for (const row of rows) revoked.add(row.id);
    }
    return revoked;
  }

  async findByRefreshHash(refreshHash: string): Promise<TokenRow | undefined> {
    return this.db.selectFrom('access_tokens').selectAll().where('refresh_token_hash', '=', refreshHash).executeTakeFirst();
  }

  /** Revokes one token if it is still active; answers whether this call revoked it. */
  async revoke(id: string, now: string): Promise<boolean> {
    const rows = await this.db
      .updateTable('access_tokens')
      .set({ revoked_at: now })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .returning(['id', 'account_id'])
      .execute();
    await this.deletePushSubscriptions((q) => q.where('id', '=', id));
    this.announce(rows);
    return rows.length > 0;
  }

  /**
   * A revoked token's Web Push subscription goes with it (as on Mastodon). Deliveries also read
   * only subscriptions of unrevoked tokens, so a crash between the two writes sends nothing.
   */
  private async deletePushSubscriptions(tokens: (q: SelectQueryBuilder<Database, 'access_tokens', {}>) => SelectQueryBuilder<Database, 'access_tokens', {}>): Promise<void> {
    await this.db
      .deleteFrom('push_subscriptions')
      .where('access_token_id', 'in', tokens(this.db.selectFrom('access_tokens')).select('access_tokens.id'))
      .execute();
  }

  /** Every token issued from one authorization code, refreshed ones included. */
  async revokeAllForCode(codeHash: string, now: string): Promise<void> {
    const rows = await this.db.updateTable('access_tokens').set({ revoked_at: now }).where('authorization_code_hash', '=', codeHash).where('revoked_at', 'is', null).returning(['id', 'account_id']).execute();
    await this.deletePushSubscriptions((q) => q.where('authorization_code_hash', '=', codeHash));
    this.announce(rows);
  }

  async revokeAllForAccount(accountId: string, now: string, exceptId?: string): Promise<void> {
    let q = this.db
      .updateTable('access_tokens')
      .set({ revoked_at: now })
      .where('account_id', '=', accountId)
      .where('revoked_at', 'is', null);
    if (exceptId) q = q.where('id', '!=', exceptId);
    const rows = await q.returning(['id', 'account_id']).execute();
    await this.deletePushSubscriptions((t) => (exceptId ? t.where('account_id', '=', accountId).where('id', '!=', exceptId) : t.where('account_id', '=', accountId)));
    this.announce(rows);
  }
}

/** Every authenticated request's first statement: the token with its user's flags and versions. */
const activeTokenQuery = preparedQuery((db: Db, { tokenHash }: { tokenHash: string }) =>
  db
    .selectFrom('access_tokens')
    .leftJoin('users', 'users.account_id', 'access_tokens.account_id')
    .selectAll('access_tokens')
    .select(['users.role', 'users.approved', 'users.disabled', 'users.filters_version', 'users.relations_version', 'users.email_confirmed_at'])
    .where('access_tokens.token_hash', '=', tokenHash)
    .where('access_tokens.revoked_at', 'is', null),
);
