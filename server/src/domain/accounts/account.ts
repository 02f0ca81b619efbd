import type { Selectable } from 'kysely';
import type { AccountsTable, UsersTable } from '../../db/schema.ts';

export type AccountRow = Selectable<AccountsTable>;
export type UserRow = Selectable<UsersTable>;

export const USERNAME_PATTERN = /^[A-Za-z0-9_]{1,30}$/;
export const LIMITS = {
  username: 30,
  displayName: 100,
  note: 500,
  email: 254,
  passwordMin: 8,
  passwordMax: 200,
  reason: 500,
  searchQuery: 100,
} as const;
