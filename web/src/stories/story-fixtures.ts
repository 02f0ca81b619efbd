import type { Account } from '../api/mastodon-types.ts';
import { makeMedia } from '../test/fixtures.ts';
import type { Story, StoryCapabilities, TrayEntry } from './stories-api.ts';

let nextStoryId = 5000;

/**
 * What the server presents as a story's `glimpse.can` (server/src/access/capabilities.ts) to
 * the viewer the test signs in: someone else's live story, and one's own.
 */
export const VIEWER_STORY_CAN: StoryCapabilities = { respond: true, reshare: false, delete: false };
export const AUTHOR_STORY_CAN: StoryCapabilities = { respond: false, reshare: false, delete: true };

/** A story as the server presents it (tests only); `can` as for a viewer who is not its author unless stated. */
export function makeStory(account: Account, { can = VIEWER_STORY_CAN, ...overrides }: Partial<Story> & { can?: Partial<StoryCapabilities> } = {}): Story {
  const id = overrides.id ?? `s${nextStoryId++}`;
  const created = Date.now() - 60 * 60_000;
  return {
    id,
    account,
    created_at: new Date(created).toISOString(),
    expires_at: new Date(created + 24 * 60 * 60_000).toISOString(),
    media_attachment: { ...makeMedia(`${id}m`), description: `Photo of story ${id}` },
    overlays: [],
    text: '',
    audience: 'followers',
    duration_ms: 5000,
    mentions: [],
    seen: false,
    reshare_of: null,
    glimpse: { can: { ...VIEWER_STORY_CAN, ...can } },
    ...overrides,
  };
}

export function makeTrayEntry(account: Account, overrides: Partial<TrayEntry> = {}): TrayEntry {
  return {
    account,
    stories_count: 1,
    unseen_count: 1,
    latest_at: new Date().toISOString(),
    has_close_friends: false,
    ...overrides,
  };
}
