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
  /**
   * A new post (`update`) or an edited one (`status.update`), on the channel of each recipient
   * with a live stream (`user:<id>`: it may be in their home feed), on `public` when it is
   * publicly listable and on `tag:<tag>` for each of its tags; sent by the job that decides who
   * may see it (domain/realtime/stream-delivery.ts). Each stream still applies the viewer's
   * rules. `rev` tells versions apart (each published change has its own), so a process shares
   * one load per version.
   */
  | PostMessage
  | DeleteMessage
  /** On `user:<id>`: the account's followed tags or exclusive lists changed; its user streams reload them. */
  | { kind: 'home.changed' }
  /** On `user:<id>`: the account's filters changed; its streams reload them. */
  | { kind: 'filters.changed' }
  /**
   * On `session:<accountId>`: tokens of the account were revoked (`tokenIds`), or every token
   * of it (`'all'`: suspended, log-in disabled). The account's open streams on those tokens
   * close at once, in every process.
   */
  | { kind: 'revoked'; tokenIds: string[] | 'all' }
  /**
   * On `media`: a `web` process stored an upload for the workers (`uploaded`), or a worker
   * finished one (`processed`), so the request waiting for it answers in whichever process holds it.
   */
  | { kind: 'media.uploaded' | 'media.processed'; id: string }
  /** On `caches`: a cache every process keeps (IP blocks, custom emojis) changed; each drops its copy. */
  | { kind: 'cache.changed'; cache: SharedCacheName }
  /** On `caches`: these accounts' stories changed, or they watched one; each process reads the trays showing them afresh (tray-cache.ts). */
  | { kind: 'trays.changed'; accountIds: string[] };

/** The per-process caches of instance-wide settings that a change in one process drops in all. */
export type SharedCacheName = 'ip-blocks' | 'custom-emojis' | 'instance-settings';
/** The channel of changes to those caches. */
export const CACHE_CHANNEL = 'caches';

/** The channel of uploads between web and worker processes (MediaService's announce and processed). */
export const MEDIA_CHANNEL = 'media';

export interface PostMessage {
  kind: 'post';
  event: 'update' | 'status.update';
  id: string;
  rev: string;
}

/** An account's own channel: its notifications, conversations, and the posts meant for its streams. */
export const userChannel = (accountId: string): string => `user:${accountId}`;
/** Publicly listable posts, for the public streams. */
export const PUBLIC_CHANNEL = 'public';
/** Publicly listable posts with this (lower-cased) tag, for the hashtag streams. */
export const tagChannel = (tag: string): string => `tag:${tag}`;

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
