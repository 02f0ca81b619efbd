import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Services } from '../../services.ts';
import { GROUPED_TYPES, type NotificationApi } from '../../domain/notifications/notification.ts';
import type { NotificationFilter } from '../../domain/notifications/notification-service.ts';
import type { RequestRow } from '../../domain/notifications/notification-repository.ts';
import { presentAccount } from './presenters/account.presenter.ts';
import { boolish, countLimitQuery, idParam, intish, parseInput, stringList, text, z } from '../input.ts';
import { parsePaging, setLinkHeader } from '../paging.ts';
import { requireViewer } from '../route-config.ts';
import { presentNotificationRows } from './presenters/notification-page.ts';
import type { Viewer } from '../../access/viewer-context.ts';
import { notFound } from '../../errors.ts';
import type { GroupedNotificationsResults, Status } from './entities.ts';
import { presentStatus } from './presenters/status.presenter.ts';

// Schemas are built once: zod compiles each on first use, which is costly per request.
const timelineQuery = z.object({ timeline: stringList(2, 20).optional() }).passthrough();

const listSchema = z.object({
  types: stringList(30, 40).optional(),
  exclude_types: stringList(30, 40).optional(),
  account_id: text(32).optional(),
  include_filtered: boolish.optional(),
}).passthrough();

const groupedSchema = z.object({
  grouped_types: stringList(30, 40).optional(),
  expand_accounts: z.enum(['full', 'partial_avatars']).optional(),
}).passthrough();

const groupKeyParam = z.object({ group_key: text(200) });
const policyValue = z.enum(['accept', 'filter', 'drop']);
const policySchema = z.object({
  for_not_following: policyValue.optional(),
  for_not_followers: policyValue.optional(),
  for_new_accounts: policyValue.optional(),
  for_private_mentions: policyValue.optional(),
  for_limited_accounts: policyValue.optional(),
}).passthrough();
const requestIdsSchema = z.object({ id: stringList(80, 32).optional() }).passthrough();

const markerTimelines = z.enum(['home', 'notifications']);

