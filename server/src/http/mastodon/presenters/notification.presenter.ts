import type { AccountRow } from '../../../domain/accounts/account.ts';
import { type NotificationApi, type NotificationRow, presentedType } from '../../../domain/notifications/notification.ts';
import { type PresentContext, presentAccount } from './account.presenter.ts';
import type { Notification, Status, StoryResponse } from '../entities.ts';

export type { StoryResponse };

/**
 * Notifications of a page, with their accounts batch-loaded by the caller. Story replies and
 * reactions carry `story_response` ({ id, text, emoji }), so a client shows what was said
 * without a second request.
 */
export function presentNotifications(
  ctx: PresentContext,
  rows: NotificationRow[],
  accounts: Map<string, AccountRow>,
  statuses: Map<string, Status>,
  stories: Map<string, unknown> = new Map(),
  responses: Map<string, StoryResponse> = new Map(),
  api: NotificationApi = 'mastodon',
): Notification[] {
  return rows.flatMap((row) => {
    const account = accounts.get(row.from_account_id);
    if (!account) return [];
    return [
      {
        id: row.id,
        type: presentedType(api, row.type),
        group_key: row.group_key ?? `ungrouped-${row.id}`,
        created_at: row.created_at,
        account: presentAccount(ctx, account),
        status: row.status_id ? (statuses.get(row.status_id) ?? null) : null,
        ...(row.story_id ? { story: stories.get(row.story_id) ?? null } : {}),
        ...(row.story_response_id ? { story_response: responses.get(row.story_response_id) ?? null } : {}),
      },
    ];
  });
}
