import crypto from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import type { Clock } from '../../clock.ts';
import type { Db } from '../../db/database.ts';
import { isId, newId } from '../../db/ids.ts';
import { AppError, notFound, tooManyRequests, unprocessable } from '../../errors.ts';
import type { Viewer } from '../../access/viewer-context.ts';
import { type MediaFileFacts, canAttachMedia, needsSignedMediaUrls } from '../../access/media-policy.ts';
import type { MediaStorage } from '../../infra/storage/media-storage.ts';
import { processHolder } from '../../infra/process-holder.ts';
import { type JobQueue, JobTimeoutError, QueueFullError, QueueStoppedError } from '../../infra/queue/job-queue.ts';
import { ImageRejectedError, REJECTIONS, probeImage, processImage, sniffImageType } from './image-processor.ts';
import type { MediaRepository } from './media-repository.ts';
import type { MediaUrls } from './media-urls.ts';
import { MEDIA_LIMITS, type MediaRow, type MediaVariant, variantsOf } from './media.ts';
import { UPLOAD_RETRY_AFTER_MS, UploadSlots } from './upload-slots.ts';

/**
 * An upload as received: a file at a path from the storage's `incomingFile()`. The client's
 * file name and label are never trusted or stored.
 */
export interface UploadedImage {
  path: string;
}

/**
 * How the HTTP layer receives one request's uploads for an account: each file streamed to a
 * fresh incoming path, at most `maxBytes`, its first bytes checked before the rest is taken.
 * `release()` ends the request's hold on its upload slot.
 */
export interface UploadReceiver {
  maxBytes: number;
  /** A fresh path to write one received file to. */
  newFile(): Promise<string>;
  /** Throws (422) unless the first bytes (4,100, or the whole file if shorter) are an accepted image type. */
  checkHead(head: Buffer): Promise<void>;
  release(): void;
}

/** Bytes of a file's start that decide its type (file-type's sample size). */
export const HEAD_BYTES = 4100;
/** Received files left by a crash mid-upload are removed at start once this old. */
const STALE_INCOMING_MS = 60 * 60_000;

export interface MediaAttributes {
  description?: string;
  /** Mastodon's "x,y", each in -1..1. */
  focus?: string;
}

export type MediaPurpose = MediaRow['purpose'];

/** The original upload's name inside the media folder: processed, then deleted, never served. */
export const ORIGINAL_NAME = 'original';
export const PROCESS_JOB = 'media.process';
/** Media of one account processing at once; more answers 429 until some are done. */
export const MAX_PROCESSING_PER_ACCOUNT = 10;
/**
 * How long a processing lease lasts (on the injectable clock). Longer than the job's timeout
 * (60 s), and renewed before the results are written, so a live holder never loses it.
 */
export const MEDIA_LEASE_MS = 5 * 60_000;

/** Who holds an upload's lease: this host and data folder (infra/process-holder.ts). */
export const mediaLeaseHolder = processHolder;
const STORAGE_KEY = /^[A-Za-z0-9_-]{43}$/;
const FILE_NAME = /^([a-z0-9]{1,32})\.(jpg|webp)$/;

export interface MediaServiceOptions {
  /** This process as a lease holder (mediaLeaseHolder); by default one no other process shares. */
  leaseHolder?: string;
  /** How long POST /api/v1/media waits for processing (real milliseconds). */
  waitMs?: number;
  /**
   * This process works uploads (roles `all` and `worker`). A `web` process (false) only stores
   * them: the committed 'processing' row is the durable record a worker picks up, woken by
   * `announce` and, failing that, by its periodic resume.
   */
  processHere?: boolean;
  /** Tells the processes that work uploads that one is waiting (a `web` process's uploads). */
  announce?(mediaId: string): void;
  /** Tells every process that an upload's processing ended, so their waiting requests answer at once. */
  processed?(mediaId: string): void;
  onError?(message: string, error: unknown): void;
}

/** A stored file found for GET /media/:key/:file, with the facts the access policy needs. */
export interface ServableFile {
  media: MediaRow;
  variant: MediaVariant;
  storageName: string;
  facts: MediaFileFacts;
}

