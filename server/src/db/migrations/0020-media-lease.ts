import type { Kysely } from 'kysely';

/**
 * The media processing lease: a process works an upload only while it holds it.
 * - `lease_owner`: the holder's attempt key (256 random bits, base64url), which is also the
 *   storage folder its variants are written to, so an attempt's files are its own;
 * - `lease_until`: when the lease runs out (ISO-8601 text); a claim succeeds only on a row
 *   still 'processing' whose lease is absent or ran out;
 * - `lease_holder`: which process holds it (a hash of its host name and data folder), so a
 *   process restarted on the same host and folder takes over its dead predecessor's leases at
 *   start instead of waiting for them to run out.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('media').addColumn('lease_owner', 'text').execute();
  await db.schema.alterTable('media').addColumn('lease_until', 'text').execute();
  await db.schema.alterTable('media').addColumn('lease_holder', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('media').dropColumn('lease_holder').execute();
  await db.schema.alterTable('media').dropColumn('lease_until').execute();
  await db.schema.alterTable('media').dropColumn('lease_owner').execute();
}
