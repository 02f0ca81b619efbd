import type { Clock } from '../../clock.ts';
import type { Db } from '../../db/database.ts';
import { newId } from '../../db/ids.ts';
import { notFound, unprocessable } from '../../errors.ts';
import type { Viewer, ViewerContext } from '../../access/viewer-context.ts';
import {
  canActOnOtherAccount,
  canEndorse,
  canFollow,
  canReadNote,
  canSeeAccount,
  canSeeAccountContent,
  followNeedsApproval,
} from '../../access/account-policy.ts';
import type { AccountRepository } from '../accounts/account-repository.ts';
import type { AccountRow } from '../accounts/account.ts';
import type { NotificationService } from '../notifications/notification-service.ts';
import type { RelationshipRepository, EdgeRow } from './relationship-repository.ts';
import type { Relationship } from '../../http/mastodon/entities.ts';

// The entity the API sends as it is: its type is the one the web client reads too.
export type { Relationship };

export interface Paging {
  maxId?: string;
  sinceId?: string;
  minId?: string;
  limit: number;
}

export interface AccountPage {
  accounts: AccountRow[];
  /** Edge ids for the Link header: Mastodon pages these lists by the edge, not the account. */
  edges: EdgeRow[];
}

/**
 * What happens when a follow edge appears or goes, in its transaction (the home feed and lists
 * record their jobs there, so they commit with the edge).
 */
export interface FollowEvents {
  onFollowed?(trx: Db, followerId: string, followedId: string): Promise<void>;
  onUnfollowed?(trx: Db, followerId: string, followedId: string): Promise<void>;
}

/** Follow, unfollow, requests, remove follower, block and mute: the follow graph's use cases. */
export class FollowService {
  constructor(
    private readonly db: Db,
    private readonly accounts: AccountRepository,
    private readonly relationships: RelationshipRepository,
    private readonly notifications: NotificationService,
    private readonly clock: Clock,
    private readonly events: FollowEvents = {},
  ) {}

  private async target(viewer: Viewer, id: string): Promise<{ account: AccountRow; ctx: ViewerContext }> {
    const account = await this.accounts.findById(id);
    if (!account) throw notFound();
    const ctx = await this.relationships.loadViewerContext(viewer, [id]);
    if (!canSeeAccount(ctx, account)) throw notFound();
    return { account, ctx };
  }

  private edge(accountId: string, targetId: string): EdgeRow {
    const now = this.clock.now();
    return { id: newId(now.getTime()), account_id: accountId, target_account_id: targetId, created_at: now.toISOString() };
  }

  async follow(viewer: Viewer, targetId: string): Promise<Relationship> {
    const { account, ctx } = await this.target(viewer, targetId);
    if (!canFollow(ctx, account)) {
      if (account.id === viewer.accountId) throw unprocessable('You cannot follow yourself');
      // Blocked either way: indistinguishable from a missing account for the blocked side.
      if (ctx.blockedBy.has(account.id)) throw notFound();
      throw unprocessable('You are blocking this account');
    }
    if (!ctx.following.has(account.id)) {
      const needsApproval = followNeedsApproval(account);
      const notification = await this.db.transaction().execute(async (trx) => {
        if (needsApproval) {
          const added = await this.relationships.addEdge('follow_requests', this.edge(viewer.accountId, account.id), trx);
          return added ? this.notifications.notify(trx, 'follow_request', account.id, viewer.accountId) : undefined;
        }
        const added = await this.relationships.addEdge('follows', this.edge(viewer.accountId, account.id), trx);
        if (!added) return undefined;
        await this.relationships.adjustCounts(trx, viewer.accountId, account.id, 1);
        await this.events.onFollowed?.(trx, viewer.accountId, account.id);
        return this.notifications.notify(trx, 'follow', account.id, viewer.accountId);
      });
      this.notifications.published(notification);
    }
    return this.relationship(viewer, targetId);
  }

