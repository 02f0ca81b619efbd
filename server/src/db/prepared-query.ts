import { type CompiledQuery, type Compilable, type RawBuilder, createQueryId } from 'kysely';
import type { Db } from './database.ts';

/**
 * A query built with Kysely once per shape and dialect, then run with new values: building a
 * query tree and compiling it to SQL cost about a sixth of the home feed's main-thread CPU,
 * though the hot queries have few shapes. The query is built with a marker in place of every
 * value of `args` (strings, numbers, Dates, and each element of an array), compiled, and kept
 * as SQL with the markers' positions among its parameters; a run fills them from its own args.
 *
 * The shape is what the builder may branch on: which args are undefined or null, booleans'
 * values, arrays' lengths, and whether a value is '' or 0 (those stay in the query as they are). Anything else must only be passed on to Kysely as a value: a
 * value inlined into the SQL (sql.lit, sql.raw, an identifier) or transformed before use
 * (concatenated, parsed) would be frozen into the kept SQL, and is refused when the shape is
 * first compiled. At most MAX_SHAPES shapes are kept per query and dialect; beyond them a run
 * builds and compiles as usual.
 */
export interface PreparedQuery<A, R> {
  execute(db: Db, args: A): Promise<R[]>;
}

const MAX_SHAPES = 256;
const MARK = '\u27e6glimpse-arg:';
const END = '\u27e7';

interface Template {
  sql: string;
  query: CompiledQuery['query'];
  /** Per parameter: the path into args it comes from, or a constant of the query. */
  slots: Array<{ path: readonly (string | number)[] } | { value: unknown }>;
}

type Adapter = object;

/** A query builder's query, or a raw `sql` statement. */
type Buildable<R> = Compilable<R> | RawBuilder<R>;

const compile = <R>(db: Db, query: Buildable<R>): CompiledQuery<R> => ('isRawBuilder' in query ? query.compile(db) : query.compile());

export function preparedQuery<A extends object, R>(build: (db: Db, args: A) => Buildable<R>): PreparedQuery<A, R> {
  const byAdapter = new WeakMap<Adapter, Map<string, Template>>();
  return {
    async execute(db, args) {
      const executor = db.getExecutor();
      // Plugins transform each query and its result by query id: leave such handles to Kysely.
      if (executor.plugins.length > 0) return (await db.executeQuery(compile(db, build(db, args)))).rows;
      let templates = byAdapter.get(executor.adapter);
      if (!templates) byAdapter.set(executor.adapter, (templates = new Map()));
      const shape = shapeOf(args);
      let template = templates.get(shape);
      if (!template) {
        template = compileTemplate(db, build, args);
        if (templates.size < MAX_SHAPES) templates.set(shape, template);
      }
      const parameters = template.slots.map((slot) => ('path' in slot ? valueAt(args, slot.path) : slot.value));
      const compiled: CompiledQuery<R> = { sql: template.sql, parameters, query: template.query, queryId: createQueryId() };
      return (await db.executeQuery(compiled)).rows;
    },
  };
}

const isLeaf = (value: unknown) => typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint' || value instanceof Date;

/** '' and 0 are part of the shape, and stay as they are: a builder's `if (value)` must see them falsy. */
const isFalsyLeaf = (value: unknown) => value === '' || value === 0 || value === 0n || Number.isNaN(value);

/** What a builder may branch on: undefined and null, booleans, arrays' lengths, objects' keys. */
function shapeOf(value: unknown): string {
  if (value === undefined) return 'u';
  if (value === null) return 'n';
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (isFalsyLeaf(value)) return JSON.stringify(value);
  if (isLeaf(value)) return 'v';
  if (Array.isArray(value)) return `[${value.map(shapeOf).join(',')}]`;
  if (typeof value === 'object' && [Object.prototype, null].includes(Object.getPrototypeOf(value))) {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${k}:${shapeOf((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  throw new TypeError(`preparedQuery: cannot take a ${typeof value} as a value`);
}

/** args with every value replaced by the marker of its path. */
function marked(value: unknown, path: ReadonlyArray<string | number>): unknown {
  if (isFalsyLeaf(value)) return value;
  if (isLeaf(value)) return `${MARK}${JSON.stringify(path)}${END}`;
  if (Array.isArray(value)) return value.map((v, i) => marked(v, [...path, i]));
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, marked(v, [...path, k])]));
  return value;
}

function compileTemplate<A extends object, R>(db: Db, build: (db: Db, args: A) => Buildable<R>, args: A): Template {
  const compiled = compile(db, build(db, marked(args, []) as A));
  if (compiled.sql.includes(MARK)) throw new Error(`preparedQuery: a value was written into the SQL instead of passed as a parameter: ${compiled.sql}`);
  const slots = compiled.parameters.map((parameter) => {
    if (typeof parameter !== 'string' || !parameter.includes(MARK)) return { value: parameter };
    if (!parameter.startsWith(MARK) || !parameter.endsWith(END)) throw new Error(`preparedQuery: a value was changed before it reached the query: ${parameter}`);
    return { path: JSON.parse(parameter.slice(MARK.length, -END.length)) as Array<string | number> };
  });
  return { sql: compiled.sql, query: compiled.query, slots };
}

function valueAt(args: unknown, path: readonly (string | number)[]): unknown {
  let value = args;
  for (const key of path) value = (value as Record<string | number, unknown>)[key];
  return value;
}
