import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useApi } from '../api/api-context.tsx';
import { fetchUnreadCount } from '../api/notifications-api.ts';
import { fetchUnreadConversationCount } from '../conversations/conversations-api.ts';

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

  const markAllSeen = useCallback(() => setCount(0), []);
  const value = useMemo(() => ({ count, unreadMessages, refresh, markAllSeen }), [count, unreadMessages, refresh, markAllSeen]);
  return <UnreadContext.Provider value={value}>{children}</UnreadContext.Provider>;
}

export function useUnreadNotifications(): UnreadNotifications {
  return useContext(UnreadContext);
}
