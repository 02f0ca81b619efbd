import crypto from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import tar from 'tar-stream';
import type { Clock } from '../../clock.ts';
import type { Db } from '../../db/database.ts';
import { newId } from '../../db/ids.ts';
import type { DataArchivesTable } from '../../db/schema.ts';
import { notFound, tooManyRequests } from '../../errors.ts';
import type { Viewer } from '../../access/viewer-context.ts';
import { canDownloadArchive, ownRecordSql } from '../../access/own-records-policy.ts';
import { PeriodicTask } from '../../infra/periodic-task.ts';
import type { DurableJobQueue } from '../../infra/queue/durable-job-queue.ts';
import type { MediaStorage } from '../../infra/storage/media-storage.ts';
import { type MediaVariant, variantsOf } from '../media/media.ts';
import { storageNameOf } from '../media/media-service.ts';
import type { NotificationService } from '../notifications/notification-service.ts';

export const ARCHIVE_JOB = 'portability.archive';
/** How long the download link of a finished archive works. */
export const ARCHIVE_LIFETIME_MS = 7 * 24 * 3600_000;
/** One archive per account per day: building one reads every post and photo of the account. */
export const ARCHIVE_INTERVAL_MS = 24 * 3600_000;
export const ARCHIVE_FILE = 'archive.tar.gz';
/** Rows read per statement while the archive is written. */
const PAGE = 500;

type ArchiveRow = DataArchivesTable;

/** An archive as its owner sees it (GET /api/glimpse/v1/archives). */
export interface ArchiveStatus {
  id: string;
  state: ArchiveRow['state'];
  created_at: string;
  ready_at: string | null;
  expires_at: string | null;
  size: number | null;
  /** The download, while it works: the owner's session or token is needed to use it. */
  url: string | null;
}

interface ArchivedMedia {
  file: string | null;
  description: string;
  width: number | null;
  height: number | null;
}

/**
 * "Download your data": an archive (tar.gz) of everything an account made, for its owner.
 *
 * - Asking (one a day) writes a `pending` row and queues the `portability.archive` job in the
 *   same transaction, so an archive asked for is built even across a crash.
 * - The job writes, page by page (bounded statements), JSON files of the profile, posts,
 *   comments, stories, highlights, likes, the accounts it follows, blocks and mutes (not its
 *   followers: a celebrity's million would be the archive's bulk, and they are not its data), and each photo in
 *   the largest size Glimpse keeps (originals are deleted once processed, metadata stripped), as
 *   `media/<id>.<ext>`. The file is stored like media (local disk or S3) under a key of its own;
 *   the row turns `ready`, and the owner gets an `archive_ready` notification (Glimpse's own
 *   type: a Mastodon client sees it only by asking for it).
 * - The download needs the owner's session or token and works for seven days; the sweep then
 *   deletes the file and the row. Another account's archive answers 404, like a missing one.
 */
export class DataArchiveService {
  constructor(
    private readonly db: Db,
    private readonly storage: MediaStorage,
    private readonly notifications: NotificationService,
    private readonly jobs: DurableJobQueue,
    private readonly clock: Clock,
    private readonly publicUrl: string,
  ) {
    jobs.define<{ archiveId: string }>(ARCHIVE_JOB, {
      timeoutMs: 30 * 60_000,
      maxAttempts: 3,
      handler: ({ archiveId }) => this.build(archiveId),
      onFailure: async ({ archiveId }) => {
        await this.db.updateTable('data_archives').set({ state: 'failed' }).where('id', '=', archiveId).where('state', '=', 'pending').execute();
      },
    });
  }

  async request(viewer: Viewer): Promise<ArchiveStatus> {
    const now = this.clock.now();
    const row = await this.db.transaction().execute(async (trx) => {
      const latest = await trx.selectFrom('data_archives').select(['created_at', 'state']).where('account_id', '=', viewer.accountId).orderBy('created_at', 'desc').limit(1).executeTakeFirst();
      if (latest && latest.state !== 'failed') {
        const next = Date.parse(latest.created_at) + ARCHIVE_INTERVAL_MS;
        if (next > now.getTime()) throw tooManyRequests(next - now.getTime());
      }
      const inserted: ArchiveRow = { id: newId(now.getTime()), account_id: viewer.accountId, state: 'pending', storage_key: null, size: null, created_at: now.toISOString(), ready_at: null, expires_at: null };
      await trx.insertInto('data_archives').values(inserted).execute();
      await this.jobs.enqueue(ARCHIVE_JOB, { archiveId: inserted.id }, { trx });
      return inserted;
    });
    return this.present(row);
  }

