/**
 * Time-ordered ids, unique across processes: milliseconds since the epoch times 1000, plus
 * the issuing process's node number times 31, plus a per-millisecond sequence:
 *
 *     id = ms × 1000 + node × 31 + sequence      node 0…31, sequence 0…30 (at most 991)
 *
 * The layout keeps the ids written before nodes existed (ms × 1000 + a sequence below 1000):
 * old and new ids are the same decimal strings of the same magnitude, sort together by time
 * (Mastodon's paging relies on that), and `id / 1000` is still the millisecond. Two processes
 * never issue the same id because they never hold the same node: a server leases its node
 * from the database at start (db/node-lease.ts). Each node issues 31 ids per millisecond; when
 * a millisecond's sequence runs out the next millisecond is used (ids run ahead of the clock
 * for a moment, never repeat), and a clock stepping back never reuses one: the last
 * millisecond used only moves forward.
 *
 * The bound: the largest id of a millisecond is ms × 1000 + 991, below 2^53 (so JavaScript
 * numbers and SQLite integers hold every id exactly) while ms < (2^53 − 991) / 1000 ≈
 * 9.007e12, that is until 2255-06-05 (ID_SAFE_UNTIL_MS), more than 200 years from now.
 *
 * Nodes 0…29 are leased by servers; 30 is the benchmark generator's (bench/src/generate.ts
 * writes its rows with it, so they can never collide with a running server's); 31 is used by
 * any process that leased nothing (tests, admin tools), so those never collide with a server.
 */
export const ID_NODES = 32;
export const IDS_PER_MS_PER_NODE = 31;
/** Nodes a server may lease (0 … LEASABLE_ID_NODES − 1). */
export const LEASABLE_ID_NODES = 30;
/** The benchmark generator's node. */
export const GENERATOR_ID_NODE = 30;
/** The node of a process that holds no lease: tests and tools. */
export const UNLEASED_ID_NODE = 31;
/** Ids issued at milliseconds below this stay below 2^53. */
export const ID_SAFE_UNTIL_MS = Math.floor((Number.MAX_SAFE_INTEGER - ((ID_NODES - 1) * IDS_PER_MS_PER_NODE + IDS_PER_MS_PER_NODE - 1)) / 1000);

function checkNode(node: number): void {
  if (!Number.isInteger(node) || node < 0 || node >= ID_NODES) throw new RangeError(`id node must be an integer from 0 to ${ID_NODES - 1}, not ${node}`);
}

/** The id of a millisecond, node and sequence (the generator writes its rows with it). */
export function idFrom(ms: number, node: number, sequence = 0): string {
  checkNode(node);
  if (!Number.isInteger(sequence) || sequence < 0 || sequence >= IDS_PER_MS_PER_NODE) throw new RangeError(`id sequence must be below ${IDS_PER_MS_PER_NODE}`);
  return String(ms * 1000 + node * IDS_PER_MS_PER_NODE + sequence);
}

/** The parts of an id this layout issued (older ids decode to some node and sequence too). */
export function idParts(id: string): { ms: number; node: number; sequence: number } {
  const n = Number(id);
  const low = n % 1000;
  return { ms: (n - low) / 1000, node: Math.floor(low / IDS_PER_MS_PER_NODE), sequence: low % IDS_PER_MS_PER_NODE };
}

/** One process's id source: its node, the last millisecond it used and the sequence within it. */
export class IdGenerator {
  private lastMs = 0;
  private sequence = -1;
  constructor(private current: number = UNLEASED_ID_NODE) {
    checkNode(current);
  }

  get node(): number {
    return this.current;
  }

  /**
   * Changes the node (a lease taken or moved). The millisecond and sequence carry on, so an id
   * issued before the change, under either node, is never issued again.
   */
  setNode(node: number): void {
    checkNode(node);
    this.current = node;
  }

  next(at: number = Date.now()): string {
    let ms = Math.max(Math.floor(at), this.lastMs);
    if (ms === this.lastMs) {
      this.sequence += 1;
      if (this.sequence >= IDS_PER_MS_PER_NODE) {
        ms += 1;
        this.sequence = 0;
      }
    } else {
      this.sequence = 0;
    }
    this.lastMs = ms;
    return String(ms * 1000 + this.current * IDS_PER_MS_PER_NODE + this.sequence);
  }
}

const processIds = new IdGenerator();

/** A new id for a row written at `at` (the injectable clock's time, or now). */
export function newId(at: number = Date.now()): string {
  return processIds.next(at);
}

/** Set once at start, from the lease (db/node-lease.ts); until then UNLEASED_ID_NODE. */
export function setIdNode(node: number): void {
  processIds.setNode(node);
}

export function idNode(): number {
  return processIds.node;
}

/** Accepts only the decimal ids we issue; anything else can never match a row. */
export function isId(value: unknown): value is string {
  return typeof value === 'string' && /^\d{1,19}$/.test(value);
}
