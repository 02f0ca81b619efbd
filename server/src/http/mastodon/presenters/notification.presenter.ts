import type { AccountRow } from '../../../domain/accounts/account.ts';
import type { NotificationRow } from '../../../domain/notifications/notification.ts';
import { type PresentContext, presentAccount } from './account.presenter.ts';

/** Notifications of a page, with their accounts batch-loaded by the caller. */
export function presentNotifications(ctx: PresentContext, rows: NotificationRow[], accounts: Map<string, AccountRow>, statuses: Map<string, unknown>, stories: Map<string, unknown> = new Map()) {
  return rows.flatMap((row) => {
    const account = accounts.get(row.from_account_id);
    if (!account) return [];
    return [
      {
        id: row.id,
        type: row.type,
        group_key: `ungrouped-${row.id}`,
        created_at: row.created_at,
        account: presentAccount(ctx, account),
        status: row.status_id ? (statuses.get(row.status_id) ?? null) : null,
        ...(row.story_id ? { story: stories.get(row.story_id) ?? null } : {}),
      },
    ];
  });
}
