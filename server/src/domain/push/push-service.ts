import crypto from 'node:crypto';
import webpush from 'web-push';
import type { Clock } from '../../clock.ts';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/database.ts';
import { newId } from '../../db/ids.ts';
import { notFound, unprocessable } from '../../errors.ts';
import type { Viewer } from '../../access/viewer-context.ts';
import { PUSH_ALERTS, STAFF_ALERTS, type PushAlert, type PushAlerts, type PushPolicy, pushAlertOf, shouldPush } from '../../access/push-policy.ts';
import { canModerate } from '../../access/staff-policy.ts';
import type { JobContext } from '../../infra/queue/job-queue.ts';
import type { DurableJobQueue } from '../../infra/queue/durable-job-queue.ts';
import type { AccountRepository } from '../accounts/account-repository.ts';
import type { NotificationRow } from '../notifications/notification.ts';
import { presentedType } from '../notifications/notification.ts';
import { pushEndpointProblem, PushServiceError, sendPushRequest } from './push-endpoint.ts';
import type { PushSubscriptionRepository, PushSubscriptionRow, PushTarget } from './push-subscription-repository.ts';
import { VapidKeyStore, type VapidKeys } from './vapid-keys.ts';

export const PUSH_JOB = 'push.deliver';
/** How long a push service keeps an undelivered push (Mastodon: 48 hours). */
export const PUSH_TTL_SECONDS = 48 * 3600;
const SEND_TIMEOUT_MS = 15_000;
const BODY_LENGTH = 140;

/** The subscribing token, as authentication found it. */
export interface PushCaller {
  viewer: Viewer;
  tokenId: string;
  /** The bearer token as sent: the push payload carries it (Mastodon's `access_token`). */
  accessToken: string;
}

export interface PushSubscriptionInput {
  endpoint: string;
  p256dh: string;
  auth: string;
  standard: boolean;
  alerts?: Partial<PushAlerts>;
  policy?: PushPolicy;
}

export interface PushSubscription {
  row: PushSubscriptionRow;
  alerts: PushAlerts;
  policy: PushPolicy;
  serverKey: string;
}

/** What one push carries, as Mastodon sends it (decrypted by the client). */
export interface PushPayload {
  access_token: string;
  preferred_locale: string;
  /** A number, as Mastodon sends it (ids are below 2^53: milliseconds × 1000 + a sequence). */
  notification_id: number;
  notification_type: string;
  icon: string;
  title: string;
  body: string;
}

interface PushJob {
  notificationId: string;
  recipientId: string;
  senderId: string;
  type: string;
}

/** Base64 or base64url (padding optional) → bytes, or undefined when it is neither. */
function decodeKey(value: string): Buffer | undefined {
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(value)) return undefined;
  return Buffer.from(value.replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_'), 'base64url');
}

/** Whether bytes are an uncompressed point on P-256 (what browsers give as `p256dh`). */
function isP256PublicKey(bytes: Buffer): boolean {
  if (bytes.length !== 65 || bytes[0] !== 0x04) return false;
  try {
    const ecdh = crypto.createECDH('prime256v1');
    ecdh.generateKeys();
    ecdh.computeSecret(bytes);
    return true;
  } catch {
    return false;
  }
}

const TITLES: Record<string, (name: string) => string> = {
  mention: (n) => `You were mentioned by ${n}`,
  status: (n) => `${n} just posted`,
  follow: (n) => `${n} is now following you`,
  follow_request: (n) => `Pending follower: ${n}`,
  favourite: (n) => `${n} favourited your post`,
  update: (n) => `${n} edited a post`,
};

function truncate(text: string, max: number): string {
  const plain = text.replace(/\s+/g, ' ').trim();
  return plain.length <= max ? plain : `${plain.slice(0, max - 1)}…`;
}

/**
 * Web Push as Mastodon does it: one subscription per access token, alerts and a sender policy
 * per subscription, VAPID-signed pushes encrypted for the browser (RFC 8291 aes128gcm, or the
 * legacy aesgcm draft when `standard` is false, as Mastodon before 4.4 sent them), queued after
 * each notification is published (filtered ones never are).
 */
export class PushService {
  /** Where delivery failures are reported; app.ts points it at the log. */
  onError: (message: string, error: Error) => void = (message, error) => process.stderr.write(`${message}: ${error.stack ?? error.message}\n`);
  private readonly vapid: VapidKeyStore;
  private readonly sealKey: Buffer;

