import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services.ts';
import { LIST_LIMITS } from '../../domain/lists/list-service.ts';
import { boolish, idParam, parseInput, stringList, text, z } from '../input.ts';
import { parsePaging, setLinkHeader } from '../paging.ts';
import { requireViewer } from '../route-config.ts';
import { presentAccount } from './presenters/account.presenter.ts';
import { presentList } from './presenters/list.presenter.ts';
import { presentStatus } from './presenters/status.presenter.ts';

// Schemas are built once: zod compiles each on first use, which is costly per request.
const repliesPolicy = z.enum(['followed', 'list', 'none']);
const createSchema = z.object({ title: text(LIST_LIMITS.titleLength), replies_policy: repliesPolicy.optional(), exclusive: boolish.optional() }).passthrough();
const updateSchema = z.object({ title: text(LIST_LIMITS.titleLength).optional(), replies_policy: repliesPolicy.optional(), exclusive: boolish.optional() }).passthrough();
const accountIdsSchema = z.object({ account_ids: stringList(LIST_LIMITS.accountsPerList, 32) }).passthrough();
const listIdParam = z.object({ list_id: z.string().max(32) });
/** limit=0 asks for every member (Mastodon's convention; a list holds at most LIST_LIMITS.accountsPerList). */
const everyMember = z.object({ limit: z.literal('0') }).passthrough();

/** Lists: CRUD, their members, GET /accounts/:id/lists and the list timeline. */
export function registerListRoutes(app: FastifyInstance, services: Services): void {
  const ctx = { ...services.config, mediaUrls: services.mediaUrls };
  const read = { auth: 'user', scope: 'read:lists' } as const;
  const write = { auth: 'user', scope: 'write:lists' } as const;

  app.get('/api/v1/lists', { config: read }, async (request) => (await services.lists.all(requireViewer(request.viewer))).map(presentList));

  app.post('/api/v1/lists', { config: write }, async (request) => {
    const input = parseInput(createSchema, request.body);
    return presentList(await services.lists.create(requireViewer(request.viewer), { title: input.title, repliesPolicy: input.replies_policy, exclusive: input.exclusive }));
  });

  app.get('/api/v1/lists/:id', { config: read }, async (request) => {
    const { id } = parseInput(idParam, request.params);
    return presentList(await services.lists.get(requireViewer(request.viewer), id));
  });

  app.put('/api/v1/lists/:id', { config: write }, async (request) => {
    const { id } = parseInput(idParam, request.params);
    const input = parseInput(updateSchema, request.body);
    return presentList(await services.lists.update(requireViewer(request.viewer), id, { title: input.title, repliesPolicy: input.replies_policy, exclusive: input.exclusive }));
  });

  app.delete('/api/v1/lists/:id', { config: write }, async (request) => {
    const { id } = parseInput(idParam, request.params);
    await services.lists.remove(requireViewer(request.viewer), id);
    return {};
  });

  app.get('/api/v1/lists/:id/accounts', { config: read }, async (request, reply) => {
    const { id } = parseInput(idParam, request.params);
    const all = everyMember.safeParse(request.query).success;
    const paging = parsePaging(all ? {} : request.query, 40, 80);
    const page = await services.lists.members(requireViewer(request.viewer), id, all ? 'all' : paging);
    if (!all) setLinkHeader(request, reply, services.config.publicUrl, page.ids, paging.limit);
    return page.accounts.map((a) => presentAccount(services.config, a));
  });

  // Clients send account_ids[] in the body (JSON or form), some on DELETE in the query.
  const accountIdsOf = (request: { body: unknown; query: unknown }) =>
    parseInput(accountIdsSchema, { ...(request.query as object), ...((request.body as object | null) ?? {}) }).account_ids ?? [];

  app.post('/api/v1/lists/:id/accounts', { config: write }, async (request) => {
    const { id } = parseInput(idParam, request.params);
    await services.lists.addMembers(requireViewer(request.viewer), id, accountIdsOf(request));
    return {};
  });

  app.delete('/api/v1/lists/:id/accounts', { config: write }, async (request) => {
    const { id } = parseInput(idParam, request.params);
    await services.lists.removeMembers(requireViewer(request.viewer), id, accountIdsOf(request));
    return {};
  });

  app.get('/api/v1/accounts/:id/lists', { config: read }, async (request) => {
    const { id } = parseInput(idParam, request.params);
    return (await services.lists.holding(requireViewer(request.viewer), id)).map(presentList);
  });

  app.get('/api/v1/timelines/list/:list_id', { config: read }, async (request, reply) => {
    const { list_id } = parseInput(listIdParam, request.params);
    const paging = parsePaging(request.query, 20, 40);
    const page = await services.lists.timeline(requireViewer(request.viewer), list_id, paging);
    setLinkHeader(request, reply, services.config.publicUrl, page.ids, paging.limit);
    return (await services.filters.apply(request.viewer, 'home', page.posts)).map((p) => presentStatus(ctx, p));
  });
}
