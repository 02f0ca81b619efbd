import { type Expression, type SqlBool, sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { AccountRow } from '../accounts/account.ts';
import { type Role, staffSql } from '../../access/staff-policy.ts';
import { type PageParams, pageQuery } from './paging.ts';

/** An account with the admin-level facts of its user. */
export type AdminAccountRow = AccountRow & {
  email: string;
  /** Null while the address awaits its confirmation link (mail on; migration 0025). */
  email_confirmed_at: string | null;
  role: Role;
  approved: number;
  disabled: number;
  registration_reason: string;
};

export type AccountStatus = 'active' | 'pending' | 'disabled' | 'suspended';

/**
 * What the admin account list filters on, once the Mastodon parameters are read. `matchesNone`
 * is set for a filter no Glimpse account can meet (remote accounts, another domain, silenced or
 * sensitized accounts, invited users: Glimpse has none of these).
 */
export interface AdminAccountFilter {
  matchesNone?: boolean;
  /** Every status listed must hold. */
  statuses?: AccountStatus[];
  staff?: boolean;
  roles?: Role[];
  username?: string;
  displayName?: string;
  email?: string;
  /** An address range, as ip_key bounds (ip-address.ts cidrKeyRange). */
  ipKeys?: { lo: string; hi: string };
}

/**
 * The SQL form of each account status, over `accounts` joined with `users`. A suspended
 * account also has its log-in disabled (suspend-account.ts); "disabled" means disabled on its
 * own, so a suspended account is suspended, not disabled.
 */
function statusSql(status: AccountStatus): Expression<SqlBool> {
  switch (status) {
    case 'pending':
      return sql<SqlBool>`users.approved = 0`;
    case 'suspended':
      return sql<SqlBool>`accounts.suspended_at IS NOT NULL`;
    case 'disabled':
      return sql<SqlBool>`(users.disabled = 1 AND accounts.suspended_at IS NULL)`;
    case 'active':
      return sql<SqlBool>`(users.approved = 1 AND users.disabled = 0 AND accounts.suspended_at IS NULL)`;
  }
}

/** LIKE escapes differ between the dialects; the wildcard characters are dropped instead. */
const likeSafe = (value: string) => value.toLowerCase().replace(/[\\%]/g, '');

/** Admin reads of accounts and reports; every list is one query, every page is batched. */
export class AdminRepository {
  constructor(private readonly db: Db) {}

  private accountsQuery() {
    return this.db
      .selectFrom('accounts')
      .innerJoin('users', 'users.account_id', 'accounts.id')
      .selectAll('accounts')
      .select(['users.email', 'users.role', 'users.approved', 'users.disabled', 'users.registration_reason', 'users.email_confirmed_at']);
  }

  async accounts(filter: AdminAccountFilter, page: PageParams): Promise<AdminAccountRow[]> {
    if (filter.matchesNone || (filter.roles && filter.roles.length === 0)) return [];
    let q = this.accountsQuery();
    for (const status of new Set(filter.statuses ?? [])) q = q.where(statusSql(status));
    if (filter.staff) q = q.where(staffSql('users'));
    if (filter.roles) q = q.where('users.role', 'in', filter.roles);
    if (filter.username) {
      const v = likeSafe(filter.username);
      if (v) q = q.where('accounts.username_lower', 'like', `${v}%`);
    }
    if (filter.displayName) {
      const v = likeSafe(filter.displayName);
      if (v) q = q.where((eb) => eb(eb.fn('lower', ['accounts.display_name']), 'like', `%${v}%`));
    }
    if (filter.email) {
      const v = likeSafe(filter.email);
      if (v) q = q.where('users.email_lower', 'like', `%${v}%`);
    }
    if (filter.ipKeys) {
      const { lo, hi } = filter.ipKeys;
      q = q.where('accounts.id', 'in', this.db.selectFrom('user_ips').select('user_ips.account_id').where('user_ips.ip_key', '>=', lo).where('user_ips.ip_key', '<=', hi));
    }
    return (await pageQuery(q, 'accounts.id', page)) as AdminAccountRow[];
  }

  async account(id: string): Promise<AdminAccountRow | undefined> {
    return (await this.accountsQuery().where('accounts.id', '=', id).executeTakeFirst()) as AdminAccountRow | undefined;
  }

  /** Batch load for a page of reports: one query. */
  async accountsByIds(ids: readonly string[]): Promise<Map<string, AdminAccountRow>> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return new Map();
    const rows = (await this.accountsQuery().where('accounts.id', 'in', unique).execute()) as AdminAccountRow[];
    return new Map(rows.map((r) => [r.id, r]));
  }

  async reports(filter: { resolved: boolean; accountId?: string; targetAccountId?: string }, page: PageParams) {
    let q = this.db.selectFrom('reports').selectAll();
    q = filter.resolved ? q.where('action_taken_at', 'is not', null) : q.where('action_taken_at', 'is', null);
    if (filter.accountId) q = q.where('account_id', '=', filter.accountId);
    if (filter.targetAccountId) q = q.where('target_account_id', '=', filter.targetAccountId);
    return pageQuery(q, 'id', page);
  }

  async report(id: string) {
    return this.db.selectFrom('reports').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async assignReport(id: string, accountId: string | null, nowIso: string): Promise<void> {
    await this.db.updateTable('reports').set({ assigned_account_id: accountId, updated_at: nowIso }).where('id', '=', id).execute();
  }

  async reopenReport(id: string, nowIso: string): Promise<void> {
    await this.db.updateTable('reports').set({ action_taken: null, action_taken_at: null, action_taken_by: null, updated_at: nowIso }).where('id', '=', id).execute();
  }

  /** Resolves every open report on the account (an account action other than none), in one statement. */
  async resolveOpenReportsOn(db: Db, targetId: string, action: string, by: string, nowIso: string): Promise<void> {
    await db
      .updateTable('reports')
      .set({ action_taken: action, action_taken_at: nowIso, action_taken_by: by, updated_at: nowIso })
      .where('target_account_id', '=', targetId)
      .where('action_taken_at', 'is', null)
      .execute();
  }

  async setApproved(id: string): Promise<void> {
    await this.db.updateTable('users').set({ approved: 1 }).where('account_id', '=', id).execute();
  }

  /** Enables log-in again, unless the account is suspended (unsuspending does that). */
  async enable(id: string): Promise<void> {
    await this.db
      .updateTable('users')
      .set({ disabled: 0 })
      .where('account_id', '=', id)
      .where('account_id', 'not in', this.db.selectFrom('accounts').select('id').where('id', '=', id).where('suspended_at', 'is not', null))
      .execute();
  }

  /** Disables log-in and revokes every token, together. */
  async disable(id: string, nowIso: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.updateTable('users').set({ disabled: 1 }).where('account_id', '=', id).execute();
      await trx.updateTable('access_tokens').set({ revoked_at: nowIso }).where('account_id', '=', id).where('revoked_at', 'is', null).execute();
    });
  }

  /** A rejected sign-up is deleted, with everything that cascades from it (its tokens). */
  async deletePendingAccount(id: string): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const pending = await trx.selectFrom('users').select('account_id').where('account_id', '=', id).where('approved', '=', 0).executeTakeFirst();
      if (!pending) return false;
      await trx.deleteFrom('accounts').where('id', '=', id).execute();
      return true;
    });
  }
}
