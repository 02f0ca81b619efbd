import type { Clock } from '../../clock.ts';
import type { Db } from '../../db/database.ts';
import { newId } from '../../db/ids.ts';
import { notFound } from '../../errors.ts';
import type { Viewer } from '../../access/viewer-context.ts';
import { canNotifyFrom } from '../../access/account-policy.ts';
import type { RelationshipRepository } from '../follows/relationship-repository.ts';
import type { NotificationQuery, NotificationRepository } from './notification-repository.ts';
export type { NotificationQuery };
import { type NotificationApi, type NotificationRow, type NotificationType, groupKeyFor, includedTypes, visibleGroupKey } from './notification.ts';
import { DEFAULT_NOTIFICATION_POLICY, type NotificationPolicy, notificationPolicyOutcome } from '../../access/notification-policy.ts';

/** What a list asks for, as the client named it (types as the API reads them). */
export interface NotificationFilter {
  api: NotificationApi;
  types?: string[];
  excludeTypes?: string[];
  accountId?: string;
  includeFiltered?: boolean;
}

export interface PageParamsIn {
  maxId?: string;
  sinceId?: string;
  minId?: string;
  limit: number;
}

/** Accounts shown per group (`sample_account_ids`). */
const SAMPLE_ACCOUNTS = 8;

export interface NotificationEvents {
  /** Called after a notification is stored; streaming subscribes here. */
  onNotification?(row: NotificationRow): void;
  /** In the transaction that stores it: jobs it causes (Web Push) are recorded with it (the outbox). */
  onStoring?(db: Db, row: NotificationRow): Promise<void>;
}

export class NotificationService {
  constructor(
    private readonly notifications: NotificationRepository,
    private readonly relationships: RelationshipRepository,
    private readonly clock: Clock,
    private readonly events: NotificationEvents = {},
  ) {}

  /** Records a notification inside the caller's transaction. */
  async notify(
    db: Db,
    type: NotificationType,
    recipientId: string,
    fromId: string,
    statusId: string | null = null,
    storyId: string | null = null,
    storyResponseId: string | null = null,
    /** What groups it (comments: their post); the status by default. */
    groupTarget: string | null = statusId,
  ): Promise<NotificationRow | undefined> {
    if (recipientId === fromId) return undefined;
    // The recipient's notification policy: accepted, held in the requests, or never written.
    const facts = await this.notifications.policyFacts(recipientId, fromId, type === 'mention' ? statusId : null, db);
    if (!facts) return undefined;
    const policy: NotificationPolicy = facts.for_not_following ? (facts as unknown as NotificationPolicy) : DEFAULT_NOTIFICATION_POLICY;
    const outcome = notificationPolicyOutcome(policy, {
      type,
      recipientFollowsSender: Number(facts.recipient_follows) > 0,
      senderFollowsRecipient: Number(facts.sender_follows) > 0,
      senderPermitted: Number(facts.permitted) > 0,
      senderCreatedAt: facts.created_at,
      isPrivateMention: Number(facts.private_mention) > 0,
      now: this.clock.now(),
    });
    if (outcome === 'drop') return undefined;
    const id = newId(this.clock.now().getTime());
    const row: NotificationRow = {
      id,
      group_key: groupKeyFor(id, type, groupTarget, this.clock.now()),
      filtered: outcome === 'filter' ? 1 : 0,
      account_id: recipientId,
      from_account_id: fromId,
      type,
      status_id: statusId,
      story_id: storyId,
      story_response_id: storyResponseId,
      created_at: this.clock.now().toISOString(),
    };
    await this.notifications.insert(row, db);
    await this.events.onStoring?.(db, row);
    return row;
  }

