import fs from 'node:fs';
import fsp from 'node:fs/promises';
import sharp, { type Metadata, type Sharp, type SharpOptions } from 'sharp';
import { encode as encodeBlurhash } from 'blurhash';
import exifr from 'exifr';
import { fileTypeFromBuffer, fileTypeFromFile } from 'file-type';
import { MEDIA_LIMITS, type MediaRow, type MediaVariant } from './media.ts';

/**
 * The image pipeline. Only re-encoded bytes are ever served: every upload is decoded by
 * libvips (through sharp) and written out again as WebP and JPEG in fixed sizes, without any
 * metadata. The capture date is read first, from the original's EXIF, and kept as a field.
 *
 * Defences, in order: the real type from the bytes (never the client's name or label), the
 * size, pixel, side, aspect-ratio and JPEG scan limits from the header before any decoding
 * (so no crafted file costs a worker more than an ordinary photo), libvips loaders limited to the
 * five formats we accept (SVG, PDF, TIFF, ImageMagick and the rest are blocked for the whole
 * process), `failOn: 'warning'` so damaged or truncated data is refused rather than guessed
 * at, and a timeout on every libvips pipeline.
 */

// Allow-list the loaders: blocking the base class blocks every loader, then only those we
// need are unblocked. This is process-wide: any other sharp use in this process can read only
// JPEG, PNG, WebP, GIF and HEIF/AVIF too, which is what Glimpse wants.
sharp.block({ operation: ['VipsForeignLoad'] });
sharp.unblock({ operation: ['VipsForeignLoadJpeg', 'VipsForeignLoadPng', 'VipsForeignLoadWebp', 'VipsForeignLoadNsgif', 'VipsForeignLoadHeif'] });
// Uploads are all different: libvips' operation cache would only hold on to memory.
sharp.cache(false);

export type ImageFormat = 'jpeg' | 'png' | 'webp' | 'gif' | 'avif';

const HEIF_READABLE = Boolean(sharp.format.heif?.input?.buffer);

/** The types accepted, by the MIME type file-type reports from the bytes. */
const ACCEPTED: Record<string, { format: ImageFormat; sharpFormat: string }> = {
  'image/jpeg': { format: 'jpeg', sharpFormat: 'jpeg' },
  'image/png': { format: 'png', sharpFormat: 'png' },
  'image/webp': { format: 'webp', sharpFormat: 'webp' },
  'image/gif': { format: 'gif', sharpFormat: 'gif' },
  ...(HEIF_READABLE ? { 'image/avif': { format: 'avif' as const, sharpFormat: 'heif' } } : {}),
};

export const SUPPORTED_MIME_TYPES: readonly string[] = Object.keys(ACCEPTED);

/** Widths of the stored sizes; each fits in a box `width` wide and 3 × `width` tall. */
export const VARIANT_WIDTHS: ReadonlyArray<{ name: string; width: number; quality: number }> = [
  { name: 'w1080', width: 1080, quality: 82 },
  { name: 'w640', width: 640, quality: 80 },
  { name: 'w320', width: 320, quality: 78 },
  { name: 'preview', width: 64, quality: 60 },
];
const TALLEST = 3;
export const AVATAR_SIZE = 400;
const PIPELINE_TIMEOUT_SECONDS = 30;

const INPUT_OPTIONS: SharpOptions = {
  failOn: 'warning',
  limitInputPixels: MEDIA_LIMITS.pixels,
  sequentialRead: true,
  // The first frame of an animation only.
  pages: 1,
  page: 0,
};

/** A refusal whose message can be shown to the person who uploaded. */
export class ImageRejectedError extends Error {
  constructor(
    message: string,
    readonly status: 413 | 422 = 422,
  ) {
    super(message);
    this.name = 'ImageRejectedError';
  }
}

export const REJECTIONS = {
  unsupported: 'File type not supported',
  tooLarge: `File is too large (maximum is ${MEDIA_LIMITS.bytes / 1024 / 1024} MiB)`,
  empty: 'File is empty',
  tooManyPixels: `Image is too large (maximum is ${MEDIA_LIMITS.pixels.toLocaleString('en')} pixels)`,
  sideTooLong: `Image is too large (each side may be at most ${MEDIA_LIMITS.side.toLocaleString('en')} pixels)`,
  tooNarrow: `Image is too long and narrow (one side may be at most ${MEDIA_LIMITS.aspectRatio} times the other)`,
  tooManyScans: `Image has too many progressive scans (maximum is ${MEDIA_LIMITS.jpegScans})`,
  damaged: 'Image could not be processed: the file is damaged or incomplete',
} as const;

