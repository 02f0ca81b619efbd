import type { ViewerContext } from './viewer-context.ts';

/** Where a status sits in its conversation. */
export interface ThreadFacts {
  id: string;
  /** The post a comment belongs to; null for a post. */
  post_id: string | null;
  /** The top-level comment of a comment's thread (itself for a top-level comment); null for a post. */
  thread_id: string | null;
}

/**
 * What one can mute (`POST /statuses/:id/mute`): a post mutes the post and every comment under
 * it; a comment mutes its comment thread (the top-level comment and the replies in it). The
 * key stored is the post's id or the top-level comment's id.
 */
export function threadKeyOf(status: ThreadFacts): string {
  return status.post_id === null ? status.id : (status.thread_id ?? status.id);
}

/** The keys whose mute silences this status: its post's, and its comment thread's. */
export function threadKeysOf(status: ThreadFacts): string[] {
  if (status.post_id === null) return [status.id];
  return [...new Set([status.post_id, status.thread_id ?? status.id])];
}

/**
 * Whether the viewer muted the conversation a status belongs to: then nothing that happens in
 * it (comments, replies, mentions, likes) notifies them, and the Status shows `muted`.
 * Reads `ctx.mutedThreads`, which the request loads for the statuses it touches.
 */
export function isInMutedThread(ctx: Pick<ViewerContext, 'mutedThreads'>, status: ThreadFacts): boolean {
  const muted = ctx.mutedThreads;
  return muted !== undefined && threadKeysOf(status).some((key) => muted.has(key));
}