export function storageNameOf(variant: Pick<MediaVariant, 'name' | 'format'>): string {
  return `${variant.name}.${variant.format === 'jpeg' ? 'jpg' : variant.format}`;
}

/**
 * Uploads and their processing. An upload is received to disk (uploadReceiver: bounded in
 * flight, its type checked from its first bytes), checked from its header (size, real type,
 * pixels, sides, aspect ratio, scans), moved into storage as 'original', a row written in
 * state 'processing' and a job queued; the job re-encodes it into the stored sizes, marks the
 * row 'ready' (or 'failed' with the reason) and deletes the original. Rows still 'processing'
 * after a restart are queued again.
 */
export class MediaService {
  private readonly waiters = new Map<string, Set<() => void>>();
  /** Media ids queued or running here, so a resume never queues one twice. */
  private readonly inFlight = new Set<string>();
  /** The lease (attempt key) this process holds per media id while working it. */
  private readonly attempts = new Map<string, string>();
  /** Jobs here that won the lease and committed a result (ready or failed), and jobs that found it taken. */
  readonly leaseStats = { committed: 0, skipped: 0 };
  private readonly leaseHolder: string;
  /** Media the first resume queued whose lease this holder's dead predecessor held. */
  private readonly takeOver = new Set<string>();
  private resumed = false;
  private readonly waitMs: number;
  private readonly processHere: boolean;
  private readonly announce: (mediaId: string) => void;
  private readonly processed: (mediaId: string) => void;
  /** Upload requests being received, per account and in total. */
  readonly uploadSlots = new UploadSlots();
  /** Where unexpected processing errors go; app.ts points it at the logger. */
  onError: (message: string, error: unknown) => void;
  /** Told how long each job that won the lease took, and whether it threw; app.ts points it at the metrics. */
  onProcessingTimed: (seconds: number, outcome: 'ok' | 'error') => void = () => {};

  constructor(
    private readonly db: Db,
    private readonly media: MediaRepository,
    private readonly storage: MediaStorage,
    private readonly queue: JobQueue,
    private readonly urls: MediaUrls,
    private readonly clock: Clock,
    options: MediaServiceOptions = {},
  ) {
    this.waitMs = options.waitMs ?? 60_000;
    this.leaseHolder = options.leaseHolder ?? crypto.randomBytes(16).toString('base64url');
    this.onError = options.onError ?? (() => undefined);
    this.processHere = options.processHere ?? true;
    this.announce = options.announce ?? (() => undefined);
    this.processed = options.processed ?? (() => undefined);
    queue.define<{ mediaId: string }>(PROCESS_JOB, {
      timeoutMs: 60_000,
      handler: (payload, { signal }) => this.process(payload.mediaId, signal),
      onFailure: async (payload, error) => {
        if (!(error instanceof JobTimeoutError)) this.onError('media job failed', error);
        // Only the lease holder may fail the row; without the lease it is another's to finish.
        const lease = this.attempts.get(payload.mediaId);
        this.attempts.delete(payload.mediaId);
        const media = lease ? await this.media.findById(payload.mediaId) : undefined;
        const message = error instanceof JobTimeoutError ? 'Image could not be processed in time' : 'Image could not be processed, please try again';
        if (media && lease) await this.fail(media, lease, message);
        this.finished(payload.mediaId);
      },
    });
  }

  /**
   * Starts receiving an upload request of this account: 429 with Retry-After when it already
   * has as many in flight as allowed, or everyone together has.
   */
  uploadReceiver(viewer: Viewer): UploadReceiver {
    const release = this.uploadSlots.take(viewer.accountId);
    if (!release) throw uploadsBusy('Too many uploads at once, try again in a moment');
    return {
      maxBytes: MEDIA_LIMITS.bytes,
      newFile: () => this.storage.incomingFile(),
      checkHead: async (head) => {
        if (head.length > 0 && !(await sniffImageType(head))) throw unprocessable(REJECTIONS.unsupported);
      },
      release,
    };
  }

