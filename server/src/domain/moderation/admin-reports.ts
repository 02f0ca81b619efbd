import type { Selectable } from 'kysely';
import type { Clock } from '../../clock.ts';
import type { ReportsTable } from '../../db/schema.ts';
import { forbidden, notFound } from '../../errors.ts';
import type { Viewer } from '../../access/viewer-context.ts';
import { canModerate } from '../../access/staff-policy.ts';
import type { AdminAccountRow, AdminRepository } from '../admin/admin-repository.ts';
import type { PageParams } from '../admin/paging.ts';
import type { UserIpRepository } from '../admin/user-ips.ts';
import type { HydratedPost, PostHydrator } from '../posts/post-hydrator.ts';
import type { ModerationService } from './moderation-service.ts';

export type ReportRow = Selectable<ReportsTable>;

export interface ReportFilter {
  /** Resolved reports, or (the default) open ones. */
  resolved: boolean;
  accountId?: string;
  targetAccountId?: string;
}

/** A page of reports with everything the Admin::Report entity shows, loaded in batches. */
export interface AdminReportPage {
  rows: ReportRow[];
  accounts: Map<string, AdminAccountRow>;
  ips: Map<string, Array<{ ip: string; used_at: string }>>;
  statuses: Map<string, HydratedPost>;
}

/**
 * The report queue as Mastodon's admin API shows it (/api/v1/admin/reports): the same reports
 * and the same resolution as the web client's queue (ModerationService.resolveReport), plus
 * filters, assignment to a moderator and reopening. Staff only (canModerate).
 */
export class AdminReportService {
  constructor(
    private readonly admin: AdminRepository,
    private readonly moderation: ModerationService,
    private readonly ips: UserIpRepository,
    private readonly hydrator: PostHydrator,
    private readonly clock: Clock,
  ) {}

  private require(viewer: Viewer | undefined): asserts viewer is Viewer {
    if (!canModerate(viewer)) throw forbidden();
  }

  async page(viewer: Viewer | undefined, filter: ReportFilter, page: PageParams): Promise<AdminReportPage> {
    this.require(viewer);
    return this.load(viewer, await this.admin.reports(filter, page));
  }

  async get(viewer: Viewer | undefined, id: string): Promise<AdminReportPage> {
    this.require(viewer);
    const row = await this.admin.report(id);
    if (!row) throw notFound();
    return this.load(viewer, [row]);
  }

  async assignToSelf(viewer: Viewer | undefined, id: string): Promise<AdminReportPage> {
    await this.get(viewer, id);
    await this.admin.assignReport(id, viewer!.accountId, this.clock.now().toISOString());
    return this.get(viewer, id);
  }

  async unassign(viewer: Viewer | undefined, id: string): Promise<AdminReportPage> {
    await this.get(viewer, id);
    await this.admin.assignReport(id, null, this.clock.now().toISOString());
    return this.get(viewer, id);
  }

  /** Resolved with no further action (the web queue's "dismiss"); a resolved report stays as it was. */
  async resolve(viewer: Viewer | undefined, id: string): Promise<AdminReportPage> {
    const { rows } = await this.get(viewer, id);
    if (rows[0].action_taken_at === null) await this.moderation.resolveReport(viewer!, id, 'dismiss');
    return this.get(viewer, id);
  }

  async reopen(viewer: Viewer | undefined, id: string): Promise<AdminReportPage> {
    const { rows } = await this.get(viewer, id);
    if (rows[0].action_taken_at !== null) await this.admin.reopenReport(id, this.clock.now().toISOString());
    return this.get(viewer, id);
  }

  /** Accounts (reporter, target, assignee, resolver), their addresses and the reported statuses: three batches. */
  private async load(viewer: Viewer, rows: ReportRow[]): Promise<AdminReportPage> {
    const accountIds = rows.flatMap((r) => [r.account_id, r.target_account_id, r.assigned_account_id, r.action_taken_by].filter((id): id is string => id !== null));
    const statusIds = rows.flatMap((r) => parseIds(r.status_ids));
    const [accounts, ips, statuses] = await Promise.all([
      this.admin.accountsByIds(accountIds),
      this.ips.ipsOf(accountIds),
      // Staff review what was reported, hidden or not.
      this.hydrator.hydrate(viewer, statusIds, 'moderator'),
    ]);
    return { rows, accounts, ips, statuses: new Map(statuses.map((s) => [s.status.id, s])) };
  }
}

export function parseIds(json: string): string[] {
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
}
