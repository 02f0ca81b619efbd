import type { Selectable } from 'kysely';
import type { HighlightsTable, StoriesTable } from '../../db/schema.ts';

export type StoryRow = Selectable<StoriesTable>;
export type HighlightRow = Selectable<HighlightsTable>;

export interface TextOverlay {
  type: 'text';
  text: string;
  x: number;
  y: number;
  rotation?: number;
  scale?: number;
  color?: string;
  background?: string;
  /** A contrasting edge around the letters, so the words read on any photo (#rrggbb). */
  outline?: string;
  font?: string;
  align?: 'left' | 'center' | 'right';
}

export interface MentionOverlay {
  type: 'mention';
  account_id: string;
  x: number;
  y: number;
  rotation?: number;
  scale?: number;
}

export type Overlay = TextOverlay | MentionOverlay;

export const STORY_LIMITS = {
  overlays: 10,
  text: 500,
  liveStories: 100,
  lifetimeMs: 24 * 60 * 60 * 1000,
  defaultDurationMs: 5000,
  minDurationMs: 1000,
  maxDurationMs: 60000,
  reply: 1000,
  emoji: 32,
  highlightTitle: 100,
  highlightStories: 100,
  highlights: 100,
  closeFriendsPerRequest: 100,
  closeFriends: 10000,
} as const;

export const STORY_FONTS = ['classic', 'modern', 'neon', 'typewriter', 'strong'] as const;

export function overlaysOf(story: Pick<StoryRow, 'overlays'>): Overlay[] {
  try {
    return JSON.parse(story.overlays) as Overlay[];
  } catch {
    return [];
  }
}

/** The story's words as plain text, for assistive technology and clients that cannot draw overlays. */
export function overlayText(overlays: Overlay[], usernames: Map<string, string>): string {
  return overlays
    .map((o) => (o.type === 'text' ? o.text : usernames.has(o.account_id) ? `@${usernames.get(o.account_id)}` : ''))
    .filter((t) => t.trim() !== '')
    .join('\n');
}
