import type { Insertable, Updateable } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { MediaTable } from '../../db/schema.ts';
import type { MediaRow, MediaTagRow } from './media.ts';

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

  /** The photos of many posts, in carousel order: one query for a page. */
  async forStatuses(statusIds: readonly string[]): Promise<Map<string, MediaRow[]>> {
    const result = new Map<string, MediaRow[]>();
    if (statusIds.length === 0) return result;
    const rows = await this.db
      .selectFrom('media')
      .selectAll()
      .where('status_id', 'in', [...new Set(statusIds)])
      .orderBy('status_id')
      .orderBy('position')
      .execute();
    for (const row of rows) {
      const list = result.get(row.status_id!) ?? [];
      list.push(row);
      result.set(row.status_id!, list);
    }
    return result;
  }

  async tagsFor(mediaIds: readonly string[]): Promise<Map<string, MediaTagRow[]>> {
    const result = new Map<string, MediaTagRow[]>();
    if (mediaIds.length === 0) return result;
    const rows = await this.db.selectFrom('media_tags').selectAll().where('media_id', 'in', [...new Set(mediaIds)]).execute();
    for (const row of rows) {
      const list = result.get(row.media_id) ?? [];
      list.push(row);
      result.set(row.media_id, list);
    }
    return result;
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
      .where('state', '=', 'processing')
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
    await this.db.updateTable('media').set({ lease_until: null }).where('id', '=', id).where('state', '=', 'processing').where('lease_owner', '=', owner).execute();
  }
}
