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

  /** The folder of one stored image: every size and format of it, and nothing else. */
  folder(media: Pick<MediaRow, 'storage_key'>): string {
    return `/media/${media.storage_key}/`;
  }

  path(media: Pick<MediaRow, 'storage_key'>, variant: Pick<MediaVariant, 'name' | 'format'>): string {
    return `${this.folder(media)}${variant.name}.${extensionOf(variant.format)}`;
  }

  /** A public URL, or a signed one valid for one to two hours when `restricted`. */
  url(media: Pick<MediaRow, 'storage_key'>, variant: Pick<MediaVariant, 'name' | 'format'>, restricted: boolean): string {
    return `${this.publicUrl}${this.path(media, variant)}${restricted ? this.signatureQuery(media) : ''}`;
  }

  /**
   * One URL for every stored size and format of an image, with `{name}` and `{format}` for the
   * client to fill (`w640`, `webp`): a client building a srcset gets every size without the
   * server spelling out, and signing, eight URLs per photo.
   */
  template(media: Pick<MediaRow, 'storage_key'>, restricted: boolean): string {
    return `${this.publicUrl}${this.folder(media)}{name}.{format}${restricted ? this.signatureQuery(media) : ''}`;
  }

  /** Changes when restricted URLs start carrying a new expiry (every hour): what a kept URL was signed in. */
  signatureWindow(): number {
    return Math.floor(this.now().getTime() / 1000 / HOUR);
  }

  /**
   * The signature covers the image's folder, so one signature serves all of its sizes and
   * formats (the folder is the unit of access: they are one photo), and not another image.
   */
  private signatureQuery(media: Pick<MediaRow, 'storage_key'>): string {
    const expires = (this.signatureWindow() + 2) * HOUR;
    return `?exp=${expires}&sig=${this.sign(this.folder(media), expires)}`;
  }

  sign(folder: string, expires: number): string {
    return crypto.createHmac('sha256', this.secret).update(`${folder}\n${expires}`).digest('base64url');
  }

  /** Whether a request for the file at `path` carries a valid, unexpired signature (of its folder). */
  isValidSignature(path: string, exp: string | undefined, sig: string | undefined): boolean {
    if (!exp || !sig || !/^\d{1,12}$/.test(exp)) return false;
    const expires = Number(exp);
    if (expires * 1000 < this.now().getTime()) return false;
    const expected = Buffer.from(this.sign(path.slice(0, path.lastIndexOf('/') + 1), expires));
    const given = Buffer.from(sig);
    return expected.length === given.length && crypto.timingSafeEqual(expected, given);
  }
}

/** The file extension, and the `{format}` of a URL template, of a stored format. */
export function extensionOf(format: MediaVariant['format']): string {
  return format === 'jpeg' ? 'jpg' : format;
}