  /**
   * A received upload: checked from its header on disk (size, type, pixels, sides, scans), moved
   * into storage as 'original', its row committed in state 'processing' and a job queued.
   */
  async upload(viewer: Viewer, file: UploadedImage, attributes: MediaAttributes = {}, purpose: MediaPurpose = 'attachment'): Promise<MediaRow> {
    const { description, focus } = parseAttributes(attributes);
    try {
      await probeImage(file.path);
    } catch (error) {
      if (error instanceof ImageRejectedError) throw new AppError(error.status, error.message);
      throw error;
    }
    if (this.processHere && !this.queue.hasCapacity()) throw busy();
    const processing = await this.db
      .selectFrom('media')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('account_id', '=', viewer.accountId)
      .where('state', '=', 'processing')
      .executeTakeFirst();
    if (Number(processing?.n ?? 0) >= MAX_PROCESSING_PER_ACCOUNT) throw uploadsBusy('Too many uploads are still processing, try again in a moment');

    const now = this.clock.now();
    const storageKey = crypto.randomBytes(32).toString('base64url');
    const row: MediaRow = {
      id: newId(now.getTime()),
      account_id: viewer.accountId,
      purpose,
      state: 'processing',
      error: null,
      storage_key: storageKey,
      description,
      focus_x: focus.x,
      focus_y: focus.y,
      width: null,
      height: null,
      blurhash: null,
      variants: '[]',
      captured_at: null,
      status_id: null,
      scheduled_status_id: null,
      position: 0,
      created_at: now.toISOString(),
      lease_owner: null,
      lease_until: null,
      lease_holder: null,
      remove_after: null,
    };
    // The bytes are durable before the row that points to them commits.
    await this.storage.putFile(storageKey, ORIGINAL_NAME, file.path);
    try {
      await this.media.insert(row);
    } catch (error) {
      await this.storage.remove(storageKey).catch(() => undefined);
      throw error;
    }
    // A `web` process leaves the committed row to the workers.
    if (!this.processHere) {
      this.announce(row.id);
      return row;
    }
    try {
      this.enqueue(row.id);
    } catch (error) {
      await this.db.deleteFrom('media').where('id', '=', row.id).execute();
      await this.storage.remove(storageKey).catch(() => undefined);
      if (error instanceof QueueFullError || error instanceof QueueStoppedError) throw busy();
      throw error;
    }
    return row;
  }

  /**
   * The row once processing has ended (ready or failed), or as it is after `timeoutMs`. Woken
   * by the job; also re-reads every second, so it notices work done elsewhere.
   */
  async waitForProcessing(id: string, timeoutMs: number = this.waitMs): Promise<MediaRow | undefined> {
    const deadline = Date.now() + timeoutMs;
    let heard = false;
    for (;;) {
      let wake!: () => void;
      const woken = new Promise<void>((resolve) => (wake = resolve));
      const set = this.waiters.get(id) ?? new Set();
      set.add(wake);
      this.waiters.set(id, set);
      let timer: NodeJS.Timeout | undefined;
      try {
        // Registered before reading, so a job ending in between still wakes us.
        const row = await this.media.findById(id);
        const remaining = deadline - Date.now();
        // The job wakes us once it has also cleaned up (the original, a replaced profile
        // image), so the row's new state alone does not end the wait while a job of this
        // process runs it, or, in a `web` process, until a worker's `media.processed` arrived
        // (failing that, the deadline ends it).
        const cleanedUp = this.processHere ? !this.inFlight.has(id) : heard;
        if (!row || remaining <= 0 || (row.state !== 'processing' && cleanedUp)) return row;
        await Promise.race([woken.then(() => (heard = true)), new Promise<void>((resolve) => (timer = setTimeout(resolve, Math.min(remaining, 1000))))]);
      } finally {
        clearTimeout(timer);
        set.delete(wake);
        if (set.size === 0 && this.waiters.get(id) === set) this.waiters.delete(id);
      }
    }
  }

