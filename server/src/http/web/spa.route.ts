import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';
import { isApiPath } from '../errors.plugin.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
export const WEB_DIST = path.resolve(here, '../../../../web/dist');
const ASSETS = path.resolve(here, '../../../assets');

/**
 * Serves the built web client and falls back to its index.html for client-side routes.
 * API paths that match nothing answer a JSON 404.
 */
export async function registerWebClient(app: FastifyInstance): Promise<void> {
  await app.register(fastifyStatic, { root: ASSETS, prefix: '/assets/', decorateReply: false, index: false });
  const hasBuild = fs.existsSync(path.join(WEB_DIST, 'index.html'));
  if (hasBuild) {
    await app.register(fastifyStatic, { root: WEB_DIST, prefix: '/', wildcard: false, index: false, decorateReply: true });
  }
  const indexHtml = () =>
    hasBuild ? fs.readFileSync(path.join(WEB_DIST, 'index.html'), 'utf8') : '<!doctype html><title>Glimpse</title><p>The web client is not built. Run <code>npm run build</code>.</p>';

  app.setNotFoundHandler((request, reply) => {
    const url = request.url;
    if (isApiPath(url) || request.method !== 'GET' || url.startsWith('/assets/') || url.startsWith('/media/')) {
      return reply.status(404).send({ error: 'Record not found' });
    }
    return reply.status(200).header('Content-Type', 'text/html; charset=utf-8').header('Cache-Control', 'no-cache').send(indexHtml());
  });
}