export function registerNotificationRoutes(app: FastifyInstance, services: Services): void {
  const { config } = services;
  const ctx = { ...config, mediaUrls: services.mediaUrls };
  const filterOf = (api: NotificationApi, query: unknown): NotificationFilter => {
    const q = parseInput(listSchema, query);
    return { api, types: q.types, excludeTypes: q.exclude_types, accountId: q.account_id, includeFiltered: q.include_filtered };
  };

  /** The v1 list, as the Mastodon API (Mastodon's types) or the Glimpse API (every type) reads it. */
  const listRoute = (api: NotificationApi) => async (request: FastifyRequest, reply: FastifyReply) => {
    const paging = parsePaging(request.query, 40, 80);
    const viewer = requireViewer(request.viewer);
    const rows = await services.notifications.list(viewer, filterOf(api, request.query), paging);
    setLinkHeader(request, reply, config.publicUrl, rows.map((r) => r.id), paging.limit);
    return presentNotificationRows(services, viewer, rows, api);
  };
  const unreadRoute = (api: NotificationApi, grouped: boolean) => async (request: FastifyRequest) => {
    const q = parseInput(countLimitQuery, request.query);
    const g = parseInput(groupedSchema, request.query);
    const count = await services.notifications.unreadCount(requireViewer(request.viewer), filterOf(api, request.query), q.limit ?? 100, grouped ? (g.grouped_types ?? [...GROUPED_TYPES]) : undefined);
    return { count };
  };
  const read = { config: { auth: 'user', scope: 'read:notifications' } } as const;
  const write = { config: { auth: 'user', scope: 'write:notifications' } } as const;

  app.get('/api/v1/notifications', read, listRoute('mastodon'));
  app.get('/api/glimpse/v1/notifications', read, listRoute('glimpse'));
  app.get('/api/v1/notifications/unread_count', read, unreadRoute('mastodon', false));
  app.get('/api/glimpse/v1/notifications/unread_count', read, unreadRoute('glimpse', false));
  app.get('/api/v2/notifications/unread_count', read, unreadRoute('mastodon', true));

  app.post('/api/v1/notifications/clear', write, async (request) => {
    await services.notifications.clear(requireViewer(request.viewer));
    return {};
  });

  // Notification requests: filtered notifications, one request per sender.
  const presentRequests = async (viewer: Viewer, rows: RequestRow[]) => {
    const accounts = await services.repositories.accounts.findByIds(rows.map((r) => r.from_account_id));
    return rows.flatMap((r) => {
      const account = accounts.get(r.from_account_id);
      return account ? [{ id: r.id, created_at: r.created_at, updated_at: r.updated_at, account: presentAccount(ctx, account), notifications_count: String(r.count), last_status: null }] : [];
    });
  };
  app.get('/api/v1/notifications/requests', read, async (request, reply) => {
    const paging = parsePaging(request.query, 40, 80);
    const viewer = requireViewer(request.viewer);
    const rows = await services.notifications.requests(viewer, paging);
    setLinkHeader(request, reply, config.publicUrl, rows.map((r) => r.id), paging.limit);
    return presentRequests(viewer, rows);
  });
  // Accepting merges at once, so merging is always done.
  app.get('/api/v1/notifications/requests/merged', read, async () => ({ merged: true }));
  for (const answer of ['accept', 'dismiss'] as const) {
    app.post(`/api/v1/notifications/requests/${answer}`, write, async (request) => {
      const { id } = parseInput(requestIdsSchema, request.body ?? {});
      await services.notifications.answerRequests(requireViewer(request.viewer), id ?? [], answer);
      return {};
    });
    app.post(`/api/v1/notifications/requests/:id/${answer}`, write, async (request) => {
      const { id } = parseInput(idParam, request.params);
      await services.notifications.answerRequests(requireViewer(request.viewer), [id], answer, true);
      return {};
    });
  }
  app.get('/api/v1/notifications/requests/:id', read, async (request) => {
    const { id } = parseInput(idParam, request.params);
    const viewer = requireViewer(request.viewer);
    const [presented] = await presentRequests(viewer, [await services.notifications.request(viewer, id)]);
    if (!presented) throw notFound();
    return presented;
  });

  const presentPolicy = ({ policy, summary }: Awaited<ReturnType<Services['notifications']['policy']>>) => ({
    ...policy,
    summary: { pending_requests_count: summary.requests, pending_notifications_count: summary.notifications },
  });
  app.get('/api/v2/notifications/policy', read, async (request) => presentPolicy(await services.notifications.policy(requireViewer(request.viewer))));
  // PATCH as documented; PUT too, as Mastodon's routes accept both (masto sends PUT).
  const updatePolicy = async (request: FastifyRequest) => {
    const change = parseInput(policySchema, request.body ?? {});
    const { for_not_following, for_not_followers, for_new_accounts, for_private_mentions, for_limited_accounts } = change;
    const defined = Object.fromEntries(Object.entries({ for_not_following, for_not_followers, for_new_accounts, for_private_mentions, for_limited_accounts }).filter(([, v]) => v !== undefined));
    return presentPolicy(await services.notifications.updatePolicy(requireViewer(request.viewer), defined));
  };
  app.patch('/api/v2/notifications/policy', write, updatePolicy);
  app.put('/api/v2/notifications/policy', write, updatePolicy);

  // Grouped notifications (Mastodon 4.3).
  type Group = Awaited<ReturnType<Services['notifications']['group']>>;
  const presentGroups = async (viewer: Viewer, groups: Group[], expand: 'full' | 'partial_avatars', withPage: boolean): Promise<GroupedNotificationsResults> => {
    const rows = groups.map((g) => g.row);
    const presented = await presentNotificationRows(services, viewer, rows, 'mastodon');
    const shown = new Map(presented.map((n) => [n.id, n]));
    const kept = groups.filter((g) => shown.has(g.row.id));
    const accountIds = [...new Set(kept.flatMap((g) => g.sample_account_ids))];
    const accounts = await services.repositories.accounts.findByIds(accountIds);
    // With partial_avatars, only each group's most recent account comes in full.
    const fullIds = new Set(expand === 'full' ? accountIds : kept.map((g) => g.sample_account_ids[0]));
    const presentedAccounts = accountIds.flatMap((id) => { const a = accounts.get(id); return a ? [presentAccount(ctx, a)] : []; });
    const statuses = new Map<string, Status>();
    for (const n of presented) if (n.status) statuses.set(n.status.id, n.status);
    // The posts the page's comments are on, in one batch: a row shows its post's photo.
    const parentIds = [...new Set([...statuses.values()].flatMap((st) => (st.glimpse.post_id && !statuses.has(st.glimpse.post_id) ? [st.glimpse.post_id] : [])))];
    if (parentIds.length) for (const p of await services.hydrator.hydrate(viewer, parentIds)) statuses.set(p.status.id, presentStatus(ctx, p));
    return {
      accounts: presentedAccounts.filter((a) => fullIds.has(a.id)),
      ...(expand === 'partial_avatars'
        ? { partial_accounts: presentedAccounts.filter((a) => !fullIds.has(a.id)).map(({ id, acct, url, avatar, avatar_static, locked, bot }) => ({ id, acct, url, avatar, avatar_static, locked, bot })) }
        : {}),
      statuses: [...statuses.values()],
      notification_groups: kept.map((g) => {
        const n = shown.get(g.row.id)!;
        return {
          group_key: g.group_key,
          notifications_count: g.notifications_count,
          type: n.type,
          most_recent_notification_id: g.row.id,
          ...(withPage ? { page_min_id: g.page_min_id, page_max_id: g.page_max_id, latest_page_notification_at: g.row.created_at } : {}),
          sample_account_ids: g.sample_account_ids.filter((id) => accounts.has(id)),
          ...(n.status ? { status_id: n.status.id } : {}),
          ...(n.story !== undefined || n.story_response !== undefined ? { glimpse: { story: n.story ?? null, story_response: n.story_response ?? null } } : {}),
        };
      }),
    };
  };

  app.get('/api/v2/notifications', read, async (request, reply) => {
    const paging = parsePaging(request.query, 40, 80);
    const g = parseInput(groupedSchema, request.query);
    const viewer = requireViewer(request.viewer);
    const groups = await services.notifications.groups(viewer, filterOf('mastodon', request.query), paging, g.grouped_types ?? [...GROUPED_TYPES]);
    // Pages by each group's newest notification in the page, as Mastodon does.
    setLinkHeader(request, reply, config.publicUrl, groups.map((x) => x.row.id), paging.limit);
    return presentGroups(viewer, groups, g.expand_accounts ?? 'full', true);
  });
  app.get('/api/v2/notifications/:group_key', read, async (request) => {
    const { group_key } = parseInput(groupKeyParam, request.params);
    const viewer = requireViewer(request.viewer);
    const result = await presentGroups(viewer, [await services.notifications.group(viewer, filterOf('mastodon', {}), group_key)], 'full', false);
    if (result.notification_groups.length === 0) throw notFound();
    return result;
  });
  app.get('/api/v2/notifications/:group_key/accounts', read, async (request) => {
    const { group_key } = parseInput(groupKeyParam, request.params);
    const q = parseInput(countLimitQuery, request.query);
    const viewer = requireViewer(request.viewer);
    const ids = await services.notifications.groupAccounts(viewer, filterOf('mastodon', {}), group_key, Math.min(q.limit ?? 40, 80));
    const accounts = await services.repositories.accounts.findByIds(ids);
    return ids.flatMap((id) => { const a = accounts.get(id); return a ? [presentAccount(ctx, a)] : []; });
  });
  app.post('/api/v2/notifications/:group_key/dismiss', write, async (request) => {
    const { group_key } = parseInput(groupKeyParam, request.params);
    await services.notifications.dismissGroup(requireViewer(request.viewer), group_key);
    return {};
  });

  app.get('/api/v1/notifications/:id', read, async (request) => {
    const { id } = parseInput(idParam, request.params);
    const viewer = requireViewer(request.viewer);
    const [presented] = await presentNotificationRows(services, viewer, [await services.notifications.get(viewer, id, 'mastodon')], 'mastodon');
    if (!presented) throw notFound();
    return presented;
  });

  app.post('/api/v1/notifications/:id/dismiss', { config: { auth: 'user', scope: 'write:notifications' } }, async (request) => {
    const { id } = parseInput(idParam, request.params);
    await services.notifications.dismiss(requireViewer(request.viewer), id);
    return {};
  });

  app.get('/api/v1/markers', { config: { auth: 'user', scope: 'read:statuses' } }, async (request) => {
    const q = parseInput(timelineQuery, request.query);
    const timelines = (q.timeline ?? []).filter((t) => markerTimelines.safeParse(t).success);
    const rows = await services.notifications.getMarkers(requireViewer(request.viewer), timelines);
    return Object.fromEntries(rows.map((r) => [r.timeline, { last_read_id: r.last_read_id, version: r.version, updated_at: r.updated_at }]));
  });

  app.post('/api/v1/markers', { config: { auth: 'user', scope: 'write:statuses' } }, async (request) => {
    const body = parseInput(
      z.object({
        home: z.object({ last_read_id: text(32) }).optional(),
        notifications: z.object({ last_read_id: text(32) }).optional(),
      }).passthrough(),
      request.body,
    );
    const viewer = requireViewer(request.viewer);
    for (const timeline of ['home', 'notifications'] as const) {
      const marker = body[timeline];
      if (marker) await services.notifications.setMarker(viewer, timeline, marker.last_read_id);
    }
    const rows = await services.notifications.getMarkers(viewer, ['home', 'notifications'].filter((t) => body[t as 'home']));
    return Object.fromEntries(rows.map((r) => [r.timeline, { last_read_id: r.last_read_id, version: r.version, updated_at: r.updated_at }]));
  });
}