  /** The viewer's own media not yet attached to a post (Mastodon's rule); anything else 404. */
  async get(viewer: Viewer, id: string): Promise<MediaRow> {
    if (!isId(id)) throw notFound();
    const row = await this.media.findById(id);
    if (!row || !canAttachMedia(viewer, row)) throw notFound();
    return row;
  }

  async update(viewer: Viewer, id: string, attributes: MediaAttributes): Promise<MediaRow> {
    const row = await this.get(viewer, id);
    const changes: Partial<Pick<MediaRow, 'description' | 'focus_x' | 'focus_y'>> = {};
    const parsed = parseAttributes(attributes);
    if (attributes.description !== undefined) changes.description = parsed.description;
    if (attributes.focus !== undefined) {
      changes.focus_x = parsed.focus.x;
      changes.focus_y = parsed.focus.y;
    }
    if (Object.keys(changes).length === 0) return row;
    await this.media.update(row.id, changes);
    return { ...row, ...changes };
  }

  /** Whether presented URLs of this media must be signed (loads the post facts when attached). */
  async needsSignedUrls(media: MediaRow): Promise<boolean> {
    return needsSignedMediaUrls(await this.factsFor(media));
  }

  /** A known, ready, stored size of some media, by the two parts of its URL; never the original. */
  async findServable(key: string, fileName: string): Promise<ServableFile | undefined> {
    const name = FILE_NAME.exec(fileName);
    if (!STORAGE_KEY.test(key) || !name) return undefined;
    const media = await this.media.findByStorageKey(key);
    if (!media || media.state !== 'ready') return undefined;
    const variant = variantsOf(media).find((v) => storageNameOf(v) === fileName);
    if (!variant) return undefined;
    return { media, variant, storageName: fileName, facts: await this.factsFor(media) };
  }

  /**
   * A new profile picture or header: processed like any upload, then (in the same transaction
   * that marks it ready) set on the account; the previous one is deleted. Waits for the result.
   */
  async setProfileImage(viewer: Viewer, purpose: 'avatar' | 'header', file: UploadedImage): Promise<MediaRow> {
    const row = await this.upload(viewer, file, {}, purpose);
    const done = await this.waitForProcessing(row.id);
    if (done?.state === 'failed') throw unprocessable(done.error ?? REJECTIONS.damaged);
    return done ?? row;
  }

  /**
   * Removes the account's avatar or header (`DELETE /api/v1/profile/avatar|header`): the
   * account falls back to the default picture, and the image's row and files are deleted.
   * Removing one that is not set changes nothing.
   */
  async removeProfileImage(viewer: Viewer, purpose: 'avatar' | 'header'): Promise<void> {
    const removed = await this.db.transaction().execute(async (trx) => {
      const account = await trx.selectFrom('accounts').select(['avatar_media_id', 'header_media_id']).where('id', '=', viewer.accountId).executeTakeFirst();
      const mediaId = purpose === 'avatar' ? account?.avatar_media_id : account?.header_media_id;
      if (!mediaId) return undefined;
      const now = this.clock.now().toISOString();
      await trx
        .updateTable('accounts')
        .set(purpose === 'avatar' ? { avatar_media_id: null, avatar_path: null, updated_at: now } : { header_media_id: null, header_path: null, updated_at: now })
        .where('id', '=', viewer.accountId)
        .execute();
      return trx.selectFrom('media').selectAll().where('id', '=', mediaId).executeTakeFirst();
    });
    if (removed) await this.deleteMedia(removed);
  }

  /**
   * Queues media left 'processing' by a restart, or by a process that died holding it: only
   * rows whose processing lease is absent or ran out, and at the first call (app.ts calls it at
   * start) also those leased by this holder, which was this process before it died. Returns
   * how many were queued.
   */
  async resumeInterrupted(): Promise<number> {
    await this.removeStaleIncoming();
    const atStart = !this.resumed;
    this.resumed = true;
    let queued = 0;
    const rows = await this.media.findProcessing(500, this.clock.now().toISOString(), atStart ? this.leaseHolder : undefined);
    for (const row of rows) {
      if (this.inFlight.has(row.id)) continue;
      if (!this.queue.hasCapacity()) break;
      if (atStart && row.lease_holder === this.leaseHolder) this.takeOver.add(row.id);
      this.enqueue(row.id);
      queued += 1;
    }
    return queued;
  }

