import { type Kysely, sql } from 'kysely';
import { contentVersionTriggers } from '../dialect/content-version-triggers.ts';
import { dialectOf } from '../dialect/dialect-of.ts';

/**
 * Versions that let a process keep what rarely changes in memory and know, from a row it reads
 * anyway, whether what it kept is still true (domain/posts/post-content-cache.ts,
 * domain/filters/filter-service.ts):
 *
 * - `statuses.content_version` counts changes to what a status shows beside its row: its photos
 *   (`media`), their photo tags (`media_tags`), its mentions and its hashtags. Triggers bump it in
 *   the same transaction as the change, so no write path can forget it and every process sees
 *   the new version the moment the change commits. Each database's triggers are in
 *   db/dialect/content-version-triggers.ts.
 * - `users.filters_version` counts changes to the account's filters; FilterService bumps it in
 *   each change's transaction (all of them go through one method). The token's query reads it.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('statuses').addColumn('content_version', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('users').addColumn('filters_version', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  for (const trigger of contentVersionTriggers(dialectOf(db))) await sql.raw(trigger).execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Glimpse migrations only move forward');
}
