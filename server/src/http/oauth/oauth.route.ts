import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Services } from '../../services.ts';
import { AppError } from '../../errors.ts';
import { OAuthError, OOB_REDIRECT } from '../../domain/auth/auth-service.ts';
import type { AccountRow } from '../../domain/accounts/account.ts';
import { parseInput, text, z } from '../input.ts';
import { SESSION_COOKIE, csrfTokenFor } from '../authentication.ts';
import { limitFor } from '../rate-limits.ts';
import { renderCodePage, renderConsentPage } from './oauth-page.ts';

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
});

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
    return html(reply, 200, renderConsentPage({
      appName: client.name,
      scopes,
      params: passThrough(input),
      signedInAs: session?.account.username,
      csrfToken: session ? csrfTokenFor(secret, session.cookie) : undefined,
    }));
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

    let account: AccountRow | undefined;
    if (input.login !== undefined) {
      try {
        account = await services.auth.checkPassword(input.login, input.password ?? '');
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        return html(reply, error.status, renderConsentPage({ appName: client.name, scopes, params, error: error.message }));
      }
    } else {
      const session = await sessionAccount(request);
      // A signed-in approval must carry the session's CSRF token, so another site cannot click it.
      if (!session || input.csrf_token !== csrfTokenFor(secret, session.cookie)) {
        return html(reply, 403, renderConsentPage({ appName: client.name, scopes, params, error: 'Please sign in to continue.' }));
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
