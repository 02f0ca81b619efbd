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

const loginSchema = z.object({ login: text(LIMITS.email).min(1), password: z.string().max(LIMITS.passwordMax) });
const passwordSchema = z.object({
  current_password: z.string().max(LIMITS.passwordMax),
  password: z.string().min(LIMITS.passwordMin, 'is too short (minimum is 8 characters)').max(LIMITS.passwordMax),
});

/**
 * The web client's cookie session: sign up, log in, log out, change password. The cookie is
 * HttpOnly and SameSite=Lax; writes made with it must carry the session's X-CSRF-Token.
 */
export function registerSessionRoutes(app: FastifyInstance, services: Services, secret: string): void {
  const { config } = services;
  const secure = config.publicUrl.startsWith('https://');

  const startSession = async (reply: FastifyReply, accountId: string) => {
    const token = await services.auth.createSession(accountId);
    reply.setCookie(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'lax', secure, path: '/', maxAge: 60 * 60 * 24 * 365 });
    const account = await services.accounts.self({ accountId, role: 'user' });
    return { account: presentAccount(config, account), csrf_token: csrfTokenFor(secret, token) };
  };

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
    await services.admin.userIps.record(account.id, request.ip);
    return startSession(reply, account.id);
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
    if (!user?.approved) {
      reply.status(202);
      return { pending_approval: true };
    }
    return startSession(reply, account.id);
  });

  app.post('/api/glimpse/v1/password', { config: { auth: 'user', scope: 'write:accounts' } }, async (request) => {
    const input = parseInput(passwordSchema, request.body);
    await services.auth.changePassword(requireViewer(request.viewer), input.current_password, input.password, request.principal!.tokenId);
    return {};
  });
}
