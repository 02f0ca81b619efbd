import crypto from 'node:crypto';
import { isPubliclyListable } from '../../access/post-policy.ts';
import { type DeleteMessage, PUBLIC_CHANNEL, type PostMessage, type PubSub, type StreamMessage, tagChannel, userChannel } from '../../infra/pubsub/pub-sub.ts';
import type { StreamPresence } from '../../infra/pubsub/presence.ts';
import type { AccountRepository } from '../accounts/account-repository.ts';
import type { PostRepository } from '../posts/post-repository.ts';
import type { RecipientRepository } from './recipient-repository.ts';

/**
 * Realtime delivery, decided once per post on the sending side and costing per recipient with
 * a live stream: a post's event goes to the channel of each such account that may have it in
 * its home feed (itself, its author's followers, the followers of its tags when it is public),
 * and once to the public and hashtag channels when it is publicly listable. Followers who are
 * away cost nothing but the side of the intersection that is smaller: the author's followers
 * checked against the live accounts, or the live accounts against the followers. Each stream
 * still applies its viewer's rules to what arrives (http/mastodon/streaming.route.ts).
 *
 * A new post is delivered by its fan-out job, once its home_feed rows are written; an edit or a
 * delete right after it is committed.
 */
export class StreamDelivery {
  /** Set by app.ts: a delivery that failed after its change committed is logged. */
  onError: (message: string, err: unknown) => void = () => {};

  constructor(
    private readonly posts: PostRepository,
    private readonly accounts: AccountRepository,
    private readonly recipients: RecipientRepository,
    private readonly presence: StreamPresence,
    private readonly pubsub: PubSub,
  ) {}

  /** A new (`update`) or edited (`status.update`) post. Returns how many accounts' channels it was published on. */
  async postPublished(statusId: string, event: PostMessage['event']): Promise<number> {
    const status = (await this.posts.findByIds([statusId])).get(statusId);
    // Comments are read under their post, never streamed.
    if (!status || status.post_id !== null) return 0;
    const author = await this.accounts.findById(status.account_id);
    if (!author) return 0;
    // A new post has one version; every published change (an edit, or only its settings) is a
    // version of its own, so no process serves it from the load of an earlier one.
    const message: PostMessage = { kind: 'post', event, id: status.id, rev: event === 'update' ? '' : crypto.randomUUID() };
    const listed = isPubliclyListable(status, author);
    const tags = listed ? ((await this.posts.tagsFor([status.id])).get(status.id) ?? []).map((t) => t.tag) : [];
    if (listed) this.toPublic(tags, message);
    return this.toAccounts(author, tags, [], message);
  }

  /** A deleted post, to the streams that could have shown it (its mentioned accounts too). */
  async postDeleted(message: DeleteMessage): Promise<number> {
    if (message.post.post_id !== null) return 0;
    const author = await this.accounts.findById(message.author.id);
    const listed = isPubliclyListable(message.post, message.author);
    if (listed) this.toPublic(message.tags, message);
    if (!author) return 0;
    return this.toAccounts(author, listed ? message.tags : [], message.mentionedIds, message);
  }

  private toPublic(tags: readonly string[], message: StreamMessage): void {
    this.pubsub.publish(PUBLIC_CHANNEL, message);
    for (const tag of tags) this.pubsub.publish(tagChannel(tag), message);
  }

  private async toAccounts(author: { id: string; followers_count: number }, tags: readonly string[], others: readonly string[], message: StreamMessage): Promise<number> {
    const live = await this.presence.count();
    if (live === 0) return 0;
    const sent = new Set<string>();
    const send = (accountId: string) => {
      if (sent.has(accountId)) return;
      sent.add(accountId);
      this.pubsub.publish(userChannel(accountId), message);
    };
    for (const id of await this.presence.among([author.id, ...others])) send(id);
    await this.reach(author.followers_count, live, () => this.recipients.followers(author.id), (ids) => this.recipients.followersAmong(author.id, ids), send);
    if (tags.length) {
      const size = await this.recipients.tagFollowerCount(tags);
      await this.reach(size, live, () => this.recipients.tagFollowers(tags), (ids) => this.recipients.tagFollowersAmong(tags, ids), send);
    }
    return sent.size;
  }

  /** The live ones of a set of `size` accounts, from whichever side is smaller. */
  private async reach(size: number, live: number, everyone: () => AsyncIterable<string[]>, among: (ids: string[]) => Promise<string[]>, send: (id: string) => void): Promise<void> {
    if (size === 0) return;
    if (size <= live) {
      for await (const batch of everyone()) for (const id of await this.presence.among(batch)) send(id);
    } else {
      for await (const batch of this.presence.all()) for (const id of await among(batch)) send(id);
    }
  }
}
