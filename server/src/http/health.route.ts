import type { FastifyInstance } from 'fastify';
import { checkReadiness, type ReadinessSources } from '../infra/health/readiness.ts';

/**
 * Probes for a load balancer or an orchestrator, open to anyone and outside the API's rate
 * limits (they are not under /api):
 * - GET /livez: the process runs and its event loop turns; it reads nothing, so a restart is
 *   never triggered by a slow database;
 * - GET /readyz: whether to send it traffic (infra/health/readiness.ts): 200 with each check,
 *   or 503 naming the ones that failed.
 * Neither answer holds a secret, a host name or a count of users.
 */
export function registerHealthRoutes(app: FastifyInstance, sources: ReadinessSources): void {
  app.get('/livez', { config: { auth: 'none' } }, async (_request, reply) => {
    reply.header('cache-control', 'no-store');
    return { status: 'ok' };
  });

  app.get('/readyz', { config: { auth: 'none' } }, async (_request, reply) => {
    const { ready, checks } = await checkReadiness(sources);
    reply.header('cache-control', 'no-store');
    if (ready) return { status: 'ok', checks };
    const failed = Object.entries(checks).filter(([, c]) => !c.ok).map(([name]) => name);
    reply.status(503);
    return { error: `Not ready: ${failed.join(', ')}`, checks };
  });
}
