import { sql, type Kysely } from 'kysely';

/**
 * Uploads still processing, for the periodic resume (every 15 s on each worker): without it the
 * pick walked every media row by id to find the few processing ones, a full scan that held
 * SQLite's read worker for about 1 s at 2 million photos and stalled every read queued behind
 * it. Partial: only rows in that state are in it, so a finished photo costs nothing.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('media_processing').on('media').column('id').where(sql.ref('state'), '=', sql.lit('processing')).execute();
}