  /** The account's archives, newest first (at most 10). */
  async list(viewer: Viewer): Promise<ArchiveStatus[]> {
    const rows = await this.db.selectFrom('data_archives as a').selectAll().where(ownRecordSql(viewer, 'a')).orderBy('created_at', 'desc').limit(10).execute();
    return rows.map((r) => this.present(r));
  }

  /** The archive's bytes for its owner while its link works; 404 otherwise. */
  async download(viewer: Viewer, id: string) {
    const row = await this.db.selectFrom('data_archives').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row || !canDownloadArchive(viewer, row, this.clock.now())) throw notFound();
    const file = await this.storage.stream(row.storage_key!, ARCHIVE_FILE);
    if (!file) throw notFound();
    return { ...file, filename: `glimpse-archive-${row.created_at.slice(0, 10)}.tar.gz` };
  }

  /** Archives whose link ran out (or that failed a day ago): file and row deleted. Answers how many. */
  async sweep(): Promise<number> {
    const now = this.clock.now();
    const failedBefore = new Date(now.getTime() - ARCHIVE_INTERVAL_MS).toISOString();
    const rows = await this.db
      .selectFrom('data_archives')
      .select(['id', 'storage_key'])
      .where((eb) => eb.or([eb('expires_at', '<=', now.toISOString()), eb.and([eb('state', '=', 'failed'), eb('created_at', '<=', failedBefore)])]))
      .limit(PAGE)
      .execute();
    for (const row of rows) if (row.storage_key) await this.storage.remove(row.storage_key);
    if (rows.length) await this.db.deleteFrom('data_archives').where('id', 'in', rows.map((r) => r.id)).execute();
    return rows.length;
  }

  private present(row: ArchiveRow): ArchiveStatus {
    return {
      id: row.id,
      state: row.state,
      created_at: row.created_at,
      ready_at: row.ready_at,
      expires_at: row.expires_at,
      size: row.size,
      url: canDownloadArchive({ accountId: row.account_id }, row, this.clock.now()) ? `${this.publicUrl}/api/glimpse/v1/archives/${row.id}/download` : null,
    };
  }

  /** The job: writes the archive to a received-file path, stores it, marks the row and notifies. */
  private async build(archiveId: string): Promise<void> {
    const row = await this.db.selectFrom('data_archives').selectAll().where('id', '=', archiveId).executeTakeFirst();
    if (!row || row.state !== 'pending') return;
    const file = await this.storage.incomingFile();
    const key = `archive-${crypto.randomBytes(16).toString('base64url')}`;
    try {
      const pack = tar.pack();
      const written = pipeline(pack, zlib.createGzip(), fs.createWriteStream(file));
      // An error while writing ends the pack, so the pipeline settles and is reported once.
      try {
        await this.writeEntries(pack, row.account_id);
        pack.finalize();
      } catch (error) {
        pack.destroy(error as Error);
      }
      await written;
      const { size } = await fsp.stat(file);
      await this.storage.putFile(key, ARCHIVE_FILE, file);
      const now = this.clock.now();
      const notice = await this.db.transaction().execute(async (trx) => {
        const updated = await trx
          .updateTable('data_archives')
          .set({ state: 'ready', storage_key: key, size, ready_at: now.toISOString(), expires_at: new Date(now.getTime() + ARCHIVE_LIFETIME_MS).toISOString() })
          .where('id', '=', archiveId)
          .where('state', '=', 'pending')
          .executeTakeFirst();
        if (Number(updated.numUpdatedRows) !== 1) return undefined;
        return this.notifications.notifySelf(trx, 'archive_ready', row.account_id);
      });
      // Another attempt got there first (or the row went): this attempt's file is not pointed at.
      if (!notice) await this.storage.remove(key);
      this.notifications.published(notice);
    } catch (error) {
      await this.storage.remove(key).catch(() => undefined);
      throw error;
    } finally {
      await fsp.rm(file, { force: true });
    }
  }

  private async writeEntries(pack: tar.Pack, accountId: string): Promise<void> {
    const dir = 'glimpse-archive';
    const json = (name: string, value: unknown) => addBuffer(pack, `${dir}/${name}`, Buffer.from(`${JSON.stringify(value, null, 2)}\n`));
    const photos = new Set<string>();
    const fileOf = (media: { id: string; variants: string; state: string }): string | null => {
      const best = largest(variantsOf(media));
      if (media.state !== 'ready' || !best) return null;
      photos.add(media.id);
      return `media/${media.id}.${best.format === 'jpeg' ? 'jpg' : best.format}`;
    };
    const mediaOf = async (column: 'status_id' | 'id', ids: string[]) => {
      const rows = ids.length ? await this.db.selectFrom('media').select(['id', 'status_id', 'state', 'variants', 'description', 'width', 'height', 'position']).where(column, 'in', ids).orderBy('position').execute() : [];
      return rows.map((m) => ({ key: column === 'id' ? m.id : m.status_id!, value: { file: fileOf(m), description: m.description, width: m.width, height: m.height } satisfies ArchivedMedia }));
    };

    const account = await this.db
      .selectFrom('accounts')
      .innerJoin('users', 'users.account_id', 'accounts.id')
      .select(['accounts.id', 'accounts.username', 'accounts.display_name', 'accounts.note', 'accounts.locked', 'accounts.discoverable', 'accounts.created_at', 'accounts.avatar_media_id', 'accounts.header_media_id', 'users.email'])
      .where('accounts.id', '=', accountId)
      .executeTakeFirst();
    if (!account) throw new Error(`no account ${accountId} to archive`);
    const faces = new Map((await mediaOf('id', [account.avatar_media_id, account.header_media_id].filter((x): x is string => x !== null))).map((m) => [m.key, m.value]));
    await json('profile.json', {
      id: account.id,
      username: account.username,
      email: account.email,
      display_name: account.display_name,
      note: account.note,
      locked: Boolean(account.locked),
      discoverable: Boolean(account.discoverable),
      created_at: account.created_at,
      avatar: account.avatar_media_id ? (faces.get(account.avatar_media_id) ?? null) : null,
      header: account.header_media_id ? (faces.get(account.header_media_id) ?? null) : null,
      archived_at: this.clock.now().toISOString(),
    });

    // Posts (with their photos) and comments, a page at a time by id.
    const posts: unknown[] = [];
    const comments: unknown[] = [];
    for (let after = ''; ; ) {
      const page = await this.db
        .selectFrom('statuses')
        .select(['id', 'text', 'visibility', 'spoiler_text', 'sensitive', 'language', 'in_reply_to_id', 'post_id', 'created_at', 'edited_at'])
        .where('account_id', '=', accountId)
        .where('conversation_id', 'is', null)
        .where('story_id', 'is', null)
        .where('id', '>', after)
        .orderBy('id')
        .limit(PAGE)
        .execute();
      const media = groupBy(await mediaOf('status_id', page.filter((s) => s.post_id === null).map((s) => s.id)));
      for (const s of page) {
        if (s.post_id === null) {
          posts.push({ id: s.id, created_at: s.created_at, edited_at: s.edited_at, visibility: s.visibility, text: s.text, spoiler_text: s.spoiler_text, sensitive: Boolean(s.sensitive), language: s.language, media: media.get(s.id) ?? [] });
        } else {
          comments.push({ id: s.id, post_id: s.post_id, in_reply_to_id: s.in_reply_to_id, created_at: s.created_at, text: s.text });
        }
      }
      if (page.length < PAGE) break;
      after = page[page.length - 1]!.id;
    }
    await json('posts.json', posts);
    await json('comments.json', comments);

    const stories = await this.db.selectFrom('stories').select(['id', 'media_id', 'audience', 'overlays', 'reshare_of_id', 'created_at', 'expires_at']).where('account_id', '=', accountId).orderBy('id').execute();
    const storyMedia = new Map((await mediaOf('id', stories.filter((s) => s.reshare_of_id === null).map((s) => s.media_id))).map((m) => [m.key, m.value]));
    await json(
      'stories.json',
      stories.map((s) => ({ id: s.id, created_at: s.created_at, expires_at: s.expires_at, audience: s.audience, reshare_of_id: s.reshare_of_id, layers: parseJson(s.overlays), media: storyMedia.get(s.media_id) ?? null })),
    );
    const highlights = await this.db.selectFrom('highlights').select(['id', 'title', 'cover_story_id', 'created_at']).where('account_id', '=', accountId).orderBy('position').execute();
    const items = highlights.length ? await this.db.selectFrom('highlight_items').select(['highlight_id', 'story_id']).where('highlight_id', 'in', highlights.map((h) => h.id)).orderBy('position').execute() : [];
    await json('highlights.json', highlights.map((h) => ({ ...h, story_ids: items.filter((i) => i.highlight_id === h.id).map((i) => i.story_id) })));

    const likes = await this.db.selectFrom('favourites').select(['status_id', 'created_at']).where('account_id', '=', accountId).orderBy('id').execute();
    await json('likes.json', likes);
    // follows, blocks and mutes share these columns: one query shape for the three.
    const named = async (table: 'follows' | 'blocks' | 'mutes', mine: 'account_id' | 'target_account_id', theirs: 'account_id' | 'target_account_id') =>
      (
        await this.db
          .selectFrom(`${table as 'follows'} as r`)
          .innerJoin('accounts as a', 'a.id', `r.${theirs}`)
          .select(['a.username', 'r.created_at'])
          .where(`r.${mine}`, '=', accountId)
          .orderBy('r.id')
          .execute()
      ).map((r) => ({ username: r.username, since: r.created_at }));
    await json('following.json', await named('follows', 'account_id', 'target_account_id'));
    await json('blocks.json', await named('blocks', 'account_id', 'target_account_id'));
    await json('mutes.json', await named('mutes', 'account_id', 'target_account_id'));

    // The photos, one stream at a time.
    const ids = [...photos];
    for (let i = 0; i < ids.length; i += PAGE) {
      const rows = await this.db.selectFrom('media').select(['id', 'storage_key', 'variants']).where('id', 'in', ids.slice(i, i + PAGE)).execute();
      for (const m of rows) {
        const best = largest(variantsOf(m))!;
        const stored = await this.storage.stream(m.storage_key, storageNameOf(best));
        if (!stored) continue; // removed since it was listed
        await addStream(pack, `${dir}/media/${m.id}.${best.format === 'jpeg' ? 'jpg' : best.format}`, stored.size, stored.stream);
      }
    }
  }
}

/** Removes archives whose link ran out, periodically (with the media sweep's interval). */
export class DataArchiveSweeper extends PeriodicTask {
  constructor(archives: Pick<DataArchiveService, 'sweep'>, intervalMs: number) {
    super('data archive sweep', () => archives.sweep(), intervalMs);
  }
}

function largest(variants: MediaVariant[]): MediaVariant | undefined {
  return variants.filter((v) => v.name !== 'preview').sort((a, b) => b.width * b.height - a.width * a.height)[0] ?? variants[0];
}

function groupBy<T>(rows: Array<{ key: string; value: T }>): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const { key, value } of rows) out.set(key, [...(out.get(key) ?? []), value]);
  return out;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function addBuffer(pack: tar.Pack, name: string, data: Buffer): Promise<void> {
  return new Promise((resolve, reject) => pack.entry({ name, size: data.length, mode: 0o644 }, data, (error) => (error ? reject(error) : resolve())));
}

async function addStream(pack: tar.Pack, name: string, size: number, source: NodeJS.ReadableStream): Promise<void> {
  const entry = pack.entry({ name, size, mode: 0o644 });
  await pipeline(source, entry);
}
