import type { MediaAttachment } from '../api/mastodon-types.ts';

/** The JPEG sizes of a photo as an <img> src and srcset, so the browser picks the size it needs. */
export function imageSources(media: MediaAttachment, prefer: 'large' | 'small' = 'large'): { src: string | undefined; srcSet: string | undefined } {
  const src = (prefer === 'small' ? media.preview_url ?? media.url : media.url ?? media.preview_url) ?? undefined;
  const template = media.glimpse?.url_template;
  if (!template || !media.glimpse?.formats?.includes('jpg')) return { src, srcSet: undefined };
  const seen = new Set<number>();
  const candidates = (media.glimpse.sizes ?? [])
    .filter((size) => size.width > 0)
    .sort((a, b) => a.width - b.width)
    .filter((size) => (seen.has(size.width) ? false : (seen.add(size.width), true)))
    .map((size) => `${template.replace('{name}', size.name).replace('{format}', 'jpg')} ${size.width}w`);
  return { src, srcSet: candidates.length > 1 ? candidates.join(', ') : undefined };
}

/** Width over height, when the server told us the size. */
export function aspectOf(media: MediaAttachment | undefined): number | null {
  const original = media?.meta?.original;
  if (!original || !(original.width > 0) || !(original.height > 0)) return null;
  return original.width / original.height;
}

/** A carousel takes its first photo's shape, kept between 4:5 portrait and 1.91:1 landscape. */
export function frameAspect(media: MediaAttachment[]): number {
  const aspect = aspectOf(media[0]);
  if (aspect === null) return 1;
  return Math.min(1.91, Math.max(0.8, aspect));
}

/**
 * Where a photo of aspect `photo` sits when fitted whole into a frame of aspect `frame`, as
 * percentages of the frame, so tags placed in 0..1 of the photo land on the right spot.
 */
export function fittedBox(photo: number | null, frame: number): { left: string; top: string; width: string; height: string } {
  if (photo === null || Math.abs(photo - frame) < 0.001) return { left: '0%', top: '0%', width: '100%', height: '100%' };
  if (photo > frame) {
    const height = (frame / photo) * 100;
    return { left: '0%', top: `${(100 - height) / 2}%`, width: '100%', height: `${height}%` };
  }
  const width = (photo / frame) * 100;
  return { left: `${(100 - width) / 2}%`, top: '0%', width: `${width}%`, height: '100%' };
}

export function percent(value: number): string {
  return `${Math.round(Math.min(1, Math.max(0, value)) * 10000) / 100}%`;
}
