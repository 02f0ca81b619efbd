import type { Clock } from '../../clock.ts';
import { newId } from '../../db/ids.ts';
import { AppError, unauthorized, unprocessable } from '../../errors.ts';
import type { Viewer } from '../../access/viewer-context.ts';
import type { AccountRepository } from '../accounts/account-repository.ts';
import type { AccountRow } from '../accounts/account.ts';
import { areValidScopes, isSubsetOf, parseScopes } from './scopes.ts';
import { hashPassword, hashToken, pkceS256, randomToken, safeEqual, timingDummyHash, verifyPassword } from './secrets.ts';
import type { AppRow, TokenRepository, TokenRow } from './token-repository.ts';
import type { RateLimit } from '../../infra/rate-limit/rate-limit-store.ts';

/** What authentication found for a request. */
export interface Principal {
  viewer: Viewer | undefined;
  scopes: string[];
  tokenId: string;
  kind: 'oauth' | 'session';
  appId: string | null;
}

export interface IssuedToken {
  access_token: string;
  token_type: 'Bearer';
  scope: string;
  created_at: number;
  refresh_token?: string;
}

export interface CreatedApp {
  app: AppRow;
  clientSecret: string;
}

const CODE_LIFETIME_MS = 10 * 60 * 1000;
export const OOB_REDIRECT = 'urn:ietf:wg:oauth:2.0:oob';
const MAX_REDIRECT_URIS = 10;

/** OAuth error in RFC 6749's shape, which Mastodon also uses on /oauth/token. */
export class OAuthError extends AppError {
  constructor(
    readonly code: string,
    description: string,
    status = 400,
  ) {
    super(status, description, { error: code, error_description: description });
  }
}

/** Apps, OAuth 2 (code with PKCE, client credentials, refresh, revoke), sessions and tokens. */
export class AuthService {
  constructor(
    private readonly tokens: TokenRepository,
    private readonly accounts: AccountRepository,
    private readonly clock: Clock,
    /** Log-in attempts per login name, from every address together (GLIMPSE_RATE_LIMIT_LOGIN_ACCOUNT). */
    private readonly loginLimit?: RateLimit,
  ) {}

  private nowIso(): string {
    return this.clock.now().toISOString();
  }

  async createApp(input: { name: string; redirectUris: string[]; scopes: string; website?: string }): Promise<CreatedApp> {
    const scopes = parseScopes(input.scopes);
    if (!areValidScopes(scopes)) throw unprocessable('Validation failed: Scopes are invalid');
    if (input.redirectUris.length === 0 || input.redirectUris.length > MAX_REDIRECT_URIS) {
      throw unprocessable('Validation failed: Redirect URI must be given (at most 10)');
    }
    for (const uri of input.redirectUris) {
      if (!isAllowedRedirectUri(uri)) {
        throw unprocessable(
          'Validation failed: Redirect URI must be https:, http: on a loopback host (127.0.0.1, [::1], localhost), urn:ietf:wg:oauth:2.0:oob, or a private-use scheme in reverse-domain form (com.example.app:/callback)',
        );
      }
    }
    const clientSecret = randomToken();
    const app: AppRow = {
      id: newId(this.clock.now().getTime()),
      name: input.name,
      website: input.website || null,
      redirect_uris: input.redirectUris.join('\n'),
      scopes: scopes.join(' '),
      client_id: randomToken(),
      client_secret_hash: hashToken(clientSecret),
      created_at: this.nowIso(),
    };
    await this.tokens.insertApp(app);
    return { app, clientSecret };
  }

  async findApp(id: string | null): Promise<AppRow | undefined> {
    return id ? this.tokens.findApp(id) : undefined;
  }