  /**
   * A notice about the account's own doing (`archive_ready`: the data archive it asked for):
   * from the account to itself, so no notification policy applies, and never grouped.
   */
  async notifySelf(db: Db, type: NotificationType, accountId: string): Promise<NotificationRow> {
    const now = this.clock.now();
    const id = newId(now.getTime());
    const row: NotificationRow = {
      id,
      group_key: groupKeyFor(id, type, null, now),
      filtered: 0,
      account_id: accountId,
      from_account_id: accountId,
      type,
      status_id: null,
      story_id: null,
      story_response_id: null,
      created_at: now.toISOString(),
    };
    await this.notifications.insert(row, db);
    await this.events.onStoring?.(db, row);
    return row;
  }

  /** Takes back notifications whose cause is gone (a withdrawn or answered request). */
  async withdraw(db: Db, recipientId: string, fromId: string, types: NotificationType[]): Promise<void> {
    await this.notifications.deleteBetween(recipientId, fromId, types, db);
  }

  /** Takes back the notification of one undone action (an unliked post). */
  async withdrawFor(db: Db, recipientId: string, fromId: string, type: NotificationType, statusId: string): Promise<void> {
    await db
      .deleteFrom('notifications')
      .where('account_id', '=', recipientId)
      .where('from_account_id', '=', fromId)
      .where('type', '=', type)
      .where('status_id', '=', statusId)
      .execute();
  }

  published(row: NotificationRow | undefined): void {
    // A filtered notification waits in the requests: it is not announced.
    if (row && !row.filtered) this.events.onNotification?.(row);
  }

  private query(filter: NotificationFilter): Omit<NotificationQuery, 'limit'> {
    return { types: includedTypes(filter.api, filter.types, filter.excludeTypes), accountId: filter.accountId, includeFiltered: filter.includeFiltered };
  }

  /**
   * A page of the viewer's notifications, without those from accounts they block, are blocked
   * by or mute. Over-fetches once so filtering rarely shortens a page.
   */
  async list(viewer: Viewer, filter: NotificationFilter, paging: PageParamsIn): Promise<NotificationRow[]> {
    const rows = await this.notifications.page(viewer.accountId, { ...this.query(filter), ...paging, limit: Math.min(paging.limit * 2, 80) });
    const ctx = await this.relationships.loadViewerContext(
      viewer,
      rows.map((r) => r.from_account_id),
    );
    const visible = rows.filter((r) => canNotifyFrom(ctx, r.from_account_id));
    // With min_id the page is the `limit` items just above it: keep the oldest of the over-fetch.
    return paging.minId ? visible.slice(-paging.limit) : visible.slice(0, paging.limit);
  }

  /** One notification, if the API shows its type without asking (the stream, GET :id). */
  async get(viewer: Viewer, id: string, api: NotificationApi = 'mastodon'): Promise<NotificationRow> {
    const row = await this.notifications.findForRecipient(viewer.accountId, id);
    if (!row || row.filtered || !includedTypes(api, undefined, undefined).includes(row.type)) throw notFound();
    const ctx = await this.relationships.loadViewerContext(viewer, [row.from_account_id]);
    if (!canNotifyFrom(ctx, row.from_account_id)) throw notFound();
    return row;
  }

  async dismiss(viewer: Viewer, id: string): Promise<void> {
    if (!(await this.notifications.deleteOne(viewer.accountId, id))) throw notFound();
  }

  async clear(viewer: Viewer): Promise<void> {
    await this.notifications.deleteAll(viewer.accountId);
  }

  /** Unread notifications (or, with `groupedTypes`, groups) after the marker, capped at `limit`. */
  async unreadCount(viewer: Viewer, filter: NotificationFilter, limit: number, groupedTypes?: string[]): Promise<number> {
    const [marker] = await this.notifications.getMarkers(viewer.accountId, ['notifications']);
    // Counts only what the list would show: hidden senders (blocked, muted) are left out.
    const rows = await this.notifications.sendersSince(viewer.accountId, marker?.last_read_id, this.query(filter), limit * 2);
    const ctx = await this.relationships.loadViewerContext(viewer, rows.map((r) => r.from_account_id));
    const shown = rows.filter((r) => canNotifyFrom(ctx, r.from_account_id));
    const count = groupedTypes ? new Set(shown.map((r) => visibleGroupKey(filter.api, r, groupedTypes))).size : shown.length;
    return Math.min(count, limit);
  }

