import type { Redis } from 'ioredis';

/**
 * Which accounts hold a live stream right now, in any process. The job that decides who may
 * see a post asks it, so a post costs one publish per recipient with a live connection, and
 * nothing per follower who is away. `count` picks the cheaper way round: the author's followers
 * checked against the live accounts, or the live accounts checked against the followers.
 */
export interface StreamPresence {
  /** Marks the account live while its connection lasts; the returned function ends the mark. */
  connect(accountId: string): () => void;
  /** How many accounts are live (Redis: an estimate that may hold some that left in the last minute). */
  count(): Promise<number>;
  /** The live ones among these accounts. */
  among(accountIds: readonly string[]): Promise<Set<string>>;
  /** Every live account, a batch at a time. */
  all(): AsyncIterable<string[]>;
  close(): Promise<void>;
}

const BATCH = 1000;

/** One process (no GLIMPSE_REDIS_URL): the connections of this process are all there are. */
export class InProcessPresence implements StreamPresence {
  private readonly live = new Map<string, number>();

  connect(accountId: string): () => void {
    this.live.set(accountId, (this.live.get(accountId) ?? 0) + 1);
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      const left = (this.live.get(accountId) ?? 1) - 1;
      if (left > 0) this.live.set(accountId, left);
      else this.live.delete(accountId);
    };
  }

  async count(): Promise<number> {
    return this.live.size;
  }

  async among(accountIds: readonly string[]): Promise<Set<string>> {
    return new Set(accountIds.filter((id) => this.live.has(id)));
  }

  async *all(): AsyncIterable<string[]> {
    const ids = [...this.live.keys()];
    for (let i = 0; i < ids.length; i += BATCH) yield ids.slice(i, i + BATCH);
  }

  async close(): Promise<void> {
    this.live.clear();
  }
}

/** How long a mark lasts unless refreshed; each process refreshes its live accounts well within it. */
const MARK_MS = 60_000;
const REFRESH_MS = 20_000;

/**
 * Presence across processes: one sorted set `<prefix>stream-presence`, member the account id,
 * score the time (ms) its mark runs out. A process marks an account when its first connection
 * here opens and refreshes the marks of all its live accounts every 20 s; a process that dies
 * stops refreshing and its marks run out within a minute (a mark outliving its connection
 * costs one publish nobody receives, nothing more). Expired members are swept at each refresh.
 */
export class RedisPresence implements StreamPresence {
  private readonly local = new InProcessPresence();
  private readonly key: string;
  private readonly timer: NodeJS.Timeout;
  onError: (message: string, err: unknown) => void = () => {};

  constructor(
    private readonly redis: Redis,
    prefix: string,
  ) {
    this.key = `${prefix}stream-presence`;
    this.timer = setInterval(() => void this.refresh(), REFRESH_MS);
    this.timer.unref();
    redis.on('error', (err: unknown) => this.onError('the Redis presence connection failed', err));
  }

  connect(accountId: string): () => void {
    const end = this.local.connect(accountId);
    this.redis.zadd(this.key, Date.now() + MARK_MS, accountId).catch((err: unknown) => this.onError('marking a stream live failed', err));
    return end;
  }

  async count(): Promise<number> {
    return this.redis.zcount(this.key, Date.now(), '+inf');
  }

  async among(accountIds: readonly string[]): Promise<Set<string>> {
    const now = Date.now();
    const out = new Set<string>();
    for (let i = 0; i < accountIds.length; i += BATCH) {
      const chunk = accountIds.slice(i, i + BATCH);
      const scores = await this.redis.zmscore(this.key, ...chunk);
      chunk.forEach((id, j) => {
        const score = scores[j];
        if (score !== null && Number(score) > now) out.add(id);
      });
    }
    return out;
  }

  /**
   * By ZSCAN, not by offset: refreshes move members within the set while the caller works a
   * batch, and a scan still returns every member present throughout at least once (the caller
   * drops repeats).
   */
  async *all(): AsyncIterable<string[]> {
    const now = Date.now();
    let cursor = '0';
    let batch: string[] = [];
    do {
      const [next, flat] = await this.redis.zscan(this.key, cursor, 'COUNT', BATCH);
      cursor = next;
      for (let i = 0; i < flat.length; i += 2) if (Number(flat[i + 1]) > now) batch.push(flat[i]);
      while (batch.length >= BATCH || (cursor === '0' && batch.length)) {
        yield batch.slice(0, BATCH);
        batch = batch.slice(BATCH);
      }
    } while (cursor !== '0');
  }

  private async refresh(): Promise<void> {
    try {
      const expiry = Date.now() + MARK_MS;
      for await (const ids of this.local.all()) await this.redis.zadd(this.key, ...ids.flatMap((id) => [expiry, id]));
      await this.redis.zremrangebyscore(this.key, '-inf', Date.now());
    } catch (err) {
      this.onError('refreshing live streams failed', err);
    }
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.local.close();
    await (this.redis.status === 'ready' ? this.redis.quit().catch(() => this.redis.disconnect()) : this.redis.disconnect());
  }
}
