import type { Account, MediaAttachment, PostCapabilities, Relationship, Status } from '../api/mastodon-types.ts';

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

let nextStatusId = 9000;

/** A processed photo as the server presents it. */
export function makeMedia(id: string, overrides: Partial<MediaAttachment> = {}): MediaAttachment {
  return {
    id,
    type: 'image',
    url: `http://glimpse.test/media/${id}/w1080.jpg`,
    preview_url: `http://glimpse.test/media/${id}/w320.jpg`,
    description: null,
    blurhash: null,
    meta: { original: { width: 1080, height: 1080 } },
    glimpse: { state: 'ready', tags: [], url_template: null, sizes: [], formats: [], captured_at: null },
    ...overrides,
  };
}

/**
 * What the server presents as `glimpse.can` (server/src/access/capabilities.ts). A fixture states
 * the capabilities of the viewer its test signs in: the client shows them and decides nothing.
 */
export const STRANGER_CAN: PostCapabilities = { comment: true, pin: false, edit: false, delete: false };
/** A post's own author. */
export const AUTHOR_CAN: PostCapabilities = { comment: true, pin: true, edit: true, delete: true };

/**
 * A photo post (or a comment) as the server presents it. `can` is the viewer's capabilities,
 * a signed-in stranger's unless the test says otherwise.
 */
export function makeStatus(account: Account, { can = STRANGER_CAN, ...overrides }: Partial<Status> & { can?: Partial<PostCapabilities> } = {}): Status {
  const id = overrides.id ?? String(nextStatusId++);
  return {
    id,
    created_at: new Date(Date.now() - 5 * 60_000).toISOString(),
    content: '',
    account,
    media_attachments: [makeMedia(`${id}1`)],
    visibility: 'public',
    in_reply_to_id: null,
    favourites_count: 0,
    favourited: false,
    replies_count: 0,
    mentions: [],
    tags: [],
    glimpse: { hide_like_count: false, like_count_hidden: false, comment_policy: 'everyone', can: { ...STRANGER_CAN, ...can } },
    ...overrides,
  };
}
