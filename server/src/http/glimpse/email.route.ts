import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services.ts';
import { LIMITS } from '../../domain/accounts/account.ts';
import { invalidConfirmation } from '../../domain/accounts/email-confirmation.ts';
import { parseInput, text, z } from '../input.ts';
import { requireViewer } from '../route-config.ts';

const changeSchema = z.object({ email: text(LIMITS.email).min(1), current_password: z.string().max(LIMITS.passwordMax) });
const MAX_TOKEN = 200;

/**
 * The account's e-mail address (domain/accounts/email-confirmation.ts, email-change.ts).
 * - GET /api/glimpse/v1/email: the address, whether it is confirmed, a change awaiting
 *   confirmation, and whether the instance sends mail.
 * - PUT /api/glimpse/v1/email {"email","current_password"}: with mail, 202
 *   {"pending": true} (a link goes to the new address, a notice to the old one); without,
 *   200 {"pending": false}, changed at once.
 * - PUT /api/glimpse/v1/email_confirmations/:token: follows a mailed link (the web client's
 *   /confirm-email/:token page calls it); 200 {}, or 404 for a link unknown, used or expired.
 */
export function registerEmailRoutes(app: FastifyInstance, services: Services): void {
  app.get('/api/glimpse/v1/email', { config: { auth: 'user', scope: 'read:accounts' } }, async (request) => {
    const user = await services.repositories.accounts.findUser(requireViewer(request.viewer).accountId);
    return {
      email: user?.email ?? '',
      confirmed: user?.email_confirmed_at != null,
      unconfirmed_email: user?.unconfirmed_email ?? null,
      mail_enabled: services.mail.enabled,
    };
  });

  app.put('/api/glimpse/v1/email', { config: { auth: 'user', scope: 'write:accounts' } }, async (request, reply) => {
    const input = parseInput(changeSchema, request.body);
    const result = await services.emailChange.change(requireViewer(request.viewer), input.email, input.current_password);
    if (result.pending) reply.status(202);
    return result;
  });

  app.put('/api/glimpse/v1/email_confirmations/:token', { config: { auth: 'none' } }, async (request) => {
    const { token } = request.params as { token: string };
    if (token.length > MAX_TOKEN) throw invalidConfirmation();
    await services.emailConfirmation.confirm(token);
    return {};
  });
}
