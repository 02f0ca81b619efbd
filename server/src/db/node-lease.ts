import crypto from 'node:crypto';
import type { Clock } from '../clock.ts';
import type { Db } from './database.ts';
import { LEASABLE_ID_NODES, UNLEASED_ID_NODE, idNode, setIdNode } from './ids.ts';

export interface NodeLeaseOptions {
  /** How long a lease holds without renewal (default one minute). */
  ttlMs?: number;
  /** How often the holder renews it (default every 15 s: three renewals may fail in a row). */
  renewEveryMs?: number;
}

const DEFAULT_TTL_MS = 60_000;
const DEFAULT_RENEW_MS = 15_000;

/**
 * The id node (db/ids.ts) this process holds, leased from the database so that two processes
 * never issue ids under the same node. Taken at start with one atomic insert-or-update per
 * candidate node (`ON CONFLICT (node) DO UPDATE … WHERE expires_at <= now`), so of two
 * processes racing for a node exactly one gets a row back; renewed by an unref'd timer; given
 * back at a clean shutdown. A process that dies holds its node until the lease expires, then
 * the node is reused. On the embedded default (one process, SQLite) this always yields node 0,
 * through the same code.
 *
 * Expiry is compared on the processes' own clocks (the injectable clock): their skew must stay
 * well under the lease's length, and a process must not stall longer than the lease without its
 * timer firing (it would keep issuing ids under a node another process may by then hold).
 */
export class NodeLease {
  private timer: NodeJS.Timeout | undefined;
  private released = false;
  /** A renewal that failed or found the lease lost (the holder then leases another node). */
  onError: (message: string, err?: unknown) => void = () => {};

  private constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly holder: string,
    private current: number,
    private readonly ttlMs: number,
  ) {}

  /** Leases the lowest free (or expired) node, makes it this process's id node and keeps it renewed. */
  static async acquire(db: Db, clock: Clock, options: NodeLeaseOptions = {}): Promise<NodeLease> {
    const ttlMs = options.ttlMs ?? DEFAULT_TTL_MS;
    const holder = crypto.randomBytes(16).toString('hex');
    const node = await take(db, clock, holder, ttlMs);
    const lease = new NodeLease(db, clock, holder, node, ttlMs);
    setIdNode(node);
    lease.timer = setInterval(() => void lease.renew(), options.renewEveryMs ?? DEFAULT_RENEW_MS);
    lease.timer.unref();
    return lease;
  }

  get node(): number {
    return this.current;
  }

  /**
   * Moves the expiry forward; true while the lease is still ours. A lease found lost (this
   * process stalled past its expiry and another took the node) is replaced by a new one.
   */
  async renew(): Promise<boolean> {
    if (this.released) return false;
    try {
      const result = await this.db
        .updateTable('node_leases')
        .set({ expires_at: this.expiry() })
        .where('node', '=', this.current)
        .where('holder', '=', this.holder)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) > 0) return true;
      const lost = this.current;
      try {
        this.current = await take(this.db, this.clock, this.holder, this.ttlMs);
      } catch (err) {
        // No node free: the node held by nobody's lease is safer than one another process holds.
        if (!this.released && idNode() === lost) setIdNode(UNLEASED_ID_NODE);
        throw err;
      }
      if (!this.released && idNode() === lost) setIdNode(this.current);
      this.onError(`id node ${lost} was lost (its lease expired); leased node ${this.current} instead`);
      return false;
    } catch (err) {
      this.onError('renewing the id node lease failed', err);
      return false;
    }
  }

  /** Gives the node back (a clean shutdown): the next process may take it at once. */
  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    if (this.timer) clearInterval(this.timer);
    await this.db.deleteFrom('node_leases').where('node', '=', this.current).where('holder', '=', this.holder).execute();
    if (idNode() === this.current) setIdNode(UNLEASED_ID_NODE);
  }

  private expiry(): string {
    return new Date(this.clock.now().getTime() + this.ttlMs).toISOString();
  }
}

/** One read of the leases, then an atomic take of each candidate in turn until one is ours. */
async function take(db: Db, clock: Clock, holder: string, ttlMs: number): Promise<number> {
  const now = clock.now();
  const nowIso = now.toISOString();
  const expires = new Date(now.getTime() + ttlMs).toISOString();
  const rows = await db.selectFrom('node_leases').select(['node', 'expires_at']).execute();
  const held = new Map(rows.map((r) => [Number(r.node), r.expires_at]));
  for (let node = 0; node < LEASABLE_ID_NODES; node++) {
    const until = held.get(node);
    if (until !== undefined && until > nowIso) continue;
    const taken = await db
      .insertInto('node_leases')
      .values({ node, holder, expires_at: expires, acquired_at: nowIso })
      .onConflict((oc) =>
        oc
          .column('node')
          .doUpdateSet({ holder, expires_at: expires, acquired_at: nowIso })
          .where('node_leases.expires_at', '<=', nowIso),
      )
      .returning('node')
      .executeTakeFirst();
    if (taken) return node;
  }
  throw new Error(`no id node is free: all ${LEASABLE_ID_NODES} are leased by running processes (a stopped process's lease runs out ${Math.round(ttlMs / 1000)} s after it stopped)`);
}
