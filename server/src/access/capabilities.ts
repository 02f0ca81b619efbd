import type { AccountFacts } from './account-policy.ts';
import { type CommentFacts, canComment, canDeleteComment, canPinComment } from './comment-policy.ts';
import { type PostFacts, canManagePost } from './post-policy.ts';
import { isMessage } from './message-policy.ts';
import { type StoryFacts, canDeleteStory, canReshareStory, canRespondToStory } from './story-policy.ts';
import type { ViewerContext } from './viewer-context.ts';

/**
 * What the viewer may do with an item, decided here and presented with it (`glimpse.can`), so
 * clients show what the server allows instead of deciding again. Computed from what the page's
 * hydration already loaded: the item, its author, its post and the viewer context.
 */
export interface PostCapabilities {
  /** Write a comment under the post (on a comment: reply in its post). */
  comment: boolean;
  /** A post: pin it to one's profile. A comment: pin it on its post (the post's author). */
  pin: boolean;
  edit: boolean;
  delete: boolean;
}

export interface StoryCapabilities {
  /** Reply and react. */
  respond: boolean;
  /** Add it to one's own story. */
  reshare: boolean;
  delete: boolean;
}

type CommentablePost = PostFacts & { comment_policy: string };

/** A post, or (with `root`, the post it belongs to) a comment. */
export function postCapabilities(
  ctx: ViewerContext,
  item: CommentablePost & CommentFacts & { in_reply_to_id: string | null },
  author: AccountFacts,
  root?: { post: CommentablePost; author: AccountFacts },
): PostCapabilities {
  if (root === undefined) {
    const manage = canManagePost(ctx, item);
    // A direct message is answered in its conversation, and never pinned to a profile.
    if (isMessage(item)) return { comment: false, pin: false, edit: manage, delete: manage };
    return { comment: canComment(ctx, item, author), pin: manage, edit: manage, delete: manage };
  }
  return {
    comment: canComment(ctx, root.post, root.author),
    pin: canPinComment(ctx, root.post, item),
    edit: canManagePost(ctx, item),
    delete: canDeleteComment(ctx, item, root.post),
  };
}

export function storyCapabilities(ctx: ViewerContext, story: StoryFacts & { reshare_of_id: string | null }, author: AccountFacts, isMentioned: boolean, now: Date): StoryCapabilities {
  return {
    respond: canRespondToStory(ctx, story, author, now),
    reshare: canReshareStory(ctx, story, author, isMentioned, now),
    delete: canDeleteStory(ctx, story),
  };
}
