import crypto from 'node:crypto';
import type { Clock } from '../../clock.ts';
import { newId } from '../../db/ids.ts';
import { AppError, notFound, unprocessable } from '../../errors.ts';
import type { MediaStorage } from '../../infra/storage/media-storage.ts';
import { ImageRejectedError, processSquareIcon } from '../media/image-processor.ts';
import type { CustomEmojiRepository, CustomEmojiRow } from './emoji-repository.ts';

export const EMOJI_LIMITS = {
  /** Shortcodes as Mastodon allows them, bounded. */
  shortcode: /^[A-Za-z0-9_]{2,32}$/,
  /** Images are fitted inside this square. */
  side: 128,
  category: 64,
  /** The whole set is loaded into memory and sent in one list: it stays small. */
  perInstance: 2000,
} as const;

/** The name of the stored size inside the emoji's media folder (served as /media/<key>/<file>). */
export const EMOJI_FILE = `emoji${EMOJI_LIMITS.side}.webp`;

/**
 * How long a process trusts its cached set. Emojis are added and removed by the admin command,
 * another process: a server picks the change up within this time (on its injectable clock).
 * The process that changes the set drops its cache at once.
 */
export const EMOJI_CACHE_MS = 60_000;

/** `:shortcode:` inside text; whether it names an emoji is decided against the set. */
const IN_TEXT = /:([A-Za-z0-9_]{2,32}):/g;

/** The stored image's path in the media URL scheme (domain/media/media-urls.ts). */
export function emojiPath(row: Pick<CustomEmojiRow, 'storage_key' | 'file'>): string {
  return `/media/${row.storage_key}/${row.file}`;
}

/** The instance's emojis as loaded once: looked up by exact shortcode, as typed in text. */
export class CustomEmojiSet {
  readonly rows: readonly CustomEmojiRow[];
  private readonly byShortcode: ReadonlyMap<string, CustomEmojiRow>;
  /** Equal for two loads of the same emojis: what a serialised entity that names them was built with. */
  readonly fingerprint: string;

  constructor(rows: readonly CustomEmojiRow[]) {
    this.rows = rows;
    this.byShortcode = new Map(rows.map((r) => [r.shortcode, r]));
    this.fingerprint = JSON.stringify(rows);
  }

  /** The emojis `:shortcode:` names in any of the texts, each once, in order of first use. */
  usedIn(...texts: ReadonlyArray<string | null | undefined>): CustomEmojiRow[] {
    if (this.byShortcode.size === 0) return [];
    const found = new Map<string, CustomEmojiRow>();
    for (const text of texts) {
      if (!text || !text.includes(':')) continue;
      for (const match of text.matchAll(IN_TEXT)) {
        const row = this.byShortcode.get(match[1]);
        if (row && !found.has(row.shortcode)) found.set(row.shortcode, row);
      }
    }
    return [...found.values()];
  }
}

const EMPTY = new CustomEmojiSet([]);

/**
 * Custom emojis: added from an image file (checked and re-encoded by the media pipeline,
 * stored through the media storage), removed, and listed. The set is small and read by every
 * page that presents statuses or accounts, so it is loaded once and kept in memory: `current()`
 * answers synchronously (presenters are pure), `refreshIfStale()` (run before each API request)
 * reloads it when older than EMOJI_CACHE_MS, and add/remove drop it at once.
 */
export class CustomEmojiService {
  private cached: { set: CustomEmojiSet; loadedAt: number } | undefined;
  private loading: Promise<CustomEmojiSet> | undefined;

  constructor(
    private readonly emojis: CustomEmojiRepository,
    private readonly storage: MediaStorage,
    private readonly clock: Clock,
  ) {}

  /** The set as last loaded (empty before the first load). */
  current(): CustomEmojiSet {
    return this.cached?.set ?? EMPTY;
  }

