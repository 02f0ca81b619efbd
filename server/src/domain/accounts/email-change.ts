import type { Db } from '../../db/database.ts';
import { unprocessable } from '../../errors.ts';
import type { Viewer } from '../../access/viewer-context.ts';
import type { MailService } from '../mail/mail-service.ts';
import { verifyPassword } from '../auth/secrets.ts';
import type { AccountRepository } from './account-repository.ts';
import { emailTaken, type EmailConfirmationService } from './email-confirmation.ts';
import { LIMITS } from './account.ts';

/**
 * Changing the account's e-mail address (PUT /api/glimpse/v1/email), with the current password.
 * With mail, the new address waits in users.unconfirmed_email and gets a confirmation link;
 * the old one stays the account's (log-in, resets) until the link is followed, and is told
 * of the change at once. Without mail, the address changes at once.
 */
export class EmailChangeService {
  constructor(
    private readonly db: Db,
    private readonly accounts: AccountRepository,
    private readonly confirmation: EmailConfirmationService,
    private readonly mail: MailService,
  ) {}

  /** The admin's e-mail domain blocks (domain/admin), checked as at sign-up; wired by services.ts. */
  emailBlocked: ((email: string) => Promise<boolean>) | undefined;

  /** Answers whether the change awaits confirmation of the new address. */
  async change(viewer: Viewer, email: string, currentPassword: string): Promise<{ pending: boolean }> {
    const [user, account] = await Promise.all([this.accounts.findUser(viewer.accountId), this.accounts.findById(viewer.accountId)]);
    if (!user || !account || !(await verifyPassword(user.password_hash, currentPassword))) throw unprocessable('Current password is incorrect');
    const next = email.trim();
    if (next.length > LIMITS.email || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(next)) {
      throw unprocessable('Validation failed: Email is invalid', { details: { email: [{ error: 'ERR_INVALID', description: 'is invalid' }] } });
    }
    const lower = next.toLowerCase();
    if (lower === user.email_lower) {
      // Back to the current address: a pending change is dropped.
      await this.accounts.updateUser(viewer.accountId, { unconfirmed_email: null });
      return { pending: false };
    }
    if (await this.emailBlocked?.(next)) {
      throw unprocessable('Validation failed: Email uses a disallowed e-mail provider', { details: { email: [{ error: 'ERR_BLOCKED', description: 'uses a disallowed e-mail provider' }] } });
    }
    const taken = await this.db.selectFrom('users').select('account_id').where('email_lower', '=', lower).executeTakeFirst();
    if (taken) throw emailTaken();
    if (!this.mail.enabled) {
      try {
        await this.accounts.updateUser(viewer.accountId, { email: next, email_lower: lower, unconfirmed_email: null });
      } catch (error) {
        if (/unique|duplicate/i.test(String((error as Error).message))) throw emailTaken();
        throw error;
      }
      return { pending: false };
    }
    await this.confirmation.takeLinkBudget(viewer.accountId);
    await this.db.transaction().execute(async (trx) => {
      await trx.updateTable('users').set({ unconfirmed_email: next }).where('account_id', '=', viewer.accountId).execute();
      await this.confirmation.sendLink(trx, viewer.accountId, next);
      await this.mail.emailChanged(trx, user.email, next, account.username);
    });
    return { pending: true };
  }
}
