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
  followers_count: number;
  following_count: number;
  statuses_count: number;
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
}

export interface Database {
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
  markers: MarkersTable;
  instance_settings: InstanceSettingsTable;
}

export type { Generated };