  /** Loads the set if it was never loaded, was dropped, or is older than EMOJI_CACHE_MS. */
  async refreshIfStale(): Promise<CustomEmojiSet> {
    const now = this.clock.now().getTime();
    if (this.cached && now - this.cached.loadedAt < EMOJI_CACHE_MS && now >= this.cached.loadedAt) return this.cached.set;
    if (!this.loading) {
      const loading = this.emojis
        .all(EMOJI_LIMITS.perInstance)
        .then((rows) => {
          const set = new CustomEmojiSet(rows);
          // A drop while loading wins: this load may predate the change.
          if (this.loading === loading) this.cached = { set, loadedAt: now };
          return set;
        })
        .finally(() => {
          if (this.loading === loading) this.loading = undefined;
        });
      this.loading = loading;
    }
    return this.loading;
  }

  /** After a change here: the other processes drop their copy (services.ts, or the admin command through Redis). */
  onChanged: () => void = () => {};

  invalidate(): void {
    this.dropCache();
    this.onChanged();
  }

  /** Forgets the cached set (changed here or in another process); the next request reloads it. */
  dropCache(): void {
    this.cached = undefined;
    this.loading = undefined;
  }

  async list(): Promise<readonly CustomEmojiRow[]> {
    return (await this.refreshIfStale()).rows;
  }

  /**
   * Adds an emoji from an image file: the shortcode checked (422 when malformed or taken, in
   * any case), the image checked and re-encoded to at most 128 × 128 (422/413 when refused),
   * stored durably, then the row written; a row that loses a race for the shortcode takes its
   * stored image away again.
   */
  async add(shortcode: string, imageFile: string, options: { category?: string } = {}): Promise<CustomEmojiRow> {
    if (!EMOJI_LIMITS.shortcode.test(shortcode)) {
      throw unprocessable('Validation failed: Shortcode must be 2 to 32 characters of letters, digits and underscores');
    }
    const category = options.category?.trim() || null;
    if (category !== null && category.length > EMOJI_LIMITS.category) {
      throw unprocessable(`Validation failed: Category is too long (maximum is ${EMOJI_LIMITS.category} characters)`);
    }
    if (await this.emojis.findByShortcode(shortcode)) throw taken();
    if ((await this.emojis.count()) >= EMOJI_LIMITS.perInstance) {
      throw unprocessable(`Validation failed: an instance has at most ${EMOJI_LIMITS.perInstance} custom emojis`);
    }
    let image: Awaited<ReturnType<typeof processSquareIcon>>;
    try {
      image = await processSquareIcon(imageFile, EMOJI_LIMITS.side);
    } catch (error) {
      if (error instanceof ImageRejectedError) throw new AppError(error.status, error.message);
      throw error;
    }
    const now = this.clock.now();
    const row: CustomEmojiRow = {
      id: newId(now.getTime()),
      shortcode,
      shortcode_lower: shortcode.toLowerCase(),
      storage_key: crypto.randomBytes(32).toString('base64url'),
      file: EMOJI_FILE,
      width: image.width,
      height: image.height,
      category,
      visible_in_picker: 1,
      created_at: now.toISOString(),
    };
    // The bytes are durable before the row that points to them commits.
    await this.storage.put(row.storage_key, row.file, image.data);
    let inserted = false;
    try {
      inserted = await this.emojis.insert(row);
    } finally {
      if (!inserted) await this.storage.remove(row.storage_key).catch(() => undefined);
    }
    if (!inserted) throw taken();
    this.invalidate();
    return row;
  }

  /** Removes an emoji and its image; 404 when there is none by that shortcode. */
  async remove(shortcode: string): Promise<CustomEmojiRow> {
    const row = EMOJI_LIMITS.shortcode.test(shortcode) ? await this.emojis.findByShortcode(shortcode) : undefined;
    if (!row) throw notFound();
    await this.emojis.delete(row.id);
    this.invalidate();
    await this.storage.remove(row.storage_key).catch(() => undefined);
    return row;
  }

  /** An emoji's stored image by the two parts of its URL, for GET /media/:key/:file. */
  async findServable(key: string, file: string): Promise<CustomEmojiRow | undefined> {
    if (file !== EMOJI_FILE || !/^[A-Za-z0-9_-]{43}$/.test(key)) return undefined;
    return this.emojis.findByStorageKey(key);
  }
}

function taken(): AppError {
  return unprocessable('Validation failed: Shortcode has already been taken');
}
