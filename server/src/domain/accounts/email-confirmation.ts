import type { Clock } from '../../clock.ts';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/database.ts';
import { AppError, unprocessable } from '../../errors.ts';
import type { Viewer } from '../../access/viewer-context.ts';
import type { DurableJobQueue } from '../../infra/queue/durable-job-queue.ts';
import type { RateLimit } from '../../infra/rate-limit/rate-limit-store.ts';
import type { MailService } from '../mail/mail-service.ts';
import type { MailTokenRepository } from '../mail/mail-token-repository.ts';
import { confirmationMessage } from '../mail/messages.ts';
import { hashToken, randomToken } from '../auth/secrets.ts';
import type { AccountRepository } from './account-repository.ts';

/** How long a confirmation link works. */
export const CONFIRMATION_LIFETIME_MS = 48 * 60 * 60 * 1000;

export const unconfirmedRefusal = (): AppError => new AppError(403, 'Your login is missing a confirmed e-mail address');

/**
 * E-mail confirmation, with mail configured. An account signed up then has an unconfirmed
 * address (users.email_confirmed_at null) until its link is followed. Until then, as on
 * Mastodon, it may not log in (web and OAuth forms answer 403), and the token the Mastodon
 * sign-up endpoint hands out answers 403 everywhere but POST /api/v1/emails/confirmations
 * (send the link again). The same link, sent to a new address (accounts/email-change.ts),
 * makes that address the account's. Links are single-use, valid for two days, and stored as
 * SHA-256 hashes only; the token is made in the `mail.email-confirmation` job, never kept in a
 * payload. Without mail, accounts are confirmed at sign-up and nothing here runs.
 */
export class EmailConfirmationService {
  constructor(
    private readonly db: Db,
    private readonly accounts: AccountRepository,
    private readonly mailTokens: MailTokenRepository,
    private readonly mail: MailService,
    private readonly config: Pick<Config, 'publicUrl'>,
    private readonly clock: Clock,
    private readonly jobs: DurableJobQueue,
    /** Links sent again or to a new address, per account (so nobody mails someone else's inbox in a loop); 429 beyond. */
    private readonly linksPerAccount?: RateLimit,
  ) {
    jobs.define<{ accountId: string; email: string }>('mail.email-confirmation', {
      handler: async ({ accountId, email }) => {
        const [user, account] = await Promise.all([this.accounts.findUser(accountId), this.accounts.findById(accountId)]);
        if (!user || !account) return;
        const forSignUp = user.email === email && user.email_confirmed_at === null;
        // Stale (confirmed since, or another address asked for): nothing to send.
        if (!forSignUp && user.unconfirmed_email !== email) return;
        const token = randomToken();
        const now = this.clock.now();
        await this.mailTokens.insert({
          token_hash: hashToken(token),
          account_id: accountId,
          purpose: 'email_confirmation',
          email,
          created_at: now.toISOString(),
          expires_at: new Date(now.getTime() + CONFIRMATION_LIFETIME_MS).toISOString(),
          used_at: null,
        });
        const link = `${this.config.publicUrl}/confirm-email/${token}`;
        await this.mail.deliver({ to: email, ...confirmationMessage(this.mail.contextFor(account.username), link, CONFIRMATION_LIFETIME_MS, forSignUp ? 'sign-up' : 'new-address') });
      },
    });
  }

  get required(): boolean {
    return this.mail.enabled;
  }

  /** Queues the link to `email` for the account, in `trx`. */
  async sendLink(trx: Db, accountId: string, email: string): Promise<void> {
    if (!this.mail.enabled) return;
    await this.jobs.enqueue('mail.email-confirmation', { accountId, email }, { trx });
  }

  /** Spends one of the account's link mails (resend, e-mail change); 429 past the limit. */
  async takeLinkBudget(accountId: string): Promise<void> {
    await this.linksPerAccount?.takeOrRefuse(accountId);
  }

  /** POST /api/v1/emails/confirmations: the link again, while an address awaits confirmation. */
  async resend(viewer: Viewer): Promise<void> {
    const user = await this.accounts.findUser(viewer.accountId);
    const awaiting = user && (user.email_confirmed_at === null ? user.email : user.unconfirmed_email);
    if (!this.mail.enabled || !awaiting) throw new AppError(403, 'This method is only available while the e-mail is awaiting confirmation');
    await this.takeLinkBudget(viewer.accountId);
    await this.sendLink(this.db, viewer.accountId, awaiting);
  }

  /** Follows a mailed link: confirms the sign-up address, or makes the new address the account's. 404 for a bad link. */
  async confirm(token: string): Promise<void> {
    const now = this.clock.now().toISOString();
    try {
      await this.db.transaction().execute(async (trx) => {
        const row = await this.mailTokens.consume(trx, hashToken(token), 'email_confirmation', now);
        if (!row) throw invalidConfirmation();
        const user = await trx.selectFrom('users').select(['email', 'unconfirmed_email', 'email_confirmed_at']).where('account_id', '=', row.account_id).executeTakeFirst();
        if (!user) throw invalidConfirmation();
        if (row.email === user.email) {
          if (user.email_confirmed_at === null) await trx.updateTable('users').set({ email_confirmed_at: now }).where('account_id', '=', row.account_id).execute();
        } else if (row.email === user.unconfirmed_email) {
          const taken = await trx.selectFrom('users').select('account_id').where('email_lower', '=', row.email.toLowerCase()).where('account_id', '!=', row.account_id).executeTakeFirst();
          if (taken) throw emailTaken();
          await trx
            .updateTable('users')
            .set({ email: row.email, email_lower: row.email.toLowerCase(), unconfirmed_email: null, email_confirmed_at: now })
            .where('account_id', '=', row.account_id)
            .execute();
        } else {
          // Another address was asked for since: this link is superseded.
          throw invalidConfirmation();
        }
        await this.mailTokens.supersede(trx, row.account_id, 'email_confirmation', now);
      });
    } catch (error) {
      if (/unique|duplicate/i.test(String((error as Error).message))) throw emailTaken();
      throw error;
    }
  }
}

export const invalidConfirmation = (): AppError => new AppError(404, 'This link is invalid or has expired');
export const emailTaken = (): AppError =>
  unprocessable('Validation failed: Email is already taken', { details: { email: [{ error: 'ERR_TAKEN', description: 'is already taken' }] } });
