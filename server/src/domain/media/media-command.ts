import type { Config } from '../../config.ts';
import type { DatabaseHandle } from '../../db/database.ts';
import { systemClock } from '../../clock.ts';
import { mediaStorageFor } from '../../infra/storage/s3-storage.ts';
import { formatBytes } from '../admin/backup-folder.ts';
import { type Usage, mediaReport } from './media-report.ts';

/** At most this many keys and rows are named in each list (the counts are always whole). */
const LISTED = 20;

/**
 * `admin media`: storage use per kind and media type, and the files without rows and rows
 * without files (media-report.ts). Exit codes: 0 rows and files agree, 1 they do not, 2 usage.
 */
export async function runMediaCommand(db: DatabaseHandle, config: Config, args: string[], help: string): Promise<number> {
  if (args.length > 0) {
    console.error(help);
    return 2;
  }
  const storage = mediaStorageFor(config.storage, config.dataDir);
  const report = await mediaReport(db.kysely, storage, systemClock);
  const line = (label: string, usage: Usage) => `  ${label.padEnd(22)}${String(usage.files).padStart(8)} files ${formatBytes(usage.bytes).padStart(11)}`;
  const r = report.rows;
  console.log(`storage: ${config.storage.kind === 's3' ? `S3 bucket ${config.storage.bucket}` : `local disk (${config.dataDir}/media)`}`);
  console.log(`rows: ${r.total} (ready ${r.processing + r.failed === 0 ? r.ready : `${r.ready}, processing ${r.processing}, failed ${r.failed}`}); unattached ${r.unattached} (removed 24 hours after upload)`);
  console.log('by kind:');
  for (const kind of ['originals', 'derivatives', 'avatars and headers', 'custom emojis', 'data archives', 'processing attempts', 'without a row'] as const) {
    console.log(line(kind, report.kinds.get(kind) ?? { files: 0, bytes: 0 }));
  }
  console.log('by type:');
  for (const [type, usage] of [...report.types].sort((a, b) => b[1].bytes - a[1].bytes)) console.log(line(type, usage));
  const orphans = report.filesWithoutRows;
  console.log(`files without rows: ${orphans.keys.length} keys, ${orphans.usage.files} files, ${formatBytes(orphans.usage.bytes)}`);
  for (const key of orphans.keys.slice(0, LISTED)) console.log(`  ${key}`);
  console.log(`rows without files: ${report.rowsWithoutFiles.length}`);
  for (const row of report.rowsWithoutFiles.slice(0, LISTED)) console.log(`  ${row.kind} ${row.id}: missing ${row.missing.join(', ')}`);
  return orphans.keys.length === 0 && report.rowsWithoutFiles.length === 0 ? 0 : 1;
}
