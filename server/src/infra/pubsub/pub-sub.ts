import type { AccountFacts } from '../../access/account-policy.ts';
import type { ListablePostFacts } from '../../access/post-policy.ts';

/**
 * Publish/subscribe between the parts of one server process: services publish what happened
 * (a notification, a new or deleted post), streaming connections subscribe. With
 * GLIMPSE_REDIS_URL, `RedisPubSub` (redis-pub-sub.ts) carries the same messages between processes.
 */
export type StreamMessage =
  | { kind: 'notification'; id: string }
  /** A message reached a conversation: published on each participant's `user:<id>` channel. */
  | { kind: 'conversation'; conversationId: string; statusId: string }
  | { kind: 'update'; id: string; authorId: string }
  /** An edited post: `status.update` with the post as it is now, to the streams that show it. */
  | { kind: 'status.update'; id: string; authorId: string }
  | DeleteMessage
  /**
   * On `session:<accountId>`: tokens of the account were revoked (`tokenIds`), or every token
   * of it (`'all'`: suspended, log-in disabled). The account's open streams on those tokens
   * close at once, in every process.
   */
  | { kind: 'revoked'; tokenIds: string[] | 'all' };

/** The channel that ends an account's open streams (tokens revoked, account suspended or disabled). */
export const sessionChannel = (accountId: string): string => `session:${accountId}`;

/**
 * A deleted post, with the facts about it as it was, so each stream can decide whether its
 * viewer could have seen it (the post itself is gone and cannot be hydrated any more).
 */
export interface DeleteMessage {
  kind: 'delete';
  id: string;
  post: ListablePostFacts;
  author: AccountFacts;
  mentionedIds: string[];
  tags: string[];
  /** It had photos: the public media streams showed it. */
  hasMedia: boolean;
}

export interface PubSub {
  publish(channel: string, message: StreamMessage): void;
  subscribe(channel: string, listener: (message: StreamMessage) => void): () => void;
  /** Lets go of its connections (app.close()); nothing is delivered afterwards. */
  close(): Promise<void>;
}

export class InProcessPubSub implements PubSub {
  private readonly listeners = new Map<string, Set<(message: StreamMessage) => void>>();

  publish(channel: string, message: StreamMessage): void {
    for (const listener of this.listeners.get(channel) ?? []) {
      // One failing listener must not stop the others.
      try {
        listener(message);
      } catch {
        // the listener logs its own errors
      }
    }
  }

  subscribe(channel: string, listener: (message: StreamMessage) => void): () => void {
    const set = this.listeners.get(channel) ?? new Set();
    set.add(listener);
    this.listeners.set(channel, set);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(channel);
    };
  }

  async close(): Promise<void> {
    this.listeners.clear();
  }
}
