import { type SqlBool, sql } from 'kysely';
import { type DirectoryFacts, accountNotSuspendedSql, isSuspended } from './account-policy.ts';
import { type SqlForm, allOf, column } from './sql-form.ts';
import { type ViewerContext, isBlockedEitherWay, isSelf } from './viewer-context.ts';

/**
 * What the suggestion rule reads beyond the viewer context, loaded with the page: the accounts
 * (among the page's) the viewer dismissed as suggestions, and those that mute the viewer.
 */
export interface SuggestionFacts {
  dismissed: ReadonlySet<string>;
  /** Accounts with an active mute of the viewer. */
  mutedBy: ReadonlySet<string>;
}

/**
 * Whether an account may be suggested to the viewer to follow (`/api/v2/suggestions`): a
 * signed-in viewer, another account, one that opted into discovery and is not suspended (for
 * everyone, admins too: a suggestion is an invitation), not followed already nor requested,
 * no block and no active mute either way, and not dismissed by the viewer. A locked account
 * may be suggested: following it sends a request.
 */
export function isSuggestible(ctx: ViewerContext, account: DirectoryFacts, facts: SuggestionFacts): boolean {
  if (ctx.viewer === undefined || isSelf(ctx, account.id)) return false;
  if (!account.discoverable || isSuspended(account)) return false;
  if (ctx.following.has(account.id) || ctx.requested.has(account.id)) return false;
  if (isBlockedEitherWay(ctx, account.id) || ctx.muting.has(account.id) || facts.mutedBy.has(account.id)) return false;
  return !facts.dismissed.has(account.id);
}

/**
 * The SQL form of isSuggestible over an accounts row (`alias`) for the viewer `viewerId`;
 * `now` (ISO-8601, the injectable clock's) decides which mutes with a duration still hold.
 * Each relation is a NOT EXISTS over its pair index, so the cost does not grow with how many
 * accounts the viewer follows.
 */
export function suggestibleAccountSql(viewerId: string, now: string, alias = 'accounts'): SqlForm {
  const id = column(alias, 'id');
  const none = (table: string, from: unknown, to: unknown, extra = sql``) =>
    sql<SqlBool>`NOT EXISTS (SELECT 1 FROM ${sql.table(table)} x WHERE x.account_id = ${from} AND x.target_account_id = ${to}${extra})`;
  const activeMute = sql` AND (x.expires_at IS NULL OR x.expires_at > ${now})`;
  return allOf(
    sql<SqlBool>`${id} <> ${viewerId}`,
    sql<SqlBool>`${column(alias, 'discoverable')} = 1`,
    accountNotSuspendedSql({ viewer: undefined }, alias),
    none('follows', viewerId, id),
    none('follow_requests', viewerId, id),
    none('blocks', viewerId, id),
    none('blocks', id, viewerId),
    none('mutes', viewerId, id, activeMute),
    none('mutes', id, viewerId, activeMute),
    none('suggestion_dismissals', viewerId, id),
  );
}
