import type { Clock } from '../../clock.ts';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import type { RateLimit } from '../../infra/rate-limit/rate-limit-store.ts';
import type { DurableJobQueue } from '../../infra/queue/durable-job-queue.ts';
import type { AccountRepository } from '../accounts/account-repository.ts';
import type { MailService } from '../mail/mail-service.ts';
import type { MailTokenRepository } from '../mail/mail-token-repository.ts';
import { passwordResetMessage } from '../mail/messages.ts';
import { hashPassword, hashToken, randomToken } from './secrets.ts';
import type { TokenRepository } from './token-repository.ts';

/** How long a reset link works. */
export const RESET_LIFETIME_MS = 60 * 60 * 1000;
/** Reset mails per address per hour; requests beyond get the same answer and send nothing. */
const MAILS_PER_ADDRESS = 3;

export const notAvailable = (): AppError => new AppError(404, 'Password reset is not available on this server');
export const invalidLink = (): AppError => new AppError(404, 'This link is invalid or has expired');

/**
 * "Forgot password" (POST and PUT /api/glimpse/v1/password_resets), only with mail configured.
 *
 * - Asking never tells whether the address has an account: every request, known address or
 *   not, answers the same and just queues the `mail.password-reset` job; the job looks the
 *   address up and mails a link only if it belongs to an account that may log in. Requests are
 *   limited per peer address (429) and, silently, per e-mail address.
 * - The link carries a random token; only its SHA-256 hash is stored (mail_tokens). It works
 *   once, for an hour. Using it sets the password, ends every session and token of the
 *   account (the web client's and every app's), makes every other reset link of the account
 *   stop working, and mails a notice. An unknown, used or expired token answers 404.
 */
export class PasswordResetService {
  constructor(
    private readonly db: Db,
    private readonly accounts: AccountRepository,
    private readonly tokens: TokenRepository,
    private readonly mailTokens: MailTokenRepository,
    private readonly mail: MailService,
    private readonly config: Pick<Config, 'publicUrl'>,
    private readonly clock: Clock,
    private readonly jobs: DurableJobQueue,
    private readonly limits: { perPeer?: RateLimit; perAddress?: RateLimit } = {},
  ) {
    jobs.define<{ email: string }>('mail.password-reset', {
      // A retry mails a second link; each works on its own, and the first one used ends all.
      handler: async ({ email }) => {
        const found = email.includes('@') ? await this.accounts.findUserByLogin(email) : undefined;
        if (!found || found.user.disabled || found.account.suspended_at !== null) return;
        const token = randomToken();
        const now = this.clock.now();
        await this.mailTokens.insert({
          token_hash: hashToken(token),
          account_id: found.account.id,
          purpose: 'password_reset',
          email: found.user.email,
          created_at: now.toISOString(),
          expires_at: new Date(now.getTime() + RESET_LIFETIME_MS).toISOString(),
          used_at: null,
        });
        const link = `${this.config.publicUrl}/reset-password/${token}`;
        await this.mail.deliver({ to: found.user.email, ...passwordResetMessage(this.mail.contextFor(found.account.username), link, RESET_LIFETIME_MS) });
      },
    });
  }

  /** Queues a reset mail for the address, if it has an account. Answers nothing either way. */
  async request(email: string, peer: string): Promise<void> {
    if (!this.mail.enabled) throw notAvailable();
    await this.limits.perPeer?.takeOrRefuse(peer);
    const address = email.trim().toLowerCase();
    if (this.limits.perAddress && !(await this.limits.perAddress.take(address)).allowed) return;
    await this.jobs.enqueue('mail.password-reset', { email: address }, { trx: this.db });
  }

  /** Sets the new password with a mailed link's token (used up here). */
  async complete(token: string, password: string): Promise<void> {
    if (!this.mail.enabled) throw notAvailable();
    const now = this.clock.now().toISOString();
    const passwordHash = await hashPassword(password);
    const accountId = await this.db.transaction().execute(async (trx) => {
      const row = await this.mailTokens.consume(trx, hashToken(token), 'password_reset', now);
      if (!row) throw invalidLink();
      const user = await trx.selectFrom('users').innerJoin('accounts', 'accounts.id', 'users.account_id').select(['users.email', 'users.email_confirmed_at', 'accounts.username']).where('users.account_id', '=', row.account_id).executeTakeFirst();
      if (!user) throw invalidLink();
      await trx
        .updateTable('users')
        // The link reached the account's address: that proves it, as a confirmation link would.
        .set({ password_hash: passwordHash, password_changed_at: now, ...(user.email_confirmed_at === null && user.email === row.email ? { email_confirmed_at: now } : {}) })
        .where('account_id', '=', row.account_id)
        .execute();
      await this.mailTokens.supersede(trx, row.account_id, 'password_reset', now);
      await this.mail.passwordChanged(trx, user, user.username);
      return row.account_id;
    });
    // After the commit (SQLite has one write connection); open streams on them close at once.
    await this.tokens.revokeAllForAccount(accountId, now);
  }
}
