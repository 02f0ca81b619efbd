import type { Db } from '../../db/database.ts';

/** Hidden-words lists, restricts, account settings and reports. */
export class ModerationRepository {
  constructor(private readonly db: Db) {}

  async hiddenWords(accountId: string) {
    return this.db.selectFrom('hidden_words').selectAll().where('account_id', '=', accountId).executeTakeFirst();
  }

  async saveHiddenWords(accountId: string, useDefaultList: boolean, words: string[], nowIso: string): Promise<void> {
    const values = { account_id: accountId, use_default_list: useDefaultList ? 1 : 0, words: JSON.stringify(words), updated_at: nowIso };
    await this.db
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
  async commentsToRecheck(ownerId: string, afterId: string, limit: number) {
    return this.db
      .selectFrom('statuses as c')
      .innerJoin('statuses as p', 'p.id', 'c.post_id')
      .select(['c.id', 'c.post_id', 'c.text', 'c.hidden_reason', 'c.fold_key', 'c.account_id'])
      .where('p.account_id', '=', ownerId)
      .where('c.account_id', '!=', ownerId)
      .where('c.approved', '=', 0)
      .where((eb) => eb.or([eb('c.hidden_reason', 'is', null), eb('c.hidden_reason', '=', 'hidden_words')]))
      .where('c.id', '>', afterId)
      .orderBy('c.id')
      .limit(limit)
      .execute();
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
    await this.db.updateTable('reports').set({ action_taken: action, action_taken_at: nowIso, action_taken_by: by }).where('id', '=', id).execute();
  }
}
