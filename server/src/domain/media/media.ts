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
  /** Longest side of an image, in pixels. */
  side: 16_384,
  /** The long side may be at most this many times the short one (1:20 either way). */
  aspectRatio: 20,
  /** Scans of a JPEG: libjpeg writes 10 for a progressive colour image, a baseline one has 1. */
  jpegScans: 32,
  description: 1500,
  perPost: 20,
  tagsPerPhoto: 20,
} as const;
