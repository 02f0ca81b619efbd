import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useApi } from '../api/api-context.tsx';
import { fetchUnreadCount } from '../api/notifications-api.ts';

const POLL_MS = 60_000;

interface UnreadNotifications {
  count: number;
  refresh: () => void;
  markAllSeen: () => void;
}

const UnreadContext = createContext<UnreadNotifications>({ count: 0, refresh: () => undefined, markAllSeen: () => undefined });

/** The badge on "Notifications": polled while the app is open and refreshed on focus. */
export function UnreadNotificationsProvider({ children }: { children: ReactNode }) {
  const api = useApi();
  const [count, setCount] = useState(0);

  const refresh = useCallback(() => {
    fetchUnreadCount(api).then(setCount, () => undefined);
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
  const value = useMemo(() => ({ count, refresh, markAllSeen }), [count, refresh, markAllSeen]);
  return <UnreadContext.Provider value={value}>{children}</UnreadContext.Provider>;
}

export function useUnreadNotifications(): UnreadNotifications {
  return useContext(UnreadContext);
}
