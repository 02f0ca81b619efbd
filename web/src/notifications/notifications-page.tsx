import { useInfiniteQuery, useQuery, useQueryClient } from '@tanstack/react-query';
import { useWindowVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useApi } from '../api/api-context.tsx';
import type { Account } from '../api/mastodon-types.ts';
import { clearNotifications, markNotificationsRead } from '../api/notifications-api.ts';
import { Avatar } from '../ui/avatar.tsx';
import { displayNameOf } from '../ui/account-name.ts';
import { EmptyState, ErrorMessage, Loading, LoadError } from '../ui/feedback.tsx';
import { HeartIcon, PersonAddIcon } from '../ui/icons.tsx';
import { useDocumentTitle } from '../ui/use-document-title.ts';
import { fetchGroupedPage, firstPagePath, formatWhole, type GroupedNotification, type NotificationFilter } from './grouped-notifications.ts';
import { NotificationGroupRow } from './notification-group-row.tsx';
import { useUnreadNotifications } from './unread-notifications-context.tsx';
import './notifications.css';

const FILTERS: Array<{ id: NotificationFilter; label: string; empty: string }> = [
  { id: 'all', label: 'All', empty: 'When someone likes, comments on or follows your posts, you will see it here.' },
  { id: 'mentions', label: 'Mentions and comments', empty: 'Comments on your posts and mentions of you appear here.' },
  { id: 'requests', label: 'Follow requests', empty: 'When someone asks to follow your private account, it appears here.' },
];

const ROW_ESTIMATE = 72;

/**
 * Pending follow requests, above everything: a flood of likes never pushes them out of sight.
 * Read from the requests list itself, so answered ones leave.
 */
function PendingRequests() {
  const api = useApi();
  const pending = useQuery({
    queryKey: ['follow-requests', 'pending-preview'],
    queryFn: ({ signal }) => api.getPage<Account>('/api/v1/follow_requests', { limit: 40 }, signal),
  });
  const accounts = pending.data?.items ?? [];
  if (accounts.length === 0) return null;
  const more = pending.data?.nextPath ? '+' : '';
  const [first, second] = accounts;
  const who =
    accounts.length === 1 ? displayNameOf(first) : accounts.length === 2 ? `${displayNameOf(first)} and ${displayNameOf(second)}` : `${displayNameOf(first)} and ${formatWhole(accounts.length - 1)}${more} others`;
  return (
    <Link to="/follow-requests" className="pending-requests">
      <span className="notification-avatar notification-avatar-pair" aria-hidden="true">
        <Avatar account={first} size="medium" />
        {second && <Avatar account={second} size="small" />}
      </span>
      <span className="pending-requests-text">
        <span className="pending-requests-title">
          Requests to follow you <span className="pending-requests-count">{`${formatWhole(accounts.length)}${more}`}</span>
        </span>
        <span className="pending-requests-who">{who}</span>
      </span>
    </Link>
  );
}

/**
 * Every row in the window's scroll, virtualised: only the rows on screen (and a few around
 * them) are in the page, so ten thousand notifications scroll like forty.
 */
export function VirtualNotificationList({
  items,
  hasMore,
  isLoadingMore,
  onNearEnd,
}: {
  items: GroupedNotification[];
  hasMore: boolean;
  isLoadingMore: boolean;
  onNearEnd: () => void;
}) {
  const listRef = useRef<HTMLUListElement>(null);
  const [scrollMargin, setScrollMargin] = useState(0);

  // Where the list starts in the page, for the virtualiser's offsets; filters and banners above may move it.
  useLayoutEffect(() => {
    const measure = () => {
      const top = listRef.current ? listRef.current.getBoundingClientRect().top + window.scrollY : 0;
      setScrollMargin((old) => (Math.abs(old - top) > 0.5 ? top : old));
    };
    measure();
    window.addEventListener('resize', measure);
    return () => window.removeEventListener('resize', measure);
  });

  const virtualizer = useWindowVirtualizer({
    count: items.length,
    estimateSize: () => ROW_ESTIMATE,
    overscan: 6,
    scrollMargin,
    getItemKey: (index) => items[index]?.key ?? index,
    // A layout that reports no size (off-screen, or no layout at all) keeps the estimate.
    measureElement: (element) => {
      const height = element.getBoundingClientRect().height;
      return height > 0 ? height : ROW_ESTIMATE;
    },
  });
  const rows = virtualizer.getVirtualItems();
  const lastShown = rows.length > 0 ? rows[rows.length - 1].index : -1;

  useEffect(() => {
    if (hasMore && !isLoadingMore && lastShown >= items.length - 8) onNearEnd();
  }, [hasMore, isLoadingMore, lastShown, items.length, onNearEnd]);

  return (
    <>
      <ul ref={listRef} className="notification-list" style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {rows.map((row) => (
          <NotificationGroupRow
            key={row.key}
            ref={virtualizer.measureElement}
            index={row.index}
            item={items[row.index]}
            style={{ position: 'absolute', top: 0, left: 0, width: '100%', transform: `translateY(${row.start - virtualizer.options.scrollMargin}px)` }}
          />
        ))}
      </ul>
      {isLoadingMore && <Loading label="Loading more notifications…" />}
    </>
  );
}

