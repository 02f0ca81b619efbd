import type { Principal } from '../domain/auth/auth-service.ts';
import type { Viewer } from '../access/viewer-context.ts';

/**
 * Every route states who may call it. `auth: 'user'` needs a token bound to an account,
 * `'app'` any valid token (app-level tokens too), `'optional'` reads a token if present,
 * `'none'` ignores it. `scope` is checked for every authenticated call: a token without it
 * gets 403. A test walks the route table and fails on any /api route without a declaration.
 */
export interface GlimpseRouteConfig {
  auth?: 'user' | 'app' | 'optional' | 'none';
  scope?: string;
  /** Accept a token whose account's e-mail awaits confirmation (mail on); only for resending the link. */
  allowUnconfirmed?: boolean;
}

declare module 'fastify' {
  interface FastifyContextConfig extends GlimpseRouteConfig {}
  interface FastifyRequest {
    principal: Principal | undefined;
    /** The signed-in account, when there is one. */
    viewer: Viewer | undefined;
  }
}

export function requireViewer(viewer: Viewer | undefined): Viewer {
  if (!viewer) throw new Error('route declared auth: user but has no viewer');
  return viewer;
}
