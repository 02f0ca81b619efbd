import type { Db } from '../../db/database.ts';
import { expiredStorySql, liveStorySql } from '../../access/story-policy.ts';
import type { HighlightRow, StoryRow } from './story.ts';

export interface TrayRow {
  id: string;
  account_id: string;
  audience: StoryRow['audience'];
  created_at: string;
  expires_at: string;
  reshare_of_id: string | null;
  seen: boolean;
}

/** Stories, views, replies, reactions, close friends and highlights. */
export class StoryRepository {
  constructor(private readonly db: Db) {}

  async insert(row: StoryRow, mentionIds: string[], db: Db = this.db): Promise<void> {
    await db.insertInto('stories').values(row).execute();
    if (mentionIds.length) await db.insertInto('story_mentions').values(mentionIds.map((account_id) => ({ story_id: row.id, account_id }))).execute();
  }

  async findByIds(ids: readonly string[]): Promise<Map<string, StoryRow>> {
    if (ids.length === 0) return new Map();
    const rows = await this.db.selectFrom('stories').selectAll().where('id', 'in', [...new Set(ids)]).execute();
    return new Map(rows.map((r) => [r.id, r]));
  }

  async mentionsFor(storyIds: readonly string[]): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    if (storyIds.length === 0) return out;
    const rows = await this.db.selectFrom('story_mentions').selectAll().where('story_id', 'in', [...new Set(storyIds)]).execute();
    for (const r of rows) out.set(r.story_id, [...(out.get(r.story_id) ?? []), r.account_id]);
    return out;
  }

  async seenBy(accountId: string, storyIds: readonly string[]): Promise<Set<string>> {
    if (storyIds.length === 0) return new Set();
    const rows = await this.db.selectFrom('story_views').select('story_id').where('account_id', '=', accountId).where('story_id', 'in', [...new Set(storyIds)]).execute();
    return new Set(rows.map((r) => r.story_id));
  }

  async countLive(accountId: string, now: Date): Promise<number> {
    const rows = await this.db.selectFrom('stories').select('id').where('account_id', '=', accountId).where(liveStorySql(now)).limit(1000).execute();
    return rows.length;
  }

  async isMediaUsed(mediaId: string): Promise<boolean> {
    return (await this.db.selectFrom('stories').select('id').where('media_id', '=', mediaId).where('reshare_of_id', 'is', null).executeTakeFirst()) !== undefined;
  }

  /** Live stories of some accounts, oldest first. */
  /** The author's archive: their expired stories, newest first, below `maxId`. */
  async archivedIds(authorId: string, now: Date, limit: number, maxId?: string): Promise<string[]> {
    let q = this.db.selectFrom('stories').select('id').where('account_id', '=', authorId).where(expiredStorySql(now));
    if (maxId) q = q.where('id', '<', maxId);
    const rows = await q.orderBy('id', 'desc').limit(limit).execute();
    return rows.map((r) => r.id);
  }

  async liveIdsByAuthors(authorIds: string[], now: Date): Promise<string[]> {
    if (authorIds.length === 0) return [];
    const rows = await this.db.selectFrom('stories').select('id').where('account_id', 'in', authorIds).where(liveStorySql(now)).orderBy('id', 'asc').limit(1000).execute();
    return rows.map((r) => r.id);
  }

  /**
   * The tray's skeleton: every live story of the viewer and of the accounts they follow, with
   * the viewer's seen flag. Read-time pull: a new story costs one write whoever follows.
   */
  async trayRows(viewerId: string, now: Date): Promise<TrayRow[]> {
    const rows = await this.db
      .selectFrom('stories as s')
      .leftJoin('story_views as v', (join) => join.onRef('v.story_id', '=', 's.id').on('v.account_id', '=', viewerId))
      .select(['s.id', 's.account_id', 's.audience', 's.created_at', 's.expires_at', 's.reshare_of_id', 'v.story_id as seen_id'])
      .where(liveStorySql(now, 's'))
      .where((eb) =>
        eb.or([
          eb('s.account_id', '=', viewerId),
          eb('s.account_id', 'in', eb.selectFrom('follows').select('target_account_id').where('account_id', '=', viewerId)),
        ]),
      )
      .execute();
    return rows.map(({ seen_id, ...r }) => ({ ...r, seen: seen_id !== null }));
  }

  /** Whom the account follows (the tray's authors beside itself). */
  async followedIds(accountId: string): Promise<string[]> {
    const rows = await this.db.selectFrom('follows').select('target_account_id').where('account_id', '=', accountId).execute();
    return rows.map((r) => r.target_account_id);
  }

  /** Records a view once; answers whether it was new. */
  async addView(storyId: string, accountId: string, nowIso: string, countIt: boolean): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const r = await trx
        .insertInto('story_views')
        .values({ story_id: storyId, account_id: accountId, viewed_at: nowIso })
        .onConflict((oc) => oc.columns(['story_id', 'account_id']).doNothing())
        .executeTakeFirst();
      const added = Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
      if (added && countIt) await trx.updateTable('stories').set((eb) => ({ viewers_count: eb('viewers_count', '+', 1) })).where('id', '=', storyId).execute();
      return added;
    });
  }

  async viewersPage(storyId: string, excludeId: string, limit: number, before?: string) {
    let q = this.db.selectFrom('story_views').select(['account_id', 'viewed_at']).where('story_id', '=', storyId).where('account_id', '!=', excludeId);
    if (before) q = q.where('viewed_at', '<', before);
    return q.orderBy('viewed_at', 'desc').limit(limit).execute();
  }

  async insertReply(row: { id: string; story_id: string; story_author_id: string; account_id: string; text: string; hidden: number; created_at: string }, db: Db = this.db): Promise<void> {
    await db.insertInto('story_replies').values(row).execute();
  }

  async insertReaction(row: { id: string; story_id: string; story_author_id: string; account_id: string; emoji: string; hidden: number; created_at: string }, db: Db = this.db): Promise<void> {
    await db.insertInto('story_reactions').values(row).execute();
  }

  /** Replies and reactions by id (what story notifications are about), in two indexed reads. */
  /** Story replies and reactions by id, each with the conversation its message is in (the message has the response's id). */
  async responsesByIds(ids: readonly string[]): Promise<Array<{ id: string; text: string | null; emoji: string | null; hidden: number; conversation_id: string | null }>> {
    if (ids.length === 0) return [];
    const [replies, reactions] = await Promise.all([
      this.db.selectFrom('story_replies as r').leftJoin('statuses as s', 's.id', 'r.id').select(['r.id', 'r.text', 'r.hidden', 's.conversation_id']).where('r.id', 'in', ids).execute(),
      this.db.selectFrom('story_reactions as r').leftJoin('statuses as s', 's.id', 'r.id').select(['r.id', 'r.emoji', 'r.hidden', 's.conversation_id']).where('r.id', 'in', ids).execute(),
    ]);
    return [...replies.map((r) => ({ ...r, emoji: null })), ...reactions.map((r) => ({ ...r, text: null }))];
  }

  /** The replies inbox of a story author: visible replies, newest first. */
  async repliesFor(authorId: string, limit: number, maxId?: string) {
    let q = this.db.selectFrom('story_replies').selectAll().where('story_author_id', '=', authorId).where('hidden', '=', 0);
    if (maxId) q = q.where('id', '<', maxId);
    return q.orderBy('id', 'desc').limit(limit).execute();
  }

  /**
   * The story, and its reshares with it: a reshare is shown only to those who may see the
   * original (story-service.ts), so without it no one could see, or delete, one again.
   */
  async delete(storyId: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const reshares = (await trx.selectFrom('stories').select('id').where('reshare_of_id', '=', storyId).execute()).map((r) => r.id);
      await trx.deleteFrom('notifications').where('story_id', 'in', [storyId, ...reshares]).execute();
      if (reshares.length > 0) await trx.deleteFrom('stories').where('id', 'in', reshares).execute();
      await trx.deleteFrom('stories').where('id', '=', storyId).execute();
    });
  }

  // Close friends

  async closeFriendIds(accountId: string, limit: number, offset: number): Promise<string[]> {
    const rows = await this.db.selectFrom('close_friends').select('friend_id').where('account_id', '=', accountId).orderBy('created_at', 'desc').limit(limit).offset(offset).execute();
    return rows.map((r) => r.friend_id);
  }

  async countCloseFriends(accountId: string): Promise<number> {
    const rows = await this.db.selectFrom('close_friends').select('friend_id').where('account_id', '=', accountId).execute();
    return rows.length;
  }

  async addCloseFriends(accountId: string, friendIds: string[], nowIso: string): Promise<void> {
    if (friendIds.length === 0) return;
    await this.db
      .insertInto('close_friends')
      .values(friendIds.map((friend_id) => ({ account_id: accountId, friend_id, created_at: nowIso })))
      .onConflict((oc) => oc.columns(['account_id', 'friend_id']).doNothing())
      .execute();
  }

  async removeCloseFriend(accountId: string, friendId: string): Promise<boolean> {
    const r = await this.db.deleteFrom('close_friends').where('account_id', '=', accountId).where('friend_id', '=', friendId).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  // Highlights

  async highlightsOf(accountId: string): Promise<HighlightRow[]> {
    return this.db.selectFrom('highlights').selectAll().where('account_id', '=', accountId).orderBy('position').orderBy('id').limit(100).execute();
  }

  async findHighlight(id: string): Promise<HighlightRow | undefined> {
    return this.db.selectFrom('highlights').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async highlightItems(highlightIds: readonly string[]): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    if (highlightIds.length === 0) return out;
    const rows = await this.db.selectFrom('highlight_items').selectAll().where('highlight_id', 'in', [...highlightIds]).orderBy('highlight_id').orderBy('position').execute();
    for (const r of rows) out.set(r.highlight_id, [...(out.get(r.highlight_id) ?? []), r.story_id]);
    return out;
  }

  async saveHighlight(row: HighlightRow, storyIds: string[] | undefined, isNew: boolean): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      if (isNew) await trx.insertInto('highlights').values(row).execute();
      else await trx.updateTable('highlights').set({ title: row.title, cover_story_id: row.cover_story_id, position: row.position, updated_at: row.updated_at }).where('id', '=', row.id).execute();
      if (storyIds) {
        await trx.deleteFrom('highlight_items').where('highlight_id', '=', row.id).execute();
        if (storyIds.length) await trx.insertInto('highlight_items').values(storyIds.map((story_id, position) => ({ highlight_id: row.id, story_id, position }))).execute();
      }
    });
  }

  async deleteHighlight(id: string): Promise<void> {
    await this.db.deleteFrom('highlights').where('id', '=', id).execute();
  }
}
