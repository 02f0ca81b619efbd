import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services.ts';
import type { NotificationRow } from '../../domain/notifications/notification.ts';
import { idParam, intish, parseInput, stringList, text, z } from '../input.ts';
import { parsePaging, setLinkHeader } from '../paging.ts';
import { requireViewer } from '../route-config.ts';
import { presentNotificationRows } from './presenters/notification-page.ts';
import type { Viewer } from '../../access/viewer-context.ts';
import { notFound } from '../../errors.ts';

// Schemas are built once: zod compiles each on first use, which is costly per request.
const limitQuery = z.object({ limit: intish(1, 1000).optional() }).passthrough();
const timelineQuery = z.object({ timeline: stringList(2, 20).optional() }).passthrough();

const listSchema = z.object({
  types: stringList(30, 40).optional(),
  exclude_types: stringList(30, 40).optional(),
  account_id: text(32).optional(),
}).passthrough();

const markerTimelines = z.enum(['home', 'notifications']);

export function registerNotificationRoutes(app: FastifyInstance, services: Services): void {
  const { config } = services;
  const present = (rows: NotificationRow[], viewer: Viewer) => presentNotificationRows(services, viewer, rows);

  app.get('/api/v1/notifications', { config: { auth: 'user', scope: 'read:notifications' } }, async (request, reply) => {
    const q = parseInput(listSchema, request.query);
    const paging = parsePaging(request.query, 40, 80);
    const rows = await services.notifications.list(requireViewer(request.viewer), {
      ...paging,
      types: q.types,
      excludeTypes: q.exclude_types,
      accountId: q.account_id,
    });
    setLinkHeader(request, reply, config.publicUrl, rows.map((r) => r.id), paging.limit);
    return present(rows, requireViewer(request.viewer));
  });

  app.get('/api/v1/notifications/unread_count', { config: { auth: 'user', scope: 'read:notifications' } }, async (request) => {
    const q = parseInput(limitQuery, request.query);
    return { count: await services.notifications.unreadCount(requireViewer(request.viewer), q.limit ?? 100) };
  });

  app.post('/api/v1/notifications/clear', { config: { auth: 'user', scope: 'write:notifications' } }, async (request) => {
    await services.notifications.clear(requireViewer(request.viewer));
    return {};
  });

  app.get('/api/v1/notifications/:id', { config: { auth: 'user', scope: 'read:notifications' } }, async (request) => {
    const { id } = parseInput(idParam, request.params);
    const viewer = requireViewer(request.viewer);
    const [presented] = await present([await services.notifications.get(viewer, id)], viewer);
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
