import crypto from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AuthService, Principal } from '../domain/auth/auth-service.ts';
import { hasScope } from '../domain/auth/scopes.ts';
import { AppError, unauthorized } from '../errors.ts';
import { isCrossOrigin } from './cors.ts';

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

/** Who sent a request: resolved once per request, for the rate limits and for each route's auth check. */
export interface Caller {
  /** The valid token's or session's principal; undefined when anonymous or the credentials are not valid. */
  principal: Principal | undefined;
  /** Which credentials were sent. */
  via: 'bearer' | 'cookie' | undefined;
  /** Why credentials that were sent are not valid (unknown, revoked, suspended, pending approval). */
  refused: AppError | undefined;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The caller, looked up on first use and remembered for the rest of the request. */
    caller(): Promise<Caller>;
  }
}

async function resolveCaller(auth: AuthService, request: FastifyRequest, publicOrigin: string): Promise<Caller> {
  // With an Authorization header, only a bearer token there counts (a cookie is not consulted).
  // A request from another site's page never uses the session cookie (only a bearer token
  // works cross-origin), whatever the browser sent along.
  const bearer = bearerToken(request);
  const cookie = request.headers.authorization || isCrossOrigin(request, publicOrigin) ? undefined : request.cookies?.[SESSION_COOKIE];
  const via = bearer ? 'bearer' : cookie ? 'cookie' : undefined;
  if (!via) return { principal: undefined, via, refused: undefined };
  try {
    const allowUnconfirmed = request.routeOptions.config?.allowUnconfirmed === true;
    const principal = await auth.authenticate((bearer ?? cookie)!, via === 'bearer' ? 'oauth' : 'session', { allowUnconfirmed });
    return { principal, via, refused: undefined };
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return { principal: undefined, via, refused: error };
  }
}

/**
 * Resolves the caller (bearer token, or the web client's session cookie with its CSRF header
 * on writes) and enforces each route's declared auth and scope. The lookup is shared with the
 * rate limits, which key on the same caller before the body is read.
 */
export function registerAuthentication(
  app: FastifyInstance,
  auth: AuthService,
  secret: string,
  publicUrl: string,
  /** The refusal for an address under a no_access IP block (domain/admin/ip-blocks.ts), matched in memory. */
  noAccessRefusal?: (ip: string) => Promise<AppError | undefined>,
): void {
  const publicOrigin = new URL(publicUrl).origin;
  app.decorateRequest('principal', undefined);
  app.decorateRequest('viewer', undefined);
  const callers = new WeakMap<FastifyRequest, Promise<Caller>>();
  app.decorateRequest('caller', function (this: FastifyRequest): Promise<Caller> {
    let caller = callers.get(this);
    if (!caller) {
      caller = resolveCaller(auth, this, publicOrigin);
      callers.set(this, caller);
    }
    return caller;
  });

  app.addHook('preHandler', async (request) => {
    const config = request.routeOptions.config ?? {};
    const mode = config.auth ?? 'none';
    if (mode === 'none') return;

    if (request.headers.authorization && !bearerToken(request)) throw unauthorized();
    const caller = await request.caller();
    // A stale cookie on a page that works signed out is ignored, not an error; a bad token is.
    if (caller.refused && (caller.via === 'bearer' || mode !== 'optional')) throw caller.refused;
    request.principal = caller.principal;
    // Every authenticated request from a no_access address is refused, whatever its credentials.
    if (request.principal && noAccessRefusal) {
      const refusal = await noAccessRefusal(request.ip);
      if (refusal) throw refusal;
    }
    if (caller.via === 'cookie' && request.principal && !SAFE_METHODS.has(request.method)) {
      const sent = request.headers['x-csrf-token'];
      const expected = csrfTokenFor(secret, request.cookies[SESSION_COOKIE]!);
      if (typeof sent !== 'string' || sent.length !== expected.length || !crypto.timingSafeEqual(Buffer.from(sent), Buffer.from(expected))) {
        throw new AppError(403, 'Invalid CSRF token');
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
