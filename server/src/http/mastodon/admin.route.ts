import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Services } from '../../services.ts';
import { unprocessable } from '../../errors.ts';
import { rolesByIds } from '../../access/staff-policy.ts';
import type { AccountStatus, AdminAccountFilter } from '../../domain/admin/admin-repository.ts';
import type { AdminAccountPage } from '../../domain/admin/admin-accounts.ts';
import { cidrKeyRange, parseCidr } from '../../domain/admin/ip-address.ts';
import { IP_BLOCK_LIMITS, IP_BLOCK_SEVERITIES } from '../../domain/admin/ip-blocks.ts';
import type { AdminReportPage } from '../../domain/moderation/admin-reports.ts';
import { boolish, idParam, intish, parseInput, stringList, text, z } from '../input.ts';
import { parsePaging, setLinkHeader } from '../paging.ts';
import { presentAdminAccount } from './presenters/admin-account.presenter.ts';
import { presentAdminReport } from './presenters/admin-report.presenter.ts';
import { presentEmailDomainBlock, presentIpBlock } from './presenters/admin-blocks.presenter.ts';

// Schemas are built once: zod compiles each on first use, which is costly per request.
const searchFields = {
  username: text(100).optional(),
  display_name: text(100).optional(),
  email: text(254).optional(),
  ip: text(64).optional(),
  by_domain: text(253).optional(),
};
const v1AccountsQuery = z
  .object({
    ...searchFields,
    local: boolish.optional(),
    remote: boolish.optional(),
    active: boolish.optional(),
    pending: boolish.optional(),
    disabled: boolish.optional(),
    silenced: boolish.optional(),
    suspended: boolish.optional(),
    sensitized: boolish.optional(),
    staff: boolish.optional(),
  })
  .passthrough();
const v2AccountsQuery = z
  .object({
    ...searchFields,
    origin: z.enum(['local', 'remote']).optional(),
    status: z.enum(['active', 'pending', 'disabled', 'silenced', 'suspended']).optional(),
    permissions: z.enum(['staff']).optional(),
    role_ids: stringList(10, 16).optional(),
    invited_by: text(32).optional(),
  })
  .passthrough();
const actionBody = z.object({
  type: z.enum(['none', 'sensitive', 'disable', 'silence', 'suspend']),
  report_id: text(32).optional().nullable(),
  warning_preset_id: text(32).optional().nullable(),
  text: text(5000).optional().nullable(),
  send_email_notification: boolish.optional().nullable(),
});
const reportsQuery = z.object({ resolved: boolish.optional(), account_id: text(32).optional(), target_account_id: text(32).optional() }).passthrough();
const expiresIn = z.preprocess((v) => (v === '' ? null : v), intish(1, IP_BLOCK_LIMITS.expiresIn).nullable()).optional();
const ipBlockBody = z.object({
  ip: text(64).optional(),
  severity: z.enum(IP_BLOCK_SEVERITIES).optional(),
  comment: text(IP_BLOCK_LIMITS.comment).optional().nullable(),
  expires_in: expiresIn,
});
const emailDomainBody = z.object({ domain: text(300).optional() });

/**
 * Mastodon's admin API (/api/v1/admin, /api/v2/admin/accounts). Scopes per Mastodon
 * (admin:read:accounts …, covered by admin:read / admin:write); who may call what is decided in
 * access/staff-policy.ts by the services: moderators the accounts and reports, admins also the
 * IP and e-mail domain blocks. Anyone else gets 403 "This action is not allowed".
 */
