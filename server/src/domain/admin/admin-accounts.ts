import type { Clock } from '../../clock.ts';
import type { Db } from '../../db/database.ts';
import { AppError, forbidden, notFound } from '../../errors.ts';
import type { Viewer } from '../../access/viewer-context.ts';
import { canActOnAccount, canModerate } from '../../access/staff-policy.ts';
import { suspendAccount, unsuspendAccount } from '../moderation/suspend-account.ts';
import type { SessionEvents } from '../auth/token-repository.ts';
import type { ModerationRepository } from '../moderation/moderation-repository.ts';
import type { AdminAccountFilter, AdminAccountRow, AdminRepository } from './admin-repository.ts';
import type { PageParams } from './paging.ts';
import type { UserIpRepository } from './user-ips.ts';

export type AccountActionType = 'none' | 'sensitive' | 'disable' | 'silence' | 'suspend';

export interface AccountActionInput {
  type: AccountActionType;
  reportId?: string;
  /** Accepted as Mastodon takes them; Glimpse keeps no warnings and sends no e-mail. */
  warningPresetId?: string;
  text?: string;
  sendEmailNotification?: boolean;
}

/** A page of admin accounts with what presenting them needs, loaded in batches. */
export interface AdminAccountPage {
  rows: AdminAccountRow[];
  ips: Map<string, Array<{ ip: string; used_at: string }>>;
}

/**
 * Mastodon's admin accounts API over Glimpse's accounts: listing with filters, one account, and
 * the moderation actions. Who may do what is access/staff-policy.ts: reading and acting need a
 * moderator (canModerate); acting on an account needs a higher role than its own and never
 * oneself (canActOnAccount). Suspension goes through suspend-account.ts, the one suspension use
 * case. Glimpse does not silence accounts or force their media sensitive: those actions answer
 * 422, `silenced` and `sensitized` are always false, and unsilence/unsensitive change nothing.
 */
export class AdminAccountService {
  constructor(
    private readonly db: Db,
    private readonly admin: AdminRepository,
    private readonly moderation: ModerationRepository,
    private readonly ips: UserIpRepository,
    private readonly clock: Clock,
    /** Disabling and suspending close the account's open streams. */
    private readonly sessions?: SessionEvents,
  ) {}

  private require(viewer: Viewer | undefined): void {
    if (!canModerate(viewer)) throw forbidden();
  }

  async page(viewer: Viewer | undefined, filter: AdminAccountFilter, page: PageParams): Promise<AdminAccountPage> {
    this.require(viewer);
    const rows = await this.admin.accounts(filter, page);
    return { rows, ips: await this.ips.ipsOf(rows.map((r) => r.id)) };
  }

  async get(viewer: Viewer | undefined, id: string): Promise<AdminAccountPage> {
    this.require(viewer);
    const row = await this.admin.account(id);
    if (!row) throw notFound();
    return { rows: [row], ips: await this.ips.ipsOf([row.id]) };
  }

  /** The target, if the viewer may act on it: 404 when missing, 403 when not allowed. */
  private async target(viewer: Viewer | undefined, id: string): Promise<AdminAccountRow> {
    this.require(viewer);
    const row = await this.admin.account(id);
    if (!row) throw notFound();
    if (!canActOnAccount(viewer, { id: row.id, role: row.role })) throw forbidden();
    return row;
  }

  async approve(viewer: Viewer | undefined, id: string): Promise<AdminAccountPage> {
    const row = await this.target(viewer, id);
    if (row.approved) throw forbidden();
    await this.admin.setApproved(id);
    return this.get(viewer, id);
  }

  /** A pending sign-up is deleted; the answer is the account as it was. */
  async reject(viewer: Viewer | undefined, id: string): Promise<AdminAccountPage> {
    const row = await this.target(viewer, id);
    if (row.approved) throw forbidden();
    const ips = await this.ips.ipsOf([id]);
    if (!(await this.admin.deletePendingAccount(id))) throw forbidden();
    return { rows: [row], ips };
  }

  async enable(viewer: Viewer | undefined, id: string): Promise<AdminAccountPage> {
    await this.target(viewer, id);
    await this.admin.enable(id);
    return this.get(viewer, id);
  }

  async unsuspend(viewer: Viewer | undefined, id: string): Promise<AdminAccountPage> {
    const row = await this.target(viewer, id);
    if (row.suspended_at === null) throw forbidden();
    await unsuspendAccount(this.db, id);
    return this.get(viewer, id);
  }

  /** Nothing to undo: Glimpse never silences or sensitizes an account. */
  async unsilence(viewer: Viewer | undefined, id: string): Promise<AdminAccountPage> {
    await this.target(viewer, id);
    return this.get(viewer, id);
  }

  async action(viewer: Viewer | undefined, id: string, input: AccountActionInput): Promise<void> {
    this.require(viewer);
    const row = await this.admin.account(id);
    if (!row) throw notFound();
    const report = input.reportId ? await this.moderation.findReport(input.reportId) : undefined;
    if (input.reportId && (!report || report.target_account_id !== id)) throw notFound();
    if (input.type === 'silence') throw new AppError(422, 'Glimpse does not support silencing accounts; suspend or disable instead');
    if (input.type === 'sensitive') throw new AppError(422, 'Glimpse does not support marking an account sensitive');
    if (input.type !== 'none' && !canActOnAccount(viewer, { id: row.id, role: row.role })) throw forbidden();
    const now = this.clock.now().toISOString();
    const by = viewer!.accountId;
    if (input.type === 'disable') {
      await this.admin.disable(id, now);
      this.sessions?.allRevoked(id);
    }
    if (input.type === 'suspend') await suspendAccount(this.db, this.clock, id, this.sessions);
    // As on Mastodon: "none" resolves the report it names only; any other action resolves every
    // open report on the account.
    if (input.type === 'none') {
      if (report && report.action_taken_at === null) await this.moderation.resolveReport(report.id, 'dismiss', by, now);
    } else {
      await this.admin.resolveOpenReportsOn(this.db, id, input.type, by, now);
    }
  }
}
