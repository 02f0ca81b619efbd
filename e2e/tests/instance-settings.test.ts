import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createAccount, signIn, useGlimpse } from '../support/glimpse.ts';

/**
 * The admin's Instance page in Chromium against the real server: closing sign-ups there closes
 * the Sign up page at once, and "Use the default" opens them again (GLIMPSE_REGISTRATIONS is
 * open in the harness). Someone who is not an admin has no Instance link.
 */
const glimpse = useGlimpse();

test('an admin closes sign-ups and sets the title and rules on the Instance page; the sign-up page and the instance API follow, and "Use the default" reopens them', async () => {
  const { server } = glimpse;
  // The server's first account is its admin.
  const admin = await createAccount(server, 'founder');
  const member = await createAccount(server, 'member');
  const { context, page } = await glimpse.desktop();
  await signIn(context, server, admin);

  await page.goto('/');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Instance' }).click();
  await page.waitForURL('**/admin/instance');
  await page.getByRole('heading', { name: 'Instance settings', level: 1 }).waitFor();
  await page.getByRole('textbox', { name: 'Title' }).fill('Photo Club');
  await page.getByRole('textbox', { name: 'Rules' }).fill('Be kind\nNo spam');
  await page.getByRole('combobox', { name: 'Sign-ups' }).selectOption('closed');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByText('Saved. The server uses these settings now.').waitFor();
  await page.getByText('Set here. The environment’s default is open.').waitFor();

  const instance = (await (await fetch(`${server.url}/api/v2/instance`)).json()) as { title: string; registrations: { enabled: boolean }; rules: Array<{ text: string }> };
  assert.equal(instance.title, 'Photo Club');
  assert.equal(instance.registrations.enabled, false);
  assert.deepEqual(instance.rules.map((r) => r.text), ['Be kind', 'No spam']);

  const visitor = await glimpse.phone();
  await visitor.page.goto('/signup');
  await visitor.page.getByText('Sign-ups are closed on this server right now.').waitFor();

  await page.getByRole('button', { name: 'Use the default sign-ups' }).click();
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByText('Saved. The server uses these settings now.').waitFor();
  await visitor.page.reload();
  await visitor.page.getByRole('button', { name: 'Sign up' }).waitFor();
  assert.equal(await visitor.page.getByText('Sign-ups are closed on this server right now.').count(), 0);

  // A member has no Instance link, and the page is not there for them.
  const other = await glimpse.desktop();
  await signIn(other.context, server, member);
  await other.page.goto('/');
  await other.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Home' }).waitFor();
  assert.equal(await other.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Instance' }).count(), 0);

  await context.close();
  await visitor.context.close();
  await other.context.close();
});
