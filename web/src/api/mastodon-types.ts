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

export interface MediaAttachment {
  id: string;
  type: string;
  url: string;
  preview_url: string | null;
  description: string | null;
}

export interface Status {
  id: string;
  created_at: string;
  content: string;
  account: Account;
  media_attachments: MediaAttachment[];
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
  | (string & {});

export interface Notification {
  id: string;
  type: NotificationType;
  created_at: string;
  account: Account;
  status?: Status | null;
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
