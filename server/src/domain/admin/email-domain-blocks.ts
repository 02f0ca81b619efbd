import type { Selectable } from 'kysely';
import { sql } from 'kysely';
import type { Clock } from '../../clock.ts';
import type { Db } from '../../db/database.ts';
import { newId } from '../../db/ids.ts';
import type { EmailDomainBlocksTable } from '../../db/schema.ts';
import { forbidden, notFound, unprocessable } from '../../errors.ts';
import type { Viewer } from '../../access/viewer-context.ts';
import { canAdminister } from '../../access/staff-policy.ts';
import { isUniqueViolation } from './ip-blocks.ts';
import { type PageParams, pageQuery } from './paging.ts';

export type EmailDomainBlockRow = Selectable<EmailDomainBlocksTable>;

export const EMAIL_DOMAIN_BLOCK_LIMITS = { blocks: 10_000, domain: 253, historyDays: 7 } as const;

export interface EmailDomainBlockDay {
  /** UNIX time of the day's 00:00 UTC, as a string (Mastodon's shape). */
  day: string;
  accounts: string;
  uses: string;
}

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/**
 * A domain as typed, lower-cased and in its ASCII (punycode) form, without a trailing dot;
 * undefined when it is no host name (an address, a path, an empty label …).
 */
export function normalizeDomain(input: string): string | undefined {
  const raw = input.trim().toLowerCase().replace(/\.$/, '');
  if (raw === '' || raw.length > EMAIL_DOMAIN_BLOCK_LIMITS.domain || /[\s/@:?#\[\]\\]/.test(raw)) return undefined;
  let ascii: string;
  try {
    ascii = new URL(`http://${raw}/`).hostname;
  } catch {
    return undefined;
  }
  const labels = ascii.split('.');
  if (labels.some((l) => !LABEL.test(l))) return undefined;
  if (/^\d+$/.test(labels[labels.length - 1])) return undefined; // an IPv4 address
  return ascii;
}

/** The domain and each of its parents: a.b.example → a.b.example, b.example, example. */
export function domainAndParents(domain: string): string[] {
  const labels = domain.split('.');
  return labels.map((_, i) => labels.slice(i).join('.'));
}

/**
 * E-mail domain blocks (Mastodon's /api/v1/admin/email_domain_blocks): a sign-up whose e-mail
 * is at a blocked domain, or at any subdomain of one, is refused (ERR_BLOCKED). Each refusal is
 * counted per block and UTC day; `history` shows the last seven days.
 */
export class EmailDomainBlockService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  private require(viewer: Viewer | undefined): void {
    if (!canAdminister(viewer)) throw forbidden();
  }

  async list(viewer: Viewer | undefined, page: PageParams): Promise<EmailDomainBlockRow[]> {
    this.require(viewer);
    return pageQuery(this.db.selectFrom('email_domain_blocks').selectAll(), 'id', page);
  }

  async get(viewer: Viewer | undefined, id: string): Promise<EmailDomainBlockRow> {
    this.require(viewer);
    const row = await this.db.selectFrom('email_domain_blocks').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound();
    return row;
  }

  async create(viewer: Viewer | undefined, domainInput: string | undefined): Promise<EmailDomainBlockRow> {
    this.require(viewer);
    if (domainInput === undefined || domainInput.trim() === '') throw unprocessable("Validation failed: Domain can't be blank");
    const domain = normalizeDomain(domainInput);
    if (!domain) throw unprocessable('Validation failed: Domain is not a valid domain name');
    const count = await this.db.selectFrom('email_domain_blocks').select((eb) => eb.fn.countAll().as('n')).executeTakeFirst();
    if (Number(count?.n ?? 0) >= EMAIL_DOMAIN_BLOCK_LIMITS.blocks) throw unprocessable(`Validation failed: At most ${EMAIL_DOMAIN_BLOCK_LIMITS.blocks} e-mail domain blocks`);
    const now = this.clock.now();
    const row = { id: newId(now.getTime()), domain, created_at: now.toISOString() };
    try {
      await this.db.insertInto('email_domain_blocks').values(row).execute();
    } catch (error) {
      if (isUniqueViolation(error)) throw unprocessable('Validation failed: Domain has already been taken');
      throw error;
    }
    return row;
  }

  async remove(viewer: Viewer | undefined, id: string): Promise<void> {
    await this.get(viewer, id);
    await this.db.deleteFrom('email_domain_blocks').where('id', '=', id).execute();
  }

  /**
   * Whether the e-mail's domain or a parent of it is blocked (one query); a refusal is counted
   * in the most specific matching block's history.
   */
  async isBlocked(email: string): Promise<boolean> {
    const at = email.lastIndexOf('@');
    const domain = at >= 0 ? normalizeDomain(email.slice(at + 1)) : undefined;
    if (!domain) return false;
    const candidates = domainAndParents(domain);
    const rows = await this.db.selectFrom('email_domain_blocks').select(['id', 'domain']).where('domain', 'in', candidates).execute();
    if (rows.length === 0) return false;
    const block = rows.sort((a, b) => b.domain.length - a.domain.length)[0];
    const day = this.clock.now().toISOString().slice(0, 10);
    await this.db
      .insertInto('email_domain_block_attempts')
      .values({ block_id: block.id, day, count: 1 })
      .onConflict((oc) => oc.columns(['block_id', 'day']).doUpdateSet({ count: sql<number>`email_domain_block_attempts.count + 1` }))
      .execute();
    return true;
  }

  /** The last seven UTC days of refusals for each block, newest day first: one query for all. */
  async history(blockIds: readonly string[]): Promise<Map<string, EmailDomainBlockDay[]>> {
    const today = Date.UTC(this.clock.now().getUTCFullYear(), this.clock.now().getUTCMonth(), this.clock.now().getUTCDate());
    const days = Array.from({ length: EMAIL_DOMAIN_BLOCK_LIMITS.historyDays }, (_, i) => today - i * 86_400_000);
    const dayKeys = days.map((ms) => new Date(ms).toISOString().slice(0, 10));
    const rows = blockIds.length
      ? await this.db.selectFrom('email_domain_block_attempts').selectAll().where('block_id', 'in', [...blockIds]).where('day', 'in', dayKeys).execute()
      : [];
    const counts = new Map(rows.map((r) => [`${r.block_id}/${r.day}`, Number(r.count)]));
    return new Map(
      blockIds.map((id) => [
        id,
        days.map((ms, i) => {
          const n = String(counts.get(`${id}/${dayKeys[i]}`) ?? 0);
          return { day: String(ms / 1000), accounts: n, uses: n };
        }),
      ]),
    );
  }
}