  constructor(
    db: Db,
    private readonly subscriptions: PushSubscriptionRepository,
    private readonly accounts: AccountRepository,
    private readonly config: Config,
    secret: string,
    private readonly jobs: DurableJobQueue,
    private readonly clock: Clock,
  ) {
    this.vapid = new VapidKeyStore(db);
    this.sealKey = Buffer.from(crypto.hkdfSync('sha256', secret, Buffer.alloc(0), 'glimpse push access token', 32));
    // A retry may push again to a subscription that already got it (at least once): a push that
    // fails is reported and not thrown, so the job fails (and retries) only before any push went out.
    jobs.define<PushJob>(PUSH_JOB, {
      handler: (job, context) => this.deliver(job, context),
      timeoutMs: 60_000,
      onFailure: (job, error) => this.onError(`push delivery of notification ${job.notificationId} failed`, error),
    });
  }

  vapidKeys(): Promise<VapidKeys> {
    return this.vapid.keys();
  }

  /** The public VAPID key (`server_key`, `vapid_key`, `configuration.vapid.public_key`). */
  async publicKey(): Promise<string> {
    return (await this.vapid.keys()).publicKey;
  }

  async subscribe(caller: PushCaller, input: PushSubscriptionInput): Promise<PushSubscription> {
    const problem = pushEndpointProblem(input.endpoint, this.config.pushAllowLoopback);
    if (problem) throw unprocessable(`Validation failed: subscription.endpoint ${problem}`);
    const p256dh = decodeKey(input.p256dh);
    if (!p256dh || !isP256PublicKey(p256dh)) throw unprocessable('Validation failed: subscription.keys.p256dh is not a valid P-256 public key');
    const auth = decodeKey(input.auth);
    if (!auth || auth.length !== 16) throw unprocessable('Validation failed: subscription.keys.auth must be 16 bytes');
    const now = this.clock.now();
    const row: PushSubscriptionRow = {
      id: newId(now.getTime()),
      access_token_id: caller.tokenId,
      account_id: caller.viewer.accountId,
      endpoint: input.endpoint,
      key_p256dh: p256dh.toString('base64url'),
      key_auth: auth.toString('base64url'),
      standard: input.standard ? 1 : 0,
      alerts: JSON.stringify(this.alertsFor(caller.viewer, input.alerts)),
      policy: input.policy ?? 'all',
      sealed_access_token: this.seal(caller.accessToken),
      created_at: now.toISOString(),
      updated_at: now.toISOString(),
    };
    await this.subscriptions.replace(row);
    return this.present(row);
  }

  async get(caller: Pick<PushCaller, 'tokenId'>): Promise<PushSubscription> {
    const row = await this.subscriptions.findByToken(caller.tokenId);
    if (!row) throw notFound();
    return this.present(row);
  }

  /** Changes alerts (the ones given; those not named turn off, as on Mastodon) and the policy (kept when not given). */
  async update(caller: Pick<PushCaller, 'tokenId' | 'viewer'>, change: { alerts?: Partial<PushAlerts>; policy?: PushPolicy }): Promise<PushSubscription> {
    const row = await this.subscriptions.findByToken(caller.tokenId);
    if (!row) throw notFound();
    const alerts = change.alerts ? this.alertsFor(caller.viewer, change.alerts) : this.parseAlerts(row.alerts);
    const next = { alerts: JSON.stringify(alerts), policy: change.policy ?? row.policy, updated_at: this.clock.now().toISOString() };
    if (!(await this.subscriptions.updateData(caller.tokenId, next))) throw notFound();
    return this.present({ ...row, ...next });
  }

  async remove(caller: Pick<PushCaller, 'tokenId'>): Promise<void> {
    await this.subscriptions.deleteByToken(caller.tokenId);
  }

  /**
   * The NotificationService hook, in the notification's transaction: queues its pushes with it
   * (the outbox). Filtered notifications, types with no Mastodon alert and recipients with no
   * subscription (most of them: a storm's thousands of comments to an author who never turned
   * push on) are never queued.
   */
  async notificationStored(trx: Db, row: NotificationRow): Promise<void> {
    if (row.filtered || !pushAlertOf(row.type)) return;
    await this.jobs.enqueue<PushJob>(PUSH_JOB, { notificationId: row.id, recipientId: row.account_id, senderId: row.from_account_id, type: row.type }, { trx, onlyIf: this.subscriptions.hasAnyCondition(row.account_id) });
  }

