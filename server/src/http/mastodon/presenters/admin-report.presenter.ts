import type { AdminReportPage, ReportRow } from '../../../domain/moderation/admin-reports.ts';
import { parseIds } from '../../../domain/moderation/admin-reports.ts';
import { presentAdminAccount } from './admin-account.presenter.ts';
import { type StatusPresentContext, presentStatus } from './status.presenter.ts';

/**
 * Mastodon's Admin::Report: `action_taken` is whether the report is resolved (however: dismissed,
 * comments hidden, account suspended or disabled); the accounts are Admin::Accounts; the
 * reported statuses are those that still exist. Glimpse reports name no rules.
 */
export function presentAdminReport(ctx: StatusPresentContext, page: AdminReportPage, row: ReportRow) {
  const account = (id: string | null) => {
    const found = id === null ? undefined : page.accounts.get(id);
    return found ? presentAdminAccount(ctx, found, page.ips) : null;
  };
  return {
    id: row.id,
    action_taken: row.action_taken_at !== null,
    action_taken_at: row.action_taken_at,
    category: row.category,
    comment: row.comment,
    forwarded: Boolean(row.forward),
    created_at: row.created_at,
    updated_at: row.updated_at ?? row.created_at,
    account: account(row.account_id),
    target_account: account(row.target_account_id),
    assigned_account: account(row.assigned_account_id),
    action_taken_by_account: account(row.action_taken_at === null ? null : row.action_taken_by),
    statuses: parseIds(row.status_ids).flatMap((id) => {
      const status = page.statuses.get(id);
      return status ? [presentStatus(ctx, status)] : [];
    }),
    rules: [],
  };
}
