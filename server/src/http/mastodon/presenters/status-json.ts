import type { HydratedPost } from '../../../domain/posts/post-hydrator.ts';
import type { AccountRow } from '../../../domain/accounts/account.ts';
import type { Filtered } from '../../../domain/filters/filter-matcher.ts';
import type { RowCheckedCache, Sources } from '../../../infra/cache/row-checked-cache.ts';
import { presentAccount } from './account.presenter.ts';
import { type StatusPresentContext, sharedGlimpse, statusSharedFields, statusViewerFields, viewerGlimpse } from './status.presenter.ts';

/** A post's shared part as JSON text, without its braces: the top-level fields and the `glimpse` ones. */
export interface SharedStatusJson {
  top: string;
  glimpse: string;
}

export interface StatusJsonCaches {
  /** By status id, ignoring the columns of NOT_SHOWN_ALIKE (domain/posts/post.ts). */
  statuses: RowCheckedCache<SharedStatusJson>;
  /** By account id: the presented Account as JSON text. */
  accounts: RowCheckedCache<string>;
}

/** JSON text of an object, without its braces (the object has at least one defined field). */
const inner = (value: object) => JSON.stringify(value).slice(1, -1);

/**
 * Statuses as JSON text, the same entity presentStatus makes (a test compares them over the
 * access matrix's world), from parts kept per post and per author. What every viewer sees alike
 * is serialised once and kept beside the rows it was built from (the status row, its photos,
 * their tags, the mentioned and tagged accounts, the custom emojis, the hour restricted URLs are
 * signed in); the author's Account is kept the same way, so a celebrity's new follower remakes
 * one Account, not every post of hers. Only the viewer's own fields are serialised per request.
 */
export class StatusJson {
  constructor(
    private readonly ctx: StatusPresentContext,
    private readonly caches: StatusJsonCaches,
  ) {}

  /** A page of statuses as a JSON array. */
  list(posts: ReadonlyArray<HydratedPost & Filtered>): string {
    let out = '[';
    for (let i = 0; i < posts.length; i++) out += (i ? ',' : '') + this.one(posts[i]);
    return `${out}]`;
  }

  one(post: HydratedPost & Filtered): string {
    const shared = this.shared(post);
    return `{${shared.top},"account":${this.account(post.author)},${inner(statusViewerFields(post))},"glimpse":{${shared.glimpse},${inner(viewerGlimpse(this.ctx, post))}}}`;
  }

  private shared(post: HydratedPost): SharedStatusJson {
    const sources: Sources = [
      post.status,
      post.restrictedMedia,
      post.restrictedMedia && post.media.length ? this.ctx.mediaUrls.signatureWindow() : 0,
      this.emojis(),
      ...post.media,
      ...post.media.flatMap((m) => post.mediaTags.get(m.id) ?? []).flatMap((t) => [t, post.accounts.get(t.account_id)]),
      ...post.mentions,
      ...post.tags,
    ];
    const kept = this.caches.statuses.get(post.status.id, sources);
    if (kept) return kept;
    const made = { top: inner(statusSharedFields(this.ctx, post)), glimpse: inner(sharedGlimpse(post)) };
    this.caches.statuses.set(post.status.id, sources, made);
    return made;
  }

  private account(author: AccountRow): string {
    const sources: Sources = [author, this.emojis()];
    const kept = this.caches.accounts.get(author.id, sources);
    if (kept !== undefined) return kept;
    const made = JSON.stringify(presentAccount(this.ctx, author));
    this.caches.accounts.set(author.id, sources, made);
    return made;
  }

  private emojis(): string {
    return this.ctx.customEmojis?.current().fingerprint ?? '';
  }
}