  /** One push per subscription of the recipient whose alerts and policy admit the notification. */
  private async deliver(job: PushJob, context: JobContext): Promise<void> {
    // Most recipients have no subscription: one query decides, before anything else is read.
    const targets = (await this.subscriptions.forRecipient(job.recipientId, job.senderId)).filter((t) =>
      shouldPush(
        { alerts: this.parseAlerts(t.alerts), policy: t.policy as PushPolicy },
        { type: job.type, recipientFollowsSender: Number(t.recipient_follows) > 0, senderFollowsRecipient: Number(t.sender_follows) > 0 },
      ),
    );
    if (targets.length === 0) return;
    const notification = await this.subscriptions.notification(job.notificationId, job.recipientId);
    // Gone (an undone like) or held in the requests: nothing to announce.
    if (!notification || notification.filtered) return;
    const [sender, status, keys] = await Promise.all([
      this.accounts.findById(notification.from_account_id),
      notification.status_id ? this.subscriptions.statusText(notification.status_id) : undefined,
      this.vapid.keys(),
    ]);
    if (!sender) return;
    const name = sender.display_name.trim() || sender.username;
    const type = presentedType('mastodon', notification.type);
    const body = status ? truncate(status.spoiler_text || status.text, BODY_LENGTH) : truncate(sender.note, BODY_LENGTH);
    const icon = sender.avatar_path ? `${this.config.publicUrl}${sender.avatar_path}` : `${this.config.publicUrl}/static/avatar-missing.png`;
    await Promise.all(
      targets.map((target) =>
        this.send(target, keys, context, {
          preferred_locale: 'en',
          notification_id: Number(notification.id),
          notification_type: type,
          icon,
          title: (TITLES[type] ?? TITLES.mention)(name),
          body,
        }),
      ),
    );
  }

  /** Sends one push. A 404 or 410 means the subscription is gone: it is deleted. Other failures are reported. */
  private async send(target: PushTarget, keys: VapidKeys, context: JobContext, content: Omit<PushPayload, 'access_token'>): Promise<void> {
    try {
      const payload: PushPayload = { access_token: this.open(target.sealed_access_token), ...content };
      const details = webpush.generateRequestDetails({ endpoint: target.endpoint, keys: { p256dh: target.key_p256dh, auth: target.key_auth } }, JSON.stringify(payload), {
        TTL: PUSH_TTL_SECONDS,
        urgency: 'normal',
        contentEncoding: target.standard ? 'aes128gcm' : 'aesgcm',
        vapidDetails: { subject: this.config.pushSubject, publicKey: keys.publicKey, privateKey: keys.privateKey },
      });
      await sendPushRequest(
        { endpoint: details.endpoint, headers: details.headers as Record<string, string | number>, body: (details.body as Buffer | null) ?? null },
        { allowLoopback: this.config.pushAllowLoopback, timeoutMs: SEND_TIMEOUT_MS, signal: context.signal },
      );
    } catch (error) {
      if (error instanceof PushServiceError && (error.statusCode === 404 || error.statusCode === 410)) {
        await this.subscriptions.deleteGone(target.id, target.endpoint);
        return;
      }
      this.onError(`push of notification ${content.notification_id} to subscription ${target.id} failed`, error as Error);
    }
  }

  /** Every alert named, off unless asked for; staff alerts only for staff (as Mastodon drops them). */
  private alertsFor(viewer: Viewer, asked: Partial<PushAlerts> | undefined): PushAlerts {
    const staff = canModerate(viewer);
    return Object.fromEntries(PUSH_ALERTS.map((a) => [a, asked?.[a] === true && (staff || !STAFF_ALERTS.includes(a))])) as PushAlerts;
  }

  private parseAlerts(stored: string): PushAlerts {
    const parsed = JSON.parse(stored) as Partial<Record<PushAlert, unknown>>;
    return Object.fromEntries(PUSH_ALERTS.map((a) => [a, parsed[a] === true])) as PushAlerts;
  }

  private async present(row: PushSubscriptionRow): Promise<PushSubscription> {
    return { row, alerts: this.parseAlerts(row.alerts), policy: row.policy as PushPolicy, serverKey: await this.publicKey() };
  }

  /** The access token, sealed (AES-256-GCM, key derived from the instance secret): never stored readable. */
  private seal(token: string): string {
    const iv = crypto.randomBytes(12);
    const cipher = crypto.createCipheriv('aes-256-gcm', this.sealKey, iv);
    const sealed = Buffer.concat([cipher.update(token, 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64url');
  }

  private open(sealed: string): string {
    const bytes = Buffer.from(sealed, 'base64url');
    const decipher = crypto.createDecipheriv('aes-256-gcm', this.sealKey, bytes.subarray(0, 12));
    decipher.setAuthTag(bytes.subarray(12, 28));
    return Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString('utf8');
  }
}
