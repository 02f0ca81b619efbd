import type { PushSubscription } from '../../../domain/push/push-service.ts';

/** Mastodon's WebPushSubscription entity; alerts under Mastodon's names (`admin.sign_up` flat, as Mastodon sends them). */
export function presentPushSubscription(subscription: PushSubscription) {
  return {
    id: subscription.row.id,
    endpoint: subscription.row.endpoint,
    standard: Boolean(subscription.row.standard),
    alerts: { ...subscription.alerts },
    policy: subscription.policy,
    server_key: subscription.serverKey,
  };
}
