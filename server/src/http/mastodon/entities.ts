/**
 * The Mastodon entities as this server presents them, with Glimpse's fields under `glimpse`:
 * one source for the server's presenters (their return types) and the web client (which
 * imports them with `import type`, web/src/api/mastodon-types.ts). A field renamed here or in
 * a presenter breaks the build of both. Pure types, no imports, so the client bundles nothing.
 */

export type Visibility = 'public' | 'unlisted' | 'private' | 'direct';

/** Mastodon's CustomEmoji, as listed in a Status's or an Account's `emojis`. */
export interface CustomEmoji {
  shortcode: string;
  url: string;
  static_url: string;
  // The server sends these two as well; optional for the short forms clients write by hand.
  visible_in_picker?: boolean;
  category?: string | null;
}

/** A profile field: the name as typed, the value as HTML. */
export interface AccountField {
  name: string;
  value: string;
  verified_at: string | null;
}

export interface Account {
  id: string;
  username: string;
  acct: string;
  display_name: string;
  locked: boolean;
  bot: boolean;
  discoverable: boolean;
  indexable: boolean;
  group: boolean;
  created_at: string;
  /** HTML; render with htmlToText, never as markup. */
  note: string;
  url: string;
  uri: string;
  avatar: string;
  avatar_static: string;
  header: string;
  header_static: string;
  followers_count: number;
  following_count: number;
  statuses_count: number;
  last_status_at: string | null;
  hide_collections: boolean;
  noindex: boolean;
  emojis: CustomEmoji[];
  roles: Array<{ id: string; name: string; color: string }>;
  fields: AccountField[];
}

/** verify_credentials and update_credentials: the Account with its owner's settings. */
export interface CredentialAccount extends Account {
  source: {
    privacy: Visibility;
    sensitive: boolean;
    language: string | null;
    /** The bio as the owner typed it. */
    note: string;
    fields: Array<{ name: string; value: string; verified_at: string | null }>;
    follow_requests_count: number;
    hide_collections: boolean;
    discoverable: boolean;
    indexable: boolean;
  };
  role: { id: string; name: string; permissions: string; color: string; highlighted: boolean };
}

/** With partial_avatars, grouped notifications send the other accounts this short. */
export type PartialAccount = Pick<Account, 'id' | 'acct' | 'url' | 'avatar' | 'avatar_static' | 'locked' | 'bot'>;

/**
 * The server sends every field; those marked optional are the ones a client may leave out of
 * a relationship it makes up itself (a placeholder while the real one loads).
 */
export interface Relationship {
  id: string;
  following: boolean;
  showing_reblogs?: boolean;
  notifying?: boolean;
  languages?: string[] | null;
  followed_by: boolean;
  blocking: boolean;
  blocked_by?: boolean;
  muting: boolean;
  muting_notifications?: boolean;
  requested: boolean;
  requested_by?: boolean;
  domain_blocking?: boolean;
  endorsed?: boolean;
  note?: string;
}

export interface MediaSize {
  width: number;
  height: number;
  /** "1080x1350". */
  size: string;
  aspect: number;
}

/** A person tagged on a photo, at a position in 0..1 of its width and height. */
export interface PhotoTag {
  account: Account;
  x: number;
  y: number;
}

/** One stored size of a photo; every format of it has these dimensions. */
export interface StoredSize {
  name: string;
  width: number;
  height: number;
}

export type MediaState = 'processing' | 'ready' | 'failed';

export interface MediaAttachment {
  id: string;
  type: 'image' | 'gifv' | 'video' | 'audio' | 'unknown';
  /** The 1080-wide JPEG; null while the upload is still being processed. */
  url: string | null;
  /** The 320-wide JPEG; null while processing. */
  preview_url: string | null;
  remote_url: string | null;
  preview_remote_url: string | null;
  text_url: string | null;
  meta: { original?: MediaSize; small?: MediaSize; focus: { x: number; y: number } };
  /** Alt text. */
  description: string | null;
  blurhash: string | null;
  /** The server sends every field; a client reading one of them copes with its absence (an upload it made up). */
  glimpse: {
    state?: MediaState;
    /** Every size and format: `{name}` and `{format}` filled from `sizes` and `formats`; null until processed. */
    url_template?: string | null;
    sizes?: StoredSize[];
    /** File extensions: 'jpg', 'webp'. */
    formats?: string[];
    captured_at?: string | null;
    tags?: PhotoTag[];
  };
}

export type CommentPolicy = 'everyone' | 'followers' | 'following' | 'followers_and_following' | 'nobody';

/** Where a filter applies: home (and lists), notifications, public timelines, threads, profiles. */
export type FilterContext = 'home' | 'notifications' | 'public' | 'thread' | 'account';

export type FilterAction = 'warn' | 'hide' | 'blur';

export interface FilterKeyword {
  id: string;
  keyword: string;
  whole_word: boolean;
}

/** Mastodon's v2 Filter. */
export interface Filter {
  id: string;
  title: string;
  context: FilterContext[];
  /** ISO 8601, or null for never. */
  expires_at: string | null;
  filter_action: FilterAction;
  keywords: FilterKeyword[];
  statuses: Array<{ id: string; status_id: string }>;
}

