import { type AccountFacts, isSuspended } from './account-policy.ts';
import { type PostFacts, isPubliclyEmbeddable } from './post-policy.ts';
import type { Viewer } from './viewer-context.ts';

/** What attaching reads about an upload. */
export interface AttachableMediaFacts {
  account_id: string;
  purpose: 'attachment' | 'avatar' | 'header';
  /** The post it is attached to, or null. */
  status_id: string | null;
  /** The scheduled status it is reserved for, or null (absent: never reserved). */
  scheduled_status_id?: string | null;
}

/**
 * Whether the viewer may attach an upload (to a post or a story), or read and describe it
 * before it is attached: their own, a photo upload (never an avatar or header), not on another
 * post already (`onPost`: the post being edited, whose own photos may stay) and not in a story
 * (`inStory`), and not reserved for a scheduled status (`forScheduled`: the scheduled status
 * being published or scheduled, whose own photos it is). Anything else is answered as if the
 * upload did not exist.
 */
export function canAttachMedia(viewer: Viewer | undefined, media: AttachableMediaFacts, target: { onPost?: string; inStory?: boolean; forScheduled?: string } = {}): boolean {
  if (viewer === undefined || media.account_id !== viewer.accountId || media.purpose !== 'attachment') return false;
  if (target.inStory) return false;
  if (media.scheduled_status_id != null && media.scheduled_status_id !== target.forScheduled) return false;
  return media.status_id === null || media.status_id === target.onPost;
}

/** What the file policy reads about one stored image. */
export interface MediaFileFacts {
  purpose: 'attachment' | 'avatar' | 'header';
  /** The account that uploaded it. */
  owner: Pick<AccountFacts, 'suspended_at'>;
  /** The post it is attached to and that post's author; undefined when unattached (or the post is gone). */
  attachedTo?: { post: PostFacts; author: AccountFacts };
}

/**
 * Whether a file may be served to anyone, without a signature: profile pictures and headers
 * (shown wherever the account is), and photos of public or unlisted posts of a public account.
 * Everything else (private accounts, followers-only and direct posts, photos not yet posted,
 * story media) is handed out only as signed, expiring URLs.
 */
export function isPublicMediaFile(facts: MediaFileFacts): boolean {
  if (facts.purpose === 'avatar' || facts.purpose === 'header') return true;
  return facts.attachedTo !== undefined && isPubliclyEmbeddable(facts.attachedTo.post, facts.attachedTo.author);
}

/** Whether URLs of this media must be signed when presented. */
export function needsSignedMediaUrls(facts: MediaFileFacts): boolean {
  return !isPublicMediaFile(facts);
}

/**
 * `GET /media/:key/:file`: 'public' (cacheable by anyone), 'private' (a valid signature was
 * shown; cacheable by that client only) or 'deny' (404, the same as missing). A URL that carries
 * a signature must verify, even for a public file: a bad signature is never ignored.
 */
export function mediaFileAccess(facts: MediaFileFacts, signature: 'absent' | 'valid' | 'invalid'): 'public' | 'private' | 'deny' {
  // A suspended account's files are gone with it, signed or not (a signature handed out before
  // the suspension must not keep them reachable).
  if (signature === 'invalid' || isSuspended(facts.owner)) return 'deny';
  if (signature === 'valid') return 'private';
  return isPublicMediaFile(facts) ? 'public' : 'deny';
}
