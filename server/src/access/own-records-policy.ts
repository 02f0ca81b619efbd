import { type Expression, type SqlBool, sql } from 'kysely';
import type { Viewer } from './viewer-context.ts';
import { column } from './sql-form.ts';

/**
 * Records only their owner sees (a data archive, a CSV import): anyone else gets the same 404
 * as for a missing one, staff included. The SQL form is what the owner's queries filter by.
 */
export function isOwnRecord(viewer: Pick<Viewer, 'accountId'>, record: { account_id: string }): boolean {
  return record.account_id === viewer.accountId;
}

/** The SQL form of isOwnRecord, for a table (alias) with an `account_id` column. */
export function ownRecordSql(viewer: Pick<Viewer, 'accountId'>, alias: string): Expression<SqlBool> {
  return sql<SqlBool>`${column(alias, 'account_id')} = ${viewer.accountId}`;
}

/**
 * A data archive's download works for its owner while its link lasts (seven days after it was
 * made), only once it is ready.
 */
export function canDownloadArchive(viewer: Pick<Viewer, 'accountId'>, archive: { account_id: string; state: string; storage_key: string | null; expires_at: string | null }, now: Date): boolean {
  return isOwnRecord(viewer, archive) && archive.state === 'ready' && archive.storage_key !== null && archive.expires_at !== null && archive.expires_at > now.toISOString();
}

/**
 * What guards the log-in itself (two-factor, deleting the account) is changed only from the
 * web client's session, never with an app's token: an app holding `write:accounts` must not
 * enrol its own authenticator on someone's account, or delete it.
 */
export function canChangeLogInSecurity(principalKind: string | undefined): boolean {
  return principalKind === 'session';
}