  /** Checks /oauth/authorize parameters before showing the log-in and consent page. */
  async checkAuthorizationRequest(params: {
    clientId: string;
    redirectUri: string;
    scope?: string;
    codeChallenge?: string;
    codeChallengeMethod?: string;
  }): Promise<{ app: AppRow; scopes: string[] }> {
    const app = await this.tokens.findAppByClientId(params.clientId);
    if (!app) throw new OAuthError('invalid_client', 'Client authentication failed due to unknown client', 401);
    // Exact match only: no extra path, slash or query.
    if (!app.redirect_uris.split('\n').includes(params.redirectUri)) {
      throw new OAuthError('invalid_redirect_uri', 'The redirect uri included is not valid.');
    }
    const scopes = parseScopes(params.scope, app.scopes.split(' ')[0]);
    if (!areValidScopes(scopes) || !isSubsetOf(scopes, app.scopes.split(' '))) {
      throw new OAuthError('invalid_scope', 'The requested scope is invalid, unknown, or malformed.');
    }
    if (params.codeChallenge !== undefined || params.codeChallengeMethod !== undefined) {
      if (params.codeChallengeMethod !== 'S256') {
        throw new OAuthError('invalid_request', 'Only the S256 code challenge method is supported.');
      }
      if (!params.codeChallenge || !/^[A-Za-z0-9_-]{43,128}$/.test(params.codeChallenge)) {
        throw new OAuthError('invalid_request', 'The code challenge is malformed.');
      }
    }
    return { app, scopes };
  }

  async createAuthorizationCode(app: AppRow, accountId: string, redirectUri: string, scopes: string[], codeChallenge: string | undefined): Promise<string> {
    const code = randomToken();
    await this.tokens.insertCode({
      code_hash: hashToken(code),
      app_id: app.id,
      account_id: accountId,
      redirect_uri: redirectUri,
      scopes: scopes.join(' '),
      code_challenge: codeChallenge ?? '',
      expires_at: new Date(this.clock.now().getTime() + CODE_LIFETIME_MS).toISOString(),
    });
    return code;
  }

  private async authenticateClient(clientId: string | undefined, clientSecret: string | undefined, secretRequired: boolean): Promise<AppRow> {
    const app = clientId ? await this.tokens.findAppByClientId(clientId) : undefined;
    if (!app) throw new OAuthError('invalid_client', 'Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.', 401);
    if (clientSecret !== undefined && clientSecret !== '') {
      if (!safeEqual(hashToken(clientSecret), app.client_secret_hash)) {
        throw new OAuthError('invalid_client', 'Client authentication failed.', 401);
      }
    } else if (secretRequired) {
      throw new OAuthError('invalid_client', 'Client authentication failed.', 401);
    }
    return app;
  }

  async exchangeToken(params: Record<string, string | undefined>): Promise<IssuedToken> {
    switch (params.grant_type) {
      case 'authorization_code':
        return this.exchangeCode(params);
      case 'client_credentials': {
        const app = await this.authenticateClient(params.client_id, params.client_secret, true);
        const scopes = parseScopes(params.scope, app.scopes.split(' ')[0]);
        if (!areValidScopes(scopes) || !isSubsetOf(scopes, app.scopes.split(' '))) {
          throw new OAuthError('invalid_scope', 'The requested scope is invalid, unknown, or malformed.');
        }
        return this.issue({ appId: app.id, accountId: null, scopes, withRefresh: false });
      }
      case 'refresh_token':
        return this.refresh(params);
      default:
        throw new OAuthError('unsupported_grant_type', 'The authorization grant type is not supported by the authorization server.');
    }
  }

