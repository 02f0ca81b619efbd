/**
 * Web Push: which notification may be pushed to which subscription (Mastodon's
 * `Web::PushSubscription#pushable?`): the subscription's alert for the notification's type is
 * on, and its policy admits the sender. Pure; the facts come from one query per notification
 * (PushSubscriptionRepository.forRecipient).
 */

/** Mastodon's alert names, as `data[alerts][…]` takes them and the entity shows them. */
export const PUSH_ALERTS = ['mention', 'status', 'reblog', 'follow', 'follow_request', 'favourite', 'poll', 'update', 'admin.sign_up', 'admin.report'] as const;
export type PushAlert = (typeof PUSH_ALERTS)[number];
export type PushAlerts = Record<PushAlert, boolean>;

/** all: anyone; followed: only accounts the recipient follows; follower: only the recipient's followers; none: nobody. */
export const PUSH_POLICIES = ['all', 'followed', 'follower', 'none'] as const;
export type PushPolicy = (typeof PUSH_POLICIES)[number];

/** Alerts that need a staff role (Mastodon drops them for everyone else). */
export const STAFF_ALERTS: readonly PushAlert[] = ['admin.sign_up', 'admin.report'];

/**
 * The alert a stored notification type is pushed under, or undefined when it is never pushed.
 * - A comment on one's post is a `mention` on the Mastodon API (as a reply is on Mastodon), so
 *   it is pushed under `mention` and presented as one.
 * - Glimpse's own types (`tag`: tagged in a photo; `story_mention`, `story_reply`,
 *   `story_reaction`) have no Mastodon alert and are not pushed: a Mastodon client never gets
 *   them from `GET /api/v1/notifications/:id` (it answers 404 for types Mastodon lacks), so a
 *   push would announce something the client cannot open, and borrowing `mention` would turn
 *   a story reaction into a fake mention in every client.
 */
export function pushAlertOf(type: string): PushAlert | undefined {
  switch (type) {
    case 'mention':
    case 'comment':
      return 'mention';
    case 'follow':
    case 'follow_request':
    case 'favourite':
    case 'status':
    case 'update':
      return type;
    default:
      return undefined;
  }
}

export interface PushFacts {
  /** The stored notification type. */
  type: string;
  recipientFollowsSender: boolean;
  senderFollowsRecipient: boolean;
}

/** Whether the subscription's policy admits a notification from this sender. */
export function isAllowedByPushPolicy(policy: PushPolicy, facts: Pick<PushFacts, 'recipientFollowsSender' | 'senderFollowsRecipient'>): boolean {
  switch (policy) {
    case 'all':
      return true;
    case 'followed':
      return facts.recipientFollowsSender;
    case 'follower':
      return facts.senderFollowsRecipient;
    default:
      return false;
  }
}

/** Whether a notification is pushed to one subscription: its alert is on and the policy admits the sender. */
export function shouldPush(subscription: { alerts: Partial<PushAlerts>; policy: PushPolicy }, facts: PushFacts): boolean {
  const alert = pushAlertOf(facts.type);
  if (!alert || subscription.alerts[alert] !== true) return false;
  return isAllowedByPushPolicy(subscription.policy, facts);
}
