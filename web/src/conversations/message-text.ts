import type { Conversation, Status } from '../api/mastodon-types.ts';
import { displayNameOf } from '../ui/account-name.ts';
import { htmlToText } from '../ui/html-to-text.ts';

const LEADING_MENTION = /^@([\w.-]+)(?:@[\w.-]+)?(?:\s+|$)/;

/**
 * A message's HTML as a chat shows it: the @mentions in front that only address it (a Mastodon
 * direct message names its recipients, and an answer names whom it answers) are left out; a
 * mention inside the sentence stays, and so do links. The result is still untrusted HTML, for
 * SafeContent to render.
 */
export function messageHtml(status: Pick<Status, 'content' | 'mentions'>): string {
  const recipients = new Set(status.mentions.map((m) => m.username.toLowerCase()));
  const doc = new DOMParser().parseFromString(status.content, 'text/html');
  const first = doc.body.firstElementChild?.tagName === 'P' ? doc.body.firstElementChild : doc.body;
  for (let node = first.firstChild; node; node = first.firstChild) {
    const text = node.textContent ?? '';
    if (node.nodeType === 3) {
      // Plain text: whitespace, or a recipient's "@name" typed without a link.
      const trimmed = text.replace(/^\s+/, '');
      const lead = LEADING_MENTION.exec(trimmed);
      const rest = lead && recipients.has(lead[1].toLowerCase()) ? trimmed.slice(lead[0].length) : trimmed;
      if (rest === text) break;
      if (rest === '') node.remove();
      else node.textContent = rest;
      if (rest !== '' && rest === trimmed) break;
      continue;
    }
    // An element: a recipient's mention link (in its h-card) is dropped; anything else ends the addressing.
    const lead = LEADING_MENTION.exec(text.trim());
    if (node.nodeType !== 1 || !lead || lead[0].trim() !== text.trim() || !recipients.has(lead[1].toLowerCase())) break;
    node.remove();
  }
  return doc.body.innerHTML;
}

/** A message's words in one line of plain text (the inbox's preview), addressed as messageHtml. */
export function messageText(status: Pick<Status, 'content' | 'mentions'>): string {
  return htmlToText(messageHtml(status));
}

/** Who a conversation is with, as its inbox row and its thread's header name it. */
export function conversationTitle(conversation: Pick<Conversation, 'accounts'>): string {
  if (conversation.accounts.length === 0) return 'Unavailable account';
  return conversation.accounts.map(displayNameOf).join(', ');
}
