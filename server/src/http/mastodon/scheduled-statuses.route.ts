import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Services } from '../../services.ts';
import { type CreateStatusBody, postInputOf } from './status-input.ts';
import { idParam, parseInput, z } from '../input.ts';
import { parsePaging, setLinkHeader } from '../paging.ts';
import { requireViewer } from '../route-config.ts';
import { presentScheduledStatus } from './presenters/scheduled-status.presenter.ts';

// Built once: zod compiles a schema on first use.
const rescheduleSchema = z.object({ scheduled_at: z.string().max(64) }).passthrough();

/** The parsed body of `POST /api/v1/statuses` that this file reads. */
export type ScheduleRequestBody = CreateStatusBody;

/**
 * `POST /api/v1/statuses` with `scheduled_at`: the same input as an immediate post, checked the
 * same way, answered with a ScheduledStatus instead of a Status.
 */
export async function scheduleStatus(services: Services, request: FastifyRequest, input: ScheduleRequestBody) {
  const post = postInputOf(request, input);
  const scheduled = await services.scheduled.schedule(requireViewer(request.viewer), post, input.scheduled_at, request.principal?.appId ?? null);
  return presentScheduledStatus(services.mediaUrls, scheduled);
}

/** Mastodon's /api/v1/scheduled_statuses: the caller's own only (anyone else's is 404). */
export function registerScheduledStatusRoutes(app: FastifyInstance, services: Services): void {
  const read = { auth: 'user', scope: 'read:statuses' } as const;
  const write = { auth: 'user', scope: 'write:statuses' } as const;
  const present = (s: Parameters<typeof presentScheduledStatus>[1]) => presentScheduledStatus(services.mediaUrls, s);

  app.get('/api/v1/scheduled_statuses', { config: read }, async (request, reply) => {
    const paging = parsePaging(request.query, 20, 40);
    const page = await services.scheduled.list(requireViewer(request.viewer), paging);
    setLinkHeader(request, reply, services.config.publicUrl, page.map((s) => s.row.id), paging.limit);
    return page.map(present);
  });

  app.get('/api/v1/scheduled_statuses/:id', { config: read }, async (request) => {
    const { id } = parseInput(idParam, request.params);
    return present(await services.scheduled.get(requireViewer(request.viewer), id));
  });

  app.put('/api/v1/scheduled_statuses/:id', { config: write }, async (request) => {
    const { id } = parseInput(idParam, request.params);
    const input = parseInput(rescheduleSchema, request.body ?? {});
    return present(await services.scheduled.reschedule(requireViewer(request.viewer), id, input.scheduled_at));
  });

  app.delete('/api/v1/scheduled_statuses/:id', { config: write }, async (request) => {
    const { id } = parseInput(idParam, request.params);
    await services.scheduled.cancel(requireViewer(request.viewer), id);
    return {};
  });
}
