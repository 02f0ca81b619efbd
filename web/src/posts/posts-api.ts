import type { ApiClient } from '../api/api-client.ts';
import type { Status } from '../api/mastodon-types.ts';

/** Saves (bookmarks) a post or takes it out of the saved ones; answers the post as it is now. */
export function bookmarkStatus(api: ApiClient, statusId: string, saved: boolean): Promise<Status> {
  return api.post(`/api/v1/statuses/${encodeURIComponent(statusId)}/${saved ? 'bookmark' : 'unbookmark'}`);
}

/** Whether the viewer wants the comments in an embed ("off" hides them). */
export type EmbedComments = 'on' | 'off';

/**
 * The embed code of a post: a blockquote linking to the post (what readers see when scripts
 * are off) and the server's loader, which turns it into an iframe of `/@user/:id/embed`.
 * Options are data- attributes on the blockquote:
 *   data-glimpse-comments="off"  no comments in the embed (the frame loads `?comments=0`)
 * The loader is server/assets/embed-loader.js; only posts of its own instance are framed.
 */
export function embedCode(status: Pick<Status, 'url' | 'account'>, comments: EmbedComments = 'on'): string {
  const url = status.url ?? '';
  const origin = new URL(url, window.location.href).origin;
  const who = `@${status.account.acct || status.account.username}`;
  const options = comments === 'off' ? ' data-glimpse-comments="off"' : '';
  return (
    `<blockquote class="glimpse-embed" data-glimpse-post="${escapeAttribute(url)}"${options}>` +
    `<a href="${escapeAttribute(url)}">A post shared by ${escapeText(who)}</a></blockquote>\n` +
    `<script async src="${escapeAttribute(`${origin}/static/embed-loader.js`)}"></script>`
  );
}

function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function escapeAttribute(text: string): string {
  return escapeText(text).replace(/"/g, '&quot;');
}

/**
 * Puts text on the clipboard: the Clipboard API where the page may use it, else a selected
 * off-screen text area and the copy command. False when neither worked (the caller shows the
 * text to copy by hand).
 */
export async function copyText(text: string): Promise<boolean> {
  try {
    if (navigator.clipboard?.writeText) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // Not allowed here (no focus, an old browser, an insecure origin): the fallback below.
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.className = 'visually-hidden';
  document.body.appendChild(area);
  const active = document.activeElement as HTMLElement | null;
  area.select();
  let copied = false;
  try {
    copied = document.execCommand('copy');
  } catch {
    copied = false;
  }
  area.remove();
  active?.focus();
  return copied;
}
