import type { Kysely } from 'kysely';
import type { Clock } from '../../clock.ts';
import type { Database } from '../../db/schema.ts';
import type { MediaStorage } from '../../infra/storage/media-storage.ts';
import { unattachedMediaSql } from './media-lifecycle.ts';
import { ORIGINAL_NAME, storageNameOf } from './media-service.ts';
import { type MediaRow, variantsOf } from './media.ts';

type Db = Kysely<Database>;

export type StorageKind = 'originals' | 'derivatives' | 'avatars and headers' | 'custom emojis' | 'data archives' | 'processing attempts' | 'without a row';

export interface Usage {
  files: number;
  bytes: number;
}

export interface MediaReport {
  /** Storage use per kind of file: originals waiting to be processed, the served sizes of photos, avatars and headers, custom emojis. */
  kinds: Map<StorageKind, Usage>;
  /** Storage use per media type (by file name: `.jpg`, `.webp`, `.png`, `.gif`; an unprocessed original is `original`). */
  types: Map<string, Usage>;
  rows: { total: number; ready: number; processing: number; failed: number; unattached: number };
  /** Storage keys holding files that no media row, upload attempt or custom emoji points at. */
  filesWithoutRows: { keys: string[]; usage: Usage };
  /** Rows whose files are not all stored: ready photos missing a size, uploads missing their original, emojis missing their image. */
  rowsWithoutFiles: Array<{ id: string; kind: 'media' | 'custom emoji'; missing: string[] }>;
}

const PAGE = 5_000;

/**
 * `npm run admin -- admin media`: what the media storage holds, per kind and type, and where
 * rows and files disagree. Rows are read first, then the files are listed (a file is stored
 * before its row commits); whatever disagrees is then checked again, row by row and file by
 * file, so an upload made or a post deleted while the report runs is not reported.
 */
