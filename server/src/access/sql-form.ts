import { type Expression, type RawBuilder, type SqlBool, sql } from 'kysely';

/**
 * The small vocabulary the SQL forms of the access rules are written in. A SQL form is the
 * rule a query must apply itself (so a page is not filled with rows the rule would drop);
 * it is defined beside its predicate, takes the table aliases of the query it is used in, and
 * is tested to agree with the predicate on both databases (test/api/access-sql-agreement).
 * Building an expression does no I/O: the access layer stays pure.
 */
export type SqlForm = Expression<SqlBool>;

/** `alias.name`, for the query's own alias of a table. */
export function column(alias: string, name: string): RawBuilder<unknown> {
  return sql.ref(`${alias}.${name}`);
}

export function allOf(...forms: SqlForm[]): SqlForm {
  return sql<SqlBool>`(${sql.join(forms, sql` and `)})`;
}

export function anyOf(...forms: SqlForm[]): SqlForm {
  return sql<SqlBool>`(${sql.join(forms, sql` or `)})`;
}
