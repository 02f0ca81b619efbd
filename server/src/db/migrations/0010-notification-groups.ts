import { type Kysely, sql } from 'kysely';

/**
 * Grouped notifications and the notification policy (Mastodon 4.3):
 * - `notifications.group_key`, computed when a notification is written (notification.ts
 *   groupKeyFor), indexed with the recipient and id so a page of groups and a group's members
 *   are index reads; older rows stand alone (`ungrouped-<id>`);
 * - `notifications.filtered`: 1 when the recipient's policy filtered it (it then waits in the
 *   notification requests, one per sender, until accepted or dismissed);
 * - `notification_policies`: one row per account that changed its policy (none: the defaults);
 * - `notification_permissions`: senders whose request the recipient accepted (never filtered again).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('notifications').addColumn('group_key', 'text').execute();
  await db.schema.alterTable('notifications').addColumn('filtered', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await sql`UPDATE notifications SET group_key = 'ungrouped-' || id`.execute(db);
  await db.schema.createIndex('notifications_groups').on('notifications').columns(['account_id', 'group_key', 'id']).execute();
  await db.schema.createIndex('notifications_requests').on('notifications').columns(['account_id', 'filtered', 'from_account_id', 'id']).execute();

  await db.schema
    .createTable('notification_policies')
    .addColumn('account_id', 'text', (c) => c.primaryKey().references('accounts.id').onDelete('cascade'))
    .addColumn('for_not_following', 'text', (c) => c.notNull())
    .addColumn('for_not_followers', 'text', (c) => c.notNull())
    .addColumn('for_new_accounts', 'text', (c) => c.notNull())
    .addColumn('for_private_mentions', 'text', (c) => c.notNull())
    .addColumn('for_limited_accounts', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('notification_permissions')
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('from_account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('notification_permissions_pk', ['account_id', 'from_account_id'])
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('Glimpse migrations only move forward');
}