  async unfollow(viewer: Viewer, targetId: string): Promise<Relationship> {
    await this.target(viewer, targetId);
    await this.db.transaction().execute(async (trx) => {
      await this.removeFollow(trx, viewer.accountId, targetId);
      if (await this.relationships.removeEdge('follow_requests', viewer.accountId, targetId, trx)) {
        await this.notificationsRepoCleanup(trx, targetId, viewer.accountId);
      }
    });
    return this.relationship(viewer, targetId);
  }

  private async notificationsRepoCleanup(db: Db, recipientId: string, fromId: string): Promise<void> {
    await this.notifications.withdraw(db, recipientId, fromId, ['follow_request']);
  }

  private async removeFollow(db: Db, followerId: string, followedId: string): Promise<void> {
    if (await this.relationships.removeEdge('follows', followerId, followedId, db)) {
      await this.relationships.adjustCounts(db, followerId, followedId, -1);
      // One endorses only accounts one follows: the endorsement ends with the follow.
      await this.relationships.removeEdge('endorsements', followerId, followedId, db);
      // A job recorded in this transaction; the feed read already hides the author from now on.
      await this.events.onUnfollowed?.(db, followerId, followedId);
    }
  }

  async authorize(viewer: Viewer, requesterId: string): Promise<Relationship> {
    await this.target(viewer, requesterId);
    const notification = await this.db.transaction().execute(async (trx) => {
      if (!(await this.relationships.removeEdge('follow_requests', requesterId, viewer.accountId, trx))) throw notFound();
      await this.notificationsRepoCleanup(trx, viewer.accountId, requesterId);
      const added = await this.relationships.addEdge('follows', this.edge(requesterId, viewer.accountId), trx);
      if (!added) return undefined;
      await this.relationships.adjustCounts(trx, requesterId, viewer.accountId, 1);
      await this.events.onFollowed?.(trx, requesterId, viewer.accountId);
      return this.notifications.notify(trx, 'follow', viewer.accountId, requesterId);
    });
    this.notifications.published(notification);
    return this.relationship(viewer, requesterId);
  }

  async reject(viewer: Viewer, requesterId: string): Promise<Relationship> {
    await this.target(viewer, requesterId);
    await this.db.transaction().execute(async (trx) => {
      if (!(await this.relationships.removeEdge('follow_requests', requesterId, viewer.accountId, trx))) throw notFound();
      await this.notificationsRepoCleanup(trx, viewer.accountId, requesterId);
    });
    return this.relationship(viewer, requesterId);
  }

  async removeFromFollowers(viewer: Viewer, followerId: string): Promise<Relationship> {
    const { account, ctx } = await this.target(viewer, followerId);
    if (!canActOnOtherAccount(ctx, account)) throw unprocessable('You cannot remove yourself');
    await this.db.transaction().execute((trx) => this.removeFollow(trx, followerId, viewer.accountId));
    return this.relationship(viewer, followerId);
  }

  /** Blocking cuts every follow and request between the two, in both directions. */
  async block(viewer: Viewer, targetId: string): Promise<Relationship> {
    const { account, ctx } = await this.target(viewer, targetId);
    if (!canActOnOtherAccount(ctx, account)) throw unprocessable('You cannot block yourself');
    const me = viewer.accountId;
    await this.db.transaction().execute(async (trx) => {
      await this.relationships.addEdge('blocks', this.edge(me, targetId), trx);
      await this.removeFollow(trx, me, targetId);
      await this.removeFollow(trx, targetId, me);
      await this.relationships.removeEdge('follow_requests', me, targetId, trx);
      await this.relationships.removeEdge('follow_requests', targetId, me, trx);
      await this.notificationsRepoCleanup(trx, me, targetId);
      await this.notificationsRepoCleanup(trx, targetId, me);
    });
    return this.relationship(viewer, targetId);
  }

  async unblock(viewer: Viewer, targetId: string): Promise<Relationship> {
    await this.target(viewer, targetId);
    await this.relationships.removeEdge('blocks', viewer.accountId, targetId);
    return this.relationship(viewer, targetId);
  }

