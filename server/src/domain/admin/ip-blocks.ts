import net from 'node:net';
import type { Selectable } from 'kysely';
import type { Clock } from '../../clock.ts';
import type { Db } from '../../db/database.ts';
import { newId } from '../../db/ids.ts';
import type { IpBlocksTable } from '../../db/schema.ts';
import { AppError, forbidden, notFound, unprocessable } from '../../errors.ts';
import type { Viewer } from '../../access/viewer-context.ts';
import { canAdminister } from '../../access/staff-policy.ts';
import { normalizeIp, parseCidr } from './ip-address.ts';
import type { PageParams } from './paging.ts';
import { pageQuery } from './paging.ts';

export type IpBlockRow = Selectable<IpBlocksTable>;
export type IpBlockSeverity = IpBlocksTable['severity'];
export const IP_BLOCK_SEVERITIES = ['sign_up_requires_approval', 'sign_up_block', 'no_access'] as const;

export const IP_BLOCK_LIMITS = {
  /** Blocks in all: the list is held in memory and matched on every authenticated request. */
  blocks: 10_000,
  comment: 1000,
  /** expires_in, in seconds: ten years at most. */
  expiresIn: 10 * 366 * 24 * 3600,
} as const;

/** Most severe first: an address under several blocks gets the strictest. */
const BY_SEVERITY: readonly IpBlockSeverity[] = ['no_access', 'sign_up_block', 'sign_up_requires_approval'];

export interface IpBlockInput {
  ip?: string;
  severity?: IpBlockSeverity;
  comment?: string;
  /** Seconds from now; null removes the expiry. */
  expiresIn?: number | null;
}

interface Matcher {
  lists: Map<IpBlockSeverity, net.BlockList>;
  /** The next expiry among the loaded blocks (ms): the matcher is rebuilt then. */
  validUntil: number;
}

/**
 * IP blocks (Mastodon's /api/v1/admin/ip_blocks). The live blocks (not expired) are held in
 * memory as one node:net BlockList per severity, built on first use and rebuilt after any
 * change here or when the next block expires, so checking an address is a few in-memory
 * lookups, cheap enough for every authenticated request. Expired blocks are left out of
 * everything (the list, the checks) and deleted when the matcher is rebuilt.
 */
/** How long a process trusts its loaded blocks without being told of a change. */
const IP_BLOCK_CACHE_MS = 60_000;

export class IpBlockService {
  private matcher: Matcher | undefined;
  private loading: Promise<Matcher> | undefined;
  /** Bumped on every change, so a load that began before it is not kept. */
  private generation = 0;

  /** After a change here: the other processes drop their copy of the blocks (services.ts publishes on `caches`). */
  onChanged: () => void = () => {};

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  private require(viewer: Viewer | undefined): void {
    if (!canAdminister(viewer)) throw forbidden();
  }

  private nowIso(): string {
    return this.clock.now().toISOString();
  }

