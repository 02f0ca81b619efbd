import type { Conversation, Status } from '../api/mastodon-types.ts';
import { displayNameOf } from '../ui/account-name.ts';
import { htmlToText } from '../ui/html-to-text.ts';

/**
 * A message's words as a chat shows them: the @mentions in front that only address it (a
 * Mastodon direct message names its recipients, and an answer names whom it answers) are left
 * out; a mention inside the sentence stays.
 */
export function messageText(status: Pick<Status, 'content' | 'mentions'>): string {
  const recipients = new Set(status.mentions.map((m) => m.username.toLowerCase()));
  let text = htmlToText(status.content).trim();
  for (;;) {
    const lead = /^@([\w.-]+)(?:@[\w.-]+)?\s*/.exec(text);
    if (!lead || !recipients.has(lead[1].toLowerCase())) return text;
    text = text.slice(lead[0].length);
  }
}

/** Who a conversation is with, as its inbox row and its thread's header name it. */
export function conversationTitle(conversation: Pick<Conversation, 'accounts'>): string {
  if (conversation.accounts.length === 0) return 'Unavailable account';
  return conversation.accounts.map(displayNameOf).join(', ');
}
