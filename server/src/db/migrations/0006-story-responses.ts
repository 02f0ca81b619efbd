import type { Kysely } from 'kysely';

/** The story reply or reaction a story_reply / story_reaction notification is about. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('notifications').addColumn('story_response_id', 'text').execute();
}
