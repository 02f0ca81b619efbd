import type { FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify';

/** The one logger's settings: JSON lines from Fastify's pino, request ids included. */
export function loggerOptions(level: string, stream?: NodeJS.WritableStream): FastifyServerOptions['logger'] {
  return {
    level,
    redact: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-csrf-token"]'],
    ...(stream ? { stream } : {}),
  };
}

/** Query parameters whose values are secrets (streaming tokens, OAuth codes and secrets). */
const SECRET_PARAMS = /^(access_token|token|code|client_secret|refresh_token|password|state)$/i;
/** Route parameters whose values are secrets (a password reset's token): the route's pattern is logged instead. */
const SECRET_ROUTE_PARAM = /token|secret|code/i;

/**
 * The one line logged per answered request: method, path, route pattern, status, time and the
 * client's address (the real one behind a trusted proxy). Secrets never reach it: headers are
 * not logged, secret query values are replaced, and a path whose parameters hold a secret is
 * logged as its route's pattern.
 */
export function requestLogLine(request: FastifyRequest, reply: FastifyReply): Record<string, unknown> {
  const route = request.routeOptions.url;
  const params = Object.keys((request.params ?? {}) as Record<string, unknown>);
  const [pathname, query] = request.url.split('?', 2) as [string, string | undefined];
  const shownPath = route && params.some((p) => SECRET_ROUTE_PARAM.test(p)) ? route : pathname;
  let url = shownPath;
  if (query !== undefined) {
    const search = new URLSearchParams(query);
    for (const key of [...search.keys()]) if (SECRET_PARAMS.test(key)) search.set(key, '[redacted]');
    url += `?${search.toString()}`;
  }
  return { method: request.method, url, route: route ?? null, status: reply.statusCode, ms: Math.round(reply.elapsedTime * 10) / 10, ip: request.ip };
}
