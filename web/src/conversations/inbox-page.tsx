import { Link } from 'react-router';
import './conversations.css';
import { useApi } from '../api/api-context.tsx';
import type { Conversation } from '../api/mastodon-types.ts';
import { useSession } from '../auth/session-context.tsx';
import { LoadMoreButton } from '../ui/account-row.tsx';
import { Avatar } from '../ui/avatar.tsx';
import { EmptyState, Loading, LoadError } from '../ui/feedback.tsx';
import { MessagesIcon } from '../ui/icons.tsx';
import { InfiniteScrollTrigger } from '../ui/infinite-scroll-trigger.tsx';
import { RelativeTime } from '../ui/relative-time.tsx';
import { useDocumentTitle } from '../ui/use-document-title.ts';
import { usePagedList } from '../ui/use-paged-list.ts';
import { CONVERSATIONS_PATH, fetchConversationPage } from './conversations-api.ts';
import { conversationTitle, messageText } from './message-text.ts';

/** The newest message in one line: "You: …", or what a story reply was. */
function preview(conversation: Conversation, viewerId: string | undefined): string {
  const last = conversation.last_status;
  if (!last) return '';
  const mine = last.account.id === viewerId;
  const text = messageText(last) || (last.media_attachments.length ? 'Sent a photo' : '');
  if (last.glimpse.story) return mine ? `You replied to their story: ${text}` : `Replied to your story: ${text}`;
  return mine ? `You: ${text}` : text;
}

function ConversationRow({ conversation, viewerId }: { conversation: Conversation; viewerId: string | undefined }) {
  const [first] = conversation.accounts;
  const title = conversationTitle(conversation);
  return (
    <li className={conversation.unread ? 'inbox-row inbox-row-unread' : 'inbox-row'}>
      <Link to={`/direct/${conversation.id}`} className="inbox-link">
        {first ? <Avatar account={first} size="medium" /> : <span className="avatar avatar-medium avatar-fallback" aria-hidden="true" />}
        <span className="inbox-text">
          <span className="inbox-title">
            {title}
            {conversation.unread && <span className="visually-hidden">, unread</span>}
          </span>
          <span className="inbox-preview">{preview(conversation, viewerId)}</span>
        </span>
        {conversation.last_status && <RelativeTime iso={conversation.last_status.created_at} className="inbox-time" />}
        {conversation.unread && <span className="inbox-dot" aria-hidden="true" />}
      </Link>
    </li>
  );
}

/** The inbox: every conversation, newest message first; story replies and reactions arrive here too. */
export function InboxPage() {
  useDocumentTitle('Messages');
  const api = useApi();
  const { account } = useSession();
  const list = usePagedList<Conversation>(CONVERSATIONS_PATH, (path, signal) => fetchConversationPage(api, path, signal));

  return (
    <div className="page inbox-page">
      <div className="inbox-header">
        <h1 className="page-title">Messages</h1>
        <Link to="/direct/new" className="button button-primary button-small">
          New message
        </Link>
      </div>
      {list.status === 'loading' ? (
        <Loading label="Loading messages…" />
      ) : list.status === 'error' ? (
        <LoadError error={list.error} onRetry={list.reload} />
      ) : list.items.length === 0 ? (
        <EmptyState icon={<MessagesIcon />} title="No messages yet">
          <p>Send a message from someone&rsquo;s profile. Replies to your stories arrive here too.</p>
        </EmptyState>
      ) : (
        <>
          <ul className="inbox-list" aria-label="Conversations">
            {list.items.map((c) => (
              <ConversationRow key={c.id} conversation={c} viewerId={account?.id} />
            ))}
          </ul>
          {list.hasMore && (
            <>
              <InfiniteScrollTrigger onVisible={list.loadMore} isLoading={list.isLoadingMore} itemCount={list.items.length} />
              <LoadMoreButton isLoading={list.isLoadingMore} onClick={list.loadMore} />
            </>
          )}
        </>
      )}
    </div>
  );
}
