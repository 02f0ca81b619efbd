import type { Db } from '../../db/database.ts';

const BATCH = 1000;

/**
 * Who may receive a post on their streams, from the two sides the delivery chooses between:
 * every follower of the author (or of its tags) a batch at a time, or only those among a batch
 * of accounts with a live stream. Each query is one indexed range or a probe of a pair index.
 */
export class RecipientRepository {
  constructor(private readonly db: Db) {}

  /** The author's followers, a batch at a time (follows_target: target_account_id, id). */
  async *followers(authorId: string): AsyncIterable<string[]> {
    let after = '';
    for (;;) {
      const rows = await this.db
        .selectFrom('follows')
        .select(['id', 'account_id'])
        .where('target_account_id', '=', authorId)
        .where('id', '>', after)
        .orderBy('id')
        .limit(BATCH)
        .execute();
      if (rows.length) yield rows.map((r) => r.account_id);
      if (rows.length < BATCH) return;
      after = rows[rows.length - 1].id;
    }
  }

  /** Those of `accountIds` that follow the author (follows_pair: account_id, target_account_id). */
  async followersAmong(authorId: string, accountIds: readonly string[]): Promise<string[]> {
    if (accountIds.length === 0) return [];
    const rows = await this.db.selectFrom('follows').select('account_id').where('account_id', 'in', [...accountIds]).where('target_account_id', '=', authorId).execute();
    return rows.map((r) => r.account_id);
  }

  /** How many follows these tags have together (an upper bound of their distinct followers). */
  async tagFollowerCount(tags: readonly string[]): Promise<number> {
    if (tags.length === 0) return 0;
    const row = await this.db.selectFrom('followed_tags').select((eb) => eb.fn.countAll().as('n')).where('tag', 'in', [...tags]).executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  /** The followers of these tags, a batch at a time (followed_tags_by_tag: tag, account_id). */
  async *tagFollowers(tags: readonly string[]): AsyncIterable<string[]> {
    for (const tag of tags) {
      let after = '';
      for (;;) {
        const rows = await this.db.selectFrom('followed_tags').select('account_id').where('tag', '=', tag).where('account_id', '>', after).orderBy('account_id').limit(BATCH).execute();
        if (rows.length) yield rows.map((r) => r.account_id);
        if (rows.length < BATCH) break;
        after = rows[rows.length - 1].account_id;
      }
    }
  }

  /** Those of `accountIds` that follow one of these tags (followed_tags_pair: account_id, tag). */
  async tagFollowersAmong(tags: readonly string[], accountIds: readonly string[]): Promise<string[]> {
    if (tags.length === 0 || accountIds.length === 0) return [];
    const rows = await this.db.selectFrom('followed_tags').select('account_id').distinct().where('account_id', 'in', [...accountIds]).where('tag', 'in', [...tags]).execute();
    return rows.map((r) => r.account_id);
  }
}
