import type { EmailDomainBlockDay, EmailDomainBlockRow } from '../../../domain/admin/email-domain-blocks.ts';
import type { IpBlockRow } from '../../../domain/admin/ip-blocks.ts';

/** Mastodon's Admin::IpBlock: `ip` as network/prefix, `expires_at` a time or null. */
export function presentIpBlock(row: IpBlockRow) {
  return { id: row.id, ip: row.ip, severity: row.severity, comment: row.comment, created_at: row.created_at, expires_at: row.expires_at };
}

/** Mastodon's Admin::EmailDomainBlock, with the refused sign-ups of the last seven days. */
export function presentEmailDomainBlock(row: EmailDomainBlockRow, history: ReadonlyMap<string, EmailDomainBlockDay[]>) {
  return { id: row.id, domain: row.domain, created_at: row.created_at, history: history.get(row.id) ?? [] };
}