  async mute(viewer: Viewer, targetId: string, options: { notifications: boolean; durationSeconds: number }): Promise<Relationship> {
    const { account, ctx } = await this.target(viewer, targetId);
    if (!canActOnOtherAccount(ctx, account)) throw unprocessable('You cannot mute yourself');
    const now = this.clock.now();
    await this.relationships.addMute({
      ...this.edge(viewer.accountId, targetId),
      hide_notifications: options.notifications ? 1 : 0,
      expires_at: options.durationSeconds > 0 ? new Date(now.getTime() + options.durationSeconds * 1000).toISOString() : null,
    });
    return this.relationship(viewer, targetId);
  }

  async unmute(viewer: Viewer, targetId: string): Promise<Relationship> {
    await this.target(viewer, targetId);
    await this.relationships.removeEdge('mutes', viewer.accountId, targetId);
    return this.relationship(viewer, targetId);
  }

  /** Features an account one follows on one's profile; anyone else is a 422. */
  async endorse(viewer: Viewer, targetId: string): Promise<Relationship> {
    const { account, ctx } = await this.target(viewer, targetId);
    if (!canEndorse(ctx, account)) throw unprocessable('Validation failed: You can only feature accounts you follow');
    await this.relationships.addEdge('endorsements', this.edge(viewer.accountId, targetId));
    return this.relationship(viewer, targetId);
  }

  async unendorse(viewer: Viewer, targetId: string): Promise<Relationship> {
    await this.target(viewer, targetId);
    await this.relationships.removeEdge('endorsements', viewer.accountId, targetId);
    return this.relationship(viewer, targetId);
  }

  /** The viewer's private note about an account (an empty comment removes it). */
  async setNote(viewer: Viewer, targetId: string, comment: string): Promise<Relationship> {
    const { account, ctx } = await this.target(viewer, targetId);
    if (!canActOnOtherAccount(ctx, account)) throw unprocessable('Validation failed: You cannot write a note about yourself');
    await this.relationships.setNote(viewer.accountId, targetId, comment, this.clock.now().toISOString());
    return this.relationship(viewer, targetId);
  }

  /**
   * Accounts an account features (`/accounts/:id/endorsements`), or the viewer's own
   * (`/endorsements`): shown where the account's follow lists are, to those who may see them.
   */
  async endorsements(viewer: Viewer | undefined, accountId: string, paging: Paging): Promise<AccountPage> {
    const account = await this.accounts.findById(accountId);
    if (!account) throw notFound();
    const ctx = await this.relationships.loadViewerContext(viewer, [accountId]);
    if (!canSeeAccount(ctx, account) || !canSeeAccountContent(ctx, account)) throw notFound();
    const page = await this.hydrate(await this.relationships.page('endorsements', 'account_id', accountId, paging), 'target_account_id');
    const shown = await this.relationships.loadViewerContext(viewer, page.accounts.map((a) => a.id));
    return { edges: page.edges, accounts: page.accounts.filter((a) => canSeeAccount(shown, a)) };
  }

  /**
   * For each id, the accounts the viewer follows that follow it (at most `perTarget`), in a
   * fixed number of queries for all ids. An account whose followers the viewer may not see
   * (private and not followed, hidden, missing) answers an empty list, the same for all.
   */
  async familiarFollowers(viewer: Viewer, ids: string[], perTarget: number): Promise<Array<{ id: string; accounts: AccountRow[] }>> {
    const unique = [...new Set(ids)];
    const pairs = await this.relationships.familiarFollowers(viewer.accountId, unique, perTarget);
    const accounts = await this.accounts.findByIds([...unique, ...pairs.map((p) => p.follower)]);
    const ctx = await this.relationships.loadViewerContext(viewer, [...accounts.keys()]);
    return unique.map((id) => {
      const target = accounts.get(id);
      if (!target || !canSeeAccount(ctx, target) || !canSeeAccountContent(ctx, target)) return { id, accounts: [] };
      const followers = pairs.filter((p) => p.target === id).map((p) => accounts.get(p.follower));
      return { id, accounts: followers.filter((a): a is AccountRow => a !== undefined && canSeeAccount(ctx, a)) };
    });
  }

