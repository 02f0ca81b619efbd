import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { launchBrowser, type TestBrowser } from '../support/browser.ts';
import { startServer, type GlimpseServer } from '../support/server.ts';
import { linkIn, startSmtpServer, type ReceivedMail, type SmtpTestServer } from '../../server/test/support/smtp-server.ts';

/**
 * Mail in Chromium against the real server, which sends through a real SMTP server on
 * loopback (server/test/support/smtp-server.ts): sign up and follow the confirmation link
 * from the mail the SMTP server received, then "Forgot password?" on the log-in page, the
 * reset link from the next mail, a new password, and log-in with it.
 */
let smtp: SmtpTestServer;
let server: GlimpseServer;
let browser: TestBrowser;

before(async () => {
  smtp = await startSmtpServer();
  server = await startServer({ env: { GLIMPSE_SMTP_URL: smtp.url, GLIMPSE_MAIL_FROM: 'Glimpse <robot@glimpse.test>' } });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.stop();
  await smtp?.close();
});

/** How long a mail may take to arrive before the test gives up (a hang guard, not an assertion). */
const MAIL_LIMIT_MS = 30_000;

/** The `n`th mail (1-based) to the address, once the server's job has sent it. */
async function mailNumber(address: string, n: number): Promise<ReceivedMail> {
  const deadline = Date.now() + MAIL_LIMIT_MS;
  for (;;) {
    const mails = smtp.to(address);
    if (mails.length >= n) return mails[n - 1];
    if (Date.now() > deadline) throw new Error(`mail ${n} to ${address} did not arrive; server output:\n${server.output().slice(-2000)}`);
    await sleep(50);
  }
}

/** The link's path and query, opened on the test server (the link's origin is GLIMPSE_PUBLIC_URL, the same server). */
function pathOf(url: URL): string {
  assert.equal(url.origin, server.url, 'the mailed link points at the web client under GLIMPSE_PUBLIC_URL');
  return url.pathname;
}

test('sign up, confirm from the mail, forget the password, reset it from the mailed link and log in with the new one', async () => {
  const context = await browser.desktop(server.url);
  const page = await context.newPage();

  await page.goto('/signup');
  await page.getByLabel('Username', { exact: true }).fill('forgetful');
  await page.getByLabel('Email').fill('forgetful@example.com');
  await page.getByLabel('Password').fill('first-long-password');
  await page.getByRole('checkbox', { name: 'I agree to the terms' }).check();
  await page.getByRole('button', { name: 'Sign up' }).click();
  await page.getByRole('status').filter({ hasText: 'We sent a link to forgetful@example.com' }).waitFor();

  const confirmation = await mailNumber('forgetful@example.com', 1);
  await page.goto(pathOf(linkIn(confirmation, '/confirm-email/')));
  await page.getByText('E-mail address confirmed').waitFor();
  await page.getByRole('link', { name: 'Log in' }).click();

  await page.getByRole('link', { name: 'Forgot password?' }).click();
  // The page first (a lazy chunk under CI load can lag the click), and the field by its exact
  // label: "Email" alone also matches the log-in page's "Username or email".
  await page.getByRole('heading', { name: 'Forgot your password?' }).waitFor();
  await page.getByLabel('Email', { exact: true }).fill('forgetful@example.com');
  await page.getByRole('button', { name: 'Send reset link' }).click();
  await page.getByRole('status').filter({ hasText: 'a link to choose a new password is on its way' }).waitFor();

  const reset = await mailNumber('forgetful@example.com', 2);
  assert.match(reset.subject, /Reset your password/);
  await page.goto(pathOf(linkIn(reset, '/reset-password/')));
  await page.getByLabel('New password', { exact: true }).fill('second-long-password');
  await page.getByLabel('Repeat the new password').fill('second-long-password');
  await page.getByRole('button', { name: 'Set new password' }).click();
  await page.getByRole('status').filter({ hasText: 'Password changed' }).waitFor();

  // The same link a second time: refused, with a way to ask for a new one.
  await page.goto(pathOf(linkIn(reset, '/reset-password/')));
  await page.getByLabel('New password', { exact: true }).fill('third-long-password');
  await page.getByLabel('Repeat the new password').fill('third-long-password');
  await page.getByRole('button', { name: 'Set new password' }).click();
  await page.getByRole('link', { name: 'Ask for a new link' }).waitFor();

  await page.goto('/login');
  await page.getByLabel('Username or email').fill('forgetful');
  await page.getByLabel('Password').fill('second-long-password');
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('button', { name: 'Log out' }).waitFor();

  const notice = await mailNumber('forgetful@example.com', 3);
  assert.match(notice.subject, /password .* was changed/);
  await context.close();
});
