import type { Clock } from '../../clock.ts';
import type { Db } from '../../db/database.ts';
import { AppError, unprocessable } from '../../errors.ts';
import type { DurableJobQueue } from '../../infra/queue/durable-job-queue.ts';
import { PeriodicTask } from '../../infra/periodic-task.ts';
import type { AccountRepository } from './account-repository.ts';
import type { TokenRepository } from '../auth/token-repository.ts';
import type { TwoFactorService } from '../auth/two-factor-service.ts';
import { twoFactorRequired } from '../auth/two-factor-service.ts';
import { verifyPassword } from '../auth/secrets.ts';
import type { CommentRepository } from '../comments/comment-repository.ts';
import type { MediaLifecycle } from '../media/media-lifecycle.ts';
import type { PostService } from '../posts/post-service.ts';
import type { StoryRepository } from '../stories/story-repository.ts';
import { hideAccount, showAccount } from '../moderation/suspend-account.ts';
import { isMessage } from '../../access/message-policy.ts';

const DAY_MS = 24 * 60 * 60 * 1000;
/** Posts deleted by one job (each through PostService.delete, one short transaction apiece). */
const POSTS_PER_JOB = 50;
/** Stories deleted by one job (each through the story delete path). */
const STORIES_PER_JOB = 50;
/** Rows of the set-based steps (comments, likes, views, follows, notifications) per job. */
const ROWS_PER_JOB = 500;
/** Requests claimed by one sweep. */
const CLAIMS_PER_SWEEP = 100;

export const ACCOUNT_DELETE_JOB = 'account.delete';

export interface DeletionStatus {
  scheduled: boolean;
  /** When the grace period ends (ISO); null when nothing is scheduled. */
  due_at: string | null;
  /** Days between asking and the removal, on this instance. */
  grace_days: number;
}

/**
 * Account deletion by its owner (docs/architecture.md, "Leaving").
 *
 * 1. `request`: after the password (and the two-factor code when it is on), a row of
 *    `account_deletions` with the end of the grace period (GLIMPSE_ACCOUNT_DELETION_GRACE_DAYS),
 *    and the account is hidden exactly as a suspended one (moderation/suspend-account.ts
 *    hideAccount: `accounts.suspended_at`, which access/account-policy.ts reads; its comments
 *    leave the counters). Every token and session ends, so nothing more is written meanwhile.
 * 2. Logging in during the grace period (`cancelOnLogIn`, called by both log-in paths) takes the
 *    request back and shows the account again.
 * 3. `sweep` (periodic, AccountDeletionSweeper; any number of processes) claims the requests
 *    past their grace period — one UPDATE … WHERE started_at IS NULL decides which process —
 *    disables the log-in and records the first `account.delete` job in the same transaction.
 * 4. Each `account.delete` job removes one bounded chunk (posts through PostService.delete,
 *    stories through the story delete path, then comments, likes, story views, follows, list
 *    memberships and notifications, set-based with every counter moved by what was deleted),
 *    then records the next job; the last one removes the media rows through
 *    MediaLifecycle.accountDeleting (whose job removes the files) and empties the account row.
 *    The emptied row stays, hidden, as a tombstone: its username stays taken, so nobody can
 *    sign up with it. Every step reads what is left, so a retried or repeated job is harmless.
 */
export class AccountDeletionService {
  constructor(
    private readonly db: Db,
    private readonly deps: {
      accounts: Pick<AccountRepository, 'findUser'>;
      tokens: Pick<TokenRepository, 'revokeAllForAccount'>;
      twoFactor: Pick<TwoFactorService, 'isEnabled' | 'checkLogIn'>;
      posts: Pick<PostService, 'delete'>;
      stories: Pick<StoryRepository, 'delete'>;
      /** The story trays kept in memory are told of the removed stories (StoryService.storiesChanged). */
      storiesChanged?: (accountIds: string[]) => void;
      comments: Pick<CommentRepository, 'bumpCounts' | 'bumpFold'>;
      mediaLifecycle: Pick<MediaLifecycle, 'storyDeleted' | 'accountDeleting'>;
    },
    private readonly jobs: DurableJobQueue,
    private readonly clock: Clock,
    private readonly settings: { graceDays: number },
  ) {
    jobs.define<{ accountId: string }>(ACCOUNT_DELETE_JOB, {
      timeoutMs: 120_000,
      handler: async ({ accountId }) => {
        if (await this.removeChunk(accountId)) await this.jobs.enqueue(ACCOUNT_DELETE_JOB, { accountId }, { trx: this.db });
      },
    });
  }

  async status(accountId: string): Promise<DeletionStatus> {
    const row = await this.db.selectFrom('account_deletions').select(['due_at', 'started_at']).where('account_id', '=', accountId).executeTakeFirst();
    return { scheduled: row !== undefined, due_at: row?.due_at ?? null, grace_days: this.settings.graceDays };
  }

