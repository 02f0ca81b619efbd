import { type SqlBool, sql } from 'kysely';
import { type SqlForm, anyOf, column } from './sql-form.ts';
import type { ViewerContext } from './viewer-context.ts';

/** The filter fields the policies read. */
export interface FilterFacts {
  account_id: string;
  expires_at: string | null;
}

/**
 * A filter (its keywords and statuses too) is its owner's alone: to anyone else it does not
 * exist, and it is never applied to what anyone else reads.
 */
export function canManageFilter(ctx: Pick<ViewerContext, 'viewer'>, filter: Pick<FilterFacts, 'account_id'>): boolean {
  return ctx.viewer !== undefined && ctx.viewer.accountId === filter.account_id;
}

/** A filter applies until it expires (on the injectable clock); without expires_at, forever. */
export function isFilterActive(filter: Pick<FilterFacts, 'expires_at'>, now: Date): boolean {
  return filter.expires_at === null || filter.expires_at > now.toISOString();
}

/** The SQL form of `isFilterActive`, for the query's alias of `filters`. */
export function activeFilterSql(now: Date | string, filters = 'filters'): SqlForm {
  return anyOf(sql<SqlBool>`${column(filters, 'expires_at')} is null`, sql<SqlBool>`${column(filters, 'expires_at')} > ${typeof now === 'string' ? now : now.toISOString()}`);
}