  /** Received files a crash left mid-upload, once an hour old (every role receives uploads). */
  async removeStaleIncoming(): Promise<void> {
    await this.storage.removeStaleIncoming(STALE_INCOMING_MS).catch((error) => this.onError('removing stale received uploads', error));
  }

  /**
   * An upload a `web` process stored (announced on the pub/sub): queued here unless already
   * queued or the queue is full (the periodic resume takes it later; the claim keeps it to one
   * process among the workers).
   */
  pickUp(mediaId: string): void {
    if (!this.processHere || this.inFlight.has(mediaId) || !this.queue.hasCapacity()) return;
    this.enqueue(mediaId);
  }

  private enqueue(mediaId: string): void {
    this.queue.enqueue(PROCESS_JOB, { mediaId });
    this.inFlight.add(mediaId);
  }

  private async factsFor(media: MediaRow): Promise<MediaFileFacts> {
    const owner = await this.db.selectFrom('accounts').select('suspended_at').where('id', '=', media.account_id).executeTakeFirst();
    const facts: MediaFileFacts = { purpose: media.purpose, owner: { suspended_at: owner?.suspended_at ?? null } };
    if (media.purpose !== 'attachment' || media.status_id === null) return facts;
    const row = await this.db
      .selectFrom('statuses')
      .innerJoin('accounts', 'accounts.id', 'statuses.account_id')
      .select(['statuses.id', 'statuses.account_id', 'statuses.visibility', 'accounts.locked', 'accounts.suspended_at'])
      .where('statuses.id', '=', media.status_id)
      .executeTakeFirst();
    if (!row) return facts;
    return {
      ...facts,
      attachedTo: { post: { id: row.id, account_id: row.account_id, visibility: row.visibility }, author: { id: row.account_id, locked: row.locked, suspended_at: row.suspended_at } },
    };
  }

  /**
   * The job: lease claimed → original → stored sizes → row 'ready' → original deleted. The
   * sizes are written under the attempt's own key (the lease owner, a fresh random storage key)
   * and the row is pointed at it when it commits, which it does only while holding the lease.
   * So a job that loses the lease (or is stopped) deletes the files it wrote, never another's.
   */
  private async process(mediaId: string, signal: AbortSignal): Promise<void> {
    let threw = false;
    let started: number | undefined;
    try {
      const claimed = await this.claim(mediaId);
      if (!claimed) {
        this.leaseStats.skipped += 1;
        return;
      }
      this.attempts.set(mediaId, claimed.lease);
      started = performance.now();
      await this.work(claimed.media, claimed.lease, signal);
    } catch (error) {
      threw = true;
      throw error;
    } finally {
      if (started !== undefined) this.onProcessingTimed((performance.now() - started) / 1000, threw || signal.aborted ? 'error' : 'ok');
      // After a throw or timeout, onFailure takes the lease from `attempts` to fail the row.
      if (!threw && !signal.aborted) this.attempts.delete(mediaId);
      if (!signal.aborted) this.finished(mediaId);
    }
  }

  /**
   * Takes the row's lease if it is still 'processing' and nobody holds a live one. An attempt
   * abandoned by a holder whose lease ran out passes to the new holder with the lease: its
   * files (under the old lease key) are removed; the row never pointed at them.
   */
  private async claim(mediaId: string): Promise<{ media: MediaRow; lease: string } | undefined> {
    const deadHolder = this.takeOver.delete(mediaId) ? this.leaseHolder : undefined;
    const media = await this.media.findById(mediaId);
    if (!media || media.state !== 'processing') return undefined;
    const now = this.clock.now();
    const live = media.lease_until !== null && media.lease_until >= now.toISOString();
    if (live && !(deadHolder && media.lease_holder === deadHolder)) return undefined;
    const lease = crypto.randomBytes(32).toString('base64url');
    const until = new Date(now.getTime() + MEDIA_LEASE_MS).toISOString();
    if (!(await this.media.claimLease(media.id, media.lease_owner, { owner: lease, holder: this.leaseHolder, until }, now.toISOString(), deadHolder))) return undefined;
    const abandoned = media.lease_owner;
    if (abandoned && abandoned !== media.storage_key && STORAGE_KEY.test(abandoned)) {
      await this.storage.remove(abandoned).catch((error) => this.onError('removing an abandoned media attempt', error));
    }
    return { media: { ...media, lease_owner: lease, lease_until: until }, lease };
  }

