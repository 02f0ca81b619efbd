import { type CustomEmojiSet, emojiPath } from '../../../domain/emojis/emoji-service.ts';
import type { CustomEmojiRow } from '../../../domain/emojis/emoji-repository.ts';
import type { PresentContext } from './account.presenter.ts';

/** What presenters read the instance's emojis from (CustomEmojiService: loaded once, cached). */
export interface CustomEmojiCatalog {
  current(): CustomEmojiSet;
}

/** The Mastodon CustomEmoji entity. The stored image is static, so both URLs are the same. */
export function presentCustomEmoji(publicUrl: string, row: CustomEmojiRow) {
  const url = `${publicUrl}${emojiPath(row)}`;
  return {
    shortcode: row.shortcode,
    url,
    static_url: url,
    visible_in_picker: Boolean(row.visible_in_picker),
    category: row.category,
  };
}

/**
 * The `emojis` array of a Status or an Account: the instance's emojis named `:shortcode:` in
 * the texts (the text itself keeps the shortcode, as on Mastodon). No query: the set is cached.
 */
export function presentEmojisIn(ctx: PresentContext, ...texts: ReadonlyArray<string | null | undefined>) {
  if (!ctx.customEmojis) return [];
  return ctx.customEmojis.current().usedIn(...texts).map((row) => presentCustomEmoji(ctx.publicUrl, row));
}
