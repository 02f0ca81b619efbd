import crypto from 'node:crypto';
import type { MediaRow, MediaVariant } from './media.ts';

const HOUR = 3600;

/**
 * URLs of stored image variants. Every folder name (storage_key) is 256 random bits, so a URL
 * cannot be guessed. Media that only an audience may see (a private account's posts,
 * close-friends stories) is handed out with a signature and an expiry, both checked when the
 * file is served; the expiry is rounded to the hour so clients can cache.
 */
export class MediaUrls {
  constructor(
    private readonly publicUrl: string,
    private readonly secret: string,
    private readonly now: () => Date,
  ) {}

  path(media: Pick<MediaRow, 'storage_key'>, variant: Pick<MediaVariant, 'name' | 'format'>): string {
    return `/media/${media.storage_key}/${variant.name}.${variant.format === 'jpeg' ? 'jpg' : variant.format}`;
  }

  /** A public URL, or a signed one valid for one to two hours when `restricted`. */
  url(media: Pick<MediaRow, 'storage_key'>, variant: Pick<MediaVariant, 'name' | 'format'>, restricted: boolean): string {
    const path = this.path(media, variant);
    if (!restricted) return `${this.publicUrl}${path}`;
    const expires = (Math.floor(this.now().getTime() / 1000 / HOUR) + 2) * HOUR;
    return `${this.publicUrl}${path}?exp=${expires}&sig=${this.sign(path, expires)}`;
  }

  sign(path: string, expires: number): string {
    return crypto.createHmac('sha256', this.secret).update(`${path}\n${expires}`).digest('base64url');
  }

  /** Whether a request for `path` carries a valid, unexpired signature. */
  isValidSignature(path: string, exp: string | undefined, sig: string | undefined): boolean {
    if (!exp || !sig || !/^\d{1,12}$/.test(exp)) return false;
    const expires = Number(exp);
    if (expires * 1000 < this.now().getTime()) return false;
    const expected = Buffer.from(this.sign(path, expires));
    const given = Buffer.from(sig);
    return expected.length === given.length && crypto.timingSafeEqual(expected, given);
  }
}
