import type { FastifyInstance, FastifyRequest } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import type { Config } from '../config.ts';
import { RateLimit, type RateLimitStore, fastifyRateLimitStore } from '../infra/rate-limit/rate-limit-store.ts';

/**
 * Rate limits, all counted in one `RateLimitStore` (in memory, or Redis shared by every process
 * when GLIMPSE_REDIS_URL is set). Addresses are the socket's unless GLIMPSE_TRUST_PROXY names the proxy (so a
 * spoofed X-Forwarded-For changes nothing).
 *
 * - The general API limit (@fastify/rate-limit, one budget across every route it covers) is
 *   keyed on who is really asking, resolved once per request by `request.caller()`: a
 *   signed-in account (all its tokens and web sessions together), an app-only token's app, or
 *   else the peer address. A token or cookie that is not valid counts as anonymous, so made-up
 *   tokens buy no fresh budget. It covers /api/ (not the streaming upgrade) and the OAuth
 *   token and revoke endpoints.
 * - Log-in and registration are each one bucket per address shared by every route that offers
 *   them (the web client's form, the OAuth consent page, the Mastodon registration endpoint):
 *   a second door to the same check gives no second budget. Routes with one of these are not
 *   counted by the general limit as well.
 */
export type LimitName = 'login' | 'registration';

const WINDOW_MS: Record<LimitName, number> = { login: 5 * 60 * 1000, registration: 30 * 60 * 1000 };
const API_WINDOW_MS = 5 * 60 * 1000;
const OAUTH_ENDPOINTS = new Set(['/oauth/token', '/oauth/revoke']);

function hasGeneralLimit(url: string, config: Record<string, unknown>): boolean {
  if (config.sharedLimit !== undefined) return false;
  return (url.startsWith('/api/') && !url.startsWith('/api/v1/streaming')) || OAUTH_ENDPOINTS.has(url);
}

/** The general limit's key: the account, the app of an app-only token, or the address. */
async function callerKey(request: FastifyRequest): Promise<string> {
  const { principal } = await request.caller();
  if (principal?.viewer) return `account:${principal.viewer.accountId}`;
  if (principal) return `app:${principal.appId ?? principal.tokenId}`;
  return `ip:${request.ip}`;
}

export async function registerRateLimits(app: FastifyInstance, config: Config, store: RateLimitStore): Promise<void> {
  if (!config.rateLimitsEnabled) return;
  const { api, anonymous } = config.rateLimits;
  const shared = new Map<LimitName, RateLimit>();
  for (const name of ['login', 'registration'] as const) {
    if (config.rateLimits[name] > 0) shared.set(name, new RateLimit(store, name, config.rateLimits[name], WINDOW_MS[name]));
  }
  app.addHook('onRequest', async (request, reply) => {
    const name = (request.routeOptions.config as { sharedLimit?: LimitName } | undefined)?.sharedLimit;
    const limiter = name && shared.get(name);
    if (!limiter) return;
    const { allowed, resetInMs } = await limiter.take(request.ip);
    if (allowed) return;
    reply.header('Retry-After', String(Math.max(1, Math.ceil(resetInMs / 1000))));
    return reply.code(429).send({ error: 'Too many requests' });
  });

  if (api === 0 && anonymous === 0) return;
  // Registered globally (one store, so one budget across routes); every route it must not
  // count, WebSocket upgrades among them, opts out here before the plugin sees it.
  app.addHook('onRoute', (route) => {
    route.config = { ...(route.config ?? {}) } as typeof route.config;
    const cfg = route.config as Record<string, unknown>;
    if (cfg.rateLimit === undefined && !hasGeneralLimit(route.url ?? '', cfg)) cfg.rateLimit = false;
  });
  await app.register(rateLimit, {
    global: true,
    hook: 'onRequest',
    timeWindow: API_WINDOW_MS,
    store: fastifyRateLimitStore(store, 'api'),
    keyGenerator: callerKey,
    max: (_request: FastifyRequest, key: string) => (key.startsWith('ip:') ? anonymous : api) || 1e9,
    errorResponseBuilder: () => ({ statusCode: 429, error: 'Too many requests' }),
  });
}

/** Route config for a named limit, or nothing when limits are off or the limit is 0. */
export function limitFor(config: Config, name: LimitName): Record<string, unknown> {
  if (!config.rateLimitsEnabled || config.rateLimits[name] === 0) return {};
  return { sharedLimit: name };
}
