import type { LogEvent } from 'kysely';

/** Called with the SQL of each statement the database runs, inside transactions or not, and how long it took. */
export type StatementListener = (sql: string, milliseconds: number) => void;

/**
 * Lets a caller watch every statement a database handle runs, through Kysely's log hook (the
 * only place that sees the statements of transactions as well as the rest). Tests use it to
 * prove what a write costs; with nobody listening it costs one size check per statement.
 */
export class StatementObserver {
  private readonly listeners = new Set<StatementListener>();

  /** Starts calling `listener`; the returned function stops it. */
  listen(listener: StatementListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Kysely's `log` option. */
  readonly log = (event: LogEvent): void => {
    if (this.listeners.size === 0) return;
    for (const listener of this.listeners) listener(event.query.sql, event.queryDurationMillis);
  };
}
