import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.ts';
import type { Db } from './database.ts';

/** PostgreSQL's deadlock (40P01) and serialization failure (40001): the transaction may simply run again. */
function isRetryable(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return code === '40P01' || code === '40001';
}

interface Pending {
  work: (trx: Db) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for small, hot writes (a storm of comments): units of work that arrive while a
 * transaction is committing wait, then run together in the next transaction, each inside a
 * savepoint of its own. One commit (one fsync on SQLite with synchronous=FULL) serves the
 * whole group, and each caller is answered only after that commit, so an answered write is
 * durable exactly as with a transaction of its own. A unit that throws is rolled back to its
 * savepoint and rejected alone; if the commit fails, every unit of the group is rejected and
 * none is stored.
 *
 * Units must use only the transaction handle they are given (on SQLite, a query outside it
 * would wait for the connection the group holds).
 */
export class GroupCommit {
  private readonly queue: Pending[] = [];
  private isFlushing = false;
  /** Transactions committed and the units they carried (tests check the grouping with it). */
  readonly stats = { groups: 0, units: 0 };

  constructor(
    private readonly db: Kysely<Database>,
    private readonly maxGroup = 64,
  ) {}

  /**
   * The group's transaction; on PostgreSQL one that lost a deadlock or a serialization check
   * to another process's transaction (40P01, 40001) rolled back whole, so it runs again from
   * the start (up to three times) instead of failing every unit of the group.
   */
  private async commitWithRetry(body: (trx: Db) => Promise<void>): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.db.transaction().execute(body);
        return;
      } catch (error) {
        if (attempt >= 3 || !isRetryable(error)) throw error;
        // Apart, so the two transactions do not meet again at once.
        await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20 * attempt));
      }
    }
  }

  run<T>(work: (trx: Db) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (!this.isFlushing) {
        this.isFlushing = true;
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const group = this.queue.splice(0, this.maxGroup);
        const outcomes: Array<{ ok: true; value: unknown } | { ok: false; error: unknown }> = [];
        try {
          await this.commitWithRetry(async (trx) => {
            outcomes.length = 0;
            for (const unit of group) {
              await sql`SAVEPOINT group_unit`.execute(trx);
              try {
                const value = await unit.work(trx);
                await sql`RELEASE SAVEPOINT group_unit`.execute(trx);
                outcomes.push({ ok: true, value });
              } catch (error) {
                // Lost to another transaction: the whole group lets its locks go and runs again.
                if (isRetryable(error)) throw error;
                await sql`ROLLBACK TO SAVEPOINT group_unit`.execute(trx);
                await sql`RELEASE SAVEPOINT group_unit`.execute(trx);
                outcomes.push({ ok: false, error });
              }
            }
          });
        } catch (error) {
          for (const unit of group) unit.reject(error);
          continue;
        }
        this.stats.groups += 1;
        this.stats.units += group.length;
        group.forEach((unit, i) => {
          const outcome = outcomes[i];
          if (outcome.ok) unit.resolve(outcome.value);
          else unit.reject(outcome.error);
        });
      }
    } finally {
      this.isFlushing = false;
    }
  }
}
