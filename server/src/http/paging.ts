import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { intish, parseInput } from './input.ts';

export interface PageParams {
  maxId?: string;
  sinceId?: string;
  minId?: string;
  limit: number;
}

/** Ids are fixed-width decimal strings; shorter ones are padded so comparisons stay numeric. */
const pagingId = z
  .string()
  .regex(/^\d{1,20}$/, 'must be an id')
  .transform((v) => (v.length > 16 ? '9'.repeat(16) : v.padStart(16, '0')))
  .optional();

/** Built once: zod compiles a schema on its first use, which is costly to repeat per request. */
const pagingSchema = z
  .object({
    max_id: pagingId,
    since_id: pagingId,
    min_id: pagingId,
    limit: intish(1, 1000).optional(),
  })
  .passthrough();

export function parsePaging(query: unknown, defaultLimit = 20, maxLimit = 40): PageParams {
  const q = parseInput(pagingSchema, query);
  return {
    maxId: q.max_id,
    sinceId: q.since_id,
    minId: q.min_id,
    limit: Math.min(q.limit ?? defaultLimit, maxLimit),
  };
}

/**
 * Mastodon's Link header: `next` pages to older items (max_id), `prev` to newer (min_id).
 * `ids` are the paging keys of the page, newest first.
 */
export function setLinkHeader(request: FastifyRequest, reply: FastifyReply, publicUrl: string, ids: string[], limit: number): void {
  if (ids.length === 0) return;
  const url = new URL(request.url, publicUrl);
  const base = `${publicUrl}${url.pathname}`;
  const keep = new URLSearchParams();
  for (const [k, v] of url.searchParams) if (!['max_id', 'since_id', 'min_id'].includes(k)) keep.append(k, v);
  const link = (param: string, id: string) => {
    const p = new URLSearchParams(keep);
    p.set(param, id);
    return `<${base}?${p.toString()}>`;
  };
  const parts: string[] = [];
  if (ids.length >= limit) parts.push(`${link('max_id', ids[ids.length - 1])}; rel="next"`);
  parts.push(`${link('min_id', ids[0])}; rel="prev"`);
  reply.header('Link', parts.join(', '));
}
