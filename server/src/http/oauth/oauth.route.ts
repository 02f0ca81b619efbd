import crypto from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Services } from '../../services.ts';
import { AppError, TooManyRequestsError } from '../../errors.ts';
import { randomToken, safeEqual } from '../../domain/auth/secrets.ts';
import { OAuthError, OOB_REDIRECT } from '../../domain/auth/auth-service.ts';
import type { AccountRow } from '../../domain/accounts/account.ts';
import { parseInput, text, z } from '../input.ts';
import { SESSION_COOKIE, csrfTokenFor } from '../authentication.ts';
import { limitFor } from '../rate-limits.ts';
import { policyWithFormAction } from '../web/security-headers.ts';
import { type ConsentPageInput, renderCodePage, renderConsentPage } from './oauth-page.ts';

/**
 * Log-in CSRF on the consent page's password form (double submit): GET /oauth/authorize sets a
 * random nonce in this cookie and renders a token signed over it and an expiry into the form.
 * A page on another site can neither read the token nor send the cookie with a cross-site post
 * (SameSite=Lax), so it cannot sign a visitor into an account of its choosing.
 */
const LOGIN_FORM_COOKIE = 'glimpse_oauth_login';
const LOGIN_FORM_LIFETIME_MS = 60 * 60 * 1000;
/** How long the code step may follow a right password. */
const TWO_FACTOR_CHALLENGE_LIFETIME_MS = 5 * 60 * 1000;

const authorizeSchema = z.object({
  client_id: text(100),
  redirect_uri: text(2000),
  response_type: text(20).optional(),
  scope: text(500).optional(),
  state: text(1000).optional(),
  code_challenge: text(200).optional(),
  code_challenge_method: text(20).optional(),
  force_login: text(10).optional(),
  lang: text(20).optional(),
});

const formSchema = authorizeSchema.extend({
  decision: z.enum(['approve', 'deny']),
  login: text(254).optional(),
  password: z.string().max(200).optional(),
  csrf_token: text(100).optional(),
  /** Two-factor log-in: the code, with the challenge the password step answered. */
  two_factor_code: text(32).optional(),
  two_factor_challenge: text(200).optional(),
});

/**
 * Where the consent page's answer may redirect, as CSP sources for its form-action: the
 * registered redirect URI's origin, or its private-use scheme (`com.example.app:`). The
 * out-of-band flow answers on this site and needs none. A host that cannot be written as a
 * CSP source (an IPv6 literal such as [::1], or unusual characters) is allowed by its scheme.
 */
export function redirectSources(redirectUri: string): string[] {
  if (redirectUri === OOB_REDIRECT) return [];
  let url: URL;
  try {
    url = new URL(redirectUri);
  } catch {
    return [];
  }
  if (url.protocol === 'https:' || url.protocol === 'http:') {
    return [/^https?:\/\/[a-z0-9.-]+(:\d{1,5})?$/.test(url.origin) ? url.origin : url.protocol];
  }
  return /^[a-z][a-z0-9+.-]*:$/.test(url.protocol) ? [url.protocol] : [];
}

const tokenSchema = z.record(z.string(), z.string().max(2000)).refine((v) => Object.keys(v).length <= 20, 'has too many fields');

