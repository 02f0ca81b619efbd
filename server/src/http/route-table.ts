import type { FastifyInstance } from 'fastify';
import type { GlimpseRouteConfig } from './route-config.ts';

/** One registered route as the route-table test sees it. */
export interface RouteRecord {
  method: string;
  url: string;
  config: GlimpseRouteConfig;
}

const tables = new WeakMap<FastifyInstance, RouteRecord[]>();

/**
 * Records every route registered from here on, with its declared auth and scope, so a test can
 * walk the whole table. Call before any route is registered.
 */
export function recordRoutes(app: FastifyInstance): void {
  const table: RouteRecord[] = [];
  tables.set(app, table);
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const config = (route.config ?? {}) as GlimpseRouteConfig;
    for (const method of methods) table.push({ method: String(method), url: route.url ?? route.path, config: { auth: config.auth, scope: config.scope } });
  });
}

/** The routes recorded for an app (empty if recordRoutes was not called). */
export function routesOf(app: FastifyInstance): readonly RouteRecord[] {
  return tables.get(app) ?? [];
}
