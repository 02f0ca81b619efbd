import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services.ts';
import { boolish, idParam, intish, parseInput, stringList, text, z } from '../input.ts';
import { requireViewer } from '../route-config.ts';
import { presentAccount } from './presenters/account.presenter.ts';
import { presentStatus } from './presenters/status.presenter.ts';

// Schemas are built once: zod compiles each on first use, which is costly per request.
const resolvedLimitMaxIdQuery = z.object({ resolved: boolish.optional(), limit: intish(1, 100).optional(), max_id: text(32).optional() });
const actionBody = z.object({ action: z.enum(['dismiss', 'hide', 'suspend']) });

const reportSchema = z.object({
  account_id: text(32),
  status_ids: stringList(20, 32).optional(),
  comment: text(1000).optional(),
  category: z.enum(['spam', 'legal', 'violation', 'other']).optional(),
  rule_ids: stringList(20, 32).optional(),
  forward: boolish.optional(),
});

/** Reports (Mastodon's POST /api/v1/reports) and the admins' moderation queue. */
export function registerReportRoutes(app: FastifyInstance, services: Services): void {
  const ctx = { ...services.config, mediaUrls: services.mediaUrls };

  app.post('/api/v1/reports', { config: { auth: 'user', scope: 'write:reports' } }, async (request) => {
    const input = parseInput(reportSchema, request.body);
    const { report, target } = await services.moderation.report(requireViewer(request.viewer), {
      accountId: input.account_id,
      statusIds: input.status_ids ?? [],
      comment: input.comment ?? '',
      category: input.category ?? 'other',
      forward: input.forward ?? false,
    });
    return {
      id: report.id,
      action_taken: false,
      action_taken_at: null,
      category: report.category,
      comment: report.comment,
      forwarded: Boolean(report.forward),
      created_at: report.created_at,
      status_ids: JSON.parse(report.status_ids),
      rule_ids: [],
      target_account: presentAccount(services.config, target),
    };
  });

  app.get('/api/glimpse/v1/admin/reports', { config: { auth: 'user', scope: 'admin:read' } }, async (request) => {
    const q = parseInput(resolvedLimitMaxIdQuery, request.query);
    const queue = await services.moderation.reportQueue(requireViewer(request.viewer), !q.resolved, q.limit ?? 40, q.max_id);
    return queue.rows.map((r) => ({
      id: r.id,
      category: r.category,
      comment: r.comment,
      created_at: r.created_at,
      action_taken: r.action_taken,
      action_taken_at: r.action_taken_at,
      account: queue.accounts.get(r.account_id) ? presentAccount(services.config, queue.accounts.get(r.account_id)!) : null,
      target_account: queue.accounts.get(r.target_account_id) ? presentAccount(services.config, queue.accounts.get(r.target_account_id)!) : null,
      statuses: (JSON.parse(r.status_ids) as string[]).flatMap((id) => (queue.statuses.get(id) ? [presentStatus(ctx, queue.statuses.get(id)!)] : [])),
    }));
  });

  app.post('/api/glimpse/v1/admin/reports/:id/resolve', { config: { auth: 'user', scope: 'admin:write' } }, async (request) => {
    const { id } = parseInput(idParam, request.params);
    const body = parseInput(actionBody, request.body);
    await services.moderation.resolveReport(requireViewer(request.viewer), id, body.action);
    return { id, action_taken: body.action };
  });
}
