import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Services } from '../../services.ts';
import { LIMITS } from '../../domain/accounts/account.ts';
import { parseInput, text, z } from '../input.ts';
import { requireViewer } from '../route-config.ts';
import { SESSION_COOKIE, csrfTokenFor } from '../authentication.ts';
import { limitFor } from '../rate-limits.ts';
import { presentAccount } from '../mastodon/presenters/account.presenter.ts';
import { registrationInput } from '../mastodon/registration-input.ts';
import { AppError } from '../../errors.ts';

const loginSchema = z.object({
  login: text(LIMITS.email).min(1),
  password: z.string().max(LIMITS.passwordMax),
  /** Two-factor log-in: the authenticator's code or a recovery code (two-factor.route.ts). */
  code: text(32).optional(),
});
const passwordSchema = z.object({
  current_password: z.string().max(LIMITS.passwordMax),
  password: z.string().min(LIMITS.passwordMin, 'is too short (minimum is 8 characters)').max(LIMITS.passwordMax),
});

/** Sets the web session cookie for an account; answers the account and the session's CSRF token. */
export async function startWebSession(services: Services, secret: string, reply: FastifyReply, accountId: string) {
  const token = await services.auth.createSession(accountId);
  reply.setCookie(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'lax', secure: services.config.publicUrl.startsWith('https://'), path: '/', maxAge: 60 * 60 * 24 * 365 });
  const account = await services.accounts.self({ accountId, role: 'user' });
  return { account: presentAccount(services.config, account), csrf_token: csrfTokenFor(secret, token) };
}

/** A staff member who must use two-factor log-in and has not set it up: no session, a ticket to enrol. */
export const enrolmentRequired = (enrolmentToken: string) =>
  new AppError(403, 'Two-factor log-in is required for staff accounts on this instance. Set it up to continue.', { two_factor_enrolment_required: true, enrolment_token: enrolmentToken });

/**
 * The web client's cookie session: sign up, log in, log out, change password. The cookie is
 * HttpOnly and SameSite=Lax; writes made with it must carry the session's X-CSRF-Token.
 */
export function registerSessionRoutes(app: FastifyInstance, services: Services, secret: string): void {
  const { config } = services;

  const startSession = (reply: FastifyReply, accountId: string) => startWebSession(services, secret, reply, accountId);

  app.get('/api/glimpse/v1/session', { config: { auth: 'user' } }, async (request) => {
    const viewer = requireViewer(request.viewer);
    const account = await services.accounts.self(viewer);
    const cookie = request.cookies[SESSION_COOKIE];
    const user = await services.repositories.accounts.findUser(viewer.accountId);
    return {
      account: presentAccount(config, account),
      role: user?.role ?? 'user',
      csrf_token: request.principal?.kind === 'session' && cookie ? csrfTokenFor(secret, cookie) : null,
    };
  });

  // Log-in CSRF: a page elsewhere must not sign a visitor into someone else's account with a
  // self-submitting form. Forms cannot send JSON, so the endpoints that start a session take
  // JSON only; a script elsewhere can send JSON after a preflight, but never with credentials
  // (no Access-Control-Allow-Credentials), so the browser neither sends nor keeps a cookie.
  const jsonOnly = async (request: FastifyRequest) => {
    const type = String(request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    if (type !== 'application/json') throw new AppError(415, 'Send this as application/json');
  };

  app.post('/api/glimpse/v1/session', { config: { auth: 'none', ...limitFor(config, 'login') }, preValidation: jsonOnly }, async (request, reply) => {
    const input = parseInput(loginSchema, request.body);
    await services.admin.ipBlocks.refuseNoAccess(request.ip);
    const account = await services.auth.checkPassword(input.login, input.password);
    // The password alone is never enough for an account with two-factor log-in.
    const gate = await services.twoFactor.checkLogIn(account.id, input.code);
    if (gate.kind === 'enrolment-required') throw enrolmentRequired(gate.enrolmentToken);
    await services.admin.userIps.record(account.id, request.ip);
    // Logging in during an account deletion's grace period cancels it (domain/accounts/account-deletion.ts).
    const deletionCancelled = await services.accountDeletion.cancelOnLogIn(account.id);
    return { ...(await startSession(reply, account.id)), ...(deletionCancelled ? { deletion_cancelled: true } : {}) };
  });

  app.delete('/api/glimpse/v1/session', { config: { auth: 'user', scope: 'write:accounts' } }, async (request, reply) => {
    if (request.principal?.kind === 'session') await services.auth.revokeToken(request.principal.tokenId);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return {};
  });

  app.post('/api/glimpse/v1/registrations', { config: { auth: 'none', ...limitFor(config, 'registration') }, preValidation: jsonOnly }, async (request, reply) => {
    const input = parseInput(registrationInput, request.body);
    const account = await services.accounts.register({ ...input, ip: request.ip });
    const user = await services.repositories.accounts.findUser(account.id);
    // With mail, the account waits for its confirmation link (domain/accounts/email-confirmation.ts): no session yet.
    const confirmationRequired = user?.email_confirmed_at === null;
    if (!user?.approved || confirmationRequired) {
      reply.status(202);
      return { pending_approval: !user?.approved, ...(confirmationRequired ? { confirmation_required: true } : {}) };
    }
    return startSession(reply, account.id);
  });

  app.post('/api/glimpse/v1/password', { config: { auth: 'user', scope: 'write:accounts' } }, async (request) => {
    const input = parseInput(passwordSchema, request.body);
    await services.auth.changePassword(requireViewer(request.viewer), input.current_password, input.password, request.principal!.tokenId);
    return {};
  });
}