  /**
   * A page of groups (Mastodon 4.3): each group's newest notification in the page, its count and
   * most recent senders within the page's range, in a fixed number of queries whatever the
   * group sizes. A type left out of `groupedTypes` comes as single groups, by ungrouped keys.
   */
  async groups(viewer: Viewer, filter: NotificationFilter, paging: PageParamsIn, groupedTypes: string[]) {
    const query = this.query(filter);
    const grouping = query.types.filter((t) => visibleGroupKey(filter.api, { id: '', type: t, group_key: 'g' }, groupedTypes) === 'g');
    const single = query.types.filter((t) => !grouping.includes(t));
    // Grouped types page by group key; the rest page by notification (each its own group).
    const [groupedIds, singleRows] = await Promise.all([
      grouping.length ? this.notifications.groupPage(viewer.accountId, { ...query, types: grouping, ...paging }) : ([] as string[]),
      single.length ? this.notifications.page(viewer.accountId, { ...query, types: single, ...paging }) : ([] as NotificationRow[]),
    ]);
    const latestIds = [...groupedIds, ...singleRows.map((r) => r.id)].sort((a, b) => (a < b ? 1 : -1));
    const pageIds = paging.minId ? latestIds.slice(-paging.limit) : latestIds.slice(0, paging.limit);
    const latest = await this.notifications.byIds(viewer.accountId, pageIds.filter((id) => groupedIds.includes(id)));
    const byId = new Map([...latest, ...singleRows].map((r) => [r.id, r]));
    const rows = pageIds.flatMap((id) => (byId.has(id) ? [byId.get(id)!] : []));
    // The page's range: from its oldest group's newest notification (or, on the last page, the
    // start) to its newest; a group's count and senders are those within it.
    const full = pageIds.length >= paging.limit;
    const range = { minId: full ? pageIds[pageIds.length - 1] : undefined, maxId: pageIds[0] };
    const keys = rows.filter((r) => groupedIds.includes(r.id)).map((r) => r.group_key!).filter(Boolean);
    const rangeQuery = { ...query, types: grouping, sinceId: paging.sinceId ?? paging.minId };
    const [summaries, senders] = await Promise.all([
      this.notifications.groupSummaries(viewer.accountId, keys, rangeQuery, range),
      this.notifications.groupSenders(viewer.accountId, keys, rangeQuery, range, SAMPLE_ACCOUNTS),
    ]);
    const ctx = await this.relationships.loadViewerContext(viewer, [...rows.map((r) => r.from_account_id), ...senders.map((s) => s.from_account_id)]);
    const summaryOf = new Map(summaries.map((s) => [s.group_key, s]));
    return rows.flatMap((row) => {
      if (!canNotifyFrom(ctx, row.from_account_id)) return [];
      const grouped = groupedIds.includes(row.id);
      const summary = grouped ? summaryOf.get(row.group_key!) : undefined;
      const sample = grouped ? senders.filter((s) => s.group_key === row.group_key && canNotifyFrom(ctx, s.from_account_id)).map((s) => s.from_account_id) : [row.from_account_id];
      return [{
        row,
        group_key: grouped ? row.group_key! : `ungrouped-${row.id}`,
        notifications_count: summary?.count ?? 1,
        page_min_id: summary?.oldest_id ?? row.id,
        page_max_id: summary?.latest_id ?? row.id,
        sample_account_ids: sample.length ? sample : [row.from_account_id],
      }];
    });
  }