export interface ImageProbe {
  format: ImageFormat;
  mimeType: string;
  width: number;
  height: number;
  pages: number;
}

/** The accepted type of a file from its first bytes (at least 4,100 of them, or all), or undefined. */
export async function sniffImageType(head: Uint8Array): Promise<string | undefined> {
  const detected = await fileTypeFromBuffer(head).catch(() => undefined);
  return detected && ACCEPTED[detected.mime] ? detected.mime : undefined;
}

/**
 * Quick checks from the file's header, cheap enough to run inside the upload request, on the
 * bytes or on a file (read from disk, never whole): the size, the real type, the pixel count
 * (all frames of an animation together, so a GIF of hundreds of large frames is refused even
 * though only its first frame would be decoded), the longest side and the aspect ratio (a
 * 1 × 30,000,000 PNG has few pixels, but libvips works it line by line for far longer than any
 * photo), and for JPEG the number of scans (each progressive scan is another pass over the
 * whole image, and a small file can declare thousands of them).
 */
export async function probeImage(input: Buffer | string): Promise<ImageProbe> {
  const size = typeof input === 'string' ? (await fsp.stat(input)).size : input.length;
  if (size === 0) throw new ImageRejectedError(REJECTIONS.empty);
  if (size > MEDIA_LIMITS.bytes) throw new ImageRejectedError(REJECTIONS.tooLarge, 413);
  const detected = await (typeof input === 'string' ? fileTypeFromFile(input) : fileTypeFromBuffer(input)).catch(() => undefined);
  const accepted = detected ? ACCEPTED[detected.mime] : undefined;
  if (!detected || !accepted) throw new ImageRejectedError(REJECTIONS.unsupported);
  let metadata: Metadata;
  try {
    metadata = await sharp(input, INPUT_OPTIONS).metadata();
  } catch (error) {
    throw rejectionFor(error);
  }
  // file-type and libvips must agree on what this is: a polyglot is refused.
  if (metadata.format !== accepted.sharpFormat) throw new ImageRejectedError(REJECTIONS.unsupported);
  if (accepted.format === 'avif' && metadata.compression !== 'av1') throw new ImageRejectedError(REJECTIONS.unsupported);
  const width = metadata.width ?? 0;
  const height = metadata.pageHeight ?? metadata.height ?? 0;
  const pages = Math.max(1, metadata.pages ?? 1);
  if (width < 1 || height < 1) throw new ImageRejectedError(REJECTIONS.damaged);
  if (width > MEDIA_LIMITS.side || height > MEDIA_LIMITS.side) throw new ImageRejectedError(REJECTIONS.sideTooLong);
  if (Math.max(width, height) > MEDIA_LIMITS.aspectRatio * Math.min(width, height)) throw new ImageRejectedError(REJECTIONS.tooNarrow);
  if (width * height > MEDIA_LIMITS.pixels || width * height * pages > MEDIA_LIMITS.pixels) {
    throw new ImageRejectedError(REJECTIONS.tooManyPixels);
  }
  if (accepted.format === 'jpeg' && (await countJpegScans(input)) > MEDIA_LIMITS.jpegScans) throw new ImageRejectedError(REJECTIONS.tooManyScans);
  return { format: accepted.format, mimeType: detected.mime, width, height, pages };
}

/**
 * Start-of-scan markers (FF DA) in a JPEG. Inside entropy-coded data every FF byte is followed
 * by 00 or a restart marker, so each FF DA found starts a scan (one in an embedded thumbnail
 * counts too, which only makes the bound stricter). Files are read in chunks, never whole.
 */