/** One entry of Status.filtered: the filter (without its keywords) and what matched. */
export interface FilterResult {
  filter: Omit<Filter, 'keywords' | 'statuses'>;
  keyword_matches: string[] | null;
  status_matches: string[] | null;
}

/** What the viewer may do with a post or comment, as server/src/access/capabilities.ts decided. */
export interface PostCapabilities {
  /** Write a comment under the post (on a comment: reply in its post). */
  comment: boolean;
  pin: boolean;
  edit: boolean;
  delete: boolean;
}

export interface StatusMention {
  id: string;
  username: string;
  acct: string;
  url: string;
}

export interface StatusTag {
  name: string;
  url: string;
}

export type HiddenReason = 'hidden_words' | 'restricted' | 'moderator';

export interface Status {
  id: string;
  created_at: string;
  /** When the caption or photos last changed, or null. */
  edited_at: string | null;
  in_reply_to_id: string | null;
  in_reply_to_account_id: string | null;
  sensitive: boolean;
  spoiler_text: string;
  visibility: Visibility;
  language: string | null;
  uri: string;
  url: string;
  reblogs_count: number;
  reblogged: boolean;
  /** HTML escaped by the server; render with SafeContent only. */
  content: string;
  reblog: null;
  application: null;
  account: Account;
  media_attachments: MediaAttachment[];
  mentions: StatusMention[];
  tags: StatusTag[];
  /** The instance's custom emojis named `:shortcode:` in the content (SafeContent draws them). */
  emojis: CustomEmoji[];
  card: null;
  poll: null;
  replies_count: number;
  /** 0 when the viewer may not see it (glimpse.like_count_hidden). */
  favourites_count: number;
  favourited: boolean;
  muted: boolean;
  bookmarked: boolean;
  pinned: boolean;
  /** The caption as typed, to its author only. */
  text?: string;
  /** The viewer's filters this status matched in the context it was fetched in (`hide` matches never arrive in lists). */
  filtered: FilterResult[];
  glimpse: StatusGlimpse;
}

/** Glimpse's own fields of a Status. */
export interface StatusGlimpse {
  comment_policy: CommentPolicy;
  // Sent on every Status; optional for the posts clients make up (an optimistic comment).
  post_id?: string | null;
  thread_id?: string | null;
  pinned?: boolean;
  hide_like_count: boolean;
  /** Why a comment is hidden, to those who review it only. */
  hidden_reason?: HiddenReason | null;
  /** True when the viewer may not see the count (the author hid it and the viewer is someone else). */
  like_count_hidden: boolean;
  /** What the viewer may do with it; the client shows it and never decides again. */
  can: PostCapabilities;
  /** A direct message's conversation: its thread is GET /api/glimpse/v1/conversations/:id/messages. */
  conversation_id?: string;
  /** A message answering a story: its photo while the viewer may see it live. */
  story?: { id: string; preview_url: string | null; expired: boolean };
}

export type NotificationType =
  | 'follow'
  | 'follow_request'
  | 'mention'
  | 'favourite'
  | 'reblog'
  | 'status'
  | 'update'
  | 'comment'
  | 'story_mention'
  | 'story_reply'
  | 'story_reaction'
  | 'tag'
  | 'archive_ready'
  | (string & {});

/** A story reply's words or a story reaction's emoji, sent to the story's author only. */
export interface StoryResponse {
  id: string;
  text: string | null;
  emoji: string | null;
  /** The conversation the response's message is in, where the author answers it (null if that message is gone). */
  conversation_id: string | null;
}

export interface Notification {
  id: string;
  type: NotificationType;
  /** Sent on every notification; optional for the ones clients make up. */
  group_key?: string;
  created_at: string;
  account: Account;
  status?: Status | null;
  /** Glimpse: the story of a story mention, reply or reaction (null once it expired or went). */
  story?: unknown;
  /** Glimpse: a story reply's words or a story reaction's emoji. */
  story_response?: StoryResponse | null;
}

/** Mastodon 4.3's NotificationGroup (GET /api/v2/notifications). */
export interface NotificationGroup {
  group_key: string;
  notifications_count: number;
  type: NotificationType;
  most_recent_notification_id: string;
  page_min_id?: string;
  page_max_id?: string;
  latest_page_notification_at?: string;
  sample_account_ids: string[];
  status_id?: string;
  /** Glimpse: a story notification's story (null once it expired or went) and reply or reaction, as the Glimpse list sends them. */
  glimpse?: { story?: unknown; story_response?: StoryResponse | null };
}

/**
 * GET /api/v2/notifications: the groups with their accounts and statuses, each sent once. A
 * comment's post is among the statuses too (its `glimpse.post_id`), for the row's thumbnail.
 */
export interface GroupedNotificationsResults {
  accounts: Account[];
  partial_accounts?: PartialAccount[];
  statuses: Status[];
  notification_groups: NotificationGroup[];
}

/** Mastodon's Conversation, as one participant sees it. */
export interface Conversation {
  id: string;
  unread: boolean;
  accounts: Account[];
  last_status: Status | null;
}
