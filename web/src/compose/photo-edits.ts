import type { PixelArea } from '../ui/crop-math.ts';

/** The three shapes Instagram offers; every photo of one post shares the chosen one. */
export const ASPECTS = [
  { id: 'square', label: 'Square (1:1)', ratio: 1 },
  { id: 'portrait', label: 'Portrait (4:5)', ratio: 4 / 5 },
  { id: 'landscape', label: 'Landscape (1.91:1)', ratio: 1.91 },
] as const;

export type AspectId = (typeof ASPECTS)[number]['id'];

export function aspectRatio(id: AspectId): number {
  return ASPECTS.find((a) => a.id === id)!.ratio;
}

/**
 * Filters are CSS filter strings drawn into the pixels (canvas `ctx.filter`) before upload:
 * every client sees the same picture and the server stores one original, with no recipe to replay.
 */
export const FILTERS = [
  { id: 'normal', label: 'Normal', css: 'none' },
  { id: 'clarendon', label: 'Clarendon', css: 'contrast(1.2) saturate(1.35)' },
  { id: 'mono', label: 'Mono', css: 'grayscale(1) contrast(1.1)' },
  { id: 'warm', label: 'Warm', css: 'sepia(0.25) saturate(1.3) brightness(1.03)' },
  { id: 'cool', label: 'Cool', css: 'hue-rotate(-12deg) saturate(0.9) brightness(1.05)' },
  { id: 'fade', label: 'Fade', css: 'contrast(0.85) brightness(1.1) saturate(0.75)' },
] as const;

export type FilterId = (typeof FILTERS)[number]['id'];

export function filterCss(id: FilterId): string {
  return FILTERS.find((f) => f.id === id)?.css ?? 'none';
}

/** The longest side sent: the server's largest stored size is no wider. */
export const MAX_SIDE = 2048;

/** The size limits for a crop of `ratio`: the long side at MAX_SIDE. */
export function limitsFor(ratio: number): { maxWidth: number; maxHeight: number } {
  return ratio >= 1 ? { maxWidth: MAX_SIDE, maxHeight: Math.round(MAX_SIDE / ratio) } : { maxWidth: Math.round(MAX_SIDE * ratio), maxHeight: MAX_SIDE };
}

/** A photo chosen but not yet uploaded: its crop (per photo) and filter (per photo). */
export interface PhotoDraft {
  key: string;
  file: File;
  url: string;
  area: PixelArea | null;
  percentages: PixelArea | null;
  filter: FilterId;
}

/** Moves the item at `from` to `to` (dragging a tile onto another's place). */
export function reorder<T>(items: readonly T[], from: number, to: number): T[] {
  if (from < 0 || from >= items.length) return [...items];
  const target = Math.max(0, Math.min(items.length - 1, to));
  const next = [...items];
  const [item] = next.splice(from, 1);
  next.splice(target, 0, item);
  return next;
}
