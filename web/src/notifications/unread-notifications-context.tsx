import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useApi } from '../api/api-context.tsx';
import { fetchUnreadCount } from '../api/notifications-api.ts';
import { useQueryClient } from '@tanstack/react-query';
import { useStreamEvents } from '../api/use-stream-events.ts';
import { CONVERSATIONS_PATH, fetchUnreadConversationCount, messagesPath } from '../conversations/conversations-api.ts';
import { pagedListKey } from '../ui/use-paged-list.ts';

const POLL_MS = 60_000;

interface UnreadNotifications {
  count: number;
  /** Unread conversations, for the badge on "Messages". */
  unreadMessages: number;
  refresh: () => void;
  markAllSeen: () => void;
}

const UnreadContext = createContext<UnreadNotifications>({ count: 0, unreadMessages: 0, refresh: () => undefined, markAllSeen: () => undefined });

/** The badges on "Notifications" and "Messages": polled while the app is open and refreshed on focus. */
export function UnreadNotificationsProvider({ children }: { children: ReactNode }) {
  const api = useApi();
  const [count, setCount] = useState(0);
  const [unreadMessages, setUnreadMessages] = useState(0);

  const refresh = useCallback(() => {
    fetchUnreadCount(api).then(setCount, () => undefined);
    fetchUnreadConversationCount(api).then(setUnreadMessages, () => undefined);
  }, [api]);

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

  // A message reached one of the viewer's conversations: the badge, the inbox and that thread
  // are read again at once (the thread also asks now and then, should the stream drop).
  const queryClient = useQueryClient();
  const messagesChanged = useCallback(
    (conversationId?: string) => {
      fetchUnreadConversationCount(api).then(setUnreadMessages, () => undefined);
      void queryClient.invalidateQueries({ queryKey: pagedListKey(CONVERSATIONS_PATH), exact: true });
      if (conversationId) void queryClient.invalidateQueries({ queryKey: pagedListKey(messagesPath(conversationId)), exact: true });
    },
    [api, queryClient],
  );
  useStreamEvents('direct', ['conversation'], {
    onEvent: (_event, payload) => {
      let id: string | undefined;
      try {
        id = (JSON.parse(payload) as { id?: unknown }).id as string | undefined;
      } catch {
        id = undefined;
      }
      messagesChanged(typeof id === 'string' ? id : undefined);
    },
  });

  const markAllSeen = useCallback(() => setCount(0), []);
  const value = useMemo(() => ({ count, unreadMessages, refresh, markAllSeen }), [count, unreadMessages, refresh, markAllSeen]);
  return <UnreadContext.Provider value={value}>{children}</UnreadContext.Provider>;
}

export function useUnreadNotifications(): UnreadNotifications {
  return useContext(UnreadContext);
}
