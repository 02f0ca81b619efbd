/** Mastodon's paging by id: max_id, since_id and min_id with a limit. */
export interface IdPaging {
  maxId?: string;
  sinceId?: string;
  minId?: string;
  limit: number;
}

/** Mastodon paging applied to a query of ids, not run: newest first, or with min_id the oldest just above it. */
export function paged(q: any, column: string, paging: IdPaging): any {
  if (paging.maxId) q = q.where(column, '<', paging.maxId);
  if (paging.sinceId) q = q.where(column, '>', paging.sinceId);
  if (paging.minId) return q.where(column, '>', paging.minId).orderBy(column, 'asc').limit(paging.limit);
  return q.orderBy(column, 'desc').limit(paging.limit);
}

/** Runs a paged query: rows newest first; with min_id, the oldest ones just above it (then reversed). */
export function pageIds<Row = Record<string, string>>(q: any, column: string, paging: IdPaging): Promise<Row[]> {
  const rows = paged(q, column, paging).execute();
  return paging.minId ? rows.then((r: Row[]) => r.reverse()) : rows;
}
