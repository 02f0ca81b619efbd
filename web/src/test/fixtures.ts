import type { Account, MediaAttachment, PostCapabilities, Relationship, Status } from '../api/mastodon-types.ts';

let nextId = 100;

/** A Mastodon Account as the server presents it. */
export function makeAccount(username: string, overrides: Partial<Account> = {}): Account {
  const id = overrides.id ?? String(nextId++);
  const avatar = `http://glimpse.test/assets/avatar-missing.png`;
  const header = `http://glimpse.test/static/header-missing.png`;
  return {
    id,
    username,
    acct: username,
    display_name: '',
    note: '',
    url: `http://glimpse.test/@${username}`,
    uri: `http://glimpse.test/users/${username}`,
    avatar,
    avatar_static: avatar,
    header,
    header_static: header,
    locked: false,
    bot: false,
    discoverable: true,
    indexable: true,
    group: false,
    created_at: '2026-01-01T00:00:00.000Z',
    followers_count: 0,
    following_count: 0,
    statuses_count: 0,
    last_status_at: null,
    hide_collections: false,
    noindex: false,
    emojis: [],
    roles: [],
    fields: [],
    ...overrides,
  };
}

export function makeRelationship(id: string, overrides: Partial<Relationship> = {}): Relationship {
  return {
    id,
    following: false,
    showing_reblogs: true,
    notifying: false,
    languages: null,
    followed_by: false,
    blocking: false,
    blocked_by: false,
    muting: false,
    muting_notifications: false,
    requested: false,
    requested_by: false,
    domain_blocking: false,
    endorsed: false,
    note: '',
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
    remote_url: null,
    preview_remote_url: null,
    text_url: null,
    meta: { original: { width: 1080, height: 1080, size: '1080x1080', aspect: 1 }, focus: { x: 0, y: 0 } },
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
    edited_at: null,
    content: '',
    account,
    media_attachments: [makeMedia(`${id}1`)],
    visibility: 'public',
    in_reply_to_id: null,
    in_reply_to_account_id: null,
    sensitive: false,
    spoiler_text: '',
    language: null,
    uri: `http://glimpse.test/users/${account.username}/statuses/${id}`,
    url: `http://glimpse.test/@${account.username}/${id}`,
    reblogs_count: 0,
    reblogged: false,
    reblog: null,
    application: null,
    favourites_count: 0,
    favourited: false,
    replies_count: 0,
    muted: false,
    bookmarked: false,
    pinned: false,
    mentions: [],
    tags: [],
    emojis: [],
    card: null,
    poll: null,
    filtered: [],
    glimpse: { post_id: id, thread_id: null, pinned: false, hide_like_count: false, like_count_hidden: false, comment_policy: 'everyone', can: { ...STRANGER_CAN, ...can } },
    ...overrides,
  };
}