export async function mediaReport(db: Db, storage: MediaStorage, clock: Clock): Promise<MediaReport> {
  const nowIso = clock.now().toISOString();
  const rows = new Map<string, Pick<MediaRow, 'id' | 'purpose' | 'state' | 'storage_key' | 'variants' | 'lease_until'>>();
  const attempts = new Set<string>();
  const counts = { total: 0, ready: 0, processing: 0, failed: 0, unattached: 0 };
  for (let after = ''; ; ) {
    const page = await db
      .selectFrom('media')
      .select(['id', 'purpose', 'state', 'storage_key', 'variants', 'lease_owner', 'lease_until'])
      .where('id', '>', after)
      .orderBy('id')
      .limit(PAGE)
      .execute();
    for (const row of page) {
      rows.set(row.storage_key, row);
      if (row.lease_owner) attempts.add(row.lease_owner);
      counts.total += 1;
      counts[row.state] += 1;
    }
    if (page.length < PAGE) break;
    after = page[page.length - 1].id;
  }
  const unattached = await db
    .selectFrom('media as m')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where((eb) => unattachedMediaSql(eb))
    .executeTakeFirst();
  counts.unattached = Number(unattached?.n ?? 0);
  const emojis = new Map((await db.selectFrom('custom_emojis').select(['shortcode', 'storage_key', 'file']).execute()).map((e) => [e.storage_key, e]));
  const archives = new Set((await db.selectFrom('data_archives').select('storage_key').where('storage_key', 'is not', null).execute()).map((a) => a.storage_key!));

  const kinds = new Map<StorageKind, Usage>();
  const types = new Map<string, Usage>();
  const add = (map: Map<string, Usage>, name: string, bytes: number) => {
    const usage = map.get(name) ?? { files: 0, bytes: 0 };
    usage.files += 1;
    usage.bytes += bytes;
    map.set(name, usage);
  };
  const present = new Set<string>();
  const orphans = new Map<string, Array<{ name: string; bytes: number }>>();
  for await (const file of storage.list()) {
    present.add(`${file.key}/${file.name}`);
    add(types, file.name === ORIGINAL_NAME ? 'original' : (/\.([a-z0-9]+)$/.exec(file.name)?.[1] ?? 'other'), file.bytes);
    const row = rows.get(file.key);
    let kind: StorageKind;
    if (row) kind = row.purpose !== 'attachment' ? 'avatars and headers' : file.name === ORIGINAL_NAME ? 'originals' : 'derivatives';
    else if (emojis.has(file.key)) kind = 'custom emojis';
    else if (archives.has(file.key)) kind = 'data archives';
    else if (attempts.has(file.key)) kind = 'processing attempts';
    else {
      kind = 'without a row';
      const list = orphans.get(file.key) ?? [];
      list.push({ name: file.name, bytes: file.bytes });
      orphans.set(file.key, list);
    }
    add(kinds, kind, file.bytes);
  }

  // Files without rows: again, against rows committed since they were read.
  const orphanKeys = [...orphans.keys()];
  const claimed = new Set<string>();
  for (let i = 0; i < orphanKeys.length; i += 500) {
    const keys = orphanKeys.slice(i, i + 500);
    const found = await db.selectFrom('media').select(['storage_key', 'lease_owner']).where((eb) => eb.or([eb('storage_key', 'in', keys), eb('lease_owner', 'in', keys)])).execute();
    for (const r of found) {
      claimed.add(r.storage_key);
      if (r.lease_owner) claimed.add(r.lease_owner);
    }
    for (const e of await db.selectFrom('custom_emojis').select('storage_key').where('storage_key', 'in', keys).execute()) claimed.add(e.storage_key);
    for (const a of await db.selectFrom('data_archives').select('storage_key').where('storage_key', 'in', keys).execute()) claimed.add(a.storage_key!);
  }
  const filesWithoutRows = { keys: [] as string[], usage: { files: 0, bytes: 0 } };
  for (const [key, files] of orphans) {
    if (claimed.has(key)) continue;
    filesWithoutRows.keys.push(key);
    for (const f of files) {
      filesWithoutRows.usage.files += 1;
      filesWithoutRows.usage.bytes += f.bytes;
    }
  }

  // Rows without files: what each row needs, then those still missing are read again.
  const expected = (row: Pick<MediaRow, 'state' | 'variants' | 'lease_until'>): string[] => {
    if (row.state === 'ready') return variantsOf(row).map(storageNameOf);
    // An upload being processed right now may have moved on; one without a live lease needs its original.
    if (row.state === 'processing' && !(row.lease_until && row.lease_until > nowIso)) return [ORIGINAL_NAME];
    return [];
  };
  const rowsWithoutFiles: MediaReport['rowsWithoutFiles'] = [];
  for (const row of rows.values()) {
    const missing = expected(row).filter((name) => !present.has(`${row.storage_key}/${name}`));
    if (missing.length === 0) continue;
    const now = await db.selectFrom('media').select(['id', 'state', 'storage_key', 'variants', 'lease_until']).where('id', '=', row.id).executeTakeFirst();
    if (!now) continue;
    const still: string[] = [];
    for (const name of expected(now)) if (!(await storage.exists(now.storage_key, name))) still.push(name);
    if (still.length > 0) rowsWithoutFiles.push({ id: row.id, kind: 'media', missing: still });
  }
  for (const emoji of emojis.values()) {
    if (present.has(`${emoji.storage_key}/${emoji.file}`) || (await storage.exists(emoji.storage_key, emoji.file))) continue;
    const still = await db.selectFrom('custom_emojis').select('shortcode').where('storage_key', '=', emoji.storage_key).executeTakeFirst();
    if (still) rowsWithoutFiles.push({ id: `:${emoji.shortcode}:`, kind: 'custom emoji', missing: [emoji.file] });
  }
  return { kinds, types, rows: counts, filesWithoutRows, rowsWithoutFiles };
}
