import type { Config } from '../../config.ts';
import type { Db } from '../../db/database.ts';
import type { DurableJobQueue } from '../../infra/queue/durable-job-queue.ts';
import type { UserRow } from '../accounts/account.ts';
import type { MailContent, Mailer, MailMessage } from './mailer.ts';
import { emailChangedMessage, passwordChangedMessage, type MailContext } from './messages.ts';

/**
 * Sending mail, always from a durable job (`mail.send`, recorded in the change's transaction),
 * so a slow or unreachable SMTP server never holds up a request and a mail is not lost in a
 * crash. Without GLIMPSE_SMTP_URL `enabled` is false and nothing is sent.
 *
 * Mails carrying a link (confirmation, reset) are made by their own jobs
 * (accounts/email-confirmation.ts, auth/password-reset.ts): the link's token is created in the
 * job and exists only in the mail and, hashed, in mail_tokens; never in a job's payload.
 */
export class MailService {
  constructor(
    private readonly mailer: Mailer | undefined,
    private readonly jobs: DurableJobQueue,
    private readonly config: Pick<Config, 'instanceTitle' | 'publicUrl'>,
  ) {
    // A repeat sends the same notice twice, never none.
    jobs.define<MailMessage>('mail.send', { handler: (message) => this.deliver(message) });
  }

  get enabled(): boolean {
    return this.mailer !== undefined;
  }

  contextFor(username: string): MailContext {
    return { instance: this.config.instanceTitle, username };
  }

  /** Sends now (from inside a job only). */
  async deliver(message: MailMessage): Promise<void> {
    if (!this.mailer) return;
    await this.mailer.send(message);
  }

  /** Queues a mail in `trx`; it is sent once that commits. Nothing without mail. */
  async send(trx: Db, to: string, content: MailContent): Promise<void> {
    if (!this.mailer) return;
    await this.jobs.enqueue<MailMessage>('mail.send', { to, ...content }, { trx });
  }

  /** The notice that the password changed (a reset, or the settings page), to the account's address. */
  async passwordChanged(trx: Db, user: Pick<UserRow, 'email'>, username: string): Promise<void> {
    await this.send(trx, user.email, passwordChangedMessage(this.contextFor(username), this.config.publicUrl));
  }

  /** The notice that a new address was asked for, to the OLD address. */
  async emailChanged(trx: Db, oldAddress: string, newAddress: string, username: string): Promise<void> {
    await this.send(trx, oldAddress, emailChangedMessage(this.contextFor(username), newAddress, this.config.publicUrl));
  }

  close(): void {
    this.mailer?.close();
  }
}
