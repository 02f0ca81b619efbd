import { LRUCache } from 'lru-cache';
import type { Clock } from '../../clock.ts';
import type { Db } from '../../db/database.ts';
import { newId } from '../../db/ids.ts';
import { AppError, notFound, unprocessable } from '../../errors.ts';
import type { Viewer } from '../../access/viewer-context.ts';
import { suspendAccount } from './suspend-account.ts';
import { canActOnOtherAccount, canSeeAccount } from '../../access/account-policy.ts';
import { canActOnAccount, canModerate } from '../../access/staff-policy.ts';
import type { DurableJobQueue } from '../../infra/queue/durable-job-queue.ts';
import type { AccountRepository } from '../accounts/account-repository.ts';
import type { TokenRepository } from '../auth/token-repository.ts';
import type { CommentParty, CommentRepository } from '../comments/comment-repository.ts';
import type { HiddenWordsTable } from '../../db/schema.ts';
import type { RelationshipRepository } from '../follows/relationship-repository.ts';
import type { PostHydrator } from '../posts/post-hydrator.ts';
import { HIDDEN_WORDS_LIMITS, createHiddenWordsMatcher } from './hidden-words.ts';
import type { ModerationRepository } from './moderation-repository.ts';

type Matcher = ReturnType<typeof createHiddenWordsMatcher>;
export type HiddenReason = 'hidden_words' | 'restricted' | 'moderator';

export interface ReportInput {
  accountId: string;
  statusIds: string[];
  comment: string;
  category: string;
  forward: boolean;
}

/**
 * Hidden words, restrict, account settings and reports. Decisions are taken when a comment is
 * written and stored with it; a change of the list re-applies it in a job, so reads never
 * re-scan text.
 */
export class ModerationService {
  /** Compiled matchers of the owners most recently commented on, each with its memo of recent texts. */
  private readonly matchers = new LRUCache<string, { version: string; matcher: Matcher }>({ max: 1000 });

  constructor(
    private readonly db: Db,
    private readonly moderation: ModerationRepository,
    private readonly comments: CommentRepository,
    private readonly accounts: AccountRepository,
    private readonly relationships: RelationshipRepository,
    private readonly tokens: TokenRepository,
    private readonly hydrator: PostHydrator,
    private readonly clock: Clock,
    private readonly jobs: DurableJobQueue,
  ) {
    jobs.define<{ ownerId: string }>('moderation.reapply', { handler: async ({ ownerId }) => {
        await this.reapply(ownerId);
      }, timeoutMs: 10 * 60_000 });
  }

  /**
   * Whether the default list is on for an account that never chose its hidden words (no row):
   * an instance setting (domain/instance/instance-settings.ts), read from the process's copy.
   * It applies to comments and replies written from then on.
   */
  private instanceDefaultList: () => Promise<boolean> = async () => false;
  /** The matcher of the default list alone, for those accounts. */
  private defaultOnly: Matcher | undefined;

  useInstanceDefaultList(read: () => Promise<boolean>): void {
    this.instanceDefaultList = read;
  }

  async hiddenWords(viewer: Viewer): Promise<{ use_default_list: boolean; words: string[] }> {
    const row = await this.moderation.hiddenWords(viewer.accountId);
    if (!row) return { use_default_list: await this.instanceDefaultList(), words: [] };
    return { use_default_list: Boolean(row.use_default_list), words: JSON.parse(row.words) as string[] };
  }

  async setHiddenWords(viewer: Viewer, useDefaultList: boolean, words: string[]): Promise<{ use_default_list: boolean; words: string[] }> {
    if (words.length > HIDDEN_WORDS_LIMITS.words) throw unprocessable(`Validation failed: At most ${HIDDEN_WORDS_LIMITS.words} hidden words`);
    const cleaned = [...new Set(words.map((w) => w.trim()).filter((w) => w !== ''))];
    if (cleaned.some((w) => w.length > HIDDEN_WORDS_LIMITS.wordLength)) throw unprocessable(`Validation failed: A hidden word is at most ${HIDDEN_WORDS_LIMITS.wordLength} characters`);
    // The re-check is a job recorded with the new words (the outbox).
    await this.db.transaction().execute(async (trx) => {
      await this.moderation.saveHiddenWords(viewer.accountId, useDefaultList, cleaned, this.clock.now().toISOString(), trx);
      await this.jobs.enqueue('moderation.reapply', { ownerId: viewer.accountId }, { trx });
    });
    this.matchers.delete(viewer.accountId);
    return { use_default_list: useDefaultList, words: cleaned };
  }

  private async matcherFor(ownerId: string): Promise<Matcher | undefined> {
    const row = await this.moderation.hiddenWords(ownerId);
    return this.matcherOf(ownerId, row, row ? false : await this.instanceDefaultList());
  }

