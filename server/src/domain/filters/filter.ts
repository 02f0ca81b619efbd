import type { FilterKeywordsTable, FilterStatusesTable, FiltersTable } from '../../db/schema.ts';

export type FilterRow = FiltersTable;
export type FilterKeywordRow = FilterKeywordsTable;
export type FilterStatusRow = FilterStatusesTable;

/** Where a filter applies, as Mastodon names them (list timelines read as home). */
export const FILTER_CONTEXTS = ['home', 'notifications', 'public', 'thread', 'account'] as const;
export type FilterContext = (typeof FILTER_CONTEXTS)[number];

/** warn: shown behind a warning; hide: left out of the response; blur: media hidden behind a warning. */
export const FILTER_ACTIONS = ['warn', 'hide', 'blur'] as const;
export type FilterAction = (typeof FILTER_ACTIONS)[number];

/** Bounds on filters: what one account's filters cost to load and match stays bounded. */
export const FILTER_LIMITS = {
  /** Filters one account may have, expired ones included. */
  perAccount: 100,
  keywordsPerFilter: 100,
  statusesPerFilter: 100,
  titleLength: 100,
  keywordLength: 100,
  /** expires_in: at most ten years, in seconds. */
  maxExpiresIn: 10 * 366 * 24 * 60 * 60,
} as const;

/** A filter with its keywords and statuses, as the Filter entity shows it. */
export interface FilterWithRules {
  filter: FilterRow;
  keywords: FilterKeywordRow[];
  statuses: FilterStatusRow[];
}

/** Stored contexts: known names only, each once, in FILTER_CONTEXTS order. */
export function encodeContext(contexts: readonly FilterContext[]): string {
  return FILTER_CONTEXTS.filter((c) => contexts.includes(c)).join(',');
}

export function decodeContext(stored: string): FilterContext[] {
  const names = new Set(stored.split(','));
  return FILTER_CONTEXTS.filter((c) => names.has(c));
}
