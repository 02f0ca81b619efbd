import type { DialectName } from '../database.ts';

/**
 * The triggers that bump `statuses.content_version` (migration 0023) whenever a row of media,
 * media_tags, mentions or status_tags that belongs to a status is written, in the statement's own
 * transaction. Each database says it its own way: PostgreSQL runs a trigger function (one for the
 * tables holding a status_id, one for media_tags, which reaches its status through its media);
 * SQLite has no trigger functions and gets one trigger per table and operation.
 */
export function contentVersionTriggers(dialect: DialectName): string[] {
  const bump = (statusId: string) => `UPDATE statuses SET content_version = content_version + 1 WHERE id = ${statusId}`;
  const bumpAll = (statusIds: string) => `UPDATE statuses SET content_version = content_version + 1 WHERE id IN (${statusIds})`;
  const statusOfTag = (mediaId: string) => `(SELECT status_id FROM media WHERE id = ${mediaId})`;
  if (dialect === 'postgres') {
    const bumper = (name: string, statusOf: (row: 'OLD' | 'NEW') => string) =>
      `CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP <> 'INSERT' THEN ${bump(statusOf('OLD'))}; END IF;
        IF TG_OP <> 'DELETE' THEN ${bump(statusOf('NEW'))}; END IF;
        RETURN NULL;
      END $$`;
    return [
      bumper('status_content_changed', (row) => `${row}.status_id`),
      bumper('media_tags_changed', (row) => statusOfTag(`${row}.media_id`)),
      `CREATE TRIGGER media_content_insert AFTER INSERT ON media FOR EACH ROW WHEN (NEW.status_id IS NOT NULL) EXECUTE FUNCTION status_content_changed()`,
      `CREATE TRIGGER media_content_update AFTER UPDATE ON media FOR EACH ROW WHEN (OLD.status_id IS NOT NULL OR NEW.status_id IS NOT NULL) EXECUTE FUNCTION status_content_changed()`,
      `CREATE TRIGGER media_content_delete AFTER DELETE ON media FOR EACH ROW WHEN (OLD.status_id IS NOT NULL) EXECUTE FUNCTION status_content_changed()`,
      ...['mentions', 'status_tags'].map(
        (table) => `CREATE TRIGGER ${table}_content AFTER INSERT OR UPDATE OR DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION status_content_changed()`,
      ),
      `CREATE TRIGGER media_tags_content AFTER INSERT OR UPDATE OR DELETE ON media_tags FOR EACH ROW EXECUTE FUNCTION media_tags_changed()`,
    ];
  }
  return [
    `CREATE TRIGGER media_content_insert AFTER INSERT ON media WHEN NEW.status_id IS NOT NULL BEGIN ${bump('NEW.status_id')}; END`,
    `CREATE TRIGGER media_content_update AFTER UPDATE ON media WHEN OLD.status_id IS NOT NULL OR NEW.status_id IS NOT NULL BEGIN ${bumpAll('OLD.status_id, NEW.status_id')}; END`,
    `CREATE TRIGGER media_content_delete AFTER DELETE ON media WHEN OLD.status_id IS NOT NULL BEGIN ${bump('OLD.status_id')}; END`,
    `CREATE TRIGGER media_tags_content_insert AFTER INSERT ON media_tags BEGIN ${bump(statusOfTag('NEW.media_id'))}; END`,
    `CREATE TRIGGER media_tags_content_update AFTER UPDATE ON media_tags BEGIN ${bumpAll('SELECT status_id FROM media WHERE id IN (OLD.media_id, NEW.media_id)')}; END`,
    `CREATE TRIGGER media_tags_content_delete AFTER DELETE ON media_tags BEGIN ${bump(statusOfTag('OLD.media_id'))}; END`,
    ...['mentions', 'status_tags'].flatMap((table) => [
      `CREATE TRIGGER ${table}_content_insert AFTER INSERT ON ${table} BEGIN ${bump('NEW.status_id')}; END`,
      `CREATE TRIGGER ${table}_content_update AFTER UPDATE ON ${table} BEGIN ${bumpAll('OLD.status_id, NEW.status_id')}; END`,
      `CREATE TRIGGER ${table}_content_delete AFTER DELETE ON ${table} BEGIN ${bump('OLD.status_id')}; END`,
    ]),
  ];
}