  async relationship(viewer: Viewer, targetId: string): Promise<Relationship> {
    const [rel] = await this.relationshipsFor(viewer, [targetId]);
    return rel;
  }

  /** Relationships with many accounts at once; ids the viewer may not see are left out. */
  async relationshipsFor(viewer: Viewer, ids: string[]): Promise<Relationship[]> {
    const accounts = await this.accounts.findByIds(ids);
    const ctx = await this.relationships.loadViewerContext(viewer, [...accounts.keys()]);
    const [mutes, { endorsed, notes }] = await Promise.all([
      this.db
        .selectFrom('mutes')
        .select(['target_account_id', 'hide_notifications'])
        .where('account_id', '=', viewer.accountId)
        .where('target_account_id', 'in', ids.length ? ids : [''])
        .execute(),
      this.relationships.profileMarks(viewer.accountId, ids),
    ]);
    const muteNotifications = new Map(mutes.map((m) => [m.target_account_id, Boolean(m.hide_notifications)]));
    return ids
      .filter((id) => {
        const account = accounts.get(id);
        return account !== undefined && canSeeAccount(ctx, account);
      })
      .filter((id, i, all) => all.indexOf(id) === i)
      .map((id) => ({
        id,
        following: ctx.following.has(id),
        showing_reblogs: ctx.following.has(id),
        notifying: false,
        languages: null,
        followed_by: ctx.followedBy.has(id),
        blocking: ctx.blocking.has(id),
        blocked_by: false, // never revealed, like Mastodon hiding it from the blocked side
        muting: ctx.muting.has(id),
        muting_notifications: ctx.muting.has(id) && (muteNotifications.get(id) ?? false),
        requested: ctx.requested.has(id),
        requested_by: ctx.requestedBy.has(id),
        domain_blocking: false,
        endorsed: endorsed.has(id),
        note: readableNote(ctx, notes.get(id)),
      }));
  }

  /** Followers or following of an account, if the viewer may see the account's content. */
  async list(viewer: Viewer | undefined, accountId: string, direction: 'followers' | 'following', paging: Paging): Promise<AccountPage> {
    const account = await this.accounts.findById(accountId);
    if (!account) throw notFound();
    const ctx = await this.relationships.loadViewerContext(viewer, [accountId]);
    if (!canSeeAccount(ctx, account) || !canSeeAccountContent(ctx, account)) throw notFound();
    const side = direction === 'followers' ? 'target_account_id' : 'account_id';
    const edges = await this.relationships.page('follows', side, accountId, paging);
    return this.hydrate(edges, direction === 'followers' ? 'account_id' : 'target_account_id');
  }

  /** The viewer's own lists: pending requests to them, their blocks, their mutes. */
  async ownList(viewer: Viewer, which: 'follow_requests' | 'blocks' | 'mutes', paging: Paging): Promise<AccountPage> {
    const side = which === 'follow_requests' ? 'target_account_id' : 'account_id';
    const edges = await this.relationships.page(which, side, viewer.accountId, paging);
    return this.hydrate(edges, which === 'follow_requests' ? 'account_id' : 'target_account_id');
  }

  private async hydrate(edges: EdgeRow[], pick: 'account_id' | 'target_account_id'): Promise<AccountPage> {
    const accounts = await this.accounts.findByIds(edges.map((e) => e[pick]));
    return {
      edges,
      accounts: edges.map((e) => accounts.get(e[pick])).filter((a): a is AccountRow => a !== undefined),
    };
  }
}

/** A note is shown only to its author (access: canReadNote); otherwise the empty note. */
function readableNote(ctx: ViewerContext, note: { account_id: string; comment: string } | undefined): string {
  return note !== undefined && canReadNote(ctx, note) ? note.comment : '';
}
