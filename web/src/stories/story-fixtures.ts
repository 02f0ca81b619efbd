import type { Account } from '../api/mastodon-types.ts';
import { makeMedia } from '../test/fixtures.ts';
import type { Story, TrayEntry } from './stories-api.ts';

let nextStoryId = 5000;

/** A story as the server presents it (tests only). */
export function makeStory(account: Account, overrides: Partial<Story> = {}): Story {
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
