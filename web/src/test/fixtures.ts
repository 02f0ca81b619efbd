import type { Account, Relationship } from '../api/mastodon-types.ts';

let nextId = 100;

/** A Mastodon Account as the server presents it. */
export function makeAccount(username: string, overrides: Partial<Account> = {}): Account {
  const id = overrides.id ?? String(nextId++);
  return {
    id,
    username,
    acct: username,
    display_name: '',
    note: '',
    avatar: `http://glimpse.test/assets/avatar-missing.png`,
    locked: false,
    followers_count: 0,
    following_count: 0,
    statuses_count: 0,
    ...overrides,
  };
}

export function makeRelationship(id: string, overrides: Partial<Relationship> = {}): Relationship {
  return {
    id,
    following: false,
    followed_by: false,
    requested: false,
    blocking: false,
    blocked_by: false,
    muting: false,
    muting_notifications: false,
    ...overrides,
  };
}