  private async work(media: MediaRow, lease: string, signal: AbortSignal): Promise<void> {
    let committed = false;
    try {
      const original = await this.storage.read(media.storage_key, ORIGINAL_NAME);
      if (!original) {
        await this.fail(media, lease, 'The upload was lost before it could be processed, please upload it again');
        return;
      }
      let result: Awaited<ReturnType<typeof processImage>>;
      try {
        result = await processImage(original, { purpose: media.purpose, signal });
      } catch (error) {
        if (signal.aborted) throw error;
        if (!(error instanceof ImageRejectedError)) this.onError('media processing failed', error);
        await this.fail(media, lease, error instanceof ImageRejectedError ? error.message : REJECTIONS.damaged);
        return;
      }
      if (signal.aborted) return;
      // Renewed before writing: a holder that lost its lease meanwhile writes nothing.
      if (!(await this.media.renewLease(media.id, lease, new Date(this.clock.now().getTime() + MEDIA_LEASE_MS).toISOString()))) return;
      for (const variant of result.variants) {
        if (signal.aborted) return;
        await this.storage.put(lease, storageNameOf(variant), variant.data);
      }
      if (signal.aborted) return;
      const variants: MediaVariant[] = result.variants.map(({ name, format, width, height }) => ({ name, format, width, height }));
      const replaced = await this.markReady(media, lease, {
        width: result.width,
        height: result.height,
        blurhash: result.blurhash,
        variants: JSON.stringify(variants),
        captured_at: result.capturedAt,
      }, variants);
      // Failed meanwhile (a timeout), deleted, or the lease lost: this attempt's files go (finally).
      if (replaced === 'lost') return;
      committed = true;
      this.leaseStats.committed += 1;
      // The upload's folder held only the original; the row now points at this attempt's.
      await this.storage.remove(media.storage_key).catch((error) => this.onError('removing a processed original', error));
      if (replaced) await this.deleteMedia(replaced);
    } finally {
      if (!committed) {
        // Only this attempt's own files: the row never pointed at them.
        await this.storage.remove(lease).catch((error) => this.onError('removing an unfinished media attempt', error));
        if (signal.aborted && !(signal.reason instanceof JobTimeoutError)) {
          // Stopping: give the lease up so the next start takes the upload at once.
          await this.media.releaseLease(media.id, lease).catch(() => undefined);
        }
      }
    }
  }

