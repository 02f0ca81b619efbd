import type { Story } from './stories-api.ts';

/** Where in an account's stories to be: an index, or a rule applied once they are loaded. */
export type Anchor = number | 'first-unseen' | 'last' | { storyId: string };

export interface Position {
  /** Which account (segment) of the queue. */
  seg: number;
  at: Anchor;
}

/** The story to show for an anchor: the first unseen one when nothing else is asked for. */
export function resolveIndex(stories: readonly Story[], at: Anchor): number {
  if (stories.length === 0) return -1;
  if (typeof at === 'number') return Math.min(stories.length - 1, Math.max(0, at));
  if (at === 'last') return stories.length - 1;
  if (typeof at === 'object') {
    const index = stories.findIndex((s) => s.id === at.storyId);
    if (index !== -1) return index;
  }
  const unseen = stories.findIndex((s) => !s.seen);
  return unseen === -1 ? 0 : unseen;
}

/** The next story: the next of this account, else the next account's first unseen, else the end (null). */
export function stepForward(seg: number, index: number, storiesInSeg: number, segCount: number): Position | null {
  if (index + 1 < storiesInSeg) return { seg, at: index + 1 };
  if (seg + 1 < segCount) return { seg: seg + 1, at: 'first-unseen' };
  return null;
}

/** The previous story: the one before in this account, else the previous account's last; null at the very start. */
export function stepBack(seg: number, index: number): Position | null {
  if (index > 0) return { seg, at: index - 1 };
  if (seg > 0) return { seg: seg - 1, at: 'last' };
  return null;
}
