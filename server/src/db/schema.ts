import type { Generated } from 'kysely';

/**
 * The tables as Kysely sees them. Ids are time-ordered integers (see ids.ts) handled as
 * strings in code; timestamps are ISO-8601 text and booleans 0/1 integers on both databases,
 * so the two dialects store the same values.
 */
export interface AccountsTable {
  id: string;
  username: string;
  /** Lower-cased username: the unique key, so names differing only in case collide. */
  username_lower: string;
  display_name: string;
  note: string;
  locked: number;
  discoverable: number;
  avatar_media_id: string | null;
  header_media_id: string | null;
  /** URL path of the served size of the avatar/header, e.g. /media/<key>/square400.jpg. */
  avatar_path: string | null;
  header_path: string | null;
  followers_count: number;
  following_count: number;
  statuses_count: number;
  /** When an admin suspended the account; null when it is not suspended. */
  suspended_at: string | null;
  /** Profile fields: a JSON array of { name, value } (at most four, see account.ts). */
  fields: Generated<string>;
  created_at: string;
  updated_at: string;
}

export interface UsersTable {
  account_id: string;
  email: string;
  email_lower: string;
  password_hash: string;
  role: 'user' | 'moderator' | 'admin';
  approved: number;
  disabled: number;
  registration_reason: string;
  created_at: string;
  password_changed_at: string;
  /** Bumped by every change to the account's filters (migration 0023). */
  filters_version: Generated<number>;
  relations_version: Generated<number>;
  /** When the e-mail address was confirmed; null while a sign-up made with mail on awaits its link (migration 0025). */
  email_confirmed_at: string | null;
  /** A new address asked for and not yet confirmed (migration 0025). */
  unconfirmed_email: string | null;
}

