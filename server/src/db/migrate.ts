import type { Kysely } from 'kysely';
import { Migrator, type Migration, type MigrationProvider } from 'kysely/migration';
import * as foundation from './migrations/0001-foundation.ts';
import * as posts from './migrations/0002-posts.ts';
import * as stories from './migrations/0003-stories.ts';
import * as comments from './migrations/0004-comments.ts';
import * as tokenGrants from './migrations/0005-token-grants.ts';
import * as storyResponses from './migrations/0006-story-responses.ts';
import * as pinnedComments from './migrations/0007-pinned-comments.ts';
import * as accountSuspension from './migrations/0008-account-suspension.ts';
import * as tokenFamilies from './migrations/0009-token-families.ts';
import * as notificationGroups from './migrations/0010-notification-groups.ts';
import * as listsAndTags from './migrations/0011-lists-and-tags.ts';
import * as profilesAndThreadMutes from './migrations/0012-profiles-and-thread-mutes.ts';
import * as filters from './migrations/0013-filters.ts';
import * as suggestionsAndEmojis from './migrations/0014-suggestions-and-emojis.ts';
import * as conversations from './migrations/0015-conversations.ts';
import * as scheduledStatuses from './migrations/0016-scheduled-statuses.ts';
import * as pushSubscriptions from './migrations/0017-push-subscriptions.ts';
import * as adminBlocks from './migrations/0018-admin-blocks.ts';
import * as jobs from './migrations/0019-jobs.ts';
import * as mediaLease from './migrations/0020-media-lease.ts';
import * as nodeLeases from './migrations/0021-node-leases.ts';
import * as tagFollowerIndex from './migrations/0022-tag-follower-index.ts';
import * as contentVersions from './migrations/0023-content-versions.ts';
import * as relationsVersion from './migrations/0024-relations-version.ts';
import * as mail from './migrations/0025-mail.ts';
import * as twoFactor from './migrations/0026-two-factor.ts';
import * as mediaLifecycle from './migrations/0027-media-lifecycle.ts';
import * as accountDeletion from './migrations/0028-account-deletion.ts';
import * as dataArchives from './migrations/0029-data-archives.ts';
import * as commentsByAccount from './migrations/0030-comments-by-account.ts';
import * as mediaProcessing from './migrations/0031-media-processing.ts';

/** Migrations in order; one set for both databases. Add new ones at the end. */
const migrations: Record<string, Migration> = {
  '0001-foundation': foundation,
  '0002-posts': posts,
  '0003-stories': stories,
  '0004-comments': comments,
  '0005-token-grants': tokenGrants,
  '0006-story-responses': storyResponses,
  '0007-pinned-comments': pinnedComments,
  '0008-account-suspension': accountSuspension,
  '0009-token-families': tokenFamilies,
  '0010-notification-groups': notificationGroups,
  '0011-lists-and-tags': listsAndTags,
  '0012-profiles-and-thread-mutes': profilesAndThreadMutes,
  '0013-filters': filters,
  '0014-suggestions-and-emojis': suggestionsAndEmojis,
  '0015-conversations': conversations,
  '0016-scheduled-statuses': scheduledStatuses,
  '0017-push-subscriptions': pushSubscriptions,
  '0018-admin-blocks': adminBlocks,
  '0019-jobs': jobs,
  '0020-media-lease': mediaLease,
  '0021-node-leases': nodeLeases,
  '0022-tag-follower-index': tagFollowerIndex,
  '0023-content-versions': contentVersions,
  '0024-relations-version': relationsVersion,
  '0025-mail': mail,
  '0026-two-factor': twoFactor,
  '0027-media-lifecycle': mediaLifecycle,
  '0028-account-deletion': accountDeletion,
  '0029-data-archives': dataArchives,
  '0030-comments-by-account': commentsByAccount,
  '0031-media-processing': mediaProcessing,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

/**
 * `schema` names the PostgreSQL schema the tables live in. Kysely otherwise looks for its
 * bookkeeping tables in every schema, so a database holding several (tests) would see another
 * schema's lock table, skip creating its own, and fail.
 */
export async function migrateToLatest(db: Kysely<any>, schema?: string): Promise<void> {
  const migrator = new Migrator({ db, provider, ...(schema ? { migrationTableSchema: schema } : {}) });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    throw new Error(`migration ${failed?.migrationName ?? ''} failed: ${String((error as Error)?.message ?? error)}`);
  }
}

/** The migrations this code has that the database has not run yet, by name (readiness: GET /readyz). */
export async function pendingMigrations(db: Kysely<any>, schema?: string): Promise<string[]> {
  const migrator = new Migrator({ db, provider, ...(schema ? { migrationTableSchema: schema } : {}) });
  return (await migrator.getMigrations()).filter((m) => m.executedAt === undefined).map((m) => m.name);
}

/** Every migration this code has, in order (a backup newer than these is refused: `restore`). */
export function knownMigrations(): string[] {
  return Object.keys(migrations);
}
