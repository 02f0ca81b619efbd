import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services.ts';
import { LIMITS } from '../../domain/accounts/account.ts';
import { invalidLink } from '../../domain/auth/password-reset.ts';
import { parseInput, text, z } from '../input.ts';

const requestSchema = z.object({ email: text(LIMITS.email) });
const completeSchema = z.object({
  password: z.string().min(LIMITS.passwordMin, 'is too short (minimum is 8 characters)').max(LIMITS.passwordMax, `is too long (maximum is ${LIMITS.passwordMax} characters)`),
});
/** Mailed tokens are 43 characters; anything much longer is no token of ours. */
const MAX_TOKEN = 200;

/**
 * "Forgot password" (domain/auth/password-reset.ts), with mail configured; without, both
 * answer 404 "Password reset is not available on this server".
 * - POST /api/glimpse/v1/password_resets {"email"}: 202 {} whether or not the address has an
 *   account (a link is mailed only if it has); 429 with Retry-After past
 *   GLIMPSE_RATE_LIMIT_PASSWORD_RESET requests per address per hour.
 * - PUT /api/glimpse/v1/password_resets/:token {"password"}: 200 {}; the account's sessions
 *   and tokens are revoked. A token unknown, used or expired: 404; a bad password: 422.
 */
export function registerPasswordResetRoutes(app: FastifyInstance, services: Services): void {
  app.post('/api/glimpse/v1/password_resets', { config: { auth: 'none' } }, async (request, reply) => {
    const input = parseInput(requestSchema, request.body);
    await services.passwordResets.request(input.email, request.ip);
    reply.status(202);
    return {};
  });

  app.put('/api/glimpse/v1/password_resets/:token', { config: { auth: 'none' } }, async (request) => {
    const { token } = request.params as { token: string };
    const input = parseInput(completeSchema, request.body);
    if (token.length > MAX_TOKEN) throw invalidLink();
    await services.passwordResets.complete(token, input.password);
    return {};
  });
}