  private async exchangeCode(params: Record<string, string | undefined>): Promise<IssuedToken> {
    const verifier = params.code_verifier;
    // A public client proves itself with PKCE; a confidential one may use its secret instead.
    const app = await this.authenticateClient(params.client_id, params.client_secret, verifier === undefined);
    const invalidGrant = () =>
      new OAuthError('invalid_grant', 'The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.');
    if (!params.code) throw invalidGrant();
    const codeHash = hashToken(params.code);
    const code = await this.tokens.consumeCode(codeHash, this.nowIso());
    if (code && code.used_at !== null) {
      // Used twice: someone else has it. What it gave the first time is taken back.
      await this.tokens.revokeAllForCode(codeHash, this.nowIso());
      throw invalidGrant();
    }
    if (!code || code.app_id !== app.id) throw invalidGrant();
    if (code.expires_at <= this.nowIso()) throw invalidGrant();
    if (params.redirect_uri !== code.redirect_uri) throw invalidGrant();
    if (code.code_challenge !== '') {
      if (!verifier || !safeEqual(pkceS256(verifier), code.code_challenge)) throw invalidGrant();
    } else if (verifier !== undefined) {
      throw invalidGrant();
    }
    return this.issue({ appId: app.id, accountId: code.account_id, scopes: code.scopes.split(' '), withRefresh: true, authorizationCodeHash: codeHash });
  }

  /**
   * Refresh-token rotation: the old pair is revoked when a new one is issued. A refresh token
   * presented again after its rotation means someone else holds a copy: its whole family (every
   * token of the same grant, the newest included) is revoked (RFC 9700 §4.14.2).
   */
  private async refresh(params: Record<string, string | undefined>): Promise<IssuedToken> {
    const app = await this.authenticateClient(params.client_id, params.client_secret, false);
    const old = params.refresh_token ? await this.tokens.findByRefreshHash(hashToken(params.refresh_token)) : undefined;
    const invalid = new OAuthError('invalid_grant', 'The refresh token is invalid.');
    if (!old || old.app_id !== app.id) throw invalid;
    if (old.revoked_at !== null || !(await this.tokens.revoke(old.id, this.nowIso()))) {
      if (old.authorization_code_hash !== null) await this.tokens.revokeAllForCode(old.authorization_code_hash, this.nowIso());
      throw invalid;
    }
    return this.issue({ appId: app.id, accountId: old.account_id, scopes: old.scopes.split(' '), withRefresh: true, authorizationCodeHash: old.authorization_code_hash });
  }

  async revoke(params: Record<string, string | undefined>): Promise<void> {
    const app = await this.authenticateClient(params.client_id, params.client_secret, false);
    if (!params.token) return;
    const found =
      (await this.tokens.findActiveToken(hashToken(params.token)))?.token ??
      (await this.tokens.findByRefreshHash(hashToken(params.token)));
    // RFC 7009: answer 200 whatever the token was, but revoke only the client's own tokens.
    if (found && found.app_id === app.id) await this.tokens.revoke(found.id, this.nowIso());
  }

  async issue(input: { appId: string | null; accountId: string | null; scopes: string[]; withRefresh: boolean; kind?: 'oauth' | 'session'; authorizationCodeHash?: string | null }): Promise<IssuedToken> {
    const accessToken = randomToken();
    const refreshToken = input.withRefresh ? randomToken() : undefined;
    const now = this.clock.now();
    const row: TokenRow = {
      id: newId(now.getTime()),
      token_hash: hashToken(accessToken),
      refresh_token_hash: refreshToken ? hashToken(refreshToken) : null,
      kind: input.kind ?? 'oauth',
      app_id: input.appId,
      account_id: input.accountId,
      scopes: input.scopes.join(' '),
      created_at: now.toISOString(),
      last_used_at: null,
      revoked_at: null,
      authorization_code_hash: input.authorizationCodeHash ?? null,
    };
    await this.tokens.insertToken(row);
    return {
      access_token: accessToken,
      token_type: 'Bearer',
      scope: row.scopes,
      created_at: Math.floor(now.getTime() / 1000),
      ...(refreshToken ? { refresh_token: refreshToken } : {}),
    };
  }

