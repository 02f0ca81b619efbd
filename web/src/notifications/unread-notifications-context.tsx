import { useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useApi } from '../api/api-context.tsx';
import { fetchUnreadCount } from '../api/notifications-api.ts';
import { useStreamEvents } from '../api/use-stream-events.ts';
import { CONVERSATIONS_PATH, fetchUnreadConversationCount, messagesPath } from '../conversations/conversations-api.ts';
import { pagedListKey } from '../ui/use-paged-list.ts';

const POLL_MS = 60_000;

interface UnreadNotifications {
  count: number;
  /** Unread conversations, for the badge on "Messages". */
  unreadMessages: number;
  /** Whether the direct stream is open: new messages then arrive without asking. */
  isStreaming: boolean;
  refresh: () => void;
  markAllSeen: () => void;
}

const UnreadContext = createContext<UnreadNotifications>({ count: 0, unreadMessages: 0, isStreaming: false, refresh: () => undefined, markAllSeen: () => undefined });

/** A count kept from the newest request only: an older answer arriving late does not overwrite a newer one. */
function useLatestCount(): [number, (request: Promise<number>) => void] {
  const [value, setValue] = useState(0);
  const asked = useRef(0);
  const track = useCallback((request: Promise<number>) => {
    const mine = ++asked.current;
    request.then(
      (n) => mine === asked.current && setValue(n),
      () => undefined,
    );
  }, []);
  return [value, track];
}

/**
 * The badges on "Notifications" and "Messages": polled while the app is open and refreshed on
 * focus. The `direct` stream brings each new message at once: the badge, the inbox and that
 * conversation's thread are then read again (and everything once more after a reconnect).
 */
export function UnreadNotificationsProvider({ children }: { children: ReactNode }) {
  const api = useApi();
  const queryClient = useQueryClient();
  const [count, trackCount] = useLatestCount();
  const [unreadMessages, trackMessages] = useLatestCount();
  const [countOverride, setCountOverride] = useState<number | null>(null);

  const refresh = useCallback(() => {
    setCountOverride(null);
    trackCount(fetchUnreadCount(api));
    trackMessages(fetchUnreadConversationCount(api));
  }, [api, trackCount, trackMessages]);

  useEffect(() => {
    refresh();
    const timer = window.setInterval(() => {
      if (document.visibilityState !== 'hidden') refresh();
    }, POLL_MS);
    window.addEventListener('focus', refresh);
    return () => {
      window.clearInterval(timer);
      window.removeEventListener('focus', refresh);
    };
  }, [refresh]);

  const messagesChanged = useCallback(
    (conversationId?: string) => {
      trackMessages(fetchUnreadConversationCount(api));
      void queryClient.invalidateQueries({ queryKey: pagedListKey(CONVERSATIONS_PATH), exact: true });
      // One conversation's thread, or after a reconnect every open one (messages may have been missed).
      if (conversationId) void queryClient.invalidateQueries({ queryKey: pagedListKey(messagesPath(conversationId)), exact: true });
      else void queryClient.invalidateQueries({ predicate: (query) => typeof query.queryKey[1] === 'string' && query.queryKey[1].endsWith('/messages') });
    },
    [api, queryClient, trackMessages],
  );
  const isStreaming = useStreamEvents('direct', ['conversation'], {
    onEvent: (_event, payload) => {
      let id: unknown;
      try {
        id = (JSON.parse(payload) as { id?: unknown }).id;
      } catch {
        id = undefined;
      }
      messagesChanged(typeof id === 'string' ? id : undefined);
    },
    onReopen: () => messagesChanged(),
  });

  const markAllSeen = useCallback(() => setCountOverride(0), []);
  const shown = countOverride ?? count;
  const value = useMemo(() => ({ count: shown, unreadMessages, isStreaming, refresh, markAllSeen }), [shown, unreadMessages, isStreaming, refresh, markAllSeen]);
  return <UnreadContext.Provider value={value}>{children}</UnreadContext.Provider>;
}

export function useUnreadNotifications(): UnreadNotifications {
  return useContext(UnreadContext);
}
