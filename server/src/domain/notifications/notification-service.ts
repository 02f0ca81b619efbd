import type { Clock } from '../../clock.ts';
import type { Db } from '../../db/database.ts';
import { newId } from '../../db/ids.ts';
import { notFound } from '../../errors.ts';
import type { Viewer } from '../../access/viewer-context.ts';
import { canNotifyFrom } from '../../access/account-policy.ts';
import type { RelationshipRepository } from '../follows/relationship-repository.ts';
import type { NotificationQuery, NotificationRepository } from './notification-repository.ts';
import type { NotificationRow, NotificationType } from './notification.ts';

export interface NotificationEvents {
  /** Called after a notification is stored; streaming subscribes here. */
  onNotification?(row: NotificationRow): void;
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
  ): Promise<NotificationRow | undefined> {
    if (recipientId === fromId) return undefined;
    const row: NotificationRow = {
      id: newId(this.clock.now().getTime()),
      account_id: recipientId,
      from_account_id: fromId,
      type,
      status_id: statusId,
      story_id: storyId,
      story_response_id: storyResponseId,
      created_at: this.clock.now().toISOString(),
    };
    await this.notifications.insert(row, db);
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
    if (row) this.events.onNotification?.(row);
  }

  /**
   * A page of the viewer's notifications, without those from accounts they block, are blocked
   * by or mute. Over-fetches once so filtering rarely shortens a page.
   */
  async list(viewer: Viewer, query: NotificationQuery): Promise<NotificationRow[]> {
    const rows = await this.notifications.page(viewer.accountId, { ...query, limit: Math.min(query.limit * 2, 80) });
    const ctx = await this.relationships.loadViewerContext(
      viewer,
      rows.map((r) => r.from_account_id),
    );
    const visible = rows.filter((r) => canNotifyFrom(ctx, r.from_account_id));
    // With min_id the page is the `limit` items just above it: keep the oldest of the over-fetch.
    return query.minId ? visible.slice(-query.limit) : visible.slice(0, query.limit);
  }

  async get(viewer: Viewer, id: string): Promise<NotificationRow> {
    const row = await this.notifications.findForRecipient(viewer.accountId, id);
    if (!row) throw notFound();
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

  async unreadCount(viewer: Viewer, limit: number): Promise<number> {
    const [marker] = await this.notifications.getMarkers(viewer.accountId, ['notifications']);
    // Counts only what the list would show: hidden senders (blocked, muted) are left out.
    const senders = await this.notifications.sendersSince(viewer.accountId, marker?.last_read_id, limit * 2);
    const ctx = await this.relationships.loadViewerContext(viewer, senders);
    return Math.min(senders.filter((id) => canNotifyFrom(ctx, id)).length, limit);
  }

  async getMarkers(viewer: Viewer, timelines: string[]) {
    return this.notifications.getMarkers(viewer.accountId, timelines);
  }

  async setMarker(viewer: Viewer, timeline: 'home' | 'notifications', lastReadId: string): Promise<void> {
    await this.notifications.setMarker(viewer.accountId, timeline, lastReadId, this.clock.now().toISOString());
  }
}
