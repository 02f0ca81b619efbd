import { type Selectable, sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { CustomEmojisTable } from '../../db/schema.ts';

export type CustomEmojiRow = Selectable<CustomEmojisTable>;

/** The instance's custom emojis: a small table read whole (it is cached by the service). */
export class CustomEmojiRepository {
  constructor(private readonly db: Db) {}

  /** Every emoji, by category (none first: COALESCE, as the two databases sort NULL apart) then shortcode; bounded. */
  all(limit: number): Promise<CustomEmojiRow[]> {
    return this.db.selectFrom('custom_emojis').selectAll().orderBy(sql`coalesce(category, '')`).orderBy('shortcode_lower').limit(limit).execute();
  }

  async count(): Promise<number> {
    const row = await this.db.selectFrom('custom_emojis').select((eb) => eb.fn.countAll().as('n')).executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  findByShortcode(shortcode: string): Promise<CustomEmojiRow | undefined> {
    return this.db.selectFrom('custom_emojis').selectAll().where('shortcode_lower', '=', shortcode.toLowerCase()).executeTakeFirst();
  }

  findByStorageKey(key: string): Promise<CustomEmojiRow | undefined> {
    return this.db.selectFrom('custom_emojis').selectAll().where('storage_key', '=', key).executeTakeFirst();
  }

  /** False when the shortcode is taken (the unique key decides, so two adds at once cannot both win). */
  async insert(row: CustomEmojiRow): Promise<boolean> {
    const result = await this.db.insertInto('custom_emojis').values(row).onConflict((oc) => oc.column('shortcode_lower').doNothing()).executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async delete(id: string): Promise<void> {
    await this.db.deleteFrom('custom_emojis').where('id', '=', id).execute();
  }
}
