import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services.ts';
import { requireViewer } from '../route-config.ts';

/**
 * Mastodon's POST /api/v1/emails/confirmations: the confirmation link again, for a token whose
 * account's address awaits confirmation (the one route such a token may call); 403 once it is
 * confirmed, or without mail. Mastodon's `email` parameter (correct the address first) is not
 * taken; the web client's PUT /api/glimpse/v1/email does that for a signed-in account.
 */
export function registerEmailConfirmationRoutes(app: FastifyInstance, services: Services): void {
  app.post('/api/v1/emails/confirmations', { config: { auth: 'user', scope: 'write:accounts', allowUnconfirmed: true } }, async (request) => {
    await services.emailConfirmation.resend(requireViewer(request.viewer));
    return {};
  });
}
