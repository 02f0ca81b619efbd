import type { Viewer } from '../../access/viewer-context.ts';
import { canSeeAccount } from '../../access/account-policy.ts';
import { isSuggestible } from '../../access/suggestion-policy.ts';
import type { Clock } from '../../clock.ts';
import { isId } from '../../db/ids.ts';
import { notFound } from '../../errors.ts';
import type { AccountRepository } from '../accounts/account-repository.ts';
import type { AccountRow } from '../accounts/account.ts';
import type { RelationshipRepository } from '../follows/relationship-repository.ts';
import type { SuggestionRepository } from './suggestion-repository.ts';

export const SUGGESTION_LIMITS = {
  defaultLimit: 40,
  maxLimit: 80,
  /** The viewer's most recent follows whose own follows are read (friends of friends). */
  sampledFollows: 100,
  /** Of each sampled account, its most recent follows read. */
  perFriend: 50,
} as const;

export type SuggestionSource = 'friends_of_friends' | 'most_followed';

export interface SuggestionView {
  account: AccountRow;
  source: SuggestionSource;
}

/**
 * Follow suggestions: accounts followed by the accounts the viewer follows (a bounded sample
 * of the most recent follows), most shared first, then the most followed accounts. What may be
 * suggested at all is access/suggestion-policy.ts (the queries apply its SQL form, the page is
 * checked with the predicate). A dismissed suggestion is stored and never comes back.
 */
export class SuggestionService {
  constructor(
    private readonly suggestions: SuggestionRepository,
    private readonly accounts: AccountRepository,
    private readonly relationships: RelationshipRepository,
    private readonly clock: Clock,
  ) {}

  /** At most `limit` suggestions, friends of friends first. A fixed number of queries. */
  async list(viewer: Viewer, limit: number): Promise<SuggestionView[]> {
    const now = this.clock.now().toISOString();
    const friends = await this.suggestions.recentFollows(viewer.accountId, SUGGESTION_LIMITS.sampledFollows);
    const fof = await this.suggestions.friendsOfFriends(viewer.accountId, friends, SUGGESTION_LIMITS.perFriend, limit, now);
    const popular = fof.length < limit ? await this.suggestions.mostFollowed(viewer.accountId, fof.map((a) => a.id), limit - fof.length, now) : [];
    const candidates: SuggestionView[] = [
      ...fof.map(({ followed_by: _n, ...account }) => ({ account, source: 'friends_of_friends' as const })),
      ...popular.map((account) => ({ account, source: 'most_followed' as const })),
    ];
    if (candidates.length === 0) return [];
    const ids = candidates.map((c) => c.account.id);
    const [ctx, facts] = await Promise.all([this.relationships.loadViewerContext(viewer, ids), this.suggestions.facts(viewer.accountId, ids, now)]);
    return candidates.filter((c) => isSuggestible(ctx, c.account, facts));
  }

  /** Never suggests the account to the viewer again; an account the viewer cannot see is 404. */
  async dismiss(viewer: Viewer, accountId: string): Promise<void> {
    const account = isId(accountId) ? await this.accounts.findById(accountId) : undefined;
    if (!account) throw notFound();
    const ctx = await this.relationships.loadViewerContext(viewer, [account.id]);
    if (!canSeeAccount(ctx, account)) throw notFound();
    await this.suggestions.dismiss(viewer.accountId, account.id, this.clock.now().toISOString());
  }
}
