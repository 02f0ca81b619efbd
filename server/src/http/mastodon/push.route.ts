import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Services } from '../../services.ts';
import { PUSH_ALERTS, PUSH_POLICIES, type PushAlerts } from '../../access/push-policy.ts';
import type { PushCaller } from '../../domain/push/push-service.ts';
import { PUSH_ENDPOINT_MAX } from '../../domain/push/push-endpoint.ts';
import { bearerToken } from '../authentication.ts';
import { boolish, parseInput, text, z } from '../input.ts';
import { requireViewer } from '../route-config.ts';
import { presentPushSubscription } from './presenters/push-subscription.presenter.ts';

// Schemas are built once (zod compiles each on first use).
const policy = z.enum(PUSH_POLICIES);
/** `data[alerts][admin.sign_up]` (Mastodon's flat names) or nested `admin: { sign_up }` (what masto sends). */
const alertsSchema = z.object({
  ...Object.fromEntries(PUSH_ALERTS.map((a) => [a, boolish.optional()])),
  admin: z.object({ sign_up: boolish.optional(), report: boolish.optional() }).optional(),
});
const dataSchema = z.object({ alerts: alertsSchema.nullable().optional(), policy: policy.optional() });
const createSchema = z.object({
  subscription: z.object({
    endpoint: text(PUSH_ENDPOINT_MAX).min(1, "can't be blank"),
    keys: z.object({ p256dh: text(128).min(1, "can't be blank"), auth: text(64).min(1, "can't be blank") }),
    standard: boolish.optional(),
  }),
  data: dataSchema.nullable().optional(),
  /** masto 8 sends the policy beside `data` rather than in it. */
  policy: policy.optional(),
});
const updateSchema = z.object({ data: dataSchema.nullable().optional(), policy: policy.optional() });

type AlertsInput = z.output<typeof alertsSchema>;

function alertsOf(input: AlertsInput | null | undefined): Partial<PushAlerts> | undefined {
  if (!input) return undefined;
  const flat = input as Record<string, boolean | undefined>;
  const alerts: Partial<PushAlerts> = {};
  for (const name of PUSH_ALERTS) if (flat[name] !== undefined) alerts[name] = flat[name];
  if (input.admin?.sign_up !== undefined) alerts['admin.sign_up'] = input.admin.sign_up;
  if (input.admin?.report !== undefined) alerts['admin.report'] = input.admin.report;
  return alerts;
}

/** Web Push subscriptions (Mastodon's /api/v1/push/subscription): one per access token. */
export function registerPushRoutes(app: FastifyInstance, services: Services): void {
  const config = { auth: 'user', scope: 'push' } as const;

  const callerOf = (request: FastifyRequest): PushCaller => ({
    viewer: requireViewer(request.viewer),
    tokenId: request.principal!.tokenId,
    // The web client's session token is HttpOnly: it is never handed to a push endpoint.
    accessToken: request.principal!.kind === 'oauth' ? (bearerToken(request) ?? '') : '',
  });

  app.post('/api/v1/push/subscription', { config }, async (request) => {
    const input = parseInput(createSchema, request.body);
    const subscription = await services.push.subscribe(callerOf(request), {
      endpoint: input.subscription.endpoint,
      p256dh: input.subscription.keys.p256dh,
      auth: input.subscription.keys.auth,
      standard: input.subscription.standard ?? false,
      alerts: alertsOf(input.data?.alerts),
      policy: input.data?.policy ?? input.policy,
    });
    return presentPushSubscription(subscription);
  });

  app.get('/api/v1/push/subscription', { config }, async (request) => presentPushSubscription(await services.push.get(callerOf(request))));

  app.put('/api/v1/push/subscription', { config }, async (request) => {
    const input = parseInput(updateSchema, request.body);
    const subscription = await services.push.update(callerOf(request), { alerts: alertsOf(input.data?.alerts), policy: input.data?.policy ?? input.policy });
    return presentPushSubscription(subscription);
  });

  app.delete('/api/v1/push/subscription', { config }, async (request) => {
    await services.push.remove(callerOf(request));
    return {};
  });
}
