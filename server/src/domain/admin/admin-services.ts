import type { Clock } from '../../clock.ts';
import type { Db } from '../../db/database.ts';
import type { AccountService } from '../accounts/account-service.ts';
import type { SessionEvents } from '../auth/token-repository.ts';
import { AdminReportService } from '../moderation/admin-reports.ts';
import type { ModerationRepository } from '../moderation/moderation-repository.ts';
import type { ModerationService } from '../moderation/moderation-service.ts';
import type { PostHydrator } from '../posts/post-hydrator.ts';
import { AdminAccountService } from './admin-accounts.ts';
import { AdminRepository } from './admin-repository.ts';
import { EmailDomainBlockService } from './email-domain-blocks.ts';
import { IpBlockService } from './ip-blocks.ts';
import { UserIpRepository } from './user-ips.ts';

/** The admin API's use cases (Mastodon's /api/v1/admin/*), one object on Services. */
export interface AdminServices {
  accounts: AdminAccountService;
  reports: AdminReportService;
  ipBlocks: IpBlockService;
  emailDomainBlocks: EmailDomainBlockService;
  /** Addresses accounts signed up and logged in from. */
  userIps: UserIpRepository;
}

/** Builds them, and gives registration its checks against the blocks. */
export function buildAdminServices(
  db: Db,
  clock: Clock,
  deps: { moderationRepository: ModerationRepository; moderation: ModerationService; hydrator: PostHydrator; accounts: AccountService; sessions?: SessionEvents },
): AdminServices {
  const repository = new AdminRepository(db);
  const userIps = new UserIpRepository(db, clock);
  const ipBlocks = new IpBlockService(db, clock);
  const emailDomainBlocks = new EmailDomainBlockService(db, clock);
  deps.accounts.useSignUpChecks({
    ipSeverity: (ip) => ipBlocks.severityFor(ip),
    emailBlocked: (email) => emailDomainBlocks.isBlocked(email),
    recordIp: (accountId, ip) => userIps.record(accountId, ip),
  });
  return {
    accounts: new AdminAccountService(db, repository, deps.moderationRepository, userIps, clock, deps.sessions),
    reports: new AdminReportService(repository, deps.moderation, userIps, deps.hydrator, clock),
    ipBlocks,
    emailDomainBlocks,
    userIps,
  };
}
