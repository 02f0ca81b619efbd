import type { Kysely } from 'kysely';

/**
 * What the Mastodon admin API keeps:
 * - IP blocks: a CIDR range (canonical `network/prefix`, unique) with a severity
 *   (sign_up_requires_approval, sign_up_block, no_access), a comment and an optional expiry;
 *   the server holds the whole (small) list in memory and matches it there;
 * - e-mail domain blocks (a domain refuses sign-ups from it and from its subdomains), and per
 *   block and UTC day how many sign-ups it refused (the entity's `history`);
 * - the addresses each account signed up and logged in from (`user_ips`), with the address's
 *   sort key (32 hex digits of its IPv6 form) so a CIDR search is an index range;
 * - on reports, the moderator a report is assigned to and when it last changed.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('ip_blocks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('ip', 'text', (c) => c.notNull().unique())
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('comment', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text')
    .execute();

  await db.schema
    .createTable('email_domain_blocks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('domain', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('email_domain_block_attempts')
    .addColumn('block_id', 'text', (c) => c.notNull().references('email_domain_blocks.id').onDelete('cascade'))
    /** The UTC day, YYYY-MM-DD. */
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('email_domain_block_attempts_pk', ['block_id', 'day'])
    .execute();

  await db.schema
    .createTable('user_ips')
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('ip', 'text', (c) => c.notNull())
    .addColumn('ip_key', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('user_ips_pk', ['account_id', 'ip'])
    .execute();
  await db.schema.createIndex('user_ips_key').on('user_ips').columns(['ip_key', 'account_id']).execute();

  await db.schema.alterTable('reports').addColumn('assigned_account_id', 'text', (c) => c.references('accounts.id').onDelete('set null')).execute();
  await db.schema.alterTable('reports').addColumn('updated_at', 'text').execute();
  await db.schema.createIndex('reports_target').on('reports').columns(['target_account_id', 'id']).execute();
}

export async function down(): Promise<void> {
  throw new Error('Glimpse migrations only move forward');
}