export function registerAdminRoutes(app: FastifyInstance, services: Services): void {
  const { config } = services;
  const ctx = { ...config, mediaUrls: services.mediaUrls };
  const { admin } = services;
  const page = (request: FastifyRequest) => parsePaging(request.query, 100, 200);
  const accounts = (p: AdminAccountPage) => p.rows.map((r) => presentAdminAccount(ctx, r, p.ips));
  const reports = (p: AdminReportPage) => p.rows.map((r) => presentAdminReport(ctx, p, r));
  const linked = <T extends { id: string }>(request: FastifyRequest, reply: FastifyReply, items: T[], limit: number): T[] => {
    setLinkHeader(request, reply, config.publicUrl, items.map((i) => i.id), limit);
    return items;
  };

  /** The search fields both versions share. */
  const searchFilter = (q: z.infer<typeof v1AccountsQuery>, filter: AdminAccountFilter): AdminAccountFilter => {
    if (q.username) filter.username = q.username;
    if (q.display_name) filter.displayName = q.display_name;
    if (q.email) filter.email = q.email;
    if (q.ip) {
      const cidr = parseCidr(q.ip);
      if (!cidr) throw unprocessable('Validation failed: ip is not an IP address or range');
      filter.ipKeys = cidrKeyRange(cidr);
    }
    // Glimpse accounts are all local: a remote domain names none of them.
    if (q.by_domain) filter.matchesNone = true;
    return filter;
  };
  const statusOf = (status: string, filter: AdminAccountFilter) => {
    if (status === 'silenced') filter.matchesNone = true;
    else (filter.statuses ??= []).push(status as AccountStatus);
  };

  const route = (scope: string) => ({ config: { auth: 'user' as const, scope } });

  app.get('/api/v1/admin/accounts', route('admin:read:accounts'), async (request, reply) => {
    const q = parseInput(v1AccountsQuery, request.query);
    const p = page(request);
    const filter = searchFilter(q, {});
    if (q.remote || q.sensitized) filter.matchesNone = true;
    for (const status of ['active', 'pending', 'disabled', 'silenced', 'suspended'] as const) if (q[status]) statusOf(status, filter);
    if (q.staff) filter.staff = true;
    return linked(request, reply, accounts(await admin.accounts.page(request.viewer, filter, p)), p.limit);
  });

  app.get('/api/v2/admin/accounts', route('admin:read:accounts'), async (request, reply) => {
    const q = parseInput(v2AccountsQuery, request.query);
    const p = page(request);
    const filter = searchFilter(q, {});
    if (q.origin === 'remote' || q.invited_by) filter.matchesNone = true;
    if (q.status) statusOf(q.status, filter);
    if (q.permissions === 'staff') filter.staff = true;
    if (q.role_ids) filter.roles = rolesByIds(q.role_ids);
    return linked(request, reply, accounts(await admin.accounts.page(request.viewer, filter, p)), p.limit);
  });

  app.get('/api/v1/admin/accounts/:id', route('admin:read:accounts'), async (request) => {
    const { id } = parseInput(idParam, request.params);
    return accounts(await admin.accounts.get(request.viewer, id))[0];
  });

  app.post('/api/v1/admin/accounts/:id/action', route('admin:write:accounts'), async (request) => {
    const { id } = parseInput(idParam, request.params);
    const body = parseInput(actionBody, request.body);
    await admin.accounts.action(request.viewer, id, {
      type: body.type,
      reportId: body.report_id ?? undefined,
      warningPresetId: body.warning_preset_id ?? undefined,
      text: body.text ?? undefined,
      sendEmailNotification: body.send_email_notification ?? undefined,
    });
    return {};
  });

  const accountActions = {
    approve: (v, id) => admin.accounts.approve(v, id),
    reject: (v, id) => admin.accounts.reject(v, id),
    enable: (v, id) => admin.accounts.enable(v, id),
    unsuspend: (v, id) => admin.accounts.unsuspend(v, id),
    unsilence: (v, id) => admin.accounts.unsilence(v, id),
    unsensitive: (v, id) => admin.accounts.unsilence(v, id),
  } satisfies Record<string, (viewer: FastifyRequest['viewer'], id: string) => Promise<AdminAccountPage>>;
  for (const [name, act] of Object.entries(accountActions)) {
    app.post(`/api/v1/admin/accounts/:id/${name}`, route('admin:write:accounts'), async (request) => {
      const { id } = parseInput(idParam, request.params);
      return accounts(await act(request.viewer, id))[0];
    });
  }

  app.get('/api/v1/admin/reports', route('admin:read:reports'), async (request, reply) => {
    const q = parseInput(reportsQuery, request.query);
    const p = page(request);
    const found = await admin.reports.page(request.viewer, { resolved: q.resolved ?? false, accountId: q.account_id, targetAccountId: q.target_account_id }, p);
    return linked(request, reply, reports(found), p.limit);
  });

  app.get('/api/v1/admin/reports/:id', route('admin:read:reports'), async (request) => {
    const { id } = parseInput(idParam, request.params);
    return reports(await admin.reports.get(request.viewer, id))[0];
  });

  const reportActions = {
    assign_to_self: (v, id) => admin.reports.assignToSelf(v, id),
    unassign: (v, id) => admin.reports.unassign(v, id),
    resolve: (v, id) => admin.reports.resolve(v, id),
    reopen: (v, id) => admin.reports.reopen(v, id),
  } satisfies Record<string, (viewer: FastifyRequest['viewer'], id: string) => Promise<AdminReportPage>>;
  for (const [name, act] of Object.entries(reportActions)) {
    app.post(`/api/v1/admin/reports/:id/${name}`, route('admin:write:reports'), async (request) => {
      const { id } = parseInput(idParam, request.params);
      return reports(await act(request.viewer, id))[0];
    });
  }

  app.get('/api/v1/admin/ip_blocks', route('admin:read:ip_blocks'), async (request, reply) => {
    const p = page(request);
    return linked(request, reply, (await admin.ipBlocks.list(request.viewer, p)).map(presentIpBlock), p.limit);
  });

  app.get('/api/v1/admin/ip_blocks/:id', route('admin:read:ip_blocks'), async (request) => {
    const { id } = parseInput(idParam, request.params);
    return presentIpBlock(await admin.ipBlocks.get(request.viewer, id));
  });

  const ipBlockInput = (body: z.infer<typeof ipBlockBody>) => ({
    ip: body.ip,
    severity: body.severity,
    comment: body.comment ?? undefined,
    expiresIn: body.expires_in,
  });

  app.post('/api/v1/admin/ip_blocks', route('admin:write:ip_blocks'), async (request) => {
    const body = parseInput(ipBlockBody, request.body);
    return presentIpBlock(await admin.ipBlocks.create(request.viewer, ipBlockInput(body)));
  });

  app.put('/api/v1/admin/ip_blocks/:id', route('admin:write:ip_blocks'), async (request) => {
    const { id } = parseInput(idParam, request.params);
    const body = parseInput(ipBlockBody, request.body);
    return presentIpBlock(await admin.ipBlocks.update(request.viewer, id, ipBlockInput(body)));
  });

  app.delete('/api/v1/admin/ip_blocks/:id', route('admin:write:ip_blocks'), async (request) => {
    const { id } = parseInput(idParam, request.params);
    await admin.ipBlocks.remove(request.viewer, id);
    return {};
  });

  app.get('/api/v1/admin/email_domain_blocks', route('admin:read:email_domain_blocks'), async (request, reply) => {
    const p = page(request);
    const rows = await admin.emailDomainBlocks.list(request.viewer, p);
    const history = await admin.emailDomainBlocks.history(rows.map((r) => r.id));
    return linked(request, reply, rows.map((r) => presentEmailDomainBlock(r, history)), p.limit);
  });

  app.get('/api/v1/admin/email_domain_blocks/:id', route('admin:read:email_domain_blocks'), async (request) => {
    const { id } = parseInput(idParam, request.params);
    const row = await admin.emailDomainBlocks.get(request.viewer, id);
    return presentEmailDomainBlock(row, await admin.emailDomainBlocks.history([row.id]));
  });

  app.post('/api/v1/admin/email_domain_blocks', route('admin:write:email_domain_blocks'), async (request) => {
    const body = parseInput(emailDomainBody, request.body);
    const row = await admin.emailDomainBlocks.create(request.viewer, body.domain);
    return presentEmailDomainBlock(row, await admin.emailDomainBlocks.history([row.id]));
  });

  app.delete('/api/v1/admin/email_domain_blocks/:id', route('admin:write:email_domain_blocks'), async (request) => {
    const { id } = parseInput(idParam, request.params);
    await admin.emailDomainBlocks.remove(request.viewer, id);
    return {};
  });
}
