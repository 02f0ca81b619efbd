import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services.ts';
import { canSeeAccount } from '../../access/account-policy.ts';
import { anonymousContext } from '../../access/viewer-context.ts';
import { escapeHtml } from '../text-html.ts';
import { parseInput, text, z } from '../input.ts';
import { spaIndexHtml } from './spa.route.ts';

const usernameParams = z.object({ username: text(40) });

/**
 * A profile's page at /@username: the web client with a real <title> and Open Graph tags, so a
 * shared link previews as the person. Only for an account an anonymous visitor may see
 * (access/account-policy.ts); any other answers the plain shell, which tells nothing.
 */
export function registerProfilePageRoutes(app: FastifyInstance, services: Services): void {
  const { config } = services;

  app.get('/@:username', { config: { auth: 'none' } }, async (request, reply) => {
    const { username } = parseInput(usernameParams, request.params);
    reply.header('Content-Type', 'text/html; charset=utf-8').header('Cache-Control', 'no-cache');
    const account = /^[A-Za-z0-9_]{1,30}$/.test(username) ? await services.repositories.accounts.findByUsername(username) : undefined;
    if (!account || !canSeeAccount(anonymousContext, account)) return spaIndexHtml();
    const site = (await services.instanceSettings.cached()).title;
    const name = account.display_name || account.username;
    const title = `${name} (@${account.username}) · ${site}`;
    const url = `${config.publicUrl}/@${account.username}`;
    const avatar = account.avatar_path ? `${config.publicUrl}${account.avatar_path}` : `${config.publicUrl}/static/avatar-missing.png`;
    // The bio is stored as plain text; collapse its lines for a one-paragraph preview.
    const bio = account.note.replace(/\s+/g, ' ').trim().slice(0, 300);
    const meta = [
      `<meta property="og:type" content="profile">`,
      `<meta property="og:site_name" content="${escapeHtml(site)}">`,
      `<meta property="og:title" content="${escapeHtml(`${name} (@${account.username})`)}">`,
      `<meta property="og:description" content="${escapeHtml(bio)}">`,
      `<meta property="og:url" content="${escapeHtml(url)}">`,
      `<meta property="og:image" content="${escapeHtml(avatar)}">`,
      `<meta property="profile:username" content="${escapeHtml(account.username)}">`,
      `<meta name="twitter:card" content="summary">`,
      `<link rel="canonical" href="${escapeHtml(url)}">`,
    ].join('\n');
    return spaIndexHtml(meta, title);
  });
}