  /** One group by its key: its newest notification, count and most recent senders. */
  async group(viewer: Viewer, filter: NotificationFilter, key: string) {
    const query = this.query(filter);
    const row = await this.notifications.latestOfGroup(viewer.accountId, key, query);
    if (!row) throw notFound();
    const grouped = !key.startsWith('ungrouped-');
    const [summaries, senders] = grouped
      ? await Promise.all([this.notifications.groupSummaries(viewer.accountId, [key], query, {}), this.notifications.groupSenders(viewer.accountId, [key], query, {}, SAMPLE_ACCOUNTS)])
      : [[], []];
    const ctx = await this.relationships.loadViewerContext(viewer, [row.from_account_id, ...senders.map((s) => s.from_account_id)]);
    if (!canNotifyFrom(ctx, row.from_account_id)) throw notFound();
    const sample = senders.map((s) => s.from_account_id).filter((id) => canNotifyFrom(ctx, id));
    return { row, group_key: key, notifications_count: summaries[0]?.count ?? 1, page_min_id: summaries[0]?.oldest_id ?? row.id, page_max_id: row.id, sample_account_ids: sample.length ? sample : [row.from_account_id] };
  }

  async groupAccounts(viewer: Viewer, filter: NotificationFilter, key: string, limit: number): Promise<string[]> {
    const { row } = await this.group(viewer, filter, key);
    const ids = key.startsWith('ungrouped-') ? [row.from_account_id] : await this.notifications.groupAccounts(viewer.accountId, key, this.query(filter), limit);
    const ctx = await this.relationships.loadViewerContext(viewer, ids);
    return ids.filter((id) => canNotifyFrom(ctx, id));
  }

  async dismissGroup(viewer: Viewer, key: string): Promise<void> {
    if (!(await this.notifications.deleteGroup(viewer.accountId, key))) throw notFound();
  }

  async policy(viewer: Viewer) {
    const [row, summary] = await Promise.all([this.notifications.getPolicy(viewer.accountId), this.notifications.filteredSummary(viewer.accountId, 100)]);
    const { account_id: _, updated_at: __, ...policy } = row ?? { account_id: '', updated_at: '', ...DEFAULT_NOTIFICATION_POLICY };
    return { policy: policy as NotificationPolicy, summary };
  }

  async updatePolicy(viewer: Viewer, change: Partial<NotificationPolicy>) {
    const { policy } = await this.policy(viewer);
    await this.notifications.setPolicy({ account_id: viewer.accountId, ...policy, ...change, updated_at: this.clock.now().toISOString() });
    return this.policy(viewer);
  }

  async requests(viewer: Viewer, paging: PageParamsIn) {
    return this.notifications.requests(viewer.accountId, paging);
  }

  async request(viewer: Viewer, id: string) {
    const sender = await this.notifications.requestSender(viewer.accountId, id);
    const [request] = sender ? await this.notifications.requests(viewer.accountId, { limit: 1 }, sender) : [];
    if (!request) throw notFound();
    return request;
  }

  /** Accepts or dismisses requests by id; ids that name no request of the viewer's are ignored (404 for one). */
  async answerRequests(viewer: Viewer, ids: string[], answer: 'accept' | 'dismiss', strict = false): Promise<void> {
    const senders = (await Promise.all(ids.map((id) => this.notifications.requestSender(viewer.accountId, id)))).filter((s): s is string => s !== undefined);
    if (strict && senders.length === 0) throw notFound();
    if (answer === 'accept') await this.notifications.acceptSenders(viewer.accountId, [...new Set(senders)], this.clock.now().toISOString());
    else await this.notifications.dismissSenders(viewer.accountId, [...new Set(senders)]);
  }

  async getMarkers(viewer: Viewer, timelines: string[]) {
    return this.notifications.getMarkers(viewer.accountId, timelines);
  }

  async setMarker(viewer: Viewer, timeline: 'home' | 'notifications', lastReadId: string): Promise<void> {
    await this.notifications.setMarker(viewer.accountId, timeline, lastReadId, this.clock.now().toISOString());
  }
}
