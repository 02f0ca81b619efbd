import type { AccountFacts } from '../../access/account-policy.ts';
import type { ListablePostFacts } from '../../access/post-policy.ts';

/**
 * Publish/subscribe between the parts of one server process: services publish what happened
 * (a notification, a new or deleted post), streaming connections subscribe. A Redis adapter
 * can implement the same interface for several processes.
 */
export type StreamMessage =
  | { kind: 'notification'; id: string }
  /** A message reached a conversation: published on each participant's `user:<id>` channel. */
  | { kind: 'conversation'; conversationId: string; statusId: string }
  | { kind: 'update'; id: string; authorId: string }
  /** An edited post: `status.update` with the post as it is now, to the streams that show it. */
  | { kind: 'status.update'; id: string; authorId: string }
  | DeleteMessage;

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
}
