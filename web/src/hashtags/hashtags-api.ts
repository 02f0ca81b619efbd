import type { ApiClient } from '../api/api-client.ts';

export interface Hashtag {
  name: string;
  url: string;
}

/** A hashtag as written in a URL path segment: letters, digits and underscores. */
export const HASHTAG_PATTERN = /^[\p{L}\p{M}\p{N}_]{1,100}$/u;

export function hashtagPath(name: string): string {
  return `/tags/${encodeURIComponent(name.toLowerCase())}`;
}

/** The first page of a hashtag's public posts (paged onwards with the Link header). */
export function hashtagTimelinePath(name: string): string {
  return `/api/v1/timelines/tag/${encodeURIComponent(name)}?limit=40`;
}

/** Hashtags used on this server starting with the query (a leading # is ignored). */
export async function searchHashtags(api: ApiClient, q: string, signal?: AbortSignal, limit = 10): Promise<Hashtag[]> {
  const result = await api.get<{ hashtags: Hashtag[] }>('/api/v2/search', { q: q.replace(/^#/, ''), type: 'hashtags', limit }, signal);
  return result.hashtags;
}
