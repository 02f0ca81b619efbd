import nodemailer from 'nodemailer';
import type { Config } from '../../config.ts';

/** One mail as the templates make it: plain text, and simple HTML beside it. */
export interface MailContent {
  subject: string;
  text: string;
  html: string;
}

export interface MailMessage extends MailContent {
  to: string;
}

/** Sends one mail now; throws when the SMTP server refuses it or cannot be reached (the job retries). */
export interface Mailer {
  send(message: MailMessage): Promise<void>;
  close(): void;
}

/**
 * The SMTP mailer GLIMPSE_SMTP_URL names (nodemailer), or undefined without it: then the
 * instance sends no mail at all. `smtp://` upgrades with STARTTLS when the server offers it;
 * `smtps://` is TLS from the first byte.
 */
export function mailerFromConfig(config: Pick<Config, 'smtpUrl' | 'mailFrom'>): Mailer | undefined {
  if (!config.smtpUrl) return undefined;
  const url = new URL(config.smtpUrl);
  const transport = nodemailer.createTransport({
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port ? Number(url.port) : url.protocol === 'smtps:' ? 465 : 587,
    secure: url.protocol === 'smtps:',
    auth: url.username ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } : undefined,
    // Below the job's own 60 s timeout, so a hanging server fails the attempt cleanly.
    connectionTimeout: 20_000,
    greetingTimeout: 20_000,
    socketTimeout: 30_000,
  });
  return {
    async send(message) {
      await transport.sendMail({ from: config.mailFrom, to: message.to, subject: message.subject, text: message.text, html: message.html });
    },
    close() {
      transport.close();
    },
  };
}
