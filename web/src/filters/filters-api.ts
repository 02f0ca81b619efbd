import type { ApiClient } from '../api/api-client.ts';
import type { Filter, FilterAction, FilterContext } from '../api/mastodon-types.ts';

const id = (value: string) => encodeURIComponent(value);

/** One entry of keywords_attributes: a new keyword (no id), a change, or a removal (_destroy). */
export interface KeywordAttributes {
  id?: string;
  keyword?: string;
  whole_word?: boolean;
  _destroy?: boolean;
}

export interface FilterInput {
  title: string;
  context: FilterContext[];
  filter_action: FilterAction;
  /** Seconds from now; null never expires; left out (on an edit) keeps the expiry as it is. */
  expires_in?: number | null;
  keywords_attributes: KeywordAttributes[];
}

/** The viewer's filters (v2), expired ones included. */
export function fetchFilters(api: ApiClient, signal?: AbortSignal): Promise<Filter[]> {
  return api.get<Filter[]>('/api/v2/filters', undefined, signal);
}

export function createFilter(api: ApiClient, input: FilterInput): Promise<Filter> {
  return api.post<Filter>('/api/v2/filters', input);
}

export async function updateFilter(api: ApiClient, filterId: string, input: FilterInput): Promise<Filter> {
  return (await api.request<Filter>('PUT', `/api/v2/filters/${id(filterId)}`, { body: input })).data;
}

export function deleteFilter(api: ApiClient, filterId: string): Promise<unknown> {
  return api.delete(`/api/v2/filters/${id(filterId)}`);
}
