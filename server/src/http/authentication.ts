import crypto from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AuthService } from '../domain/auth/auth-service.ts';
import { hasScope } from '../domain/auth/scopes.ts';
import { AppError, unauthorized } from '../errors.ts';

export const SESSION_COOKIE = 'glimpse_session';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The CSRF token of a web session: derived from the session token, so nothing is stored. */
export function csrfTokenFor(secret: string, sessionToken: string): string {
  return crypto.createHmac('sha256', secret).update(`csrf:${sessionToken}`).digest('base64url');
}

export function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    return match?.[1];
  }
  return undefined;
}

/**
 * Resolves the caller (bearer token, or the web client's session cookie with its CSRF header
 * on writes) and enforces each route's declared auth and scope.
 */
export function registerAuthentication(app: FastifyInstance, auth: AuthService, secret: string): void {
  app.decorateRequest('principal', undefined);
  app.decorateRequest('viewer', undefined);

  app.addHook('preHandler', async (request) => {
    const config = request.routeOptions.config ?? {};
    const mode = config.auth ?? 'none';
    if (mode === 'none') return;

    const bearer = bearerToken(request);
    const cookie = request.cookies?.[SESSION_COOKIE];
    if (request.headers.authorization && !bearer) throw unauthorized();
    if (bearer) {
      request.principal = await auth.authenticate(bearer, 'oauth');
    } else if (cookie) {
      try {
        request.principal = await auth.authenticate(cookie, 'session');
      } catch (error) {
        // A stale cookie on a page that works signed out is ignored, not an error.
        if (mode !== 'optional') throw error;
      }
      if (request.principal && !SAFE_METHODS.has(request.method)) {
        const sent = request.headers['x-csrf-token'];
        const expected = csrfTokenFor(secret, cookie);
        if (typeof sent !== 'string' || sent.length !== expected.length || !crypto.timingSafeEqual(Buffer.from(sent), Buffer.from(expected))) {
          throw new AppError(403, 'Invalid CSRF token');
        }
      }
    }
    request.viewer = request.principal?.viewer;

    if (!request.principal) {
      if (mode === 'optional') return;
      throw unauthorized('The access token is invalid');
    }
    if (mode === 'user' && !request.viewer) throw new AppError(422, 'This method requires an authenticated user');
    if (config.scope && !hasScope(request.principal.scopes, config.scope)) {
      throw new AppError(403, 'This action is outside the authorized scopes');
    }
  });
}
