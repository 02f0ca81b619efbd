import type { Db } from '../../db/database.ts';

/** Hidden-words lists, restricts, account settings and reports. */
export class ModerationRepository {
  constructor(private readonly db: Db) {}

  async hiddenWords(accountId: string) {
    return this.db.selectFrom('hidden_words').selectAll().where('account_id', '=', accountId).executeTakeFirst();
  }

  async saveHiddenWords(accountId: string, useDefaultList: boolean, words: string[], nowIso: string, db: Db = this.db): Promise<void> {
    const values = { account_id: accountId, use_default_list: useDefaultList ? 1 : 0, words: JSON.stringify(words), updated_at: nowIso };
    await db
      .insertInto('hidden_words')
      .values(values)
      .onConflict((oc) => oc.column('account_id').doUpdateSet({ use_default_list: values.use_default_list, words: values.words, updated_at: nowIso }))
      .execute();
  }

  async isRestricted(accountId: string, targetId: string): Promise<boolean> {
    return (await this.db.selectFrom('restricts').select('target_account_id').where('account_id', '=', accountId).where('target_account_id', '=', targetId).executeTakeFirst()) !== undefined;
  }

  async restrictedAmong(accountId: string, targetIds: readonly string[]): Promise<Set<string>> {
    if (targetIds.length === 0) return new Set();
    const rows = await this.db.selectFrom('restricts').select('target_account_id').where('account_id', '=', accountId).where('target_account_id', 'in', [...targetIds]).execute();
    return new Set(rows.map((r) => r.target_account_id));
  }

  async setRestricted(accountId: string, targetId: string, on: boolean, nowIso: string): Promise<void> {
    if (on) {
      await this.db.insertInto('restricts').values({ account_id: accountId, target_account_id: targetId, created_at: nowIso }).onConflict((oc) => oc.columns(['account_id', 'target_account_id']).doNothing()).execute();
    } else {
      await this.db.deleteFrom('restricts').where('account_id', '=', accountId).where('target_account_id', '=', targetId).execute();
    }
  }

  async settings(accountId: string) {
    return this.db.selectFrom('account_settings').selectAll().where('account_id', '=', accountId).executeTakeFirst();
  }

  async saveSettings(accountId: string, defaultCommentPolicy: string, nowIso: string): Promise<void> {
    await this.db
      .insertInto('account_settings')
      .values({ account_id: accountId, default_comment_policy: defaultCommentPolicy, updated_at: nowIso })
      .onConflict((oc) => oc.column('account_id').doUpdateSet({ default_comment_policy: defaultCommentPolicy, updated_at: nowIso }))
      .execute();
  }

  /** Comments on the owner's posts that hidden words may decide (not restricted, not approved). */
  /** The owner's posts (not comments), in id order: one indexed range of `statuses_account`. */
  async postIdsOf(ownerId: string, afterId: string, limit: number): Promise<string[]> {
    const rows = await this.db.selectFrom('statuses').select('id').where('account_id', '=', ownerId).where('post_id', 'is', null).where('id', '>', afterId).orderBy('id').limit(limit).execute();
    return rows.map((r) => r.id);
  }

  /**
   * One page of a post's comments whose hidden-words decision may change, walked in the order
   * of `statuses_comments_new` (post, thread, id) so each page is a short index range, however
   * many comments the post has. (Joining all the owner's posts and ordering by id sorted every
   * comment of every post for each page: 0.2 s a page for a celebrity, the event loop blocked.)
   */
  async commentsToRecheck(postId: string, ownerId: string, after: { threadId: string; id: string } | undefined, limit: number) {
    let q = this.db
      .selectFrom('statuses')
      .select(['id', 'thread_id', 'post_id', 'text', 'hidden_reason', 'fold_key', 'account_id', 'approved'])
      .where('post_id', '=', postId);
    if (after) q = q.where((eb) => eb.or([eb('thread_id', '>', after.threadId), eb.and([eb('thread_id', '=', after.threadId), eb('id', '>', after.id)])]));
    const rows = await q.orderBy('thread_id').orderBy('id').limit(limit).execute();
    return {
      rows: rows.filter((r) => r.account_id !== ownerId && r.approved === 0 && (r.hidden_reason === null || r.hidden_reason === 'hidden_words')),
      next: rows.length === limit ? { threadId: rows[rows.length - 1].thread_id!, id: rows[rows.length - 1].id } : undefined,
    };
  }

  async storyRepliesToRecheck(ownerId: string, afterId: string, limit: number) {
    return this.db
      .selectFrom('story_replies')
      .select(['id', 'text', 'hidden'])
      .where('story_author_id', '=', ownerId)
      .where('id', '>', afterId)
      .orderBy('id')
      .limit(limit)
      .execute();
  }

  async setStoryReplyHidden(id: string, hidden: boolean): Promise<void> {
    await this.db.updateTable('story_replies').set({ hidden: hidden ? 1 : 0 }).where('id', '=', id).execute();
  }

  async insertReport(row: { id: string; account_id: string; target_account_id: string; status_ids: string; comment: string; category: string; forward: number; created_at: string }): Promise<void> {
    await this.db.insertInto('reports').values({ ...row, action_taken: null, action_taken_at: null, action_taken_by: null }).execute();
  }

  async findReport(id: string) {
    return this.db.selectFrom('reports').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async reports(open: boolean, limit: number, maxId?: string) {
    let q = this.db.selectFrom('reports').selectAll();
    q = open ? q.where('action_taken_at', 'is', null) : q.where('action_taken_at', 'is not', null);
    if (maxId) q = q.where('id', '<', maxId);
    return q.orderBy('id', 'desc').limit(limit).execute();
  }

  async resolveReport(id: string, action: string, by: string, nowIso: string): Promise<void> {
    await this.db.updateTable('reports').set({ action_taken: action, action_taken_at: nowIso, action_taken_by: by, updated_at: nowIso }).where('id', '=', id).execute();
  }
}
