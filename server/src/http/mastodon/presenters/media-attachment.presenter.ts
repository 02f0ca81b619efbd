import { type MediaUrls, extensionOf } from '../../../domain/media/media-urls.ts';
import { type MediaRow, type MediaVariant, variantsOf } from '../../../domain/media/media.ts';
import type { MediaAttachment, PhotoTag } from '../entities.ts';

export interface MediaAttachmentOptions {
  /** Hand out signed, expiring URLs (media-policy.ts decides). */
  restricted: boolean;
  /** People tagged in the photo, already presented. */
  tags?: PhotoTag[];
}

const sizeMeta = (width: number, height: number) => ({ width, height, size: `${width}x${height}`, aspect: height > 0 ? width / height : 1 });

function pick(variants: MediaVariant[], name: string, format: MediaVariant['format']): MediaVariant | undefined {
  return variants.find((v) => v.name === name && v.format === format) ?? variants.find((v) => v.name === name);
}

/**
 * The Mastodon MediaAttachment entity. `url` is the 1080-wide JPEG (every client shows it),
 * `preview_url` the 320-wide one. Every stored size and format is in `glimpse`, compactly: the
 * sizes once each (JPEG and WebP of a size share its dimensions), the formats, and one URL
 * template (`{name}`, `{format}`) with the signature when the photo needs one; eight full URLs
 * per photo made this entity 1.8 KB. While processing (or after a failure) the URLs are null, as
 * Mastodon does for a 202.
 */
export function presentMediaAttachment(urls: MediaUrls, media: MediaRow, options: MediaAttachmentOptions): MediaAttachment {
  const ready = media.state === 'ready';
  const variants = ready ? variantsOf(media) : [];
  const url = (v: MediaVariant | undefined) => (v ? urls.url(media, v, options.restricted) : null);
  const large = pick(variants, 'w1080', 'jpeg');
  const small = pick(variants, 'w320', 'jpeg');
  const focus = { x: media.focus_x, y: media.focus_y };
  const sizes = new Map<string, { name: string; width: number; height: number }>();
  const formats = new Set<string>();
  for (const v of variants) {
    if (!sizes.has(v.name)) sizes.set(v.name, { name: v.name, width: v.width, height: v.height });
    formats.add(extensionOf(v.format));
  }
  return {
    id: media.id,
    type: 'image' as const,
    url: url(large),
    preview_url: url(small),
    remote_url: null,
    preview_remote_url: null,
    text_url: null,
    meta:
      ready && media.width && media.height
        ? {
            original: sizeMeta(media.width, media.height),
            ...(small ? { small: sizeMeta(small.width, small.height) } : {}),
            focus,
          }
        : { focus },
    description: media.description === '' ? null : media.description,
    blurhash: media.blurhash,
    glimpse: {
      state: media.state,
      url_template: variants.length > 0 ? urls.template(media, options.restricted) : null,
      sizes: [...sizes.values()],
      formats: [...formats],
      captured_at: media.captured_at,
      tags: options.tags ?? [],
    },
  };
}

export type PresentedMediaAttachment = MediaAttachment;