  /** The matcher of an owner's hidden words as read (compiled once per version of the row); without a row, the instance's default. */
  private matcherOf(ownerId: string, row: HiddenWordsTable | undefined, instanceDefault: boolean): Matcher | undefined {
    if (!row) return instanceDefault ? (this.defaultOnly ??= createHiddenWordsMatcher({ useDefaultList: true, words: [] })) : undefined;
    if (!row.use_default_list && row.words === '[]') return undefined;
    const version = `${row.updated_at}:${row.use_default_list}`;
    const cached = this.matchers.get(ownerId);
    if (cached?.version === version) return cached.matcher;
    const matcher = createHiddenWordsMatcher({ useDefaultList: Boolean(row.use_default_list), words: JSON.parse(row.words) as string[] });
    this.matchers.set(ownerId, { version, matcher });
    return matcher;
  }

  async isHiddenByWords(ownerId: string, text: string): Promise<boolean> {
    const matcher = await this.matcherFor(ownerId);
    return matcher ? matcher.match(text).hidden : false;
  }

  /** The moderation decision for a new comment on `ownerId`'s post. */
  async decideComment(ownerId: string, commenterId: string, text: string): Promise<HiddenReason | null> {
    if (ownerId === commenterId) return null;
    if (await this.moderation.isRestricted(ownerId, commenterId)) return 'restricted';
    return (await this.isHiddenByWords(ownerId, text)) ? 'hidden_words' : null;
  }

  /** As decideComment, from the owner's hidden words and restrict already read (CommentRepository.parties). */
  async decideCommentFrom(owner: CommentParty, commenterId: string, text: string): Promise<HiddenReason | null> {
    if (owner.account.id === commenterId) return null;
    if (owner.restrictsCommenter) return 'restricted';
    const instanceDefault = owner.hiddenWords ? false : await this.instanceDefaultList();
    return this.matcherOf(owner.account.id, owner.hiddenWords, instanceDefault)?.match(text).hidden ? 'hidden_words' : null;
  }

  /** Re-applies the owner's hidden words to every comment on their posts and every story reply. */
  async reapply(ownerId: string, pageSize = 200): Promise<{ changed: number }> {
    const matcher = await this.matcherFor(ownerId);
    let changed = 0;
    // Post by post, a short page at a time, giving way to requests between pages: a celebrity's
    // hundreds of thousands of comments must not hold up the server while they are re-checked.
    const yieldToRequests = () => new Promise<void>((resolve) => setImmediate(resolve));
    for (let afterPost = ''; ; ) {
      const postIds = await this.moderation.postIdsOf(ownerId, afterPost, 100);
      if (postIds.length === 0) break;
      afterPost = postIds[postIds.length - 1];
      for (const postId of postIds) {
        let after: { threadId: string; id: string } | undefined;
        do {
          const page = await this.moderation.commentsToRecheck(postId, ownerId, after, pageSize);
          after = page.next;
          for (const row of page.rows) {
            const hide = matcher ? matcher.match(row.text).hidden : false;
            const wasHidden = row.hidden_reason === 'hidden_words';
            if (hide === wasHidden) continue;
            // Only if the row is still as read: a job run twice (a retry, two re-checks at once)
            // moves the counters once.
            const moved = await this.db.transaction().execute(async (trx) => {
              const update = await trx
                .updateTable('statuses')
                .set({ hidden_reason: hide ? 'hidden_words' : null })
                .where('id', '=', row.id)
                .where('hidden_reason', wasHidden ? '=' : 'is', wasHidden ? 'hidden_words' : null)
                .executeTakeFirst();
              if (Number(update.numUpdatedRows) !== 1) return false;
              await this.comments.bumpCounts(trx, row.post_id!, 0, hide ? 1 : -1);
              await this.comments.bumpFold(trx, row.post_id!, row.fold_key, row.text.slice(0, 100), hide ? -1 : 1);
              return true;
            });
            if (moved) changed += 1;
          }
          await yieldToRequests();
        } while (after);
      }
    }
    let replyAfter = '';
    for (;;) {
      const rows = await this.moderation.storyRepliesToRecheck(ownerId, replyAfter, 500);
      if (rows.length === 0) break;
      replyAfter = rows[rows.length - 1].id;
      for (const row of rows) {
        const hide = matcher ? matcher.match(row.text).hidden : false;
        if (hide !== Boolean(row.hidden)) await this.moderation.setStoryReplyHidden(row.id, hide);
      }
      await yieldToRequests();
    }
    return { changed };
  }

