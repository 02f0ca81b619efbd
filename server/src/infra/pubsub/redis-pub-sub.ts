import type { Redis } from 'ioredis';
import type { PubSub, StreamMessage } from './pub-sub.ts';
import { openRedis } from '../redis/redis-connection.ts';

type Listener = (message: StreamMessage) => void;

/**
 * Pub/sub between processes over Redis (GLIMPSE_REDIS_URL): what one process publishes reaches
 * the streams every process holds, this one's included (Redis delivers to its own subscriber
 * too, so there is one path). Channels are `<prefix><channel>`, messages JSON. The process
 * holds one Redis SUBSCRIBE per channel with at least one local listener, on a connection of
 * its own (a subscribing connection can do nothing else), and fans each message out to its
 * listeners; the last listener leaving unsubscribes. ioredis subscribes again after a reconnect.
 */
export class RedisPubSub implements PubSub {
  private readonly listeners = new Map<string, Set<Listener>>();
  /** SUBSCRIBE and UNSUBSCRIBE commands not yet answered (see `settled`). */
  private readonly pending = new Set<Promise<unknown>>();
  private closed = false;
  /** Set by app.ts: a failed publish or an unreadable message is logged, never thrown at the publisher. */
  onError: (message: string, err: unknown) => void = () => {};

  constructor(
    private readonly publisher: Redis,
    private readonly subscriber: Redis,
    private readonly prefix: string,
  ) {
    subscriber.on('message', (channel: string, payload: string) => this.deliver(channel, payload));
    // ioredis reconnects by itself; a lost connection is logged, not left unhandled.
    for (const connection of [publisher, subscriber]) connection.on('error', (err: unknown) => this.onError('the Redis pub/sub connection failed', err));
  }

  publish(channel: string, message: StreamMessage): void {
    if (this.closed) return;
    this.publisher.publish(this.prefix + channel, JSON.stringify(message)).catch((err: unknown) => this.onError(`publishing on ${channel} failed`, err));
  }

  subscribe(channel: string, listener: Listener): () => void {
    let set = this.listeners.get(channel);
    if (!set) {
      set = new Set();
      this.listeners.set(channel, set);
      this.track(this.subscriber.subscribe(this.prefix + channel), `subscribing to ${channel} failed`);
    }
    set.add(listener);
    const own = set;
    return () => {
      own.delete(listener);
      if (own.size === 0 && this.listeners.get(channel) === own) {
        this.listeners.delete(channel);
        if (!this.closed) this.track(this.subscriber.unsubscribe(this.prefix + channel), `unsubscribing from ${channel} failed`);
      }
    };
  }

  /** Resolves once Redis has answered every SUBSCRIBE and UNSUBSCRIBE sent so far (tests wait on it). */
  async settled(): Promise<void> {
    while (this.pending.size) await Promise.allSettled([...this.pending]);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.listeners.clear();
    // QUIT lets Redis answer what is in flight; a connection that is not up is just dropped.
    await Promise.allSettled([this.subscriber, this.publisher].map((c) => (c.status === 'ready' ? c.quit() : c.disconnect())));
    this.subscriber.disconnect();
    this.publisher.disconnect();
  }

  private track(command: Promise<unknown>, failure: string): void {
    const tracked = command.catch((err: unknown) => {
      if (!this.closed) this.onError(failure, err);
    });
    this.pending.add(tracked);
    void tracked.finally(() => this.pending.delete(tracked));
  }

  private deliver(prefixed: string, payload: string): void {
    if (!prefixed.startsWith(this.prefix)) return;
    const set = this.listeners.get(prefixed.slice(this.prefix.length));
    if (!set) return;
    let message: StreamMessage;
    try {
      message = JSON.parse(payload) as StreamMessage;
    } catch (err) {
      this.onError(`an unreadable message on ${prefixed}`, err);
      return;
    }
    for (const listener of [...set]) {
      // One failing listener must not stop the others.
      try {
        listener(message);
      } catch {
        // the listener logs its own errors
      }
    }
  }
}

/**
 * One message from a short-lived process (the admin command line) to the running ones: a
 * connection opened for it, and closed once Redis has taken it.
 */
export async function publishOnce(url: string, prefix: string, channel: string, message: StreamMessage): Promise<void> {
  const redis = openRedis(url, 'admin-command');
  try {
    await redis.publish(prefix + channel, JSON.stringify(message));
  } finally {
    redis.disconnect();
  }
}
