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
  /** Profile fields: at most four pairs; names and values as short as Mastodon's defaults. */
  profileFields: 4,
  fieldName: 255,
  fieldValue: 255,
  /** A private note about another account. */
  accountNote: 2000,
} as const;

export interface ProfileField {
  name: string;
  value: string;
}

/** The account's profile fields, as stored (a JSON array written by AccountService only). */
export function profileFieldsOf(account: Pick<AccountRow, 'fields'>): ProfileField[] {
  try {
    const parsed: unknown = JSON.parse(account.fields ?? '[]');
    if (!Array.isArray(parsed)) return [];
    return parsed.flatMap((f) => (typeof f?.name === 'string' && typeof f?.value === 'string' ? [{ name: f.name, value: f.value }] : [])).slice(0, LIMITS.profileFields);
  } catch {
    return [];
  }
}
