import type { AccountFacts } from './account-policy.ts';
import { type PostFacts, isPubliclyEmbeddable } from './post-policy.ts';

/** What the file policy reads about one stored image. */
export interface MediaFileFacts {
  purpose: 'attachment' | 'avatar' | 'header';
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
  if (signature === 'invalid') return 'deny';
  if (signature === 'valid') return 'private';
  return isPublicMediaFile(facts) ? 'public' : 'deny';
}
