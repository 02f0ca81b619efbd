import type { FastifyInstance, FastifyRequest } from 'fastify';

/**
 * Cross-origin requests, as Mastodon allows them: any site may call the client API with a
 * bearer token, never with the visitor's cookies.
 *
 * - `Access-Control-Allow-Origin: *` on the paths apps call from other sites: `/api/*`, the
 *   OAuth token and revoke endpoints, `/.well-known/*` and `/nodeinfo/*` (never on the web
 *   client's pages, the consent page or media files). Set when the request arrives, so rate
 *   limit refusals, errors and 404s carry it too and a script can read why it failed.
 * - `OPTIONS` on those paths is a preflight, answered 204 before anything else runs (no rate
 *   limit, no authentication).
 * - Never `Access-Control-Allow-Credentials`: with a wildcard origin, a browser sends no
 *   cookies and lets no script read a credentialed answer. On top of that, authentication
 *   ignores the session cookie of a request whose `Origin` is another site (`isCrossOrigin`).
 */
export const CORS_ALLOW_METHODS = 'GET, POST, PUT, PATCH, DELETE';
/**
 * The headers clients send (masto: Authorization, Content-Type; web clients add
 * Idempotency-Key). `*` admits any other header for requests without credentials, as
 * Mastodon's "any header"; `Authorization` is never covered by `*`, so it is named.
 */
export const CORS_ALLOW_HEADERS = 'Authorization, Content-Type, Idempotency-Key, *';
/** Paging links and the rate-limit headers @fastify/rate-limit sends. */
export const CORS_EXPOSE_HEADERS = 'Link, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset, Retry-After';
/** Two hours, as long as Chromium keeps a preflight anyway. */
export const CORS_MAX_AGE_SECONDS = 7200;

const PREFIXES = ['/api/', '/.well-known/', '/nodeinfo/'];
const EXACT = new Set(['/oauth/token', '/oauth/revoke']);

/** Whether a request URL (path and query) is one other sites may call. */
export function isCorsPath(url: string): boolean {
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  if (PREFIXES.some((p) => path.startsWith(p))) return true;
  return EXACT.has(path.endsWith('/') ? path.slice(0, -1) : path);
}

/**
 * A request that says it comes from a page of another origin. Browsers send `Origin` on
 * every cross-origin fetch (and on same-origin writes); a same-origin GET may come without
 * one. An opaque origin (`null`) is another origin.
 */
export function isCrossOrigin(request: FastifyRequest, publicOrigin: string): boolean {
  const origin = request.headers.origin;
  return origin !== undefined && origin !== publicOrigin;
}

export function registerCors(app: FastifyInstance): void {
  app.addHook('onRequest', async (request, reply) => {
    if (!isCorsPath(request.url)) return;
    reply.header('Access-Control-Allow-Origin', '*');
    reply.header('Access-Control-Expose-Headers', CORS_EXPOSE_HEADERS);
    if (request.method !== 'OPTIONS') return;
    reply.header('Access-Control-Allow-Methods', CORS_ALLOW_METHODS);
    reply.header('Access-Control-Allow-Headers', CORS_ALLOW_HEADERS);
    reply.header('Access-Control-Max-Age', String(CORS_MAX_AGE_SECONDS));
    return reply.code(204).send();
  });
}
