import type { Db } from '../../db/database.ts';
import { FOLLOWING_HEADER, MUTED_HEADER, csvLine, type RelationKind } from './relations-csv.ts';

/** Rows read per query while writing an export. */
const PAGE = 1000;

/** Mastodon's file name for each export. */
export const EXPORT_FILE_NAMES: Record<RelationKind, string> = {
  following: 'following_accounts.csv',
  blocking: 'blocked_accounts.csv',
  muting: 'muted_accounts.csv',
};

/**
 * The owner's follows, blocks or mutes in Mastodon's CSV format (relations-csv.ts), oldest
 * first, read a page of 1,000 at a time (one query per page, accounts joined in). Addresses
 * are `username@<our domain>`, as Mastodon writes them, so the file imports anywhere.
 */
export async function exportRelations(db: Db, accountId: string, kind: RelationKind, domain: string): Promise<string> {
  let out = kind === 'following' ? csvLine(FOLLOWING_HEADER) : kind === 'muting' ? csvLine(MUTED_HEADER) : '';
  let after = '';
  for (;;) {
    const rows = await page(db, accountId, kind, after);
    for (const row of rows) {
      const address = `${row.username}@${domain}`;
      if (kind === 'following') out += csvLine([address, 'true', 'false', '']);
      else if (kind === 'muting') out += csvLine([address, row.hide_notifications ? 'true' : 'false']);
      else out += csvLine([address]);
    }
    if (rows.length < PAGE) return out;
    after = rows[rows.length - 1].id;
  }
}

/** One page of the relation's rows after `after` (their ids), with the other account's username. */
async function page(db: Db, accountId: string, kind: RelationKind, after: string): Promise<Array<{ id: string; username: string; hide_notifications: number }>> {
  if (kind === 'muting') {
    return db
      .selectFrom('mutes as r')
      .innerJoin('accounts as a', 'a.id', 'r.target_account_id')
      .select(['r.id', 'a.username', 'r.hide_notifications'])
      .where('r.account_id', '=', accountId)
      .where('r.id', '>', after)
      .orderBy('r.id')
      .limit(PAGE)
      .execute();
  }
  const rows = await db
    .selectFrom((kind === 'following' ? 'follows as r' : 'blocks as r') as 'follows as r')
    .innerJoin('accounts as a', 'a.id', 'r.target_account_id')
    .select(['r.id', 'a.username'])
    .where('r.account_id', '=', accountId)
    .where('r.id', '>', after)
    .orderBy('r.id')
    .limit(PAGE)
    .execute();
  return rows.map((r) => ({ ...r, hide_notifications: 0 }));
}