export function NotificationsPage() {
  useDocumentTitle('Notifications');
  const api = useApi();
  const queryClient = useQueryClient();
  const { markAllSeen } = useUnreadNotifications();
  const [params, setParams] = useSearchParams();
  const asked = params.get('filter');
  const filter: NotificationFilter = FILTERS.some((f) => f.id === asked) ? (asked as NotificationFilter) : 'all';
  const [clearError, setClearError] = useState<unknown>(null);
  const [isClearing, setClearing] = useState(false);
  const tabRefs = useRef<Array<HTMLButtonElement | null>>([]);

  const list = useInfiniteQuery({
    queryKey: ['notifications', 'grouped', filter],
    queryFn: ({ pageParam, signal }) => fetchGroupedPage(api, pageParam, signal),
    initialPageParam: firstPagePath(filter),
    getNextPageParam: (last) => (last.items.length > 0 ? last.nextPath : null) ?? undefined,
    staleTime: 0,
  });
  const items = useMemo(() => {
    // A group can straddle two pages; the first (newest) keeps it.
    const seen = new Set<string>();
    return (list.data?.pages ?? []).flatMap((p) => p.items).filter((item) => (seen.has(item.key) ? false : (seen.add(item.key), true)));
  }, [list.data]);
  const newestId = filter === 'all' ? items[0]?.mostRecentId : undefined;

  // Seeing everything reads it: the marker moves to the newest notification (only the full list knows it).
  useEffect(() => {
    if (!newestId) return;
    markNotificationsRead(api, newestId).then(markAllSeen, () => undefined);
  }, [api, newestId, markAllSeen]);

  const { fetchNextPage, hasNextPage, isFetchingNextPage } = list;
  const loadMore = useMemo(() => () => void fetchNextPage(), [fetchNextPage]);

  const choose = (next: NotificationFilter) => {
    setParams(next === 'all' ? {} : { filter: next }, { replace: true });
  };
  const onTabKey = (event: KeyboardEvent, index: number) => {
    const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (!step) return;
    event.preventDefault();
    const next = (index + step + FILTERS.length) % FILTERS.length;
    choose(FILTERS[next].id);
    tabRefs.current[next]?.focus();
  };

  const clearAll = async () => {
    setClearError(null);
    setClearing(true);
    try {
      await clearNotifications(api);
      queryClient.setQueriesData({ queryKey: ['notifications', 'grouped'] }, (data: typeof list.data) =>
        data ? { ...data, pages: data.pages.slice(0, 1).map((p) => ({ ...p, items: [], nextPath: null })), pageParams: data.pageParams.slice(0, 1) } : data,
      );
      markAllSeen();
    } catch (error) {
      setClearError(error);
    } finally {
      setClearing(false);
    }
  };

  const current = FILTERS.find((f) => f.id === filter)!;
  return (
    <div className="page page-narrow">
      <div className="page-header">
        <h1 className="page-title">Notifications</h1>
        {filter === 'all' && items.length > 0 && (
          <button type="button" className="button button-link" onClick={clearAll} disabled={isClearing}>
            Clear all
          </button>
        )}
      </div>
      <ErrorMessage error={clearError} />
      <PendingRequests />
      <div className="notification-tabs" role="tablist" aria-label="Show">
        {FILTERS.map((f, index) => (
          <button
            key={f.id}
            ref={(el) => {
              tabRefs.current[index] = el;
            }}
            type="button"
            role="tab"
            id={`notification-tab-${f.id}`}
            aria-selected={f.id === filter}
            aria-controls="notification-panel"
            tabIndex={f.id === filter ? 0 : -1}
            className="notification-tab"
            onClick={() => choose(f.id)}
            onKeyDown={(event) => onTabKey(event, index)}
          >
            {f.label}
          </button>
        ))}
      </div>
      <div id="notification-panel" role="tabpanel" aria-labelledby={`notification-tab-${filter}`}>
        {list.status === 'pending' ? (
          <Loading />
        ) : list.status === 'error' ? (
          <LoadError error={list.error} onRetry={() => void list.refetch()} />
        ) : items.length === 0 ? (
          <EmptyState icon={filter === 'requests' ? <PersonAddIcon /> : <HeartIcon />} title={filter === 'all' ? 'No notifications yet' : `No ${current.label.toLowerCase()} yet`}>
            <p>{current.empty}</p>
          </EmptyState>
        ) : (
          <VirtualNotificationList items={items} hasMore={Boolean(hasNextPage)} isLoadingMore={isFetchingNextPage} onNearEnd={loadMore} />
        )}
      </div>
    </div>
  );
}
