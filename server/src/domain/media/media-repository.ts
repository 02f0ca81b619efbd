import { sql, type Insertable, type Updateable } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { MediaTable } from '../../db/schema.ts';
import type { MediaRow, MediaTagRow } from './media.ts';
import { preparedQuery } from '../../db/prepared-query.ts';

export class MediaRepository {
  constructor(private readonly db: Db) {}

  async insert(row: Insertable<MediaTable>, db: Db = this.db): Promise<void> {
    await db.insertInto('media').values(row).execute();
  }

  async findById(id: string, db: Db = this.db): Promise<MediaRow | undefined> {
    return db.selectFrom('media').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async findByIds(ids: readonly string[], db: Db = this.db): Promise<MediaRow[]> {
    if (ids.length === 0) return [];
    return db.selectFrom('media').selectAll().where('id', 'in', [...new Set(ids)]).execute();
  }

  async findByStorageKey(key: string): Promise<MediaRow | undefined> {
    return this.db.selectFrom('media').selectAll().where('storage_key', '=', key).executeTakeFirst();
  }

  async update(id: string, changes: Updateable<MediaTable>, db: Db = this.db): Promise<void> {
    await db.updateTable('media').set(changes).where('id', '=', id).execute();
  }

  /** The statuses' photos in carousel order with their photo tags, in one query (a page's media). */
  async forStatusesWithTags(statusIds: readonly string[]): Promise<{ media: Map<string, MediaRow[]>; tags: Map<string, MediaTagRow[]> }> {
    const media = new Map<string, MediaRow[]>();
    const tags = new Map<string, MediaTagRow[]>();
    if (statusIds.length === 0) return { media, tags };
    const rows = await mediaWithTagsQuery.execute(this.db, { statusIds: [...new Set(statusIds)] });
    let last: string | undefined;
    for (const { tag_account, tag_x, tag_y, ...row } of rows) {
      // A photo's rows are adjacent: one per tag, or one without.
      if (row.id !== last) {
        const list = media.get(row.status_id!);
        if (list) list.push(row);
        else media.set(row.status_id!, [row]);
        last = row.id;
      }
      if (tag_account === null) continue;
      const tag = { media_id: row.id, account_id: tag_account, x: tag_x!, y: tag_y! };
      const list = tags.get(row.id);
      if (list) list.push(tag);
      else tags.set(row.id, [tag]);
    }
    return { media, tags };
  }

  /** A deleted post's photos: unattached, removable by the media sweep after `removeAfter` (media-lifecycle.ts). */
  async detachFromStatus(statusId: string, removeAfter: string, db: Db = this.db): Promise<void> {
    await db.updateTable('media').set({ status_id: null, remove_after: removeAfter }).where('status_id', '=', statusId).execute();
  }

  async replaceTags(mediaId: string, tags: Array<{ account_id: string; x: number; y: number }>, db: Db = this.db): Promise<void> {
    await db.deleteFrom('media_tags').where('media_id', '=', mediaId).execute();
    if (tags.length) await db.insertInto('media_tags').values(tags.map((t) => ({ ...t, media_id: mediaId }))).execute();
  }

  /**
   * Media left in 'processing' whose processing lease is absent or ran out before `now` (a
   * restart interrupted them, or the process holding them died), or is held by `deadHolder`
   * (this process's predecessor): re-queued at start.
   */
  async findProcessing(limit: number, now: string, deadHolder?: string): Promise<MediaRow[]> {
    return this.db
      .selectFrom('media')
      .selectAll()
      // A literal, not a parameter: the partial index media_processing (migration 0031) matches
      // it whatever plan a prepared statement was given before its values were bound.
      .where('state', '=', sql.lit('processing'))
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now), ...(deadHolder ? [eb('lease_holder', '=', deadHolder)] : [])]))
      .orderBy('id')
      .limit(limit)
      .execute();
  }

  /**
   * Takes the processing lease of a row still 'processing' whose lease is absent or ran out,
   * and was last held by `previousOwner` (as read just before, so the caller knows whose
   * abandoned attempt it takes over). One conditional UPDATE: of processes racing, one wins.
   */
  async claimLease(id: string, previousOwner: string | null, lease: { owner: string; holder: string; until: string }, now: string, deadHolder?: string): Promise<boolean> {
    const result = await this.db
      .updateTable('media')
      .set({ lease_owner: lease.owner, lease_holder: lease.holder, lease_until: lease.until })
      .where('id', '=', id)
      .where('state', '=', 'processing')
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now), ...(deadHolder ? [eb('lease_holder', '=', deadHolder)] : [])]))
      .where((eb) => (previousOwner === null ? eb('lease_owner', 'is', null) : eb('lease_owner', '=', previousOwner)))
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** Extends a lease this owner still holds on a row still 'processing'; false when it is lost. */
  async renewLease(id: string, owner: string, until: string): Promise<boolean> {
    const result = await this.db
      .updateTable('media')
      .set({ lease_until: until })
      .where('id', '=', id)
      .where('state', '=', 'processing')
      .where('lease_owner', '=', owner)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** Gives the lease up at once (a stopping process), so the next start need not wait for it to run out. */
  async releaseLease(id: string, owner: string): Promise<void> {
    await this.db.updateTable('media').set({ lease_until: null }).where('id', '=', id).where('state', '=', sql.lit('processing')).where('lease_owner', '=', owner).execute();
  }
}

/** The statuses' photos in order, one row per photo tag (or one without): every page's content read. */
const mediaWithTagsQuery = preparedQuery((db: Db, { statusIds }: { statusIds: string[] }) =>
  db
    .selectFrom('media as m')
    .leftJoin('media_tags as t', 't.media_id', 'm.id')
    .selectAll('m')
    .select(['t.account_id as tag_account', 't.x as tag_x', 't.y as tag_y'])
    .where('m.status_id', 'in', statusIds)
    .orderBy('m.status_id')
    .orderBy('m.position')
    .orderBy('m.id'),
);
