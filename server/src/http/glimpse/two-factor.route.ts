import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Services } from '../../services.ts';
import { LIMITS } from '../../domain/accounts/account.ts';
import { canChangeLogInSecurity } from '../../access/own-records-policy.ts';
import { forbidden, unauthorized } from '../../errors.ts';
import { parseInput, text, z } from '../input.ts';
import { limitFor } from '../rate-limits.ts';
import { startWebSession } from './session.route.ts';

const startSchema = z.object({ enrolment_token: text(200).optional() });
const confirmSchema = z.object({ code: text(32), enrolment_token: text(200).optional() });
const codeSchema = z.object({ code: text(32) });
const disableSchema = z.object({ password: z.string().max(LIMITS.passwordMax), code: text(32) });

/**
 * Two-factor log-in (TOTP) for the web client's cookie session, with its CSRF token on writes.
 * Only a web session may change it (an app's token may not enrol an authenticator of its own).
 * A staff member required to use it (GLIMPSE_REQUIRE_TWO_FACTOR_STAFF) who has not yet gets
 * an `enrolment_token` from the log-in instead of a session, and sends it here instead of a
 * cookie: confirming then starts the session. Code checks share the log-in limits.
 *
 * - GET    /api/glimpse/v1/two_factor                 whether it is on, recovery codes left
 * - POST   /api/glimpse/v1/two_factor                 start: secret, otpauth URI, QR code (SVG)
 * - POST   /api/glimpse/v1/two_factor/confirm         {code}: on; answers the recovery codes once
 * - POST   /api/glimpse/v1/two_factor/recovery_codes  {code}: new recovery codes replace the old
 * - DELETE /api/glimpse/v1/two_factor                 {password, code}: off
 */
export function registerTwoFactorRoutes(app: FastifyInstance, services: Services, secret: string): void {
  const { config } = services;

  /** The signed-in web session's account, or else the enrolment ticket's. */
  const enrollingAccount = async (request: FastifyRequest, ticket: string | undefined): Promise<{ accountId: string; viaTicket: boolean }> => {
    if (ticket !== undefined) return { accountId: await services.twoFactor.accountOfEnrolmentTicket(ticket), viaTicket: true };
    return { accountId: sessionViewer(request).accountId, viaTicket: false };
  };

  const sessionViewer = (request: FastifyRequest) => {
    if (!request.viewer) throw unauthorized();
    if (!canChangeLogInSecurity(request.principal?.kind)) throw forbidden('Two-factor log-in is set up in the web client only');
    return request.viewer;
  };

  app.get('/api/glimpse/v1/two_factor', { config: { auth: 'user', scope: 'read:accounts' } }, async (request) => {
    const viewer = sessionViewer(request);
    return services.twoFactor.status(viewer.accountId, viewer.role);
  });

  app.post('/api/glimpse/v1/two_factor', { config: { auth: 'optional', scope: 'write:accounts' } }, async (request) => {
    const input = parseInput(startSchema, request.body);
    const { accountId } = await enrollingAccount(request, input.enrolment_token);
    return services.twoFactor.startEnrolment(accountId);
  });

  app.post('/api/glimpse/v1/two_factor/confirm', { config: { auth: 'optional', scope: 'write:accounts', ...limitFor(config, 'login') } }, async (request, reply) => {
    const input = parseInput(confirmSchema, request.body);
    const { accountId, viaTicket } = await enrollingAccount(request, input.enrolment_token);
    // Confirming with a ticket starts a session: refused where log-in is.
    if (viaTicket) await services.admin.ipBlocks.refuseNoAccess(request.ip);
    const recoveryCodes = await services.twoFactor.confirmEnrolment(accountId, input.code);
    if (!viaTicket) return { recovery_codes: recoveryCodes };
    await services.admin.userIps.record(accountId, request.ip);
    // A log-in like the password form's: it cancels an account deletion in its grace period too.
    const deletionCancelled = await services.accountDeletion.cancelOnLogIn(accountId);
    return { recovery_codes: recoveryCodes, ...(await startWebSession(services, secret, reply, accountId)), ...(deletionCancelled ? { deletion_cancelled: true } : {}) };
  });

  app.post('/api/glimpse/v1/two_factor/recovery_codes', { config: { auth: 'user', scope: 'write:accounts', ...limitFor(config, 'login') } }, async (request) => {
    const input = parseInput(codeSchema, request.body);
    const viewer = sessionViewer(request);
    return { recovery_codes: await services.twoFactor.regenerateRecoveryCodes(viewer.accountId, input.code) };
  });

  app.delete('/api/glimpse/v1/two_factor', { config: { auth: 'user', scope: 'write:accounts', ...limitFor(config, 'login') } }, async (request) => {
    const input = parseInput(disableSchema, request.body);
    const viewer = sessionViewer(request);
    await services.twoFactor.disable(viewer.accountId, viewer.role, input.password, input.code);
    return {};
  });
}