  /**
   * Resolves a bearer token or session cookie. Revoked tokens, and tokens of suspended
   * accounts, answer 401; an account still awaiting approval answers 403, and so does one
   * whose e-mail awaits confirmation (mail on), except where `allowUnconfirmed` (resending the link).
   */
  async authenticate(token: string, kind: 'oauth' | 'session', options: { allowUnconfirmed?: boolean } = {}): Promise<Principal> {
    const found = await this.tokens.findActiveToken(hashToken(token));
    if (!found || found.token.kind !== kind || found.disabled) throw unauthorized();
    if (!found.confirmed && !options.allowUnconfirmed) throw new AppError(403, 'Your login is missing a confirmed e-mail address');
    if (!found.approved) throw new AppError(403, 'Your login is currently pending approval');
    const { token: row } = found;
    return {
      viewer: row.account_id ? { accountId: row.account_id, role: found.role ?? 'user', filtersVersion: found.filtersVersion, relationsVersion: found.relationsVersion } : undefined,
      scopes: row.scopes.split(' '),
      tokenId: row.id,
      kind: row.kind,
      appId: row.app_id,
    };
  }

  async revokeToken(tokenId: string): Promise<void> {
    await this.tokens.revoke(tokenId, this.nowIso());
  }

  /**
   * Password log-in for the web client and the OAuth consent page. Unknown accounts cost a
   * hash verification too, and every failure gives the same answer.
   */
  async checkPassword(login: string, password: string): Promise<AccountRow> {
    // Keyed on the name as typed (normalised like the lookup), never on the account it finds:
    // a name without an account is limited the same, so a 429 reveals nothing.
    await this.loginLimit?.takeOrRefuse(`login:${login.trim().toLowerCase().replace(/^@/, '')}`);
    const found = await this.accounts.findUserByLogin(login);
    const ok = await verifyPassword(found?.user.password_hash ?? (await timingDummyHash()), password);
    if (!found || !ok || found.user.disabled) throw unauthorized('Invalid username/email or password');
    if (found.user.email_confirmed_at === null) throw new AppError(403, 'Your login is missing a confirmed e-mail address');
    if (!found.user.approved) throw new AppError(403, 'Your login is currently pending approval');
    return found.account;
  }

  async createSession(accountId: string): Promise<string> {
    const issued = await this.issue({ appId: null, accountId, scopes: ['read', 'write', 'follow', 'push', 'admin:read', 'admin:write'], withRefresh: false, kind: 'session' });
    return issued.access_token;
  }

  /** Changing the password ends every other session and token of the account. */
  async changePassword(viewer: Viewer, current: string, next: string, keepTokenId: string): Promise<void> {
    const user = await this.accounts.findUser(viewer.accountId);
    if (!user || !(await verifyPassword(user.password_hash, current))) throw unprocessable('Current password is incorrect');
    const now = this.nowIso();
    await this.accounts.updateUser(viewer.accountId, { password_hash: await hashPassword(next), password_changed_at: now });
    await this.tokens.revokeAllForAccount(viewer.accountId, now, keepTokenId);
    await this.onPasswordChanged?.(viewer.accountId);
  }

  /** With mail: queues the "your password was changed" notice (services.ts wires it to domain/mail). */
  onPasswordChanged: ((accountId: string) => Promise<void>) | undefined;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost']);
/** A private-use scheme in reverse-domain form (RFC 8252 §7.1): at least two dot-separated labels. */
const PRIVATE_USE_SCHEME = /^[a-z][a-z0-9-]*(\.[a-z0-9-]+)+:$/;

/**
 * Where an authorization may be sent: https:, http: to the client's own machine only,
 * the out-of-band page, or a native app's private-use scheme. Everything else (file:, blob:,
 * data:, javascript:, a plain custom scheme) is refused.
 */
export function isAllowedRedirectUri(uri: string): boolean {
  if (uri === OOB_REDIRECT) return true;
  let u: URL;
  try {
    u = new URL(uri);
  } catch {
    return false;
  }
  if (u.hash !== '') return false; // RFC 6749 §3.1.2: no fragment
  if (u.protocol === 'https:') return u.hostname !== '';
  if (u.protocol === 'http:') return LOOPBACK_HOSTS.has(u.hostname);
  return PRIVATE_USE_SCHEME.test(u.protocol);
}
