import crypto from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import { notFound } from '../errors.ts';

const digest = (value: string) => crypto.createHash('sha256').update(value).digest();

/**
 * GET /metrics in Prometheus's text format, only with `Authorization: Bearer <GLIMPSE_METRICS_TOKEN>`;
 * without a configured token, or with a wrong one, it answers the same 404 as any missing page.
 */
export function registerMetricsRoute(app: FastifyInstance, token: string, registry: Registry): void {
  const expected = token ? digest(token) : undefined;
  app.get('/metrics', { config: { auth: 'none' } }, async (request, reply) => {
    const given = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    if (!expected || given === undefined || !crypto.timingSafeEqual(digest(given), expected)) throw notFound();
    reply.header('content-type', registry.contentType);
    return registry.metrics();
  });
}
