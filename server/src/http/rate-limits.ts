import type { FastifyInstance, FastifyRequest } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import type { Config } from '../config.ts';
import { FixedWindowLimiter } from '../infra/rate-limiter.ts';
import { bearerToken } from './authentication.ts';

/**
 * Rate limits, per route. Log-in and registration are keyed on the peer address, which is the
 * socket's unless GLIMPSE_TRUST_PROXY names the proxy (so a spoofed X-Forwarded-For changes
 * nothing). The general API limit is keyed on the token, or on the address when anonymous.
 * Registered per route, not globally, so WebSocket upgrades are not counted. Log-in and
 * registration are each one bucket shared by every route that offers them (the web client's
 * form, the OAuth consent page, the Mastodon registration endpoint): a second door to the same
 * check gives no second budget.
 */
export type LimitName = 'login' | 'registration';

const WINDOW_MS: Record<LimitName, number> = { login: 5 * 60 * 1000, registration: 30 * 60 * 1000 };

export async function registerRateLimits(app: FastifyInstance, config: Config): Promise<void> {
  if (!config.rateLimitsEnabled) return;
  const { api, anonymous } = config.rateLimits;
  const shared = new Map<LimitName, FixedWindowLimiter>();
  for (const name of ['login', 'registration'] as const) {
    if (config.rateLimits[name] > 0) shared.set(name, new FixedWindowLimiter(config.rateLimits[name], WINDOW_MS[name]));
  }
  app.addHook('onRequest', async (request, reply) => {
    const name = (request.routeOptions.config as { sharedLimit?: LimitName } | undefined)?.sharedLimit;
    const limiter = name && shared.get(name);
    if (!limiter) return;
    const key = request.ip;
    if (limiter.take(key)) return;
    reply.header('Retry-After', String(Math.ceil(limiter.msUntilReset(key) / 1000)));
    return reply.code(429).send({ error: 'Too many requests' });
  });
  app.addHook('onRoute', (route) => {
    const url = route.url ?? '';
    if (!url.startsWith('/api/') || url.startsWith('/api/v1/streaming')) return;
    route.config = { ...(route.config ?? {}) } as typeof route.config;
    const cfg = route.config as Record<string, unknown>;
    if (cfg.rateLimit !== undefined || cfg.sharedLimit !== undefined) return;
    if (api === 0 && anonymous === 0) return;
    cfg.rateLimit = {
      max: (request: FastifyRequest) => (bearerToken(request) ? api || 1e9 : anonymous || 1e9),
      timeWindow: 5 * 60 * 1000,
      keyGenerator: (request: FastifyRequest) => {
        const token = bearerToken(request);
        return token ? `token:${token.slice(0, 16)}` : `ip:${request.ip}`;
      },
    };
  });
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: () => ({ statusCode: 429, error: 'Too many requests' }),
  });
}

/** Route config for a named limit, or nothing when limits are off or the limit is 0. */
export function limitFor(config: Config, name: LimitName): Record<string, unknown> {
  if (!config.rateLimitsEnabled || config.rateLimits[name] === 0) return {};
  return { sharedLimit: name };
}
