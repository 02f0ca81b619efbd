import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';
import { isApiPath } from '../errors.plugin.ts';
import { escapeHtml } from '../text-html.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
/** The built web client: web/dist, or GLIMPSE_WEB_DIST (a client built elsewhere, or one per test worker). */
export const WEB_DIST = process.env.GLIMPSE_WEB_DIST ? path.resolve(process.env.GLIMPSE_WEB_DIST) : path.resolve(here, '../../../../web/dist');
const ASSETS = path.resolve(here, '../../../assets');

/**
 * Serves the built web client and falls back to its index.html for client-side routes.
 * API paths that match nothing answer a JSON 404.
 */
export async function registerWebClient(app: FastifyInstance): Promise<void> {
  // Server-owned files (default avatar, OAuth page style) under /static; Vite's build owns /assets.
  await app.register(fastifyStatic, { root: ASSETS, prefix: '/static/', decorateReply: false, index: false });
  if (fs.existsSync(path.join(WEB_DIST, 'index.html'))) {
    // Source maps are never served, even if a build left one behind: they publish the source.
    await app.register(fastifyStatic, { root: WEB_DIST, prefix: '/', wildcard: false, index: false, decorateReply: true, allowedPath: (pathName) => !pathName.endsWith('.map') });
  }

  app.setNotFoundHandler((request, reply) => {
    const url = request.url;
    if (isApiPath(url) || request.method !== 'GET' || url.split('?')[0].endsWith('.map') || url.startsWith('/assets/') || url.startsWith('/static/') || url.startsWith('/media/')) {
      return reply.status(404).send({ error: 'Record not found' });
    }
    return reply.status(200).header('Content-Type', 'text/html; charset=utf-8').header('Cache-Control', 'no-cache').send(spaIndexHtml());
  });
}

let cachedIndex: string | undefined;

/** The web client's index.html, with extra tags (Open Graph) placed in its head and, when given, its own <title> (escaped here). */
export function spaIndexHtml(extraHead = '', title?: string): string {
  if (cachedIndex === undefined) {
    const file = path.join(WEB_DIST, 'index.html');
    cachedIndex = fs.existsSync(file)
      ? fs.readFileSync(file, 'utf8')
      : '<!doctype html><html><head><title>Glimpse</title></head><body><p>The web client is not built. Run <code>npm run build</code>.</p></body></html>';
  }
  if (!extraHead && title === undefined) return cachedIndex;
  // Spliced by position, never with String.replace: its replacement string expands $&, $` and
  // $' patterns, and extraHead holds user text (display names, captions).
  let html = cachedIndex;
  if (title !== undefined) {
    const open = html.indexOf('<title>');
    const close = html.indexOf('</title>', open);
    if (open >= 0 && close > open) html = `${html.slice(0, open)}<title>${escapeHtml(title)}${html.slice(close)}`;
  }
  const at = html.indexOf('</head>');
  return at < 0 ? html : `${html.slice(0, at)}${extraHead}\n${html.slice(at)}`;
}