/** OAuth 2: authorization code (PKCE S256), client credentials, refresh and revoke. */
export function registerOAuthRoutes(app: FastifyInstance, services: Services, secret: string): void {
  const { config } = services;

  const passThrough = (input: z.infer<typeof authorizeSchema>): Record<string, string> => {
    const params: Record<string, string> = {};
    for (const key of ['client_id', 'redirect_uri', 'response_type', 'scope', 'state', 'code_challenge', 'code_challenge_method'] as const) {
      const value = input[key];
      if (value !== undefined) params[key] = value;
    }
    return params;
  };

  const sessionAccount = async (request: FastifyRequest): Promise<{ account: AccountRow; cookie: string } | undefined> => {
    const cookie = request.cookies[SESSION_COOKIE];
    if (!cookie) return undefined;
    try {
      const principal = await services.auth.authenticate(cookie, 'session');
      if (!principal.viewer) return undefined;
      const account = await services.repositories.accounts.findById(principal.viewer.accountId);
      return account ? { account, cookie } : undefined;
    } catch {
      return undefined;
    }
  };

  const html = (reply: FastifyReply, status: number, body: string) =>
    reply.status(status).header('Content-Type', 'text/html; charset=utf-8').header('Cache-Control', 'no-store').send(body);

  const signLoginForm = (nonce: string, expires: number) =>
    crypto.createHmac('sha256', secret).update(`oauth-login:${nonce}:${expires}`).digest('base64url');

  /** A token for the password form, bound to this browser's nonce cookie (set or refreshed here). */
  const loginFormToken = (request: FastifyRequest, reply: FastifyReply): string => {
    const existing = request.cookies[LOGIN_FORM_COOKIE];
    const nonce = existing && /^[A-Za-z0-9_-]{43}$/.test(existing) ? existing : randomToken();
    reply.setCookie(LOGIN_FORM_COOKIE, nonce, { httpOnly: true, sameSite: 'lax', secure: config.publicUrl.startsWith('https://'), path: '/oauth', maxAge: LOGIN_FORM_LIFETIME_MS / 1000 });
    const expires = Math.floor((services.clock.now().getTime() + LOGIN_FORM_LIFETIME_MS) / 1000);
    return `${expires}.${signLoginForm(nonce, expires)}`;
  };

  const isValidLoginFormToken = (request: FastifyRequest, token: string | undefined): boolean => {
    const nonce = request.cookies[LOGIN_FORM_COOKIE];
    const match = token ? /^(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(token) : null;
    if (!nonce || !match) return false;
    const expires = Number(match[1]);
    return expires * 1000 > services.clock.now().getTime() && safeEqual(match[2], signLoginForm(nonce, expires));
  };

  /**
   * The code step of a two-factor log-in: after a right password, the page carries a challenge
   * naming the account, signed over this browser's form nonce and an expiry, instead of the
   * password. Only the code is asked for then; the password is never carried along.
   */
  const signChallenge = (nonce: string, accountId: string, expires: number) =>
    crypto.createHmac('sha256', secret).update(`oauth-two-factor:${nonce}:${accountId}:${expires}`).digest('base64url');

  const twoFactorChallenge = (request: FastifyRequest, accountId: string): string => {
    const expires = Math.floor((services.clock.now().getTime() + TWO_FACTOR_CHALLENGE_LIFETIME_MS) / 1000);
    return `${accountId}.${expires}.${signChallenge(request.cookies[LOGIN_FORM_COOKIE] ?? '', accountId, expires)}`;
  };

  const challengeAccount = (request: FastifyRequest, challenge: string): string | undefined => {
    const nonce = request.cookies[LOGIN_FORM_COOKIE];
    const match = /^([0-9A-Za-z_-]{1,40})\.(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(challenge);
    if (!nonce || !match) return undefined;
    const expires = Number(match[2]);
    if (expires * 1000 <= services.clock.now().getTime() || !safeEqual(match[3], signChallenge(nonce, match[1], expires))) return undefined;
    return match[1];
  };

  /**
   * The consent page; its log-in variant always carries a fresh form token. Its form may lead
   * only here and, by the redirect that answers it, to this request's registered redirect URI.
   */
  const page = (request: FastifyRequest, reply: FastifyReply, status: number, input: ConsentPageInput) => {
    reply.header('Content-Security-Policy', policyWithFormAction(redirectSources(input.params.redirect_uri ?? '')));
    return html(reply, status, renderConsentPage(input.signedInAs ? input : { ...input, csrfToken: loginFormToken(request, reply) }));
  };

  const checked = async (input: z.infer<typeof authorizeSchema>) => {
    if (input.response_type !== undefined && input.response_type !== 'code') {
      throw new OAuthError('unsupported_response_type', 'Only the authorization code flow is supported.');
    }
    return services.auth.checkAuthorizationRequest({
      clientId: input.client_id,
      redirectUri: input.redirect_uri,
      scope: input.scope,
      codeChallenge: input.code_challenge,
      codeChallengeMethod: input.code_challenge_method,
    });
  };

  app.get('/oauth/authorize', { config: { auth: 'none' } }, async (request, reply) => {
    const input = parseInput(authorizeSchema, request.query);
    const { app: client, scopes } = await checked(input);
    const session = input.force_login === 'true' ? undefined : await sessionAccount(request);
    return page(request, reply, 200, {
      appName: client.name,
      scopes,
      params: passThrough(input),
      signedInAs: session?.account.username,
      csrfToken: session ? csrfTokenFor(secret, session.cookie) : undefined,
    });
  });

  app.post('/oauth/authorize', { config: { auth: 'none', ...limitFor(config, 'login') } }, async (request, reply) => {
    const input = parseInput(formSchema, request.body);
    const { app: client, scopes } = await checked(input);
    const params = passThrough(input);
    const redirect = (query: Record<string, string>) => {
      const target = new URL(input.redirect_uri);
      for (const [k, v] of Object.entries(query)) target.searchParams.set(k, v);
      if (input.state !== undefined) target.searchParams.set('state', input.state);
      return reply.redirect(target.toString(), 302);
    };

    // An address under a no_access IP block may neither log in nor approve with a session.
    const blocked = await services.admin.ipBlocks.noAccessRefusal(request.ip);
    if (blocked) return page(request, reply, blocked.status, { appName: client.name, scopes, params, error: blocked.message });

    let account: AccountRow | undefined;
    if (input.login !== undefined || input.two_factor_challenge !== undefined) {
      if (!isValidLoginFormToken(request, input.csrf_token)) {
        return page(request, reply, 403, { appName: client.name, scopes, params, error: 'This form has expired or was not sent from this site. Please sign in again.' });
      }
      let accountId: string | undefined;
      try {
        if (input.two_factor_challenge !== undefined) {
          accountId = challengeAccount(request, input.two_factor_challenge);
          if (!accountId) return page(request, reply, 403, { appName: client.name, scopes, params, error: 'This sign-in has expired. Please sign in again.' });
        } else {
          accountId = (await services.auth.checkPassword(input.login ?? '', input.password ?? '')).id;
        }
        // The password alone is never enough for an account with two-factor log-in.
        const gate = await services.twoFactor.checkLogIn(accountId, input.two_factor_code);
        if (gate.kind === 'enrolment-required') {
          return page(request, reply, 403, { appName: client.name, scopes, params, error: 'Two-factor log-in is required for staff accounts on this instance. Log in on the web and set it up first.' });
        }
        account = await services.repositories.accounts.findById(accountId);
        if (!account) return page(request, reply, 403, { appName: client.name, scopes, params, error: 'Please sign in to continue.' });
        await services.admin.userIps.record(account.id, request.ip);
        // Logging in during an account deletion's grace period cancels it, here too.
        await services.accountDeletion.cancelOnLogIn(account.id);
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        if (error instanceof TooManyRequestsError) reply.header('Retry-After', String(error.retryAfterSeconds));
        if (accountId !== undefined && error.details?.two_factor_required) {
          // Right password: ask for the code (again, after a wrong one).
          const askedFirst = input.two_factor_challenge === undefined && (input.two_factor_code ?? '') === '';
          return page(request, reply, askedFirst ? 200 : error.status, { appName: client.name, scopes, params, twoFactorChallenge: twoFactorChallenge(request, accountId), error: askedFirst ? undefined : error.message });
        }
        return page(request, reply, error.status, { appName: client.name, scopes, params, error: error.message });
      }
    } else {
      const session = await sessionAccount(request);
      // A signed-in approval must carry the session's CSRF token, so another site cannot click it.
      if (!session || !safeEqual(input.csrf_token ?? '', csrfTokenFor(secret, session.cookie))) {
        return page(request, reply, 403, { appName: client.name, scopes, params, error: 'Please sign in to continue.' });
      }
      account = session.account;
    }

    if (input.decision === 'deny') {
      if (input.redirect_uri === OOB_REDIRECT) return html(reply, 200, renderCodePage('access denied'));
      return redirect({ error: 'access_denied', error_description: 'The resource owner or authorization server denied the request.' });
    }
    const code = await services.auth.createAuthorizationCode(client, account.id, input.redirect_uri, scopes, input.code_challenge);
    if (input.redirect_uri === OOB_REDIRECT) return html(reply, 200, renderCodePage(code));
    return redirect({ code });
  });

  const clientCredentials = (request: FastifyRequest, body: Record<string, string>) => {
    // Clients may authenticate with HTTP Basic instead of body fields.
    const header = request.headers.authorization;
    const basic = header && /^Basic\s+(.+)$/i.exec(header);
    if (basic) {
      const [id, ...rest] = Buffer.from(basic[1], 'base64').toString('utf8').split(':');
      return { ...body, client_id: decodeURIComponent(id ?? ''), client_secret: decodeURIComponent(rest.join(':')) };
    }
    return body;
  };

  app.post('/oauth/token', { config: { auth: 'none' } }, async (request, reply) => {
    const body = parseInput(tokenSchema, request.body);
    reply.header('Cache-Control', 'no-store');
    return services.auth.exchangeToken(clientCredentials(request, body));
  });

  app.post('/oauth/revoke', { config: { auth: 'none' } }, async (request) => {
    const body = parseInput(tokenSchema, request.body);
    await services.auth.revoke(clientCredentials(request, body));
    return {};
  });
}
