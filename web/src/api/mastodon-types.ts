/** The subset of Mastodon's entities that the web client reads. */

export interface Account {
  id: string;
  username: string;
  acct: string;
  display_name: string;
  /** HTML; render with htmlToText, never as markup. */
  note: string;
  url?: string;
  avatar: string;
  avatar_static?: string;
  header?: string;
  locked: boolean;
  bot?: boolean;
  created_at?: string;
  followers_count: number;
  following_count: number;
  statuses_count: number;
}

export interface CredentialAccount extends Account {
  source: {
    /** The bio as the owner typed it. */
    note: string;
    privacy: 'public' | 'unlisted' | 'private' | 'direct';
    follow_requests_count?: number;
  };
}

export interface Relationship {
  id: string;
  following: boolean;
  followed_by: boolean;
  requested: boolean;
  requested_by?: boolean;
  blocking: boolean;
  blocked_by?: boolean;
  muting: boolean;
  muting_notifications?: boolean;
  showing_reblogs?: boolean;
  notifying?: boolean;
  domain_blocking?: boolean;
  endorsed?: boolean;
  note?: string;
}

export interface MediaSize {
  width: number;
  height: number;
  aspect?: number;
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

export interface MediaAttachment {
  id: string;
  type: string;
  /** The 1080-wide JPEG; null while the upload is still being processed. */
  url: string | null;
  /** The 320-wide JPEG; null while processing. */
  preview_url: string | null;
  /** Alt text. */
  description: string | null;
  blurhash?: string | null;
  meta?: { original?: MediaSize; small?: MediaSize; focus?: { x: number; y: number } } | null;
  glimpse?: {
    state?: 'processing' | 'ready' | 'failed' | (string & {});
    tags?: PhotoTag[];
    /** Every size and format: `{name}` and `{format}` filled from `sizes` and `formats`; null until processed. */
    url_template?: string | null;
    sizes?: StoredSize[];
    /** File extensions: 'jpg', 'webp'. */
    formats?: string[];
    captured_at?: string | null;
  };
}

export type CommentPolicy = 'everyone' | 'followers' | 'following' | 'followers_and_following' | 'nobody';

/** Mastodon's CustomEmoji, as listed in a Status's `emojis`. */
export interface CustomEmoji {
  shortcode: string;
  url: string;
  static_url: string;
  visible_in_picker?: boolean;
  category?: string | null;
}

export interface Status {
  id: string;
  created_at: string;
  /** When the caption or photos last changed, or null. */
  edited_at?: string | null;
  /** HTML escaped by the server; render with SafeContent only. */
  content: string;
  account: Account;
  media_attachments: MediaAttachment[];
  url?: string;
  visibility?: 'public' | 'unlisted' | 'private' | 'direct';
  in_reply_to_id?: string | null;
  favourites_count?: number;
  favourited?: boolean;
  replies_count?: number;
  mentions?: Array<{ id: string; username: string; acct: string; url: string }>;
  tags?: Array<{ name: string; url: string }>;
  /** The instance's custom emojis named `:shortcode:` in the content (SafeContent draws them). */
  emojis?: CustomEmoji[];
  /** The viewer's filters this status matched in the context it was fetched in (`hide` matches never arrive in lists). */
  filtered?: FilterResult[];
  /** Glimpse's own fields; every Status the Glimpse server presents carries them. */
  glimpse: {
    hide_like_count: boolean;
    /** True when the viewer may not see the count (the author hid it and the viewer is someone else). */
    like_count_hidden: boolean;
    comment_policy: CommentPolicy;
    /** What the viewer may do with it, as the server decided (server/src/access/capabilities.ts); the client shows it and never decides again. */
    can: PostCapabilities;
  };
}

export interface PostCapabilities {
  /** Write a comment under the post (on a comment: reply in its post). */
  comment: boolean;
  pin: boolean;
  edit: boolean;
  delete: boolean;
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

export interface Notification {
  id: string;
  type: NotificationType;
  created_at: string;
  account: Account;
  status?: Status | null;
  /** Glimpse: a story reply's words or a story reaction's emoji. */
  story_response?: { id: string; text: string | null; emoji: string | null } | null;
}

export interface Session {
  account: Account;
  role?: string;
  csrf_token: string | null;
}

export interface InstanceV2 {
  title: string;
  registrations: {
    enabled: boolean;
    approval_required: boolean;
    message: string | null;
  };
}

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

/** Mastodon's ScheduledStatus: a post waiting for its time. */
export interface ScheduledStatus {
  id: string;
  /** ISO 8601, UTC. */
  scheduled_at: string;
  params: {
    text: string | null;
    media_ids: string[] | null;
    visibility?: string | null;
    in_reply_to_id?: string | null;
  };
  media_attachments: MediaAttachment[];
}
