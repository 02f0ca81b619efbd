/**
 * The Mastodon entities the web client reads. The server's presenters are typed with the same
 * interfaces (server/src/http/mastodon/entities.ts, types only: nothing of the server is
 * bundled), so a field renamed on the server breaks this build instead of its users.
 */

export type {
  Account,
  AccountField,
  CommentPolicy,
  Conversation,
  CredentialAccount,
  CustomEmoji,
  Filter,
  FilterAction,
  FilterContext,
  FilterKeyword,
  FilterResult,
  GroupedNotificationsResults,
  HiddenReason,
  MediaAttachment,
  MediaSize,
  MediaState,
  Notification,
  NotificationGroup,
  NotificationType,
  PartialAccount,
  PhotoTag,
  PostCapabilities,
  Relationship,
  Status,
  StatusGlimpse,
  StatusMention,
  StatusTag,
  StoredSize,
  StoryResponse,
  Visibility,
} from '../../../server/src/http/mastodon/entities.ts';
import type { Account, MediaAttachment } from '../../../server/src/http/mastodon/entities.ts';

// Not yet typed on the server's side: written here by hand.

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