  async list(viewer: Viewer | undefined, page: PageParams): Promise<IpBlockRow[]> {
    this.require(viewer);
    const now = this.nowIso();
    const q = this.db.selectFrom('ip_blocks').selectAll().where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]));
    return pageQuery(q, 'id', page);
  }

  async get(viewer: Viewer | undefined, id: string): Promise<IpBlockRow> {
    this.require(viewer);
    const row = await this.db.selectFrom('ip_blocks').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row || (row.expires_at !== null && row.expires_at <= this.nowIso())) throw notFound();
    return row;
  }

  async create(viewer: Viewer | undefined, input: IpBlockInput): Promise<IpBlockRow> {
    this.require(viewer);
    const errors: string[] = [];
    if (!input.severity) errors.push("Severity can't be blank");
    const cidr = this.cidrOf(input.ip, errors);
    if (errors.length) throw unprocessable(`Validation failed: ${errors.join(', ')}`);
    await this.dropExpired();
    const count = await this.db.selectFrom('ip_blocks').select((eb) => eb.fn.countAll().as('n')).executeTakeFirst();
    if (Number(count?.n ?? 0) >= IP_BLOCK_LIMITS.blocks) throw unprocessable(`Validation failed: At most ${IP_BLOCK_LIMITS.blocks} IP blocks`);
    const now = this.clock.now();
    const row: IpBlockRow = {
      id: newId(now.getTime()),
      ip: cidr!,
      severity: input.severity!,
      comment: input.comment ?? '',
      created_at: now.toISOString(),
      updated_at: now.toISOString(),
      expires_at: this.expiryOf(input.expiresIn) ?? null,
    };
    try {
      await this.db.insertInto('ip_blocks').values(row).execute();
    } catch (error) {
      if (isUniqueViolation(error)) throw unprocessable('Validation failed: Ip has already been taken');
      throw error;
    }
    this.invalidate();
    return row;
  }

  async update(viewer: Viewer | undefined, id: string, input: IpBlockInput): Promise<IpBlockRow> {
    const row = await this.get(viewer, id);
    const errors: string[] = [];
    const cidr = input.ip === undefined ? row.ip : this.cidrOf(input.ip, errors);
    if (errors.length) throw unprocessable(`Validation failed: ${errors.join(', ')}`);
    const expiry = this.expiryOf(input.expiresIn);
    const changes = {
      ip: cidr!,
      severity: input.severity ?? row.severity,
      comment: input.comment ?? row.comment,
      expires_at: expiry === undefined ? row.expires_at : expiry,
      updated_at: this.nowIso(),
    };
    try {
      await this.db.updateTable('ip_blocks').set(changes).where('id', '=', id).execute();
    } catch (error) {
      if (isUniqueViolation(error)) throw unprocessable('Validation failed: Ip has already been taken');
      throw error;
    }
    this.invalidate();
    return { ...row, ...changes };
  }

  async remove(viewer: Viewer | undefined, id: string): Promise<void> {
    await this.get(viewer, id);
    await this.db.deleteFrom('ip_blocks').where('id', '=', id).execute();
    this.invalidate();
  }

  /** The strictest live block on an address, or undefined (also for something that is no address). */
  async severityFor(ip: string | undefined): Promise<IpBlockSeverity | undefined> {
    const address = normalizeIp(ip);
    if (!address) return undefined;
    const matcher = await this.currentMatcher();
    if (matcher.lists.size === 0) return undefined;
    const family = net.isIP(address) === 4 ? 'ipv4' : 'ipv6';
    return BY_SEVERITY.find((severity) => matcher.lists.get(severity)?.check(address, family));
  }

  /** The 403 a request from a no_access address gets (log-in and every authenticated request). */
  async noAccessRefusal(ip: string | undefined): Promise<AppError | undefined> {
    return (await this.severityFor(ip)) === 'no_access' ? new AppError(403, 'Access from your network is blocked on this server') : undefined;
  }

  async refuseNoAccess(ip: string | undefined): Promise<void> {
    const refusal = await this.noAccessRefusal(ip);
    if (refusal) throw refusal;
  }

  private cidrOf(ip: string | undefined, errors: string[]): string | undefined {
    if (ip === undefined || ip.trim() === '') {
      errors.push("Ip can't be blank");
      return undefined;
    }
    const cidr = parseCidr(ip);
    if (!cidr) errors.push('Ip is invalid');
    return cidr?.text;
  }

  private expiryOf(expiresIn: number | null | undefined): string | null | undefined {
    if (expiresIn === undefined) return undefined;
    if (expiresIn === null) return null;
    return new Date(this.clock.now().getTime() + expiresIn * 1000).toISOString();
  }

  private invalidate(): void {
    this.dropCache();
    this.onChanged();
  }

  /** Forgets the loaded blocks (changed here or in another process); the next check reloads them. */
  dropCache(): void {
    this.generation += 1;
    this.matcher = undefined;
    this.loading = undefined;
  }

  private async currentMatcher(): Promise<Matcher> {
    const now = this.clock.now().getTime();
    if (this.matcher && now < this.matcher.validUntil) return this.matcher;
    if (!this.loading) {
      const generation = this.generation;
      const loading = this.load().then(
        (matcher) => {
          if (generation === this.generation) this.matcher = matcher;
          if (this.loading === loading) this.loading = undefined;
          return matcher;
        },
        (error) => {
          if (this.loading === loading) this.loading = undefined;
          throw error;
        },
      );
      this.loading = loading;
    }
    return this.loading;
  }

  private async load(): Promise<Matcher> {
    const now = this.clock.now();
    await this.dropExpired();
    const rows = await this.db.selectFrom('ip_blocks').select(['ip', 'severity', 'expires_at']).execute();
    const lists = new Map<IpBlockSeverity, net.BlockList>();
    // At most a minute: a change announced while this process's Redis subscriber was
    // reconnecting (pub/sub keeps nothing) is picked up within it.
    let validUntil = now.getTime() + IP_BLOCK_CACHE_MS;
    for (const row of rows) {
      const cidr = parseCidr(row.ip);
      if (!cidr) continue;
      if (row.expires_at !== null) {
        const at = Date.parse(row.expires_at);
        if (at <= now.getTime()) continue;
        validUntil = Math.min(validUntil, at);
      }
      let list = lists.get(row.severity);
      if (!list) lists.set(row.severity, (list = new net.BlockList()));
      list.addSubnet(cidr.network, cidr.prefix, cidr.family);
    }
    return { lists, validUntil };
  }

  private async dropExpired(): Promise<void> {
    await this.db.deleteFrom('ip_blocks').where('expires_at', 'is not', null).where('expires_at', '<=', this.nowIso()).execute();
  }
}

export function isUniqueViolation(error: unknown): boolean {
  return /unique|duplicate/i.test(String((error as Error)?.message));
}
