import type { Db } from '../../db/database.ts';
import { sql } from 'kysely';
import { listedInDirectorySql } from '../../access/account-policy.ts';
import type { AccountRow, UserRow } from './account.ts';
import type { Insertable, Updateable } from 'kysely';
import type { AccountsTable, UsersTable } from '../../db/schema.ts';
import { preparedQuery } from '../../db/prepared-query.ts';

/** Reads and writes of accounts and their local users. */
export class AccountRepository {
  constructor(private readonly db: Db) {}

  async findById(id: string): Promise<AccountRow | undefined> {
    return this.db.selectFrom('accounts').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** Batch load for hydration: one query for a whole page. */
  async findByIds(ids: readonly string[]): Promise<Map<string, AccountRow>> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return new Map();
    const rows = await accountsByIdQuery.execute(this.db, { ids: unique });
    return new Map(rows.map((r) => [r.id, r]));
  }

  async findByUsername(username: string): Promise<AccountRow | undefined> {
    return this.db
      .selectFrom('accounts')
      .selectAll()
      .where('username_lower', '=', username.toLowerCase())
      .executeTakeFirst();
  }

  async findUser(accountId: string): Promise<UserRow | undefined> {
    return this.db.selectFrom('users').selectAll().where('account_id', '=', accountId).executeTakeFirst();
  }

  async findUserByLogin(login: string): Promise<{ user: UserRow; account: AccountRow } | undefined> {
    const lower = login.toLowerCase().replace(/^@/, '');
    const account = lower.includes('@')
      ? await this.db
          .selectFrom('users')
          .innerJoin('accounts', 'accounts.id', 'users.account_id')
          .select('accounts.id')
          .where('users.email_lower', '=', lower)
          .executeTakeFirst()
      : await this.db.selectFrom('accounts').select('id').where('username_lower', '=', lower).executeTakeFirst();
    if (!account) return undefined;
    const [user, row] = await Promise.all([this.findUser(account.id), this.findById(account.id)]);
    return user && row ? { user, account: row } : undefined;
  }

  async countUsers(db: Db = this.db): Promise<number> {
    const row = await db.selectFrom('users').select((eb) => eb.fn.countAll().as('n')).executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  /**
   * A new account and its user. An address is confirmed from the start unless the caller says
   * otherwise (`email_confirmed_at: null`: a sign-up with mail on, awaiting its link).
   */
  async insert(account: Insertable<AccountsTable>, user: Insertable<UsersTable>, db: Db = this.db): Promise<void> {
    await db.insertInto('accounts').values(account).execute();
    await db.insertInto('users').values({ email_confirmed_at: user.created_at, ...user }).execute();
  }

  async update(id: string, changes: Updateable<AccountsTable>): Promise<void> {
    await this.db.updateTable('accounts').set(changes).where('id', '=', id).execute();
  }

  async updateUser(accountId: string, changes: Updateable<UsersTable>): Promise<void> {
    await this.db.updateTable('users').set(changes).where('account_id', '=', accountId).execute();
  }

  /** Prefix search on username and display name; the caller filters by access. */
  async search(query: string, limit: number, offset: number): Promise<AccountRow[]> {
    // LIKE escapes differ between the dialects; dropping the wildcard characters avoids them
    // ("_" stays: it may over-match a name by one character, never leak anything).
    const q = query.toLowerCase().replace(/^@/, '').replace(/[\\%]/g, '');
    if (q === '') return [];
    return this.db
      .selectFrom('accounts')
      .selectAll()
      .where((eb) =>
        eb.or([
          eb('username_lower', 'like', `${q}%`),
          eb(eb.fn('lower', ['display_name']), 'like', `%${q}%`),
        ]),
      )
      .orderBy('followers_count', 'desc')
      .orderBy('id')
      .limit(limit)
      .offset(offset)
      .execute();
  }

  /**
   * The profile directory: accounts listed in it (access: listedInDirectorySql), most recently
   * posting first ('active', those who never posted last) or newest first ('new').
   */
  async directory(order: 'active' | 'new', limit: number, offset: number): Promise<AccountRow[]> {
    let q = this.db.selectFrom('accounts').selectAll().where(listedInDirectorySql());
    if (order === 'active') {
      // COALESCE: the two databases sort NULL at opposite ends.
      q = q.orderBy(sql`COALESCE((SELECT max(s.id) FROM statuses s WHERE s.account_id = accounts.id AND s.post_id IS NULL), '')`, 'desc');
    }
    return q.orderBy('id', 'desc').limit(limit).offset(offset).execute();
  }

  async listUsers(limit: number, offset: number): Promise<Array<UserRow & { username: string; suspended_at: string | null }>> {
    return this.db
      .selectFrom('users')
      .innerJoin('accounts', 'accounts.id', 'users.account_id')
      .selectAll('users')
      .select(['accounts.username', 'accounts.suspended_at'])
      .orderBy('users.created_at')
      .limit(limit)
      .offset(offset)
      .execute();
  }
}

/** Accounts by id: every page's authors. */
const accountsByIdQuery = preparedQuery((db: Db, { ids }: { ids: string[] }) => db.selectFrom('accounts').selectAll().where('id', 'in', ids));
