import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services.ts';
import { LIMITS } from '../../domain/accounts/account.ts';
import { canChangeLogInSecurity } from '../../access/own-records-policy.ts';
import { forbidden } from '../../errors.ts';
import { parseInput, text, z } from '../input.ts';
import { requireViewer } from '../route-config.ts';
import { SESSION_COOKIE } from '../authentication.ts';
import { limitFor } from '../rate-limits.ts';

const deletionSchema = z.object({
  password: z.string().max(LIMITS.passwordMax),
  /** With two-factor log-in on: the authenticator's code or a recovery code. */
  code: text(32).optional(),
});

/**
 * Deleting one's own account (domain/accounts/account-deletion.ts), from the web client's
 * cookie session only (its writes carry the session's X-CSRF-Token): an app's token cannot.
 * Asking ends every session, this one included; logging in again before `due_at` cancels.
 */
export function registerAccountDeletionRoutes(app: FastifyInstance, services: Services): void {
  const PATH = '/api/glimpse/v1/account/deletion';

  app.get(PATH, { config: { auth: 'user', scope: 'read:accounts' } }, async (request) => {
    return services.accountDeletion.status(requireViewer(request.viewer).accountId);
  });

  app.post(PATH, { config: { auth: 'user', scope: 'write:accounts', ...limitFor(services.config, 'login') } }, async (request, reply) => {
    const viewer = requireViewer(request.viewer);
    if (!canChangeLogInSecurity(request.principal?.kind)) throw forbidden('Accounts are deleted from the web client, signed in with the password');
    const input = parseInput(deletionSchema, request.body);
    const status = await services.accountDeletion.request(viewer.accountId, input.password, input.code);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return status;
  });
}