  /**
   * Marks the row ready (only if still processing) and, for a profile image, points the account
   * at it in the same transaction. Returns the profile image it replaced, 'lost' when the row
   * was no longer processing, or undefined.
   */
  private async markReady(
    processing: MediaRow,
    lease: string,
    changes: Pick<MediaRow, 'width' | 'height' | 'blurhash' | 'variants' | 'captured_at'>,
    variants: MediaVariant[],
  ): Promise<MediaRow | 'lost' | undefined> {
    // The sizes live under the attempt's key, which becomes the row's storage key.
    const media: MediaRow = { ...processing, storage_key: lease };
    return this.db.transaction().execute(async (trx) => {
      const updated = await trx
        .updateTable('media')
        .set({ ...changes, storage_key: lease, state: 'ready', error: null, lease_until: null })
        .where('id', '=', media.id)
        .where('state', '=', 'processing')
        .where('lease_owner', '=', lease)
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) === 0) return 'lost' as const;
      if (media.purpose === 'attachment') return undefined;
      const account = await trx.selectFrom('accounts').select(['avatar_media_id', 'header_media_id']).where('id', '=', media.account_id).executeTakeFirst();
      if (!account) return undefined;
      const chosen =
        media.purpose === 'avatar'
          ? (variants.find((v) => v.name === 'square400' && v.format === 'jpeg') ?? variants.find((v) => v.format === 'jpeg'))
          : (variants.find((v) => v.name === 'w1080' && v.format === 'jpeg') ?? variants.find((v) => v.format === 'jpeg'));
      const path = chosen ? this.urls.path(media, chosen) : null;
      const previousId = media.purpose === 'avatar' ? account.avatar_media_id : account.header_media_id;
      await trx
        .updateTable('accounts')
        .set(
          media.purpose === 'avatar'
            ? { avatar_media_id: media.id, avatar_path: path, updated_at: this.clock.now().toISOString() }
            : { header_media_id: media.id, header_path: path, updated_at: this.clock.now().toISOString() },
        )
        .where('id', '=', media.account_id)
        .execute();
      if (!previousId || previousId === media.id) return undefined;
      return trx.selectFrom('media').selectAll().where('id', '=', previousId).executeTakeFirst();
    });
  }

  /** Marks the row failed if this lease still holds it; then the original and this attempt's sizes go. */
  private async fail(media: MediaRow, lease: string, message: string): Promise<void> {
    const updated = await this.db
      .updateTable('media')
      .set({ state: 'failed', error: message, variants: '[]', width: null, height: null, blurhash: null, lease_until: null })
      .where('id', '=', media.id)
      .where('state', '=', 'processing')
      .where('lease_owner', '=', lease)
      .executeTakeFirst();
    // A failed upload keeps no bytes: the original (when the row is ours to fail) and any size written.
    if (Number(updated.numUpdatedRows) === 1) {
      this.leaseStats.committed += 1;
      await this.storage.remove(media.storage_key).catch((error) => this.onError('removing a failed upload', error));
    }
    await this.storage.remove(lease).catch((error) => this.onError('removing a failed upload', error));
  }

  private async deleteMedia(media: MediaRow): Promise<void> {
    await this.db.deleteFrom('media').where('id', '=', media.id).execute();
    await this.storage.remove(media.storage_key).catch((error) => this.onError('removing replaced media', error));
  }

  private finished(mediaId: string): void {
    this.inFlight.delete(mediaId);
    this.wake(mediaId);
    this.processed(mediaId);
  }

  /** Wakes this process's requests waiting for an upload (its processing ended here or elsewhere). */
  wake(mediaId: string): void {
    const set = this.waiters.get(mediaId);
    if (set) for (const wake of [...set]) wake();
  }
}

/** 429 with Retry-After and a message saying which bound was met. */
function uploadsBusy(message: string): AppError {
  const error = tooManyRequests(UPLOAD_RETRY_AFTER_MS);
  error.message = message;
  return error;
}

function busy(): AppError {
  return new AppError(503, 'The server is busy processing uploads, try again in a moment');
}

/** Alt text and focal point, bounded: 422 when out of range. */
export function parseAttributes(attributes: MediaAttributes): { description: string; focus: { x: number; y: number } } {
  const description = attributes.description ?? '';
  if (typeof description !== 'string') throw unprocessable('Validation failed: Description must be text');
  if (description.length > MEDIA_LIMITS.description) {
    throw unprocessable(`Validation failed: Description is too long (maximum is ${MEDIA_LIMITS.description} characters)`);
  }
  return { description, focus: parseFocus(attributes.focus) };
}

export function parseFocus(raw: string | undefined): { x: number; y: number } {
  if (raw === undefined || raw === '') return { x: 0, y: 0 };
  const match = /^\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*$/.exec(String(raw));
  const x = match ? Number(match[1]) : NaN;
  const y = match ? Number(match[2]) : NaN;
  if (!(x >= -1 && x <= 1 && y >= -1 && y <= 1)) throw unprocessable('Validation failed: Focus must be "x,y" with both between -1.0 and 1.0');
  return { x, y };
}
