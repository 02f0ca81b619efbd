import type { Selectable } from 'kysely';
import type { MediaTable, MediaTagsTable } from '../../db/schema.ts';

export type MediaRow = Selectable<MediaTable>;
export type MediaTagRow = Selectable<MediaTagsTable>;

/** One stored, re-encoded size of an image. Only these are ever served. */
export interface MediaVariant {
  /** e.g. 'w1080', 'w640', 'w320', 'preview'. */
  name: string;
  format: 'webp' | 'jpeg';
  width: number;
  height: number;
}

export function variantsOf(media: Pick<MediaRow, 'variants'>): MediaVariant[] {
  try {
    return JSON.parse(media.variants) as MediaVariant[];
  } catch {
    return [];
  }
}

export const MEDIA_LIMITS = {
  bytes: 16 * 1024 * 1024,
  pixels: 33_177_600,
  description: 1500,
  perPost: 20,
  tagsPerPhoto: 20,
} as const;
