import type { MailContent } from './mailer.ts';

/**
 * Every mail Glimpse sends, as small pure functions: plain text first, and the same words in
 * simple HTML. Links point at the web client under GLIMPSE_PUBLIC_URL.
 */

export interface MailContext {
  /** The instance's title (GLIMPSE_INSTANCE_TITLE). */
  instance: string;
  username: string;
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** Paragraphs (and at most one link) as text and as HTML. */
function compose(subject: string, paragraphs: string[], link?: { url: string; label: string }): MailContent {
  const text = [...paragraphs.slice(0, 1), ...(link ? [link.url] : []), ...paragraphs.slice(1)].join('\n\n') + '\n';
  const html =
    '<!doctype html><html><body style="font-family:sans-serif;line-height:1.5">' +
    paragraphs
      .slice(0, 1)
      .map((p) => `<p>${escapeHtml(p)}</p>`)
      .join('') +
    (link ? `<p><a href="${escapeHtml(link.url)}">${escapeHtml(link.label)}</a></p>` : '') +
    paragraphs
      .slice(1)
      .map((p) => `<p>${escapeHtml(p)}</p>`)
      .join('') +
    '</body></html>';
  return { subject, text, html };
}

function hours(ms: number): string {
  const h = Math.round(ms / 3_600_000);
  return h === 1 ? 'an hour' : `${h} hours`;
}

export function confirmationMessage(ctx: MailContext, link: string, lifetimeMs: number, kind: 'sign-up' | 'new-address'): MailContent {
  const first =
    kind === 'sign-up'
      ? `Welcome to ${ctx.instance}, @${ctx.username}! Follow this link to confirm your e-mail address and start using your account:`
      : `Follow this link to make this the e-mail address of @${ctx.username} on ${ctx.instance}:`;
  return compose(
    kind === 'sign-up' ? `Confirm your e-mail address on ${ctx.instance}` : `Confirm your new e-mail address on ${ctx.instance}`,
    [first, `The link works once, within ${hours(lifetimeMs)}. If you did not ask for this, ignore this mail.`],
    { url: link, label: 'Confirm my e-mail address' },
  );
}

export function passwordResetMessage(ctx: MailContext, link: string, lifetimeMs: number): MailContent {
  return compose(
    `Reset your password on ${ctx.instance}`,
    [
      `Someone asked to reset the password of @${ctx.username} on ${ctx.instance}. Follow this link to choose a new one:`,
      `The link works once, within ${hours(lifetimeMs)}. Setting a new password signs you out everywhere. If you did not ask for this, ignore this mail: your password stays as it is.`,
    ],
    { url: link, label: 'Choose a new password' },
  );
}

export function passwordChangedMessage(ctx: MailContext, publicUrl: string): MailContent {
  return compose(`Your password on ${ctx.instance} was changed`, [
    `The password of @${ctx.username} on ${ctx.instance} was just changed, and every other session was signed out.`,
    `If this was not you, reset your password at once from the log-in page (${publicUrl}/forgot-password) and contact the instance's staff.`,
  ]);
}

export function emailChangedMessage(ctx: MailContext, newAddress: string, publicUrl: string): MailContent {
  return compose(`Your e-mail address on ${ctx.instance} is being changed`, [
    `Someone signed in as @${ctx.username} on ${ctx.instance} asked to change the account's e-mail address to ${newAddress}. The change takes effect once the new address is confirmed; this address gets no more mail from the account afterwards.`,
    `If this was not you, change your password at once (${publicUrl}/forgot-password) and contact the instance's staff.`,
  ]);
}