export async function countJpegScans(input: Buffer | string): Promise<number> {
  let scans = 0;
  let previous = 0;
  const count = (chunk: Buffer) => {
    if (previous === 0xff && chunk[0] === 0xda) scans++;
    for (let at = chunk.indexOf(0xff); at !== -1 && at < chunk.length - 1; at = chunk.indexOf(0xff, at + 1)) {
      if (chunk[at + 1] === 0xda) scans++;
    }
    previous = chunk[chunk.length - 1];
  };
  if (typeof input !== 'string') {
    count(input);
    return scans;
  }
  for await (const chunk of fs.createReadStream(input, { highWaterMark: 256 * 1024 })) count(chunk as Buffer);
  return scans;
}

/** One re-encoded size, with its bytes. */
export interface EncodedVariant extends MediaVariant {
  data: Buffer;
}

export interface ProcessedImage {
  /** Size of the original after auto-orientation. */
  width: number;
  height: number;
  blurhash: string;
  /** From EXIF DateTimeOriginal (or CreateDate), as ISO-8601; null when absent or implausible. */
  capturedAt: string | null;
  variants: EncodedVariant[];
}

export interface ProcessOptions {
  purpose: MediaRow['purpose'];
  signal?: AbortSignal;
}

/** Decodes, orients, resizes and re-encodes an upload. Throws ImageRejectedError when it cannot. */
export async function processImage(bytes: Buffer, options: ProcessOptions): Promise<ProcessedImage> {
  try {
    return await decodeAndEncode(bytes, options);
  } catch (error) {
    if (options.signal?.aborted) throw options.signal.reason instanceof Error ? options.signal.reason : error;
    throw rejectionFor(error);
  }
}

async function decodeAndEncode(bytes: Buffer, options: ProcessOptions): Promise<ProcessedImage> {
  const { signal } = options;
  const probe = await probeImage(bytes);
  const capturedAt = await readCaptureDate(bytes);
  checkAborted(signal);

  const metadata = await sharp(bytes, INPUT_OPTIONS).metadata();
  const original = metadata.autoOrient ?? { width: probe.width, height: probe.height };
  // One decode: the largest size, oriented, in sRGB, kept as raw pixels; every stored size is
  // made from it (no metadata can survive a trip through raw pixels).
  const base = await pipeline(sharp(bytes, INPUT_OPTIONS))
    .autoOrient()
    .resize({ width: VARIANT_WIDTHS[0].width, height: VARIANT_WIDTHS[0].width * TALLEST, fit: 'inside', withoutEnlargement: true })
    .toColourspace('srgb')
    .raw()
    .toBuffer({ resolveWithObject: true });
  checkAborted(signal);

  const raw = { width: base.info.width, height: base.info.height, channels: base.info.channels };
  const fromBase = () => pipeline(sharp(base.data, { raw }));
  const variants: EncodedVariant[] = [];
  for (const size of VARIANT_WIDTHS) {
    const resized = () => fromBase().resize({ width: size.width, height: size.width * TALLEST, fit: 'inside', withoutEnlargement: true });
    variants.push(await encode(size.name, 'webp', resized(), size.quality));
    variants.push(await encode(size.name, 'jpeg', resized(), size.quality));
    checkAborted(signal);
  }
  if (options.purpose === 'avatar') {
    const side = Math.min(AVATAR_SIZE, raw.width, raw.height);
    const square = () => fromBase().resize({ width: side, height: side, fit: 'cover', position: 'centre' });
    variants.push(await encode(`square${AVATAR_SIZE}`, 'webp', square(), 82));
    variants.push(await encode(`square${AVATAR_SIZE}`, 'jpeg', square(), 82));
  }

  const small = await fromBase()
    .resize({ width: 32, height: 32, fit: 'inside' })
    .flatten({ background: '#ffffff' })
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const landscape = small.info.width >= small.info.height;
  const blurhash = encodeBlurhash(new Uint8ClampedArray(small.data), small.info.width, small.info.height, landscape ? 4 : 3, landscape ? 3 : 4);

  return { width: original.width, height: original.height, blurhash, capturedAt, variants };
}

function pipeline(image: Sharp): Sharp {
  return image.timeout({ seconds: PIPELINE_TIMEOUT_SECONDS });
}

