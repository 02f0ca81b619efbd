import type { DialectName } from '../database.ts';

/** The relation tables, and the two accounts each row relates (the actor first). */
export const RELATION_TABLES: ReadonlyArray<{ table: string; sides: readonly [string, string] }> = [
  { table: 'follows', sides: ['account_id', 'target_account_id'] },
  { table: 'follow_requests', sides: ['account_id', 'target_account_id'] },
  { table: 'blocks', sides: ['account_id', 'target_account_id'] },
  { table: 'mutes', sides: ['account_id', 'target_account_id'] },
  { table: 'close_friends', sides: ['account_id', 'friend_id'] },
];

/**
 * The triggers that bump `users.relations_version` (migration 0024) of both accounts a relation
 * row names whenever one is written, in the statement's own transaction, so that a process
 * keeping a viewer's relations in memory (domain/follows/viewer-relations-cache.ts) sees from the
 * viewer's token query alone whether what it kept is still true. As for the content versions
 * (content-version-triggers.ts), PostgreSQL runs one trigger function per table and SQLite gets one
 * trigger per table and operation.
 */
export function relationsVersionTriggers(dialect: DialectName): string[] {
  const bump = (ids: string) => `UPDATE users SET relations_version = relations_version + 1 WHERE account_id IN (${ids})`;
  const both = (row: string, [a, b]: readonly [string, string]) => `${row}.${a}, ${row}.${b}`;
  if (dialect === 'postgres') {
    return RELATION_TABLES.flatMap(({ table, sides }) => [
      `CREATE FUNCTION ${table}_relations_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP <> 'INSERT' THEN ${bump(both('OLD', sides))}; END IF;
        IF TG_OP <> 'DELETE' THEN ${bump(both('NEW', sides))}; END IF;
        RETURN NULL;
      END $$`,
      `CREATE TRIGGER ${table}_relations AFTER INSERT OR UPDATE OR DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION ${table}_relations_changed()`,
    ]);
  }
  return RELATION_TABLES.flatMap(({ table, sides }) => [
    `CREATE TRIGGER ${table}_relations_insert AFTER INSERT ON ${table} BEGIN ${bump(both('NEW', sides))}; END`,
    `CREATE TRIGGER ${table}_relations_update AFTER UPDATE ON ${table} BEGIN ${bump(`${both('OLD', sides)}, ${both('NEW', sides)}`)}; END`,
    `CREATE TRIGGER ${table}_relations_delete AFTER DELETE ON ${table} BEGIN ${bump(both('OLD', sides))}; END`,
  ]);
}