/** Single-use links mailed out (password reset, e-mail confirmation), by SHA-256 hash (migration 0025). */
export interface MailTokensTable {
  token_hash: string;
  account_id: string;
  purpose: 'password_reset' | 'email_confirmation';
  email: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

export interface AppsTable {
  id: string;
  name: string;
  website: string | null;
  redirect_uris: string;
  scopes: string;
  client_id: string;
  client_secret_hash: string;
  created_at: string;
}

export interface AuthorizationCodesTable {
  code_hash: string;
  app_id: string;
  account_id: string;
  redirect_uri: string;
  scopes: string;
  code_challenge: string;
  expires_at: string;
  used_at: string | null;
}

export interface AccessTokensTable {
  id: string;
  token_hash: string;
  refresh_token_hash: string | null;
  /** 'oauth' tokens come from /oauth/token; 'session' tokens back the web client's cookie. */
  kind: 'oauth' | 'session';
  app_id: string | null;
  account_id: string | null;
  scopes: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
  /**
   * The token's family: the hash of the authorization code it descends from (through refreshes
   * too), `family:<id>` for a refreshable token older than that, or null (no refresh possible).
   */
  authorization_code_hash: string | null;
}

export interface FollowsTable {
  id: string;
  account_id: string;
  target_account_id: string;
  created_at: string;
}

export type FollowRequestsTable = FollowsTable;

export interface BlocksTable {
  id: string;
  account_id: string;
  target_account_id: string;
  created_at: string;
}

export interface MutesTable {
  id: string;
  account_id: string;
  target_account_id: string;
  hide_notifications: number;
  expires_at: string | null;
  created_at: string;
}

export interface NotificationsTable {
  id: string;
  account_id: string;
  from_account_id: string;
  type: string;
  status_id: string | null;
  story_id: string | null;
  /** story_reply / story_reaction: the reply's or reaction's id. */
  story_response_id: string | null;
  created_at: string;
  /** Notifications sharing a key form one group (notification.ts groupKeyFor); null never written since 0010. */
  group_key: string | null;
  /** 1 when the recipient's notification policy filtered it (it waits in the requests). */
  filtered: Generated<number>;
}

export type NotificationPolicyValue = 'accept' | 'filter' | 'drop';

export interface NotificationPoliciesTable {
  account_id: string;
  for_not_following: NotificationPolicyValue;
  for_not_followers: NotificationPolicyValue;
  for_new_accounts: NotificationPolicyValue;
  for_private_mentions: NotificationPolicyValue;
  for_limited_accounts: NotificationPolicyValue;
  updated_at: string;
}

export interface NotificationPermissionsTable {
  account_id: string;
  from_account_id: string;
  created_at: string;
}

export interface MarkersTable {
  account_id: string;
  timeline: string;
  last_read_id: string;
  version: number;
  updated_at: string;
}

export interface InstanceSettingsTable {
  key: string;
  value: string;
  updated_at: string | null;
}

export interface AccountNotesTable {
  account_id: string;
  target_account_id: string;
  comment: string;
  updated_at: string;
}

export type EndorsementsTable = FollowsTable;

export interface ThreadMutesTable {
  account_id: string;
  /** A post's id (the post and all its comments) or a top-level comment's id (its thread). */
  thread_key: string;
  created_at: string;
}

/** Mastodon filters (migration 0013); v1 filters are one filter with one keyword. */
export interface FiltersTable {
  id: string;
  account_id: string;
  title: string;
  /** Comma-separated contexts in a fixed order, e.g. 'home,public' (domain/filters/filter.ts). */
  context: string;
  action: 'warn' | 'hide' | 'blur';
  expires_at: string | null;
  created_at: string;
}

export interface FilterKeywordsTable {
  id: string;
  filter_id: string;
  keyword: string;
  whole_word: number;
  created_at: string;
}

export interface FilterStatusesTable {
  id: string;
  filter_id: string;
  status_id: string;
  created_at: string;
}

export interface MediaTable {
  id: string;
  account_id: string;
  purpose: 'attachment' | 'avatar' | 'header';
  state: 'processing' | 'ready' | 'failed';
  error: string | null;
  storage_key: string;
  description: string;
  focus_x: number;
  focus_y: number;
  width: number | null;
  height: number | null;
  blurhash: string | null;
  /** JSON array of MediaVariant. */
  variants: string;
  captured_at: string | null;
  status_id: string | null;
  position: number;
  created_at: string;
  /** The scheduled status this upload is reserved for until it is published (migration 0016). */
  scheduled_status_id: Generated<string | null>;
  /** The processing lease (migration 0020): the holder's attempt key, and when it runs out. */
  lease_owner: Generated<string | null>;
  lease_until: Generated<string | null>;
  lease_holder: Generated<string | null>;
  /** When it may be removed once nothing points at it (migration 0027); null: 24 h after created_at. */
  remove_after: Generated<string | null>;
}

export interface StatusesTable {
  id: string;
  account_id: string;
  text: string;
  visibility: 'public' | 'unlisted' | 'private' | 'direct';
  in_reply_to_id: string | null;
  in_reply_to_account_id: string | null;
  sensitive: number;
  spoiler_text: string;
  language: string | null;
  hide_like_count: number;
  comment_policy: string;
  has_media: number;
  favourites_count: number;
  replies_count: number;
  created_at: string;
  edited_at: string | null;
  post_id: string | null;
  thread_id: string | null;
  hidden_reason: 'hidden_words' | 'restricted' | 'moderator' | null;
  approved: number;
  fold_key: string;
  tone: 'supportive' | 'critical' | 'question' | 'neutral' | null;
  pinned_at: string | null;
  rank_score: number;
  /** The conversation a direct message belongs to (migration 0015); null for everything else. */
  conversation_id: Generated<string | null>;
  /** The story a message answers (a story reply or reaction), migration 0015. */
  story_id: Generated<string | null>;
  /** Bumped by triggers when its media, photo tags, mentions or hashtags change (migration 0023). */
  content_version: Generated<number>;
}

/** Direct-message conversations (migration 0015): sorted, comma-joined ids of all participants. */
export interface ConversationsTable {
  id: string;
  participants_key: string;
  created_at: string;
}

/** Each participant's state of a conversation (migration 0015). */
export interface AccountConversationsTable {
  account_id: string;
  conversation_id: string;
  last_status_id: string | null;
  unread: number;
  removed: number;
  updated_at: string;
}

export interface StatusEditsTable {
  id: string;
  status_id: string;
  text: string;
  spoiler_text: string;
  sensitive: number;
  created_at: string;
}

export interface MentionsTable {
  status_id: string;
  account_id: string;
}

export interface StatusTagsTable {
  status_id: string;
  tag: string;
  display: string;
}

export interface MediaTagsTable {
  media_id: string;
  account_id: string;
  x: number;
  y: number;
}

export interface FavouritesTable {
  id: string;
  account_id: string;
  status_id: string;
  created_at: string;
}

export interface StatusMarkTable {
  id: string;
  account_id: string;
  status_id: string;
  created_at: string;
}

/** Id nodes leased by running servers (migration 0021, db/node-lease.ts). */
export interface NodeLeasesTable {
  node: number;
  holder: string;
  expires_at: string;
  acquired_at: string;
}

/** The job outbox (migration 0019, infra/queue/). */
export interface JobsTable {
  id: string;
  name: string;
  payload: string;
  state: 'queued' | 'running' | 'failed';
  attempts: number;
  max_attempts: number;
  run_at: string;
  locked_by: string | null;
  last_error: string | null;
  created_at: string;
  updated_at: string;
}

export interface HomeFeedTable {
  account_id: string;
  status_id: string;
  author_id: string;
}

export interface IdempotencyKeysTable {
  account_id: string;
  key: string;
  status_id: string;
  created_at: string;
}

export interface StoriesTable {
  id: string;
  account_id: string;
  media_id: string;
  duration_ms: number;
  audience: 'followers' | 'close_friends';
  overlays: string;
  reshare_of_id: string | null;
  viewers_count: number;
  created_at: string;
  expires_at: string;
}

export interface StoryMentionsTable {
  story_id: string;
  account_id: string;
}

export interface StoryViewsTable {
  story_id: string;
  account_id: string;
  viewed_at: string;
}

export interface StoryRepliesTable {
  id: string;
  story_id: string;
  story_author_id: string;
  account_id: string;
  text: string;
  hidden: number;
  created_at: string;
}

export interface StoryReactionsTable {
  id: string;
  story_id: string;
  story_author_id: string;
  account_id: string;
  emoji: string;
  hidden: number;
  created_at: string;
}

export interface CloseFriendsTable {
  account_id: string;
  friend_id: string;
  created_at: string;
}

/** An archive of an account's data for its owner to download (migration 0029). */
export interface DataArchivesTable {
  id: string;
  account_id: string;
  state: 'pending' | 'ready' | 'failed';
  storage_key: string | null;
  size: number | null;
  created_at: string;
  ready_at: string | null;
  expires_at: string | null;
}

export interface HighlightsTable {
  id: string;
  account_id: string;
  title: string;
  cover_story_id: string | null;
  position: number;
  created_at: string;
  updated_at: string;
}

export interface HighlightItemsTable {
  highlight_id: string;
  story_id: string;
  position: number;
}

export interface CommentCountsTable {
  post_id: string;
  shard: number;
  total: number;
  hidden: number;
}

export interface CommentFoldsTable {
  post_id: string;
  fold_key: string;
  display_text: string;
}

export interface CommentFoldCountsTable {
  post_id: string;
  fold_key: string;
  shard: number;
  count: number;
}

export interface HiddenWordsTable {
  account_id: string;
  use_default_list: number;
  words: string;
  updated_at: string;
}

export interface RestrictsTable {
  account_id: string;
  target_account_id: string;
  created_at: string;
}

export interface AccountSettingsTable {
  account_id: string;
  default_comment_policy: string;
  updated_at: string;
}

export interface ReportsTable {
  id: string;
  account_id: string;
  target_account_id: string;
  status_ids: string;
  comment: string;
  category: string;
  forward: number;
  created_at: string;
  action_taken: string | null;
  action_taken_at: string | null;
  action_taken_by: string | null;
  /** The moderator handling the report (admin API assign_to_self); null when unassigned. Migration 0018. */
  assigned_account_id: Generated<string | null>;
  /** When the report last changed; null until it first does (created_at stands for it). */
  updated_at: Generated<string | null>;
}

/** Admin IP blocks (migration 0018): a canonical CIDR and what it refuses. */
export interface IpBlocksTable {
  id: string;
  ip: string;
  severity: 'sign_up_requires_approval' | 'sign_up_block' | 'no_access';
  comment: string;
  created_at: string;
  updated_at: string;
  expires_at: string | null;
}

export interface EmailDomainBlocksTable {
  id: string;
  domain: string;
  created_at: string;
}

/** Sign-ups an e-mail domain block refused, per UTC day (YYYY-MM-DD). */
export interface EmailDomainBlockAttemptsTable {
  block_id: string;
  day: string;
  count: number;
}

/** Addresses an account signed up or logged in from; ip_key sorts as the address (ip-address.ts). */
export interface UserIpsTable {
  account_id: string;
  ip: string;
  ip_key: string;
  used_at: string;
}

export interface ListsTable {
  id: string;
  account_id: string;
  title: string;
  replies_policy: 'followed' | 'list' | 'none';
  exclusive: number;
  created_at: string;
}

export interface ListAccountsTable {
  list_id: string;
  account_id: string;
  id: string;
}

/** followed_tags and featured_tags. */
export interface AccountTagsTable {
  id: string;
  account_id: string;
  tag: string;
  display: string;
  created_at: string;
}

/** Web Push subscriptions, one per access token (migration 0017). */
/** Two-factor log-in (TOTP) per account (migration 0026); the secret is sealed. */
export interface TwoFactorCredentialsTable {
  account_id: string;
  sealed_secret: string;
  /** Null while the enrolment waits for its first valid code. */
  confirmed_at: string | null;
  /** The newest time step a code was accepted for: no code of it or before is accepted again. */
  last_used_step: number | null;
  created_at: string;
}

/** Single-use recovery codes, as SHA-256 hashes (migration 0026). */
export interface TwoFactorRecoveryCodesTable {
  account_id: string;
  code_hash: string;
  used_at: string | null;
  created_at: string;
}

export interface PushSubscriptionsTable {
  id: string;
  access_token_id: string;
  account_id: string;
  endpoint: string;
  key_p256dh: string;
  key_auth: string;
  standard: number;
  alerts: string;
  policy: string;
  sealed_access_token: string;
  created_at: string;
  updated_at: string;
}

/** Follow suggestions a viewer dismissed: never suggested to them again (migration 0014). */
export interface SuggestionDismissalsTable {
  account_id: string;
  target_account_id: string;
  created_at: string;
}

/** The instance's custom emojis (migration 0014), added by `admin emoji add`. */
export interface CustomEmojisTable {
  id: string;
  shortcode: string;
  shortcode_lower: string;
  storage_key: string;
  file: string;
  width: number;
  height: number;
  category: string | null;
  visible_in_picker: number;
  created_at: string;
}

/** A status to be posted later (migration 0016): Mastodon's ScheduledStatus. */
export interface ScheduledStatusesTable {
  id: string;
  account_id: string;
  scheduled_at: string;
  state: Generated<'scheduled' | 'published' | 'failed'>;
  text: string;
  /** JSON array of media ids, in carousel order. */
  media_ids: Generated<string>;
  sensitive: Generated<number>;
  spoiler_text: Generated<string>;
  visibility: 'public' | 'unlisted' | 'private' | 'direct';
  in_reply_to_id: string | null;
  language: string | null;
  comment_policy: string | null;
  hide_like_count: Generated<number>;
  /** JSON array of { mediaId, accountId, x, y }. */
  photo_tags: Generated<string>;
  idempotency: string | null;
  application_id: string | null;
  /** The status it became, once published. */
  status_id: string | null;
  /** Why it could not be published, when failed. */
  error: string | null;
  attempts: Generated<number>;
  created_at: string;
  finished_at: string | null;
}

/** An owner's request to delete their account (migration 0028, domain/accounts/account-deletion.ts). */
export interface AccountDeletionsTable {
  account_id: string;
  requested_at: string;
  /** The end of the grace period: log-in before it cancels the request. */
  due_at: string;
  /** Claimed by a sweep: the removal jobs run; log-in no longer cancels. */
  started_at: string | null;
  completed_at: string | null;
}

/** A CSV import of follows, blocks or mutes (migration 0028, domain/portability/relation-import.ts). */
export interface RelationImportsTable {
  id: string;
  account_id: string;
  type: 'following' | 'blocking' | 'muting';
  mode: 'merge' | 'overwrite';
  /** queued → removing (overwrite only) → adding → finished. */
  state: 'queued' | 'removing' | 'adding' | 'finished';
  /** The parsed rows: JSON [{ address, hideNotifications? }]. */
  rows: string;
  total_items: number;
  processed_items: Generated<number>;
  imported_items: Generated<number>;
  /** JSON [{ address, reason }]. */
  skipped: Generated<string>;
  /** Overwrite: the id of the last relation the removal looked at. */
  removal_cursor: string | null;
  created_at: string;
  finished_at: string | null;
}

export interface Database {
  ip_blocks: IpBlocksTable;
  email_domain_blocks: EmailDomainBlocksTable;
  email_domain_block_attempts: EmailDomainBlockAttemptsTable;
  user_ips: UserIpsTable;
  scheduled_statuses: ScheduledStatusesTable;
  lists: ListsTable;
  list_accounts: ListAccountsTable;
  followed_tags: AccountTagsTable;
  featured_tags: AccountTagsTable;
  comment_counts: CommentCountsTable;
  comment_folds: CommentFoldsTable;
  comment_fold_counts: CommentFoldCountsTable;
  hidden_words: HiddenWordsTable;
  restricts: RestrictsTable;
  account_settings: AccountSettingsTable;
  reports: ReportsTable;
  stories: StoriesTable;
  story_mentions: StoryMentionsTable;
  story_views: StoryViewsTable;
  story_replies: StoryRepliesTable;
  story_reactions: StoryReactionsTable;
  close_friends: CloseFriendsTable;
  highlights: HighlightsTable;
  data_archives: DataArchivesTable;
  highlight_items: HighlightItemsTable;
  media: MediaTable;
  statuses: StatusesTable;
  status_edits: StatusEditsTable;
  mentions: MentionsTable;
  status_tags: StatusTagsTable;
  media_tags: MediaTagsTable;
  favourites: FavouritesTable;
  home_feed: HomeFeedTable;
  bookmarks: StatusMarkTable;
  pinned_statuses: StatusMarkTable;
  idempotency_keys: IdempotencyKeysTable;
  accounts: AccountsTable;
  users: UsersTable;
  apps: AppsTable;
  authorization_codes: AuthorizationCodesTable;
  access_tokens: AccessTokensTable;
  follows: FollowsTable;
  follow_requests: FollowRequestsTable;
  blocks: BlocksTable;
  mutes: MutesTable;
  notifications: NotificationsTable;
  notification_policies: NotificationPoliciesTable;
  notification_permissions: NotificationPermissionsTable;
  markers: MarkersTable;
  instance_settings: InstanceSettingsTable;
  account_notes: AccountNotesTable;
  endorsements: EndorsementsTable;
  thread_mutes: ThreadMutesTable;
  conversations: ConversationsTable;
  account_conversations: AccountConversationsTable;
  filters: FiltersTable;
  filter_keywords: FilterKeywordsTable;
  filter_statuses: FilterStatusesTable;
  suggestion_dismissals: SuggestionDismissalsTable;
  custom_emojis: CustomEmojisTable;
  push_subscriptions: PushSubscriptionsTable;
  mail_tokens: MailTokensTable;
  two_factor_credentials: TwoFactorCredentialsTable;
  two_factor_recovery_codes: TwoFactorRecoveryCodesTable;
  node_leases: NodeLeasesTable;
  jobs: JobsTable;
  account_deletions: AccountDeletionsTable;
  relation_imports: RelationImportsTable;
}

export type { Generated };
