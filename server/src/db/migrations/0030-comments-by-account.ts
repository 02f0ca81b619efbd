import { sql, type Kysely } from 'kysely';

/**
 * A post's comments by their author, for "comments from people you follow first": the list
 * walks the viewer's follows and seeks each followed account's comments on the post, so its cost
 * follows the viewer's follows, not the post's 50,000 storm comments (walking those by rank and
 * testing each author was 18 ms a request on SQLite). Partial: only comments (post_id set) are
 * in it, so posts and direct messages pay nothing.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('statuses_comments_account').on('statuses').columns(['post_id', 'account_id', 'rank_score', 'id']).where(sql.ref('post_id'), 'is not', null).execute();
}
