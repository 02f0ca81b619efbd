import type { NotificationPolicyValue } from '../db/schema.ts';

/** The recipient's notification policy (Mastodon's NotificationPolicy). */
export interface NotificationPolicy {
  for_not_following: NotificationPolicyValue;
  for_not_followers: NotificationPolicyValue;
  for_new_accounts: NotificationPolicyValue;
  for_private_mentions: NotificationPolicyValue;
  for_limited_accounts: NotificationPolicyValue;
}

/** Mastodon's defaults: everything accepted but private mentions from strangers (and limited accounts). */
export const DEFAULT_NOTIFICATION_POLICY: NotificationPolicy = {
  for_not_following: 'accept',
  for_not_followers: 'accept',
  for_new_accounts: 'accept',
  for_private_mentions: 'filter',
  for_limited_accounts: 'filter',
};

/** An account this young is new to the policy. */
export const NEW_ACCOUNT_MS = 30 * 24 * 3600_000;

/** What the policy reads about a notification being written, relative to its recipient. */
export interface PolicyFacts {
  type: string;
  recipientFollowsSender: boolean;
  senderFollowsRecipient: boolean;
  /** The recipient accepted a request from the sender before. */
  senderPermitted: boolean;
  senderCreatedAt: string;
  /** A mention in a direct status that does not answer one of the recipient's. */
  isPrivateMention: boolean;
  now: Date;
}

/** Types a policy never holds back: an edit of something one interacted with. */
const UNFILTERABLE = new Set(['update']);

/**
 * What becomes of a notification the recipient may receive (shouldNotify decided that): shown
 * (`accept`), held in the requests (`filter`), or never written (`drop`). Accounts the
 * recipient follows and senders whose request was accepted always pass; otherwise the
 * strictest matching rule wins. Glimpse has no moderator-limited accounts, so
 * `for_limited_accounts` is kept but never matches.
 */
export function notificationPolicyOutcome(policy: NotificationPolicy, facts: PolicyFacts): NotificationPolicyValue {
  if (UNFILTERABLE.has(facts.type) || facts.recipientFollowsSender || facts.senderPermitted) return 'accept';
  const rules: NotificationPolicyValue[] = [policy.for_not_following];
  if (!facts.senderFollowsRecipient) rules.push(policy.for_not_followers);
  if (facts.now.getTime() - Date.parse(facts.senderCreatedAt) < NEW_ACCOUNT_MS) rules.push(policy.for_new_accounts);
  if (facts.isPrivateMention) rules.push(policy.for_private_mentions);
  return rules.includes('drop') ? 'drop' : rules.includes('filter') ? 'filter' : 'accept';
}
