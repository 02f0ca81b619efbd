import { type Kysely, PostgresAdapter, sql } from 'kysely';

/**
 * Versions that let a process keep what rarely changes in memory and know, from a row it reads
 * anyway, whether what it kept is still true (domain/posts/post-content-cache.ts,
 * domain/filters/filter-service.ts):
 *
 * - `statuses.content_version` counts changes to what a status shows beside its row: its photos
 *   (`media`), their photo tags (`media_tags`), its mentions and its hashtags. Triggers bump it in
 *   the same transaction as the change, so no write path can forget it and every process sees
 *   the new version the moment the change commits.
 * - `users.filters_version` counts changes to the account's filters; FilterService bumps it in
 *   each change's transaction (all of them go through one method). The token's query reads it.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('statuses').addColumn('content_version', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('users').addColumn('filters_version', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  const bump = (id: string) => `UPDATE statuses SET content_version = content_version + 1 WHERE id = ${id}`;
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    // A function bumping the status a changed row names, before (OLD) and after (NEW) the change:
    // for tables with a status_id column (media, mentions, status_tags), and media_tags through its media.
    const bumper = async (name: string, statusOf: (row: 'OLD' | 'NEW') => string) =>
      sql
        .raw(
          `CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN
            IF TG_OP <> 'INSERT' THEN ${bump(statusOf('OLD'))}; END IF;
            IF TG_OP <> 'DELETE' THEN ${bump(statusOf('NEW'))}; END IF;
            RETURN NULL;
          END $$`,
        )
        .execute(db);
    await bumper('status_content_changed', (row) => `${row}.status_id`);
    await bumper('media_tags_changed', (row) => `(SELECT status_id FROM media WHERE id = ${row}.media_id)`);
    await sql.raw(`CREATE TRIGGER media_content_insert AFTER INSERT ON media FOR EACH ROW WHEN (NEW.status_id IS NOT NULL) EXECUTE FUNCTION status_content_changed()`).execute(db);
    await sql.raw(`CREATE TRIGGER media_content_update AFTER UPDATE ON media FOR EACH ROW WHEN (OLD.status_id IS NOT NULL OR NEW.status_id IS NOT NULL) EXECUTE FUNCTION status_content_changed()`).execute(db);
    await sql.raw(`CREATE TRIGGER media_content_delete AFTER DELETE ON media FOR EACH ROW WHEN (OLD.status_id IS NOT NULL) EXECUTE FUNCTION status_content_changed()`).execute(db);
    for (const table of ['mentions', 'status_tags']) {
      await sql.raw(`CREATE TRIGGER ${table}_content AFTER INSERT OR UPDATE OR DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION status_content_changed()`).execute(db);
    }
    await sql.raw(`CREATE TRIGGER media_tags_content AFTER INSERT OR UPDATE OR DELETE ON media_tags FOR EACH ROW EXECUTE FUNCTION media_tags_changed()`).execute(db);
    return;
  }
  const triggers = [
    `CREATE TRIGGER media_content_insert AFTER INSERT ON media WHEN NEW.status_id IS NOT NULL BEGIN ${bump('NEW.status_id')}; END`,
    `CREATE TRIGGER media_content_update AFTER UPDATE ON media WHEN OLD.status_id IS NOT NULL OR NEW.status_id IS NOT NULL BEGIN UPDATE statuses SET content_version = content_version + 1 WHERE id IN (OLD.status_id, NEW.status_id); END`,
    `CREATE TRIGGER media_content_delete AFTER DELETE ON media WHEN OLD.status_id IS NOT NULL BEGIN ${bump('OLD.status_id')}; END`,
    `CREATE TRIGGER media_tags_content_insert AFTER INSERT ON media_tags BEGIN ${bump('(SELECT status_id FROM media WHERE id = NEW.media_id)')}; END`,
    `CREATE TRIGGER media_tags_content_update AFTER UPDATE ON media_tags BEGIN UPDATE statuses SET content_version = content_version + 1 WHERE id IN (SELECT status_id FROM media WHERE id IN (OLD.media_id, NEW.media_id)); END`,
    `CREATE TRIGGER media_tags_content_delete AFTER DELETE ON media_tags BEGIN ${bump('(SELECT status_id FROM media WHERE id = OLD.media_id)')}; END`,
  ];
  for (const table of ['mentions', 'status_tags']) {
    triggers.push(
      `CREATE TRIGGER ${table}_content_insert AFTER INSERT ON ${table} BEGIN ${bump('NEW.status_id')}; END`,
      `CREATE TRIGGER ${table}_content_update AFTER UPDATE ON ${table} BEGIN UPDATE statuses SET content_version = content_version + 1 WHERE id IN (OLD.status_id, NEW.status_id); END`,
      `CREATE TRIGGER ${table}_content_delete AFTER DELETE ON ${table} BEGIN ${bump('OLD.status_id')}; END`,
    );
  }
  for (const trigger of triggers) await sql.raw(trigger).execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Glimpse migrations only move forward');
}