  /** The owner asks for deletion: answers when it happens. Asking again keeps the first date. */
  async request(accountId: string, password: string, code: string | undefined): Promise<DeletionStatus> {
    const user = await this.deps.accounts.findUser(accountId);
    if (!user || !(await verifyPassword(user.password_hash, password))) throw unprocessable('Current password is incorrect');
    await this.checkTwoFactorCode(accountId, code);
    const now = this.clock.now();
    const dueAt = new Date(now.getTime() + this.settings.graceDays * DAY_MS).toISOString();
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('account_deletions')
        .values({ account_id: accountId, requested_at: now.toISOString(), due_at: dueAt, started_at: null, completed_at: null })
        .onConflict((oc) => oc.column('account_id').doNothing())
        .execute();
      await hideAccount(trx, accountId, now.toISOString());
    });
    // Every session and token ends (their open streams close): log-in is the way back.
    await this.deps.tokens.revokeAllForAccount(accountId, now.toISOString());
    return this.status(accountId);
  }

  /**
   * THE place where the two-factor code is checked for deletion: with two-factor log-in on, a
   * code (or a recovery code) is needed, checked by domain/auth/two-factor-service.ts as at
   * log-in (single-use, rate-limited). Answers 422 with `two_factor_required` when it is
   * missing or wrong (never 401: the session itself is fine).
   */
  private async checkTwoFactorCode(accountId: string, code: string | undefined): Promise<void> {
    if (!(await this.deps.twoFactor.isEnabled(accountId))) return;
    if (code === undefined || code.trim() === '') throw twoFactorRequired();
    try {
      await this.deps.twoFactor.checkLogIn(accountId, code);
    } catch (error) {
      if (error instanceof AppError && error.status === 401) throw unprocessable('Invalid two-factor code', { two_factor_required: true });
      throw error;
    }
  }

  /**
   * After a successful log-in (password and code): a deletion still in its grace period is
   * cancelled and the account shown again. Answers whether one was.
   */
  async cancelOnLogIn(accountId: string): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const gone = await trx.deleteFrom('account_deletions').where('account_id', '=', accountId).where('started_at', 'is', null).executeTakeFirst();
      if (Number(gone.numDeletedRows) === 0) return false;
      await showAccount(trx, accountId);
      return true;
    });
  }

  /** Claims the requests past their grace period and starts their removal; answers how many. */
  async sweep(): Promise<number> {
    const nowIso = this.clock.now().toISOString();
    const due = await this.db
      .selectFrom('account_deletions')
      .select('account_id')
      .where('started_at', 'is', null)
      .where('due_at', '<=', nowIso)
      .orderBy('due_at')
      .limit(CLAIMS_PER_SWEEP)
      .execute();
    let claimed = 0;
    for (const { account_id: accountId } of due) {
      const mine = await this.db.transaction().execute(async (trx) => {
        const updated = await trx.updateTable('account_deletions').set({ started_at: nowIso }).where('account_id', '=', accountId).where('started_at', 'is', null).executeTakeFirst();
        if (Number(updated.numUpdatedRows) === 0) return false; // another process claimed it
        await trx.updateTable('users').set({ disabled: 1 }).where('account_id', '=', accountId).execute();
        await this.jobs.enqueue(ACCOUNT_DELETE_JOB, { accountId }, { trx });
        return true;
      });
      if (mine) {
        claimed += 1;
        await this.deps.tokens.revokeAllForAccount(accountId, nowIso);
      }
    }
    return claimed;
  }

  /**
   * One bounded chunk of the removal: the first kind of row left is removed (at most a chunk of
   * it). Answers true while more is left; false once the account is a tombstone.
   */
  async removeChunk(accountId: string): Promise<boolean> {
    const request = await this.db.selectFrom('account_deletions').select(['started_at', 'completed_at']).where('account_id', '=', accountId).executeTakeFirst();
    if (!request?.started_at || request.completed_at) return false;
    const steps = [
      () => this.removePosts(accountId),
      () => this.removeStories(accountId),
      () => this.removeComments(accountId),
      () => this.removeLikes(accountId),
      () => this.removeStoryViews(accountId),
      () => this.removeFollows(accountId, 'account_id'),
      () => this.removeFollows(accountId, 'target_account_id'),
      () => this.removeNotifications(accountId),
    ];
    for (const step of steps) if (await step()) return true;
    await this.finish(accountId);
    return false;
  }

  /** Posts and messages, through the post delete path (their comments, photos and counters go the usual way). */
  private async removePosts(accountId: string): Promise<boolean> {
    const rows = await this.db.selectFrom('statuses').select('id').where('account_id', '=', accountId).where('post_id', 'is', null).orderBy('id').limit(POSTS_PER_JOB).execute();
    const viewer = { accountId, role: 'user' as const };
    for (const { id } of rows) {
      try {
        await this.deps.posts.delete(viewer, id);
      } catch (error) {
        if (!(error instanceof AppError && error.status === 404)) throw error;
        // Deleted meanwhile by another run of this job, or one the delete path will not reach:
        // removed here, so the job always moves on.
        await this.removePostDirectly(accountId, id);
      }
    }
    return rows.length > 0;
  }

  /** A post as PostService.delete removes it (its comments, its photos detached, the count), without its read checks. */
  private async removePostDirectly(accountId: string, id: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('statuses').where('post_id', '=', id).execute();
      await trx.updateTable('media').set({ status_id: null }).where('status_id', '=', id).execute();
      const gone = await trx.deleteFrom('statuses').where('id', '=', id).where('account_id', '=', accountId).returning('visibility').executeTakeFirst();
      if (!gone) return;
      if (!isMessage(gone)) await trx.updateTable('accounts').set((eb) => ({ statuses_count: eb('statuses_count', '-', 1) })).where('id', '=', accountId).execute();
    });
  }

  /** Stories (live, expired, in highlights), as StoryService.delete removes them: the row, then its photo. */
  private async removeStories(accountId: string): Promise<boolean> {
    const rows = await this.db.selectFrom('stories').select(['id', 'media_id']).where('account_id', '=', accountId).orderBy('id').limit(STORIES_PER_JOB).execute();
    for (const story of rows) {
      await this.deps.stories.delete(story.id);
      await this.deps.mediaLifecycle.storyDeleted(story.media_id);
    }
    if (rows.length > 0) this.deps.storiesChanged?.([accountId]);
    return rows.length > 0;
  }

  /**
   * The account's comments on others' posts. They are out of the counters already (hidden like a
   * suspended account's); a top-level comment takes its replies with it, as a deleted comment
   * does, and those replies by others leave the counters here.
   */
  private async removeComments(accountId: string): Promise<boolean> {
    const own = await this.db.selectFrom('statuses').select(['id', 'thread_id']).where('account_id', '=', accountId).where('post_id', 'is not', null).orderBy('id').limit(ROWS_PER_JOB).execute();
    if (own.length === 0) return false;
    const threads = own.filter((r) => r.thread_id === r.id).map((r) => r.id);
    await this.db.transaction().execute(async (trx) => {
      if (threads.length > 0) {
        const replies = await trx
          .deleteFrom('statuses')
          .where('thread_id', 'in', threads)
          .where('account_id', '<>', accountId)
          .where('post_id', 'is not', null)
          .returning(['post_id', 'hidden_reason', 'fold_key'])
          .execute();
        const perPost = new Map<string, { total: number; hidden: number; folds: Map<string, number> }>();
        for (const r of replies) {
          const counts = perPost.get(r.post_id!) ?? { total: 0, hidden: 0, folds: new Map<string, number>() };
          counts.total += 1;
          if (r.hidden_reason !== null) counts.hidden += 1;
          else counts.folds.set(r.fold_key, (counts.folds.get(r.fold_key) ?? 0) + 1);
          perPost.set(r.post_id!, counts);
        }
        for (const [postId, counts] of perPost) {
          await this.deps.comments.bumpCounts(trx, postId, -counts.total, -counts.hidden);
          for (const [key, n] of counts.folds) await this.deps.comments.bumpFold(trx, postId, key, '', -n);
        }
      }
      await trx.deleteFrom('statuses').where('id', 'in', own.map((r) => r.id)).where('account_id', '=', accountId).execute();
    });
    return true;
  }

  /** The account's likes: each liked status's count goes down by the rows actually deleted. */
  private async removeLikes(accountId: string): Promise<boolean> {
    const picked = await this.db.selectFrom('favourites').select('status_id').where('account_id', '=', accountId).orderBy('status_id').limit(ROWS_PER_JOB).execute();
    if (picked.length === 0) return false;
    await this.db.transaction().execute(async (trx) => {
      const deleted = await trx.deleteFrom('favourites').where('account_id', '=', accountId).where('status_id', 'in', picked.map((r) => r.status_id)).returning('status_id').execute();
      if (deleted.length === 0) return;
      await trx
        .updateTable('statuses')
        .set((eb) => ({ favourites_count: eb('favourites_count', '-', 1) }))
        .where('id', 'in', deleted.map((r) => r.status_id))
        .execute();
    });
    return true;
  }

  /** The account's views of others' stories (its own stories are gone by now). */
  private async removeStoryViews(accountId: string): Promise<boolean> {
    const picked = await this.db.selectFrom('story_views').select('story_id').where('account_id', '=', accountId).orderBy('story_id').limit(ROWS_PER_JOB).execute();
    if (picked.length === 0) return false;
    await this.db.transaction().execute(async (trx) => {
      const deleted = await trx.deleteFrom('story_views').where('account_id', '=', accountId).where('story_id', 'in', picked.map((r) => r.story_id)).returning('story_id').execute();
      if (deleted.length === 0) return;
      await trx
        .updateTable('stories')
        .set((eb) => ({ viewers_count: eb('viewers_count', '-', 1) }))
        .where('id', 'in', deleted.map((r) => r.story_id))
        .where('account_id', '<>', accountId)
        .execute();
    });
    return true;
  }

  /**
   * Follows by the account (`side` account_id: the followed lose a follower) or of it
   * (target_account_id: the followers follow one fewer), with the pending requests and the
   * list memberships that go with them.
   */
  private async removeFollows(accountId: string, side: 'account_id' | 'target_account_id'): Promise<boolean> {
    const other = side === 'account_id' ? 'target_account_id' : 'account_id';
    const picked = await this.db.selectFrom('follows').select(other).where(side, '=', accountId).orderBy(other).limit(ROWS_PER_JOB).execute();
    if (picked.length === 0) {
      const requests = await this.db.deleteFrom('follow_requests').where(side, '=', accountId).executeTakeFirst();
      return Number(requests.numDeletedRows) > 0;
    }
    const ids = picked.map((r) => r[other]);
    await this.db.transaction().execute(async (trx) => {
      const deleted = await trx.deleteFrom('follows').where(side, '=', accountId).where(other, 'in', ids).returning(other).execute();
      if (deleted.length === 0) return;
      const counter = side === 'account_id' ? 'followers_count' : 'following_count';
      await trx
        .updateTable('accounts')
        .set((eb) => ({ [counter]: eb(counter, '-', 1) }))
        .where('id', 'in', deleted.map((r) => r[other]))
        .execute();
      const own = side === 'account_id' ? 'following_count' : 'followers_count';
      await trx
        .updateTable('accounts')
        .set((eb) => ({ [own]: eb(own, '-', deleted.length) }))
        .where('id', '=', accountId)
        .execute();
    });
    return true;
  }

  /** Notifications to the account and from it, a chunk at a time. */
  private async removeNotifications(accountId: string): Promise<boolean> {
    const picked = await this.db
      .selectFrom('notifications')
      .select('id')
      .where((eb) => eb.or([eb('account_id', '=', accountId), eb('from_account_id', '=', accountId)]))
      .limit(ROWS_PER_JOB)
      .execute();
    if (picked.length === 0) return false;
    await this.db.deleteFrom('notifications').where('id', 'in', picked.map((r) => r.id)).execute();
    return true;
  }

  /**
   * The last step, one transaction: media rows (files by the media job), the log-in and what
   * hangs off the account, and its profile emptied. The accounts row stays hidden, as the
   * username's reservation.
   */
  private async finish(accountId: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('accounts')
        .set({ display_name: '', note: '', fields: '[]', avatar_media_id: null, header_media_id: null, avatar_path: null, header_path: null, locked: 1, discoverable: 0, updated_at: this.clock.now().toISOString() })
        .where('id', '=', accountId)
        .execute();
      await this.deps.mediaLifecycle.accountDeleting(accountId, trx);
      for (const table of ['blocks', 'mutes'] as const) {
        await trx.deleteFrom(table).where((eb) => eb.or([eb('account_id', '=', accountId), eb('target_account_id', '=', accountId)])).execute();
      }
      await trx.deleteFrom('lists').where('account_id', '=', accountId).execute();
      // Others' lists may only hold accounts they follow: the account leaves them.
      await trx.deleteFrom('list_accounts').where('account_id', '=', accountId).execute();
      await trx.deleteFrom('scheduled_statuses').where('account_id', '=', accountId).execute();
      await trx.deleteFrom('push_subscriptions').where('account_id', '=', accountId).execute();
      await trx.deleteFrom('access_tokens').where('account_id', '=', accountId).execute();
      await trx.deleteFrom('users').where('account_id', '=', accountId).execute();
      await trx.updateTable('account_deletions').set({ completed_at: this.clock.now().toISOString() }).where('account_id', '=', accountId).execute();
    });
  }
}

/**
 * Runs AccountDeletionService.sweep at start and every `intervalMs`, like the media sweeper:
 * an unref'd timer, runs never overlapping in one process; the claim's UPDATE keeps several
 * processes apart.
 */
export class AccountDeletionSweeper extends PeriodicTask {
  constructor(deletion: Pick<AccountDeletionService, 'sweep'>, intervalMs: number) {
    super('account deletion sweep', () => deletion.sweep(), intervalMs);
  }
}

