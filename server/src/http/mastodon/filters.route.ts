import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services.ts';
import { FILTER_ACTIONS, FILTER_CONTEXTS, FILTER_LIMITS } from '../../domain/filters/filter.ts';
import { boolish, idParam, parseInput, text, z } from '../input.ts';
import { requireViewer } from '../route-config.ts';
import { presentFilter, presentFilterKeyword, presentFilterStatus, presentV1Filter } from './presenters/filter.presenter.ts';

// Schemas are built once: zod compiles each on first use, which is costly per request.
const asList = (v: unknown) => (v === undefined || v === null ? v : Array.isArray(v) ? v : [v]);
/** context[]: known names only (an unknown one is 422; an empty list is refused by the service). */
const contextList = z.preprocess(asList, z.array(z.enum(FILTER_CONTEXTS)).max(FILTER_CONTEXTS.length * 2, 'has too many items'));
/** Seconds from now; null or '' means never. */
const expiresIn = z.preprocess(
  (v) => (v === '' ? null : typeof v === 'string' && v.trim() !== '' ? Number(v) : v),
  z.number().int().min(1).max(FILTER_LIMITS.maxExpiresIn).nullable(),
);
const keywordAttributes = z
  .object({ id: text(32).optional(), keyword: text(FILTER_LIMITS.keywordLength).optional(), whole_word: boolish.optional(), _destroy: boolish.optional() })
  .passthrough();
/** keywords_attributes[]: a JSON list, or from forms the same keyed by position (`keywords_attributes[0][keyword]`). */
const keywordsAttributes = z.preprocess(
  (v) => (v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.entries(v).sort(([a], [b]) => Number(a) - Number(b)).map(([, k]) => k) : v),
  z.array(keywordAttributes).max(FILTER_LIMITS.keywordsPerFilter * 2, `has too many items (maximum is ${FILTER_LIMITS.keywordsPerFilter * 2})`),
);
const filterFields = {
  filter_action: z.enum(FILTER_ACTIONS).optional(),
  expires_in: expiresIn.optional(),
  keywords_attributes: keywordsAttributes.optional(),
};
const createSchema = z.object({ title: text(FILTER_LIMITS.titleLength), context: contextList, ...filterFields }).passthrough();
const updateSchema = z.object({ title: text(FILTER_LIMITS.titleLength).optional(), context: contextList.optional(), ...filterFields }).passthrough();
const keywordSchema = z.object({ keyword: text(FILTER_LIMITS.keywordLength), whole_word: boolish.optional() }).passthrough();
const keywordUpdateSchema = z.object({ keyword: text(FILTER_LIMITS.keywordLength).optional(), whole_word: boolish.optional() }).passthrough();
const statusSchema = z.object({ status_id: text(32) }).passthrough();
const filterIdParam = z.object({ filter_id: z.string().max(32) });
const v1Fields = { irreversible: boolish.optional(), whole_word: boolish.optional(), expires_in: expiresIn.optional() };
const v1CreateSchema = z.object({ phrase: text(FILTER_LIMITS.keywordLength), context: contextList, ...v1Fields }).passthrough();
const v1UpdateSchema = z.object({ phrase: text(FILTER_LIMITS.keywordLength).optional(), context: contextList.optional(), ...v1Fields }).passthrough();

