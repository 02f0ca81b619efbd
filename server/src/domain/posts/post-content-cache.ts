import { VersionedCache } from '../../infra/cache/versioned-cache.ts';
import type { MediaRow, MediaTagRow } from '../media/media.ts';

/** What a status shows that lives beside its row: its photos, their tags, its mentions and hashtags. */
export interface StatusContent {
  media: MediaRow[];
  /** Photo tags by media id. */
  mediaTags: Map<string, MediaTagRow[]>;
  /** Mentioned account ids. */
  mentions: string[];
  tags: Array<{ tag: string; display: string }>;
}

/**
 * A process's copy of statuses' content, kept under the status's `content_version` (migration
 * 0023). The hydrator reads every status row from the database, so counters, visibility,
 * moderation and the row's own fields are always current, and takes the content from here when
 * the version it just read matches. Triggers bump the version with any change to media, photo
 * tags, mentions or hashtags. GLIMPSE_POST_CACHE_SIZE bounds it; 0 turns it off.
 */
export class PostContentCache extends VersionedCache<StatusContent> {}
