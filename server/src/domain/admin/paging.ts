import type { SelectQueryBuilder } from 'kysely';
import type { Database } from '../../db/schema.ts';

/** Mastodon paging over time-ordered ids (the shape http/paging.ts parses). */
export interface PageParams {
  maxId?: string;
  sinceId?: string;
  minId?: string;
  limit: number;
}

/**
 * One page of `q` by its id column, newest first: below max_id, above since_id; with min_id the
 * page just above it (read upwards, then turned around), as Mastodon pages.
 */
export async function pageQuery<TB extends keyof Database, O>(q: SelectQueryBuilder<Database, TB, O>, idColumn: string, page: PageParams): Promise<O[]> {
  // The column is named by the caller (one of ours); Kysely cannot type a name chosen at run time.
  const col = idColumn as any;
  let query = q;
  if (page.maxId) query = query.where(col, '<', page.maxId);
  if (page.sinceId) query = query.where(col, '>', page.sinceId);
  if (page.minId) {
    const rows = await query.where(col, '>', page.minId).orderBy(col, 'asc').limit(page.limit).execute();
    return rows.reverse();
  }
  return query.orderBy(col, 'desc').limit(page.limit).execute();
}
