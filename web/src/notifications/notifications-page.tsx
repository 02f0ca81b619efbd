import { useCallback, useEffect, useState } from 'react';
import { useApi } from '../api/api-context.tsx';
import { clearNotifications, fetchNotificationPage, markNotificationsRead, NOTIFICATIONS_PATH } from '../api/notifications-api.ts';
import type { Notification } from '../api/mastodon-types.ts';
import { LoadMoreButton } from '../ui/account-row.tsx';
import { EmptyState, ErrorMessage, Loading, LoadError } from '../ui/feedback.tsx';
import { HeartIcon } from '../ui/icons.tsx';
import { usePagedList } from '../ui/use-paged-list.ts';
import { useDocumentTitle } from '../ui/use-document-title.ts';
import { NotificationItem } from './notification-item.tsx';
import { useUnreadNotifications } from './unread-notifications-context.tsx';
import './notifications.css';

export function NotificationsPage() {
  useDocumentTitle('Notifications');
  const api = useApi();
  const unread = useUnreadNotifications();
  const loadPage = useCallback((path: string, signal?: AbortSignal) => fetchNotificationPage(api, path, signal), [api]);
  const list = usePagedList<Notification>(NOTIFICATIONS_PATH, loadPage);
  const [clearError, setClearError] = useState<unknown>(null);
  const [isClearing, setClearing] = useState(false);
  const newestId = list.status === 'ready' ? list.items[0]?.id : undefined;
  const { markAllSeen } = unread;

  // Seeing the list reads it: move the marker to the newest notification shown.
  useEffect(() => {
    if (!newestId) return;
    markNotificationsRead(api, newestId).then(markAllSeen, () => undefined);
  }, [api, newestId, markAllSeen]);

  const clearAll = async () => {
    setClearError(null);
    setClearing(true);
    try {
      await clearNotifications(api);
      list.setItems(() => []);
      markAllSeen();
    } catch (error) {
      setClearError(error);
    } finally {
      setClearing(false);
    }
  };

  return (
    <div className="page page-narrow">
      <div className="page-header">
        <h1 className="page-title">Notifications</h1>
        {list.status === 'ready' && list.items.length > 0 && (
          <button type="button" className="button button-link" onClick={clearAll} disabled={isClearing}>
            Clear all
          </button>
        )}
      </div>
      <ErrorMessage error={clearError} />
      {list.status === 'loading' ? (
        <Loading />
      ) : list.status === 'error' ? (
        <LoadError error={list.error} onRetry={list.reload} />
      ) : list.items.length === 0 ? (
        <EmptyState icon={<HeartIcon />} title="No notifications yet">
          <p>When someone follows you or asks to, you will see it here.</p>
        </EmptyState>
      ) : (
        <>
          <ul className="notification-list">
            {list.items.map((notification) => (
              <NotificationItem key={notification.id} notification={notification} />
            ))}
          </ul>
          {list.hasMore && <LoadMoreButton isLoading={list.isLoadingMore} onClick={list.loadMore} />}
        </>
      )}
    </div>
  );
}