  async setRestricted(viewer: Viewer, targetId: string, on: boolean): Promise<void> {
    const account = await this.accounts.findById(targetId);
    const ctx = await this.relationships.loadViewerContext(viewer, [targetId]);
    if (!account || !canSeeAccount(ctx, account)) throw notFound();
    if (!canActOnOtherAccount(ctx, account)) throw unprocessable('You cannot restrict yourself');
    await this.moderation.setRestricted(viewer.accountId, targetId, on, this.clock.now().toISOString());
  }

  async restrictedAmong(viewer: Viewer, ids: string[]): Promise<Set<string>> {
    return this.moderation.restrictedAmong(viewer.accountId, ids);
  }

  async settings(viewer: Viewer): Promise<{ default_comment_policy: string }> {
    const row = await this.moderation.settings(viewer.accountId);
    return { default_comment_policy: row?.default_comment_policy ?? 'everyone' };
  }

  async defaultCommentPolicy(accountId: string): Promise<string> {
    return (await this.moderation.settings(accountId))?.default_comment_policy ?? 'everyone';
  }

  async saveSettings(viewer: Viewer, defaultCommentPolicy: string): Promise<{ default_comment_policy: string }> {
    await this.moderation.saveSettings(viewer.accountId, defaultCommentPolicy, this.clock.now().toISOString());
    return { default_comment_policy: defaultCommentPolicy };
  }

  /** A report on an account and, optionally, its posts or comments that the reporter can see. */
  async report(viewer: Viewer, input: ReportInput) {
    const account = await this.accounts.findById(input.accountId);
    const ctx = await this.relationships.loadViewerContext(viewer, [input.accountId]);
    if (!account || !canSeeAccount(ctx, account) || account.id === viewer.accountId) throw notFound();
    const statuses = await this.hydrator.hydrate(viewer, input.statusIds);
    if (statuses.length !== new Set(input.statusIds).size || statuses.some((s) => s.status.account_id !== account.id)) {
      throw unprocessable('Validation failed: Reported posts must be visible and by the reported account');
    }
    const row = {
      id: newId(this.clock.now().getTime()),
      account_id: viewer.accountId,
      target_account_id: account.id,
      status_ids: JSON.stringify(statuses.map((s) => s.status.id)),
      comment: input.comment,
      category: input.category,
      forward: input.forward ? 1 : 0,
      created_at: this.clock.now().toISOString(),
    };
    await this.moderation.insertReport(row);
    return { report: row, target: account };
  }

  /** The report queue is staff work: moderators and admins (access/staff-policy.ts). */
  private async requireAdmin(viewer: Viewer): Promise<void> {
    if (!canModerate(viewer)) throw new AppError(403, 'This action is not allowed');
  }

  /** The admins' moderation queue. */
  async reportQueue(viewer: Viewer, open: boolean, limit: number, maxId?: string) {
    await this.requireAdmin(viewer);
    const rows = await this.moderation.reports(open, limit, maxId);
    const accounts = await this.accounts.findByIds(rows.flatMap((r) => [r.account_id, r.target_account_id]));
    const statusIds = rows.flatMap((r) => JSON.parse(r.status_ids) as string[]);
    // Admins review what was reported, hidden or not.
    const statuses = await this.hydrator.hydrate(viewer, statusIds, 'moderator');
    return { rows, accounts, statuses: new Map(statuses.map((s) => [s.status.id, s])) };
  }

  /** Resolves a report: dismiss it, hide the reported comments from everyone, or suspend the account. */
  async resolveReport(viewer: Viewer, id: string, action: 'dismiss' | 'hide' | 'suspend'): Promise<void> {
    await this.requireAdmin(viewer);
    const report = await this.moderation.findReport(id);
    if (!report) throw notFound();
    const now = this.clock.now().toISOString();
    if (action === 'hide') {
      const ids = JSON.parse(report.status_ids) as string[];
      const rows = ids.length ? await this.db.selectFrom('statuses').select(['id', 'post_id', 'hidden_reason', 'fold_key', 'text']).where('id', 'in', ids).execute() : [];
      for (const row of rows) {
        if (!row.post_id || row.hidden_reason === 'moderator') continue;
        await this.db.transaction().execute(async (trx) => {
          await this.comments.setHidden(trx, row.id, 'moderator', false);
          if (row.hidden_reason === null) {
            await this.comments.bumpCounts(trx, row.post_id!, 0, 1);
            await this.comments.bumpFold(trx, row.post_id!, row.fold_key, row.text.slice(0, 100), -1);
          }
        });
      }
    }
    if (action === 'suspend') {
      const target = await this.accounts.findUser(report.target_account_id);
      if (target && !canActOnAccount(viewer, { id: report.target_account_id, role: target.role })) throw new AppError(403, 'This action is not allowed');
      await suspendAccount(this.db, this.clock, report.target_account_id, this.tokens.events);
    }
    await this.moderation.resolveReport(id, action, viewer.accountId, now);
  }
}
