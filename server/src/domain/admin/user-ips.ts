import { sql } from 'kysely';
import type { Clock } from '../../clock.ts';
import type { Db } from '../../db/database.ts';
import { ipKey, normalizeIp } from './ip-address.ts';

/** Addresses shown per account in Admin::Account `ips`, most recent first. */
export const IPS_SHOWN = 20;

/**
 * The addresses accounts signed up and logged in from (web log-in, the OAuth log-in page), for
 * Admin::Account `ip`/`ips` and the admin `ip` filter. One upsert per sign-up or log-in, never
 * per request.
 */
export class UserIpRepository {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  async record(accountId: string, rawIp: string): Promise<void> {
    const ip = normalizeIp(rawIp);
    const key = ip ? ipKey(ip) : undefined;
    if (!ip || !key) return;
    const usedAt = this.clock.now().toISOString();
    await this.db
      .insertInto('user_ips')
      .values({ account_id: accountId, ip, ip_key: key, used_at: usedAt })
      .onConflict((oc) => oc.columns(['account_id', 'ip']).doUpdateSet({ used_at: usedAt }))
      .execute();
  }

  /** Each account's most recent addresses (at most IPS_SHOWN), in one query for a page. */
  async ipsOf(accountIds: readonly string[]): Promise<Map<string, Array<{ ip: string; used_at: string }>>> {
    const out = new Map<string, Array<{ ip: string; used_at: string }>>();
    if (accountIds.length === 0) return out;
    // A window per account keeps each one's newest IPS_SHOWN, however many it has.
    const ranked = this.db
      .selectFrom('user_ips')
      .select(['account_id', 'ip', 'used_at', sql<number>`row_number() OVER (PARTITION BY account_id ORDER BY used_at DESC, ip)`.as('n')])
      .where('account_id', 'in', [...new Set(accountIds)])
      .as('ranked');
    const rows = await this.db.selectFrom(ranked).select(['account_id', 'ip', 'used_at']).where('n', '<=', IPS_SHOWN).orderBy('account_id').orderBy('used_at', 'desc').orderBy('ip').execute();
    for (const row of rows) {
      const list = out.get(row.account_id) ?? [];
      list.push({ ip: row.ip, used_at: row.used_at });
      out.set(row.account_id, list);
    }
    return out;
  }
}
