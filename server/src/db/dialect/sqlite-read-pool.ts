import { Worker } from 'node:worker_threads';
import type { ReadAnswer, ReadRequest } from './sqlite-read-worker.ts';

/** A worker and the statements it has yet to answer. */
interface Slot {
  worker: Worker;
  waiting: number;
}

/**
 * Read connections on worker threads, for the statements outside transactions that only read
 * (sqlite-driver.ts). SQLite in WAL mode lets any number of connections read while one writes;
 * better-sqlite3 runs a statement on the calling thread, so without these every page's time in
 * SQLite (about half of a feed page's CPU) is spent on the one thread that also parses, presents
 * and serialises. Each worker holds its own connection and prepared statements; a statement
 * goes to the worker with the fewest waiting, and its rows come back by structured clone (the
 * schema holds no BLOBs, so nothing changes type on the way).
 *
 * GLIMPSE_SQLITE_READ_WORKERS sets how many; 0 reads on the main thread as before.
 */
export class SqliteReadPool {
  private readonly workers: Slot[] = [];
  private readonly pending = new Map<number, { resolve: (rows: unknown[]) => void; reject: (error: Error) => void; slot: Slot }>();
  private nextId = 1;
  private closed = false;
  /** Statements the workers answered (rows or an error). */
  answered = 0;

  constructor(file: string, size: number) {
    for (let i = 0; i < size; i++) {
      const worker = new Worker(new URL('./sqlite-read-worker.ts', import.meta.url), { workerData: { file } });
      const slot = { worker, waiting: 0 };
      worker.on('message', (answer: ReadAnswer) => this.answer(answer));
      worker.on('error', (error) => this.failAll(slot, error));
      // An idle worker does not keep the process alive; one with a statement to answer does
      // (else a process awaiting only a read would exit before the answer came).
      worker.unref();
      this.workers.push(slot);
    }
  }

  get size(): number {
    return this.workers.length;
  }

  all(sql: string, parameters: readonly unknown[]): Promise<unknown[]> {
    if (this.closed) return Promise.reject(new Error('the database is closed'));
    let slot = this.workers[0];
    for (const candidate of this.workers) if (candidate.waiting < slot.waiting) slot = candidate;
    if (slot.waiting === Number.POSITIVE_INFINITY) return Promise.reject(new Error('no SQLite read worker is running'));
    const id = this.nextId++;
    if (slot.waiting === 0) slot.worker.ref();
    slot.waiting += 1;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, slot });
      slot.worker.postMessage({ id, sql, parameters: parameters as unknown[] } satisfies ReadRequest);
    });
  }

  private answer(answer: ReadAnswer): void {
    const waiter = this.pending.get(answer.id);
    if (!waiter) return;
    this.pending.delete(answer.id);
    waiter.slot.waiting -= 1;
    if (waiter.slot.waiting === 0) waiter.slot.worker.unref();
    this.answered += 1;
    if ('rows' in answer) return waiter.resolve(answer.rows);
    const error = new Error(answer.error.message) as Error & { code?: string };
    if (answer.error.code) error.code = answer.error.code;
    waiter.reject(error);
  }

  /** A worker that died fails what it was asked; the statements after it go to the others. */
  private failAll(slot: Slot, error: Error): void {
    for (const [id, waiter] of this.pending) {
      if (waiter.slot !== slot) continue;
      this.pending.delete(id);
      waiter.reject(error);
    }
    slot.waiting = Number.POSITIVE_INFINITY;
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.workers.map(({ worker }) => worker.terminate()));
  }
}
