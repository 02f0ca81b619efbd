import type { FastifyInstance } from 'fastify';

/** A strict CSP (no inline script or style) and the other headers, on every response. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob:",
  "connect-src 'self' ws: wss:",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * The same policy with more sources allowed for `form-action`. Chromium applies form-action to
 * every redirect after a form is sent, so the OAuth consent page names where its answer
 * redirects (the app's registered redirect URI). Sources are CSP source expressions.
 */
export function policyWithFormAction(sources: readonly string[]): string {
  return CONTENT_SECURITY_POLICY.replace("form-action 'self'", ["form-action 'self'", ...sources].join(' '));
}

/** Browsers are told to use only https for a year, once the instance is served over https. */
export const STRICT_TRANSPORT_SECURITY = 'max-age=31536000';

export function registerSecurityHeaders(app: FastifyInstance, publicUrl: string): void {
  const https = publicUrl.startsWith('https://');
  app.addHook('onSend', async (_request, reply, payload) => {
    if (https) reply.header('Strict-Transport-Security', STRICT_TRANSPORT_SECURITY);
    if (!reply.hasHeader('Content-Security-Policy')) reply.header('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('Referrer-Policy', 'same-origin');
    if (!reply.hasHeader('X-Frame-Options') && /frame-ancestors 'none'/.test(String(reply.getHeader('Content-Security-Policy')))) {
      reply.header('X-Frame-Options', 'DENY');
    }
    return payload;
  });
}
