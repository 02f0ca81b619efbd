import type { FastifyInstance, FastifyRequest } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import type { Config } from '../config.ts';
import { bearerToken } from './authentication.ts';

/**
 * Rate limits, per route. Log-in and registration are keyed on the peer address, which is the
 * socket's unless GLIMPSE_TRUST_PROXY names the proxy (so a spoofed X-Forwarded-For changes
 * nothing). The general API limit is keyed on the token, or on the address when anonymous.
 * Registered per route, not globally, so WebSocket upgrades are not counted.
 */
export type LimitName = 'login' | 'registration';

export async function registerRateLimits(app: FastifyInstance, config: Config): Promise<void> {
  if (!config.rateLimitsEnabled) return;
  const { api, anonymous } = config.rateLimits;
  app.addHook('onRoute', (route) => {
    const url = route.url ?? '';
    if (!url.startsWith('/api/') || url.startsWith('/api/v1/streaming')) return;
    route.config = { ...(route.config ?? {}) } as typeof route.config;
    const cfg = route.config as Record<string, unknown>;
    if (cfg.rateLimit !== undefined) return;
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
  if (!config.rateLimitsEnabled) return {};
  const max = config.rateLimits[name];
  if (max === 0) return {};
  return {
    rateLimit: {
      max,
      timeWindow: name === 'login' ? 5 * 60 * 1000 : 30 * 60 * 1000,
      keyGenerator: (request: FastifyRequest) => `${name}:${request.ip}`,
    },
  };
}
