import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';
import { assertAccessible } from '../support/axe.ts';
import { createAccount, signIn, useGlimpse, type TestAccount } from '../support/glimpse.ts';
import { ROOT } from '../support/server.ts';

/**
 * Staff on a phone: the bottom tab bar stays the one everyone has, and the staff pages
 * (Reports for moderators and admins, Instance for admins) are in the top bar's Staff menu,
 * which fits a 390 px screen. On a desktop the same links are in the sidebar.
 */
const glimpse = useGlimpse();

/** Sets a role with the admin command line (`npm run admin -- admin role NAME ROLE`) on the test server's data. */
async function setRole(account: TestAccount, role: 'user' | 'moderator' | 'admin'): Promise<void> {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('GLIMPSE_')) env[key] = value;
  await promisify(execFile)(process.execPath, ['--import', 'tsx', 'server/src/main.ts', 'admin', 'role', account.username, role], {
    cwd: ROOT,
    env: { ...env, GLIMPSE_DATA_DIR: glimpse.server.dataDir, GLIMPSE_PUBLIC_URL: glimpse.server.url, GLIMPSE_LOG_LEVEL: 'warn' },
  });
}

/** The names of the tabs a person can see in the bottom bar (hidden tabs are not links to them). */
async function bottomTabs(page: Page): Promise<string[]> {
  const main = page.getByRole('navigation', { name: 'Main' });
  await main.getByRole('link', { name: 'Home' }).waitFor();
  return (await main.getByRole('link').allInnerTexts()).map((t) => t.trim());
}

async function openPhone(account: TestAccount) {
  const opened = await glimpse.phone();
  await signIn(opened.context, glimpse.server, account);
  await opened.page.goto('/');
  return opened;
}

/** Fails unless the box lies within the phone's 390 px width and the top of its 844 px height. */
function assertOnScreen(box: { x: number; y: number; width: number; height: number } | null, what: string): void {
  assert.ok(box, `${what} is shown`);
  assert.ok(box.x >= 0 && box.x + box.width <= 390 && box.y >= 0 && box.y + box.height <= 844, `${what} fits the 390x844 screen: ${JSON.stringify(box)}`);
}

test('(phone) an admin has the same bottom tabs as a member; Reports and Instance are in the Staff menu, inside the 390 px screen, and open their pages', async () => {
  // The server's first account is its admin.
  const admin = await createAccount(glimpse.server, 'chief');
  const member = await createAccount(glimpse.server, 'plain');

  const asMember = await openPhone(member);
  const memberTabs = await bottomTabs(asMember.page);
  assert.equal(await asMember.page.getByRole('navigation', { name: 'Staff' }).count(), 0, 'a member has no Staff menu');

  // On a desktop the admin's sidebar has the staff links as tabs ...
  const desk = await glimpse.desktop();
  await signIn(desk.context, glimpse.server, admin);
  await desk.page.goto('/');
  const sidebar = await bottomTabs(desk.page);
  assert.ok(sidebar.includes('Reports') && sidebar.includes('Instance'), `the desktop sidebar has the staff links: ${sidebar.join(', ')}`);

  // ... on a phone they leave the tab bar: no more tabs than a member's, none of them staff.
  const { page } = await openPhone(admin);
  const adminTabs = await bottomTabs(page);
  assert.deepEqual(adminTabs, memberTabs, 'the same bottom tabs as a member');
  assert.ok(adminTabs.length < sidebar.length, `fewer tabs than the desktop sidebar: ${adminTabs.length} < ${sidebar.length}`);
  assert.ok(!adminTabs.includes('Reports') && !adminTabs.includes('Instance'), `no staff tab: ${adminTabs.join(', ')}`);
  for (const tab of await page.getByRole('navigation', { name: 'Main' }).getByRole('link').all()) assertOnScreen(await tab.boundingBox(), `the ${await tab.innerText()} tab`);

  const staff = page.getByRole('navigation', { name: 'Staff' });
  const reports = staff.getByRole('link', { name: 'Reports' });
  await reports.waitFor();
  assertOnScreen(await staff.boundingBox(), 'the Staff menu');
  assertOnScreen(await reports.boundingBox(), 'its Reports link');
  assertOnScreen(await staff.getByRole('link', { name: 'Instance' }).boundingBox(), 'its Instance link');
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth) <= 390, 'the page does not scroll sideways');
  await assertAccessible(page, 'home with the Staff menu, phone');

  await reports.click();
  await page.waitForURL('**/admin/reports');
  await page.getByRole('heading', { name: 'Reports', level: 1 }).waitFor();
  assert.equal(await reports.getAttribute('aria-current'), 'page', 'the menu marks where the admin is');
  await assertAccessible(page, 'the report queue, phone');

  await staff.getByRole('link', { name: 'Instance' }).click();
  await page.waitForURL('**/admin/instance');
  await page.getByRole('heading', { name: 'Instance settings', level: 1 }).waitFor();
});

test('(phone) a moderator reaches Reports through the Staff menu, which has no Instance link, no staff tab is added, and the Open/Resolved tabs show the selected one', async () => {
  const moderator = await createAccount(glimpse.server, 'modesty');
  const member = await createAccount(glimpse.server, 'plainer');
  await setRole(moderator, 'moderator');

  const asMember = await openPhone(member);
  const memberTabs = await bottomTabs(asMember.page);
  const { page } = await openPhone(moderator);
  assert.deepEqual(await bottomTabs(page), memberTabs, 'the same bottom tabs as a member');

  const staff = page.getByRole('navigation', { name: 'Staff' });
  const reports = staff.getByRole('link', { name: 'Reports' });
  await reports.waitFor();
  assertOnScreen(await staff.boundingBox(), 'the Staff menu');
  assertOnScreen(await reports.boundingBox(), 'its Reports link');
  assert.equal(await staff.getByRole('link').count(), 1, 'Reports is the one staff link');
  await reports.click();
  await page.waitForURL('**/admin/reports');
  await page.getByRole('heading', { name: 'Reports', level: 1 }).waitFor();
  // The Open and Resolved tabs say which one is selected, and fit the screen.
  const open = page.getByRole('tab', { name: 'Open' });
  const resolved = page.getByRole('tab', { name: 'Resolved' });
  assert.deepEqual([await open.getAttribute('aria-selected'), await resolved.getAttribute('aria-selected')], ['true', 'false']);
  await resolved.click();
  await page.getByText('No resolved reports').waitFor();
  assert.deepEqual([await open.getAttribute('aria-selected'), await resolved.getAttribute('aria-selected')], ['false', 'true']);
  assertOnScreen(await resolved.boundingBox(), 'the Resolved tab');
});