async function encode(name: string, format: 'webp' | 'jpeg', image: Sharp, quality: number): Promise<EncodedVariant> {
  // sharp writes no metadata unless asked (withMetadata/keepExif are never called here).
  const encoded =
    format === 'webp'
      ? image.webp({ quality, effort: 3 })
      : image.flatten({ background: '#ffffff' }).jpeg({ quality, progressive: true, optimiseCoding: true });
  const { data, info } = await encoded.toBuffer({ resolveWithObject: true });
  return { name, format, width: info.width, height: info.height, data };
}

/**
 * The capture date from EXIF, read before anything is stripped. EXIF dates carry no zone;
 * with OffsetTimeOriginal the instant is exact, without it the camera's wall-clock time is
 * stored as if it were UTC (what a photo app shows as "taken at").
 */
export async function readCaptureDate(bytes: Buffer): Promise<string | null> {
  let tags: Record<string, unknown> | undefined;
  try {
    tags = await exifr.parse(bytes, {
      pick: ['DateTimeOriginal', 'CreateDate', 'OffsetTimeOriginal', 'OffsetTimeDigitized', 'OffsetTime'],
      reviveValues: false,
    });
  } catch {
    return null;
  }
  if (!tags) return null;
  const candidates: Array<[unknown, unknown]> = [
    [tags.DateTimeOriginal, tags.OffsetTimeOriginal ?? tags.OffsetTime],
    [tags.CreateDate, tags.OffsetTimeDigitized ?? tags.OffsetTime],
  ];
  for (const [value, offset] of candidates) {
    const iso = exifDateToIso(value, offset);
    if (iso) return iso;
  }
  return null;
}

export function exifDateToIso(value: unknown, offset: unknown): string | null {
  if (typeof value !== 'string') return null;
  const match = /^(\d{4}):(\d{2}):(\d{2})[ T](\d{2}):(\d{2}):(\d{2})/.exec(value.trim());
  if (!match) return null;
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number);
  if (year < 1826 || year > 2200 || month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return null;
  const wallClock = new Date(Date.UTC(year, month - 1, day, hour, minute, Math.min(second, 59)));
  // 2023:02:31 would roll over into March: refuse rather than store a date that was never shown.
  if (wallClock.getUTCDate() !== day || wallClock.getUTCMonth() !== month - 1) return null;
  const zone = typeof offset === 'string' ? /^([+-])(\d{2}):(\d{2})$/.exec(offset.trim()) : null;
  const offsetMs = zone ? (zone[1] === '-' ? -1 : 1) * (Number(zone[2]) * 60 + Number(zone[3])) * 60_000 : 0;
  return new Date(wallClock.getTime() - offsetMs).toISOString();
}

function checkAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw signal.reason instanceof Error ? signal.reason : new Error('aborted');
}

/** libvips' messages mapped to what the uploader can act on; nothing internal leaks. */
function rejectionFor(error: unknown): Error {
  if (error instanceof ImageRejectedError) return error;
  const message = String((error as Error)?.message ?? error);
  if (/pixel limit/i.test(message)) return new ImageRejectedError(REJECTIONS.tooManyPixels);
  if (/unsupported image format|blocked|not a known file format/i.test(message)) return new ImageRejectedError(REJECTIONS.unsupported);
  if (/timeout/i.test(message)) return new ImageRejectedError('Image could not be processed in time');
  return new ImageRejectedError(REJECTIONS.damaged);
}

/**
 * A small image that fits a square (custom emojis): checked from its header like every upload
 * (probeImage: size, real type, pixels, sides, aspect ratio, scans; `input` may be a path, read
 * only once the header passed), its first frame decoded, oriented, fitted inside `side` × `side`
 * without enlarging, and re-encoded as lossless WebP keeping transparency, without metadata.
 */
export async function processSquareIcon(input: Buffer | string, side: number): Promise<{ data: Buffer; width: number; height: number }> {
  try {
    await probeImage(input);
    const bytes = typeof input === 'string' ? await fsp.readFile(input) : input;
    const { data, info } = await pipeline(sharp(bytes, INPUT_OPTIONS))
      .autoOrient()
      .resize({ width: side, height: side, fit: 'inside', withoutEnlargement: true })
      .toColourspace('srgb')
      .webp({ lossless: true, effort: 4 })
      .toBuffer({ resolveWithObject: true });
    return { data, width: info.width, height: info.height };
  } catch (error) {
    throw rejectionFor(error);
  }
}
