import { type Kysely, sql } from 'kysely';
import { relationsVersionTriggers } from '../dialect/relations-version-triggers.ts';
import { dialectOf } from '../dialect/dialect-of.ts';

/**
 * `users.relations_version` counts changes to the relations between an account and any other:
 * follows, follow requests, blocks, mutes and close friends, on either side. Triggers bump it in
 * the change's transaction (db/dialect/relations-version-triggers.ts), and the token's query reads
 * it, so a viewer's relations kept in memory are used only while they are current, in any process
 * (domain/follows/viewer-relations-cache.ts).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('users').addColumn('relations_version', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  for (const trigger of relationsVersionTriggers(dialectOf(db))) await sql.raw(trigger).execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Glimpse migrations only move forward');
}
