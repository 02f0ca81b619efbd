import { z } from 'zod';
import { unprocessable } from '../errors.ts';

/**
 * Input schemas: every route parses its query and body through one of these, so every field
 * has a type and a bound, and a bad value answers 422 in the Mastodon shape.
 */
export function parseInput<T extends z.ZodType>(schema: T, value: unknown): z.output<T> {
  const nul = findNul(value);
  if (nul !== undefined) throw unprocessable(`Validation failed: ${nul || 'input'} must not contain NUL characters`);
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue.path.join('.') || 'input';
  throw unprocessable(`Validation failed: ${field} ${issue.message}`);
}

/**
 * The path of the first string holding U+0000, which PostgreSQL cannot store or compare (it
 * would fail the query with a 500), and which no field has a use for. Files are not searched.
 */
function findNul(value: unknown, path = ''): string | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? path : undefined;
  if (typeof value !== 'object' || value === null || Buffer.isBuffer(value)) return undefined;
  for (const [key, item] of Object.entries(value)) {
    const found = findNul(item, path ? `${path}.${key}` : key);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** Booleans arrive as JSON booleans, or as "true"/"false"/"1"/"0" from forms and queries. */
export const boolish = z.preprocess((v) => {
  if (typeof v === 'string') {
    if (['true', '1', 'on'].includes(v.toLowerCase())) return true;
    if (['false', '0', 'off', ''].includes(v.toLowerCase())) return false;
  }
  return v;
}, z.boolean());

export const intish = (min: number, max: number) =>
  z.preprocess((v) => (typeof v === 'string' && v.trim() !== '' ? Number(v) : v), z.number().int().min(min).max(max));

/** `?limit=` of an unread count: how far to count (1 to 1000). */
export const countLimitQuery = z.object({ limit: intish(1, 1000).optional() }).passthrough();

/** A bounded string, trimmed of nothing: what the person typed is what is stored. */
export const text = (max: number) => z.string().max(max, `is too long (maximum is ${max} characters)`);

/** `a[]=1&a[]=2`, `a=1` or a JSON array: all become a bounded list of strings. */
export const stringList = (maxItems: number, maxLength = 64) =>
  z.preprocess(
    (v) => (v === undefined ? undefined : Array.isArray(v) ? v : [v]),
    z.array(z.string().max(maxLength)).max(maxItems, `has too many items (maximum is ${maxItems})`),
  );

export const idParam = z.object({ id: z.string().max(32) });

export { z };
