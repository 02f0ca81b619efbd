import type { ApiClient, Page } from '../api/api-client.ts';
import type { Account, MediaAttachment, Notification } from '../api/mastodon-types.ts';

/** Glimpse's own API for stories (API.md, "Stories"). */
export const STORIES_BASE = '/api/glimpse/v1';

/** The same limits as the server's (domain/stories/story.ts). */
export const STORY_LIMITS = {
  overlays: 10,
  text: 500,
  reply: 1000,
  highlightTitle: 100,
} as const;

export const STORY_FONTS = ['classic', 'modern', 'neon', 'typewriter', 'strong'] as const;
export type StoryFont = (typeof STORY_FONTS)[number];
export type StoryAlign = 'left' | 'center' | 'right';
export type StoryAudience = 'followers' | 'close_friends';

/** A text layer drawn on the picture; x and y are 0..1 of the picture, at the layer's centre. */
export interface TextOverlay {
  type: 'text';
  text: string;
  x: number;
  y: number;
  rotation?: number;
  scale?: number;
  color?: string;
  background?: string;
  /** A contrasting edge around the letters (Glimpse's outline text style). */
  outline?: string;
  font?: StoryFont | (string & {});
  align?: StoryAlign;
}

/** A mention sticker: "@username", which can be tapped. */
export interface MentionOverlay {
  type: 'mention';
  account_id: string;
  x: number;
  y: number;
  rotation?: number;
  scale?: number;
}

export type Overlay = TextOverlay | MentionOverlay;

export interface Story {
  id: string;
  account: Account;
  created_at: string;
  expires_at: string;
  media_attachment: MediaAttachment;
  overlays: Overlay[];
  /** The overlays' words as plain text. */
  text?: string;
  audience: StoryAudience;
  duration_ms: number;
  mentions: Account[];
  seen: boolean;
  reshare_of: { id: string; account: Account } | null;
  /** Only for the author. */
  viewers_count?: number;
  /** What the viewer may do with it, as the server decided (server/src/access/capabilities.ts). */
  glimpse: { can: StoryCapabilities };
}

export interface StoryCapabilities {
  /** Reply and react. */
  respond: boolean;
  /** Add it to one's own story. */
  reshare: boolean;
  delete: boolean;
}

export interface TrayEntry {
  account: Account;
  stories_count: number;
  unseen_count: number;
  latest_at: string;
  has_close_friends: boolean;
}

export interface StoryViewer {
  account: Account;
  viewed_at: string;
}

export interface StoryReply {
  id: string;
  story_id: string;
  text: string;
  created_at: string;
  account: Account;
}

export interface Highlight {
  id: string;
  title: string;
  position?: number;
  cover: MediaAttachment | null;
  cover_story_id?: string | null;
  stories: Story[];
}

export interface NewStory {
  media_id?: string;
  duration_ms?: number;
  audience: StoryAudience;
  overlays: Overlay[];
  reshare_of_id?: string;
}

const id = (value: string) => encodeURIComponent(value);

export function fetchTray(api: ApiClient, signal?: AbortSignal): Promise<TrayEntry[]> {
  return api.get(`${STORIES_BASE}/stories/tray`, undefined, signal);
}

export function fetchAccountStories(api: ApiClient, accountId: string, signal?: AbortSignal): Promise<Story[]> {
  return api.get(`${STORIES_BASE}/accounts/${id(accountId)}/stories`, undefined, signal);
}

export function fetchStory(api: ApiClient, storyId: string, signal?: AbortSignal): Promise<Story> {
  return api.get(`${STORIES_BASE}/stories/${id(storyId)}`, undefined, signal);
}

export function createStory(api: ApiClient, story: NewStory): Promise<Story> {
  return api.post(`${STORIES_BASE}/stories`, story);
}

export function deleteStory(api: ApiClient, storyId: string): Promise<unknown> {
  return api.delete(`${STORIES_BASE}/stories/${id(storyId)}`);
}

export function markStorySeen(api: ApiClient, storyId: string): Promise<Story> {
  return api.post(`${STORIES_BASE}/stories/${id(storyId)}/seen`);
}

export function fetchStoryViewers(api: ApiClient, storyId: string, signal?: AbortSignal): Promise<StoryViewer[]> {
  return api.get(`${STORIES_BASE}/stories/${id(storyId)}/viewers`, { limit: 200 }, signal);
}

export function replyToStory(api: ApiClient, storyId: string, text: string): Promise<unknown> {
  return api.post(`${STORIES_BASE}/stories/${id(storyId)}/replies`, { text });
}

export function reactToStory(api: ApiClient, storyId: string, emoji: string): Promise<unknown> {
  return api.post(`${STORIES_BASE}/stories/${id(storyId)}/reactions`, { emoji });
}

export function fetchStoryReplies(api: ApiClient, signal?: AbortSignal): Promise<StoryReply[]> {
  return api.get(`${STORIES_BASE}/stories/replies`, { limit: 80 }, signal);
}

export function fetchCloseFriends(api: ApiClient, offset = 0, signal?: AbortSignal): Promise<Account[]> {
  return api.get(`${STORIES_BASE}/close_friends`, { limit: 200, offset }, signal);
}

export function addCloseFriends(api: ApiClient, accountIds: string[]): Promise<Account[]> {
  return api.post(`${STORIES_BASE}/close_friends`, { account_ids: accountIds });
}

export function removeCloseFriend(api: ApiClient, accountId: string): Promise<unknown> {
  return api.delete(`${STORIES_BASE}/close_friends/${id(accountId)}`);
}

/** The signed-in author's expired stories, newest first (paged by the Link header). */
export const STORY_ARCHIVE_PATH = `${STORIES_BASE}/stories/archive`;

export function fetchStoryArchivePage(api: ApiClient, path: string, signal?: AbortSignal): Promise<Page<Story>> {
  return api.getPage<Story>(path, undefined, signal);
}

export function fetchHighlights(api: ApiClient, accountId: string, signal?: AbortSignal): Promise<Highlight[]> {
  return api.get(`${STORIES_BASE}/accounts/${id(accountId)}/highlights`, undefined, signal);
}

export function createHighlight(api: ApiClient, input: { title: string; story_ids: string[]; cover_story_id?: string }): Promise<Highlight> {
  return api.post(`${STORIES_BASE}/highlights`, input);
}

export function updateHighlight(api: ApiClient, highlightId: string, input: { title?: string; story_ids?: string[]; cover_story_id?: string | null; position?: number }): Promise<Highlight> {
  return api.request<Highlight>('PUT', `${STORIES_BASE}/highlights/${id(highlightId)}`, { body: input }).then((r) => r.data);
}

export function deleteHighlight(api: ApiClient, highlightId: string): Promise<unknown> {
  return api.delete(`${STORIES_BASE}/highlights/${id(highlightId)}`);
}

/** Story notifications (story_mention, story_reply, story_reaction) carry the story, or null once it is gone. */
export function storyOf(notification: Notification): Story | null {
  return (notification as Notification & { story?: Story | null }).story ?? null;
}

/** Where the viewer opens one account's stories, optionally at one story. */
export function storyPath(accountId: string, storyId?: string): string {
  return `/stories/${id(accountId)}${storyId ? `?story=${id(storyId)}` : ''}`;
}

export function highlightPath(accountId: string, highlightId: string): string {
  return `/stories/${id(accountId)}/highlights/${id(highlightId)}`;
}

/** Navigation state of pages that open the viewer, so closing it goes back there. */
export interface StoryViewerState {
  fromApp?: boolean;
  /** The tray's order of accounts at the time the viewer was opened. */
  queue?: string[];
}
