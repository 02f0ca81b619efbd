import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services.ts';
import { parseInput, text, z } from '../input.ts';
import { notFound } from '../../errors.ts';

const createAppSchema = z.object({
  client_name: text(200).min(1, "can't be blank"),
  redirect_uris: z.union([text(2000), z.array(text(2000)).max(10)]),
  scopes: text(500).optional(),
  website: text(2000).optional().nullable(),
});

export function registerAppRoutes(app: FastifyInstance, services: Services): void {
  app.post('/api/v1/apps', { config: { auth: 'none' } }, async (request) => {
    const input = parseInput(createAppSchema, request.body);
    const redirectUris = (Array.isArray(input.redirect_uris) ? input.redirect_uris : input.redirect_uris.split(/\s+/)).filter(Boolean);
    const { app: created, clientSecret } = await services.auth.createApp({
      name: input.client_name,
      redirectUris,
      scopes: input.scopes ?? 'read',
      website: input.website ?? undefined,
    });
    const uris = created.redirect_uris.split('\n');
    return {
      id: created.id,
      name: created.name,
      website: created.website,
      scopes: created.scopes.split(' '),
      redirect_uri: uris.join('\n'),
      redirect_uris: uris,
      client_id: created.client_id,
      client_secret: clientSecret,
      client_secret_expires_at: 0,
      vapid_key: await services.push.publicKey(),
    };
  });

  app.get('/api/v1/apps/verify_credentials', { config: { auth: 'app' } }, async (request) => {
    const found = await services.auth.findApp(request.principal?.appId ?? null);
    if (!found) throw notFound();
    return { id: found.id, name: found.name, website: found.website, scopes: found.scopes.split(' '), redirect_uris: found.redirect_uris.split('\n'), vapid_key: await services.push.publicKey() };
  });
}
