import crypto from 'node:crypto';
import type { Actor, Response, World } from './world.ts';

/**
 * Small helpers the API tests share: OAuth apps and tokens through the real endpoints, form and
 * multipart bodies, cookies and Link headers. Nothing here stands in for server code.
 */

export const REDIRECT_URI = 'https://client.example/callback';

export interface RegisteredApp {
  id: string;
  client_id: string;
  client_secret: string;
  redirect_uris: string[];
  scopes: string[];
}

/** POST /api/v1/apps. */
export async function createOAuthApp(world: World, options: { scopes?: string; redirectUris?: string[]; name?: string } = {}): Promise<RegisteredApp> {
  const res = await world.post(undefined, '/api/v1/apps', {
    client_name: options.name ?? 'Test client',
    redirect_uris: options.redirectUris ?? [REDIRECT_URI],
    scopes: options.scopes ?? 'read write follow push',
  });
  if (res.status !== 200) throw new Error(`creating an app failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** A client_credentials token of the app, as an Actor-shaped caller without an account. */
export async function appToken(world: World, app: RegisteredApp, scope?: string): Promise<Actor> {
  const res = await world.post(undefined, '/oauth/token', {
    grant_type: 'client_credentials',
    client_id: app.client_id,
    client_secret: app.client_secret,
    ...(scope ? { scope } : {}),
  });
  if (res.status !== 200) throw new Error(`client_credentials failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { id: '', username: `app:${app.id}`, token: res.body.access_token };
}

/** Another token for an existing actor, with exactly these scopes (issued as the OAuth flow would). */
export async function tokenWithScopes(world: World, actor: Actor, scopes: string[]): Promise<Actor> {
  const issued = await world.app.services.auth.issue({ appId: null, accountId: actor.id, scopes, withRefresh: false });
  return { ...actor, token: issued.access_token };
}

/**
 * What a browser gets from GET /oauth/authorize before it can post the password form: the
 * form's csrf_token and the cookie it is bound to (send it as the Cookie header).
 */
export async function oauthLoginForm(world: World, app: RegisteredApp): Promise<{ csrf_token: string; cookie: string }> {
  const query = new URLSearchParams({ client_id: app.client_id, redirect_uri: app.redirect_uris[0], response_type: 'code', scope: app.scopes[0] });
  const page = await world.get(undefined, `/oauth/authorize?${query}`);
  const csrf = /name="csrf_token" value="([^"]+)"/.exec(String(page.body))?.[1];
  const cookie = setCookie(page, 'glimpse_oauth_login');
  if (page.status !== 200 || !csrf || !cookie) throw new Error(`the OAuth log-in form did not render: ${page.status}`);
  return { csrf_token: csrf, cookie: `glimpse_oauth_login=${cookie.value}` };
}

export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = crypto.randomBytes(32).toString('base64url');
  const challenge = crypto.createHash('sha256').update(verifier).digest('base64url');
  return { verifier, challenge };
}

/** An application/x-www-form-urlencoded request, as HTML forms and many clients send. */
export function formRequest<T = any>(world: World, as: Parameters<World['request']>[0], method: 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, fields: Record<string, string | string[]>, headers: Record<string, string> = {}): Promise<Response<T>> {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(fields)) {
    for (const v of Array.isArray(value) ? value : [value]) params.append(key, v);
  }
  return world.request<T>(as, method, url, params.toString(), { 'content-type': 'application/x-www-form-urlencoded', ...headers });
}

/** A multipart/form-data request with text fields only. */
export function multipartRequest<T = any>(world: World, as: Parameters<World['request']>[0], method: 'POST' | 'PATCH' | 'PUT', url: string, fields: Array<[string, string]>, headers: Record<string, string> = {}): Promise<Response<T>> {
  const boundary = `----glimpse-test-${crypto.randomBytes(8).toString('hex')}`;
  const parts = fields.map(([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`);
  const body = `${parts.join('')}--${boundary}--\r\n`;
  return world.request<T>(as, method, url, Buffer.from(body), { 'content-type': `multipart/form-data; boundary=${boundary}`, ...headers });
}

/** The value of one cookie set by a response, with its attributes. */
export function setCookie(res: Response, name: string): { value: string; attributes: string[] } | undefined {
  const raw = res.headers['set-cookie'];
  const all = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  for (const line of all) {
    const [pair, ...attributes] = line.split(';').map((s) => s.trim());
    const eq = pair.indexOf('=');
    if (pair.slice(0, eq) === name) return { value: pair.slice(eq + 1), attributes };
  }
  return undefined;
}

/** The Link header's rel="next"/"prev" targets, as paths relative to the server. */
export function linkTargets(res: Response, publicUrl: string): { next?: string; prev?: string } {
  const header = String(res.headers.link ?? '');
  const out: { next?: string; prev?: string } = {};
  for (const part of header.split(',')) {
    const match = /<([^>]+)>;\s*rel="(next|prev)"/.exec(part.trim());
    if (match) out[match[2] as 'next' | 'prev'] = match[1].startsWith(publicUrl) ? match[1].slice(publicUrl.length) : match[1];
  }
  return out;
}

export function ids(res: Response<Array<{ id: string }>>): string[] {
  return res.body.map((item) => item.id);
}
