import { sql, type Kysely } from 'kysely';

/**
 * A post's pinned comments (at most three) without walking all its comments: a partial index
 * that holds only pinned rows, so a storm of 50,000 comments costs it nothing.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('statuses_comments_pinned').on('statuses').columns(['post_id', 'pinned_at']).where(sql.ref('pinned_at'), 'is not', null).execute();
}
