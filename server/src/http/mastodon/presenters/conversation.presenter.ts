import type { ConversationView } from '../../../domain/conversations/conversation-service.ts';
import { presentAccount } from './account.presenter.ts';
import { type StatusPresentContext, presentStatus } from './status.presenter.ts';
import type { Conversation } from '../entities.ts';

/** The Mastodon Conversation entity, as one participant sees it. */
export function presentConversation(ctx: StatusPresentContext, conversation: ConversationView): Conversation {
  return {
    id: conversation.id,
    unread: conversation.unread,
    accounts: conversation.accounts.map((a) => presentAccount(ctx, a)),
    last_status: conversation.lastStatus ? presentStatus(ctx, conversation.lastStatus) : null,
  };
}

export type PresentedConversation = Conversation;
