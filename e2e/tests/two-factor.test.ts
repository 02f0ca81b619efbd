import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generate } from 'otplib';
import { createAccount, signIn, useGlimpse } from '../support/glimpse.ts';

/**
 * Two-factor log-in in Chromium against the real server: set it up in Settings → Security
 * (reading the key the page shows, as someone typing it into an app would), keep the
 * recovery codes, log out, and log in again with the password and then a code.
 */
const glimpse = useGlimpse();

/**
 * The server runs on the real clock, and the code that confirmed the set-up cannot be used
 * again: the next window's code is accepted (the server allows one window of drift), so no
 * waiting is needed.
 */
const nextWindowCode = (secret: string) => generate({ secret, epoch: Math.floor(Date.now() / 1000) + 30 });

test('set up two-factor log-in in Settings → Security, then log in with the password and a code', async () => {
  const account = await createAccount(glimpse.server, 'guarded');
  const { context, page } = await glimpse.desktop();
  await signIn(context, glimpse.server, account);

  await page.goto('/settings/security');
  await page.getByRole('button', { name: 'Set up two-factor log-in' }).click();
  const qr = page.getByRole('img', { name: 'QR code for your authenticator app' });
  await qr.waitFor();
  assert.ok(await qr.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0), 'the QR code image renders under the CSP');
  const secret = (await page.locator('.two-factor-secret').innerText()).trim();
  assert.match(secret, /^[A-Z2-7]{32}$/);

  await page.getByLabel('Code from the app').fill(await generate({ secret }));
  await page.getByRole('button', { name: 'Turn on' }).click();
  const codes = page.getByRole('list', { name: 'Recovery codes' }).getByRole('listitem');
  await codes.first().waitFor();
  assert.equal(await codes.count(), 10);
  await page.getByRole('button', { name: 'Done' }).click();
  await page.getByText(/10 of 10 recovery codes left/).waitFor();

  await page.getByRole('button', { name: 'Log out' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Log out' }).click();
  await page.waitForURL('**/login');
  await page.getByLabel('Username or email').fill(account.username);
  await page.getByLabel('Password').fill(account.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  const codeField = page.getByLabel('Two-factor code');
  await codeField.waitFor();
  assert.equal(await page.getByRole('button', { name: 'Log out' }).count(), 0, 'the password alone does not sign in');

  await codeField.fill(await nextWindowCode(secret));
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('button', { name: 'Log out' }).waitFor();
  await context.close();
});