/** Filters: v2 (filters, their keywords and statuses) and v1 (one keyword each). */
export function registerFilterRoutes(app: FastifyInstance, services: Services): void {
  const read = { auth: 'user', scope: 'read:filters' } as const;
  const write = { auth: 'user', scope: 'write:filters' } as const;
  const filters = services.filters;

  // ---- v2 ----
  app.get('/api/v2/filters', { config: read }, async (request) => (await filters.all(requireViewer(request.viewer))).map(presentFilter));

  app.post('/api/v2/filters', { config: write }, async (request) => {
    const input = parseInput(createSchema, request.body);
    const created = await filters.create(requireViewer(request.viewer), {
      title: input.title,
      context: input.context,
      action: input.filter_action,
      expiresIn: input.expires_in,
      keywords: (input.keywords_attributes ?? []).filter((k) => !k._destroy).map((k) => ({ keyword: k.keyword ?? '', wholeWord: k.whole_word })),
    });
    return presentFilter(created);
  });

  app.get('/api/v2/filters/:id', { config: read }, async (request) => {
    const { id } = parseInput(idParam, request.params);
    return presentFilter(await filters.get(requireViewer(request.viewer), id));
  });

  app.put('/api/v2/filters/:id', { config: write }, async (request) => {
    const { id } = parseInput(idParam, request.params);
    const input = parseInput(updateSchema, request.body);
    const updated = await filters.update(requireViewer(request.viewer), id, {
      title: input.title,
      context: input.context,
      action: input.filter_action,
      expiresIn: input.expires_in,
      keywords: input.keywords_attributes?.map((k) => ({ id: k.id, keyword: k.keyword, wholeWord: k.whole_word, destroy: k._destroy })),
    });
    return presentFilter(updated);
  });

  app.delete('/api/v2/filters/:id', { config: write }, async (request) => {
    const { id } = parseInput(idParam, request.params);
    await filters.remove(requireViewer(request.viewer), id);
    return {};
  });

  // ---- v2 keywords ----
  app.get('/api/v2/filters/:filter_id/keywords', { config: read }, async (request) => {
    const { filter_id } = parseInput(filterIdParam, request.params);
    return (await filters.keywords(requireViewer(request.viewer), filter_id)).map(presentFilterKeyword);
  });

  app.post('/api/v2/filters/:filter_id/keywords', { config: write }, async (request) => {
    const { filter_id } = parseInput(filterIdParam, request.params);
    const input = parseInput(keywordSchema, request.body);
    return presentFilterKeyword(await filters.addKeyword(requireViewer(request.viewer), filter_id, { keyword: input.keyword, wholeWord: input.whole_word }));
  });

  app.get('/api/v2/filters/keywords/:id', { config: read }, async (request) => {
    const { id } = parseInput(idParam, request.params);
    return presentFilterKeyword(await filters.keyword(requireViewer(request.viewer), id));
  });

  app.put('/api/v2/filters/keywords/:id', { config: write }, async (request) => {
    const { id } = parseInput(idParam, request.params);
    const input = parseInput(keywordUpdateSchema, request.body);
    return presentFilterKeyword(await filters.updateKeyword(requireViewer(request.viewer), id, { keyword: input.keyword, wholeWord: input.whole_word }));
  });

  app.delete('/api/v2/filters/keywords/:id', { config: write }, async (request) => {
    const { id } = parseInput(idParam, request.params);
    await filters.removeKeyword(requireViewer(request.viewer), id);
    return {};
  });

  // ---- v2 statuses ----
  app.get('/api/v2/filters/:filter_id/statuses', { config: read }, async (request) => {
    const { filter_id } = parseInput(filterIdParam, request.params);
    return (await filters.statuses(requireViewer(request.viewer), filter_id)).map(presentFilterStatus);
  });

  app.post('/api/v2/filters/:filter_id/statuses', { config: write }, async (request) => {
    const { filter_id } = parseInput(filterIdParam, request.params);
    const input = parseInput(statusSchema, request.body);
    return presentFilterStatus(await filters.addStatus(requireViewer(request.viewer), filter_id, input.status_id));
  });

  app.get('/api/v2/filters/statuses/:id', { config: read }, async (request) => {
    const { id } = parseInput(idParam, request.params);
    return presentFilterStatus(await filters.status(requireViewer(request.viewer), id));
  });

  app.delete('/api/v2/filters/statuses/:id', { config: write }, async (request) => {
    const { id } = parseInput(idParam, request.params);
    await filters.removeStatus(requireViewer(request.viewer), id);
    return {};
  });

  // ---- v1 ----
  app.get('/api/v1/filters', { config: read }, async (request) => (await filters.v1All(requireViewer(request.viewer))).map(presentV1Filter));

  app.post('/api/v1/filters', { config: write }, async (request) => {
    const input = parseInput(v1CreateSchema, request.body);
    return presentV1Filter(
      await filters.v1Create(requireViewer(request.viewer), { phrase: input.phrase, context: input.context, irreversible: input.irreversible, wholeWord: input.whole_word, expiresIn: input.expires_in }),
    );
  });

  app.get('/api/v1/filters/:id', { config: read }, async (request) => {
    const { id } = parseInput(idParam, request.params);
    return presentV1Filter(await filters.v1Get(requireViewer(request.viewer), id));
  });

  app.put('/api/v1/filters/:id', { config: write }, async (request) => {
    const { id } = parseInput(idParam, request.params);
    const input = parseInput(v1UpdateSchema, request.body);
    return presentV1Filter(
      await filters.v1Update(requireViewer(request.viewer), id, { phrase: input.phrase, context: input.context, irreversible: input.irreversible, wholeWord: input.whole_word, expiresIn: input.expires_in }),
    );
  });

  app.delete('/api/v1/filters/:id', { config: write }, async (request) => {
    const { id } = parseInput(idParam, request.params);
    await filters.v1Remove(requireViewer(request.viewer), id);
    return {};
  });
}
