import { createContext, useContext } from 'react';
import type { Account, Status } from '../api/mastodon-types.ts';
import type { CommentStatus } from './comments-api.ts';

/** The replies of one thread as far as they were opened and loaded. */
export interface ThreadState {
  isOpen: boolean;
  replies: CommentStatus[];
  nextCursor: string | null;
  /** True once the first page of replies came back. */
  isFetched: boolean;
  isLoading: boolean;
  error: unknown;
}

export const CLOSED_THREAD: ThreadState = { isOpen: false, replies: [], nextCursor: null, isFetched: false, isLoading: false, error: null };

export interface CommentsContextValue {
  post: Status;
  viewer: Account | null;
  /** The viewer wrote the post: its comment tools and Restrict (no capability of their own yet). */
  isPostAuthor: boolean;
  /** Whether the viewer may write (the box is there); Reply buttons follow it. */
  canWrite: boolean;
  /** Opens the box prefilled to answer `target` in its thread. */
  reply: (target: CommentStatus) => void;
  replace: (status: CommentStatus) => void;
  remove: (status: CommentStatus) => void;
  /** After a pin or unpin: the first page again, pinned comments on top. */
  reload: () => void;
  thread: (threadId: string) => ThreadState;
  toggleThread: (threadId: string) => void;
  loadMoreReplies: (threadId: string) => void;
  /** Restrict state of accounts, as far as known (post author only). */
  restrictions: ReadonlyMap<string, boolean>;
  setRestriction: (accountId: string, restricting: boolean) => void;
}

export const CommentsContext = createContext<CommentsContextValue | null>(null);

export function useComments(): CommentsContextValue {
  const value = useContext(CommentsContext);
  if (!value) throw new Error('useComments must be used inside <CommentSection>');
  return value;
}

/** The thread a comment belongs to: itself for a top-level comment. */
export function threadIdOf(status: CommentStatus): string {
  return status.glimpse?.thread_id ?? status.id;
}
