import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { Link, useParams } from 'react-router';
import './conversations.css';
import { useApi } from '../api/api-context.tsx';
import type { Conversation, Status } from '../api/mastodon-types.ts';
import { useSession } from '../auth/session-context.tsx';
import { useUnreadNotifications } from '../notifications/unread-notifications-context.tsx';
import { NotFoundPage } from '../app/not-found-page.tsx';
import { ApiError } from '../api/api-client.ts';
import { LoadMoreButton } from '../ui/account-row.tsx';
import { Avatar } from '../ui/avatar.tsx';
import { profilePath } from '../ui/account-name.ts';
import { ErrorMessage, Loading, LoadError } from '../ui/feedback.tsx';
import { BackIcon } from '../ui/icons.tsx';
import { useDocumentTitle } from '../ui/use-document-title.ts';
import { useFormSubmit } from '../ui/use-form-submit.ts';
import { pagedListKey, usePagedList } from '../ui/use-paged-list.ts';
import { useResource } from '../ui/use-resource.ts';
import { fetchConversation, fetchMessagePage, markConversationRead, messagesPath, sendMessage } from './conversations-api.ts';
import { conversationTitle, messageHtml } from './message-text.ts';
import { SafeContent } from '../posts/safe-content.tsx';
import { htmlToText } from '../ui/html-to-text.ts';

/** How often an open thread asks for new messages while the direct stream (which brings them at once) is down. */
const POLL_MS = 10_000;
/** As the server's limit for a message's text. */
const MESSAGE_MAX = 2200;

const timeOf = (iso: string) => new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });

function MessageBubble({ message, mine }: { message: Status; mine: boolean }) {
  const html = messageHtml(message);
  const story = message.glimpse.story;
  return (
    <li className={mine ? 'message message-mine' : 'message message-theirs'}>
      {!mine && <Avatar account={message.account} size="small" />}
      <div className="message-body">
        {story && (
          <div className="message-story">
            <span className="message-story-label">{mine ? 'You replied to their story' : 'Replied to your story'}</span>
            {story.preview_url ? <img src={story.preview_url} alt="The story" className="message-story-thumb" /> : <span className="message-story-gone">The story is no longer available</span>}
          </div>
        )}
        {message.media_attachments.map((m) => (
          <img key={m.id} src={m.preview_url ?? m.url ?? ''} alt={m.description ?? ''} className="message-photo" />
        ))}
        {htmlToText(html) !== '' && <SafeContent html={html} className="message-text" emojis={message.emojis} />}
        <time className="message-time" dateTime={message.created_at} title={timeOf(message.created_at)}>
          {timeOf(message.created_at)}
        </time>
      </div>
    </li>
  );
}

function Composer({ conversation, newestId, onSent }: { conversation: Conversation; newestId: string | undefined; onSent: (message: Status) => void }) {
  const api = useApi();
  const [text, setText] = useState('');
  const { submit, isSubmitting, error } = useFormSubmit(
    () => {
      if (text.trim() === '') throw new Error('Write a message first.');
      return sendMessage(api, { text, to: conversation.accounts.map((a) => a.acct), inReplyToId: newestId });
    },
    {
      onSuccess: (sent) => {
        setText('');
        onSent(sent);
      },
    },
  );
  // Enter sends, Shift+Enter starts a new line, as in every chat.
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      submit();
    }
  };
  if (conversation.accounts.length === 0) return <p className="thread-closed muted">This conversation can&rsquo;t receive messages.</p>;
  return (
    <form className="thread-composer" onSubmit={submit}>
      <label className="visually-hidden" htmlFor="message-text">
        Message
      </label>
      <textarea id="message-text" className="thread-input" rows={1} maxLength={MESSAGE_MAX} placeholder="Message…" value={text} onChange={(e) => setText(e.target.value)} onKeyDown={onKeyDown} />
      <button type="submit" className="button button-primary button-small" disabled={isSubmitting || text.trim() === ''} aria-busy={isSubmitting}>
        Send
      </button>
      <ErrorMessage error={error} />
    </form>
  );
}

/** One conversation: its messages oldest to newest, the newest at the bottom beside the box to answer. */
export function ConversationRoute() {
  const { conversationId = '' } = useParams();
  const api = useApi();
  const queryClient = useQueryClient();
  const { account: viewer } = useSession();
  const { refresh: refreshBadges, isStreaming } = useUnreadNotifications();
  const [state] = useResource((signal) => fetchConversation(api, conversationId, signal), conversationId, { queryKey: ['conversation'] });
  const path = messagesPath(conversationId);
  const messages = usePagedList<Status>(path, (p, signal) => fetchMessagePage(api, p, signal));
  const conversation = state.status === 'ready' ? state.data : undefined;
  useDocumentTitle(conversation ? conversationTitle(conversation) : 'Messages');

  // New messages come by the direct stream (unread-notifications-context.tsx); while it is down, ask now and then.
  useEffect(() => {
    if (isStreaming) return;
    const timer = window.setInterval(() => {
      if (document.visibilityState === 'visible') void queryClient.invalidateQueries({ queryKey: pagedListKey(path), exact: true });
    }, POLL_MS);
    return () => window.clearInterval(timer);
  }, [queryClient, path, isStreaming]);

  // Read once opened, and again whenever a newer message arrives.
  const newest = messages.items[0];
  const readUpTo = useRef<string | undefined>(undefined);
  useEffect(() => {
    if (!conversation || !newest || readUpTo.current === newest.id) return;
    readUpTo.current = newest.id;
    if (newest.account.id !== viewer?.id || conversation.unread) {
      markConversationRead(api, conversation.id).then(
        () => {
          void queryClient.invalidateQueries({ queryKey: pagedListKey('/api/v1/conversations') });
          refreshBadges();
        },
        () => undefined,
      );
    }
  }, [api, queryClient, conversation, newest, viewer?.id, refreshBadges]);

  // Keep the newest message in view as messages arrive.
  const end = useRef<HTMLDivElement>(null);
  useEffect(() => {
    end.current?.scrollIntoView?.({ block: 'end' });
  }, [newest?.id]);

  if (state.status === 'error' && state.error instanceof ApiError && state.error.status === 404) return <NotFoundPage />;
  if (state.status === 'error') return <LoadError error={state.error} />;
  if (!conversation) return <Loading label="Loading the conversation…" />;

  const [first] = conversation.accounts;
  return (
    <div className="page thread-page">
      <header className="thread-header">
        <Link to="/direct" className="thread-back" aria-label="Back to messages">
          <BackIcon />
        </Link>
        {first && <Avatar account={first} size="small" />}
        <h1 className="thread-title">
          {conversation.accounts.length === 1 && first ? <Link to={profilePath(first)}>{conversationTitle(conversation)}</Link> : conversationTitle(conversation)}
        </h1>
      </header>
      <section className="thread-messages" aria-label="Messages">
        {messages.hasMore && <LoadMoreButton isLoading={messages.isLoadingMore} onClick={messages.loadMore} label="Load older messages" />}
        {messages.status === 'loading' ? (
          <Loading label="Loading messages…" />
        ) : messages.status === 'error' ? (
          <LoadError error={messages.error} onRetry={messages.reload} />
        ) : (
          <ol className="message-list">
            {[...messages.items].reverse().map((m) => (
              <MessageBubble key={m.id} message={m} mine={m.account.id === viewer?.id} />
            ))}
          </ol>
        )}
        <div ref={end} />
      </section>
      <Composer conversation={conversation} newestId={newest?.id} onSent={(sent) => messages.setItems((items) => [sent, ...items.filter((m) => m.id !== sent.id)])} />
    </div>
  );
}
