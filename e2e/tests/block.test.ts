import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { createAccount, signIn, useGlimpse } from '../support/glimpse.ts';

/** Blocking and muting in Chromium against the real server. */
const glimpse = useGlimpse();

async function chooseFromMenu(page: Page, item: 'Block' | 'Unblock' | 'Mute' | 'Unmute'): Promise<void> {
  await page.getByRole('button', { name: 'More options' }).click();
  await page.getByRole('button', { name: item, exact: true }).click();
  // Blocking asks first, in a modal dialog.
  if (item === 'Block') await page.getByRole('dialog').getByRole('button', { name: 'Block', exact: true }).click();
}

const notAvailable = (page: Page) => page.getByRole('heading', { name: /this page isn.t available/i });

test('blocking an account from its profile ends their follow, and the blocked account then finds the profile gone', async () => {
  const blocker = await createAccount(glimpse.server, 'wall', { displayName: 'The Wall' });
  const blocked = await createAccount(glimpse.server, 'pest');
  const blockerSide = await glimpse.desktop();
  const blockedSide = await glimpse.phone();
  await signIn(blockerSide.context, glimpse.server, blocker);
  await signIn(blockedSide.context, glimpse.server, blocked);

  // The soon-to-be-blocked account follows the blocker first.
  await blockedSide.page.goto('/@wall');
  await blockedSide.page.getByRole('heading', { name: 'The Wall' }).waitFor();
  await blockedSide.page.getByRole('button', { name: 'Follow', exact: true }).click();
  await blockedSide.page.getByRole('button', { name: 'Following', exact: true }).waitFor();

  await blockerSide.page.goto('/@pest');
  await blockerSide.page.getByText('Follows you').waitFor();
  await chooseFromMenu(blockerSide.page, 'Block');
  await blockerSide.page.getByText('You blocked this account').waitFor();
  assert.equal(await blockerSide.page.getByRole('button', { name: 'Follow', exact: true }).count(), 0, 'no Follow button on a blocked account');
  assert.equal(await blockerSide.page.getByText('Follows you').count(), 0, 'the block removed their follow');

  // For the blocked account the profile no longer exists, on reload and on a fresh visit.
  await blockedSide.page.reload();
  await notAvailable(blockedSide.page).waitFor();
  assert.equal(await blockedSide.page.getByRole('heading', { name: 'The Wall' }).count(), 0);
  await blockedSide.page.goto('/@wall/followers');
  await notAvailable(blockedSide.page).waitFor();
  await blockedSide.page.goto('/@wall');
  await notAvailable(blockedSide.page).waitFor();

  // The blocker still sees the blocked account and lists it under Settings → Blocked accounts.
  await blockerSide.page.goto('/settings/blocked');
  await blockerSide.page.getByRole('heading', { name: 'Blocked accounts' }).waitFor();
  await blockerSide.page.getByRole('listitem').filter({ hasText: '@pest' }).waitFor();
  await blockerSide.context.close();
  await blockedSide.context.close();
});

test('unblocking from Settings → Blocked accounts makes the blocker\'s profile visible and followable again for the formerly blocked account', async () => {
  const blocker = await createAccount(glimpse.server, 'gate', { displayName: 'The Gate' });
  const blocked = await createAccount(glimpse.server, 'visitor');
  const blockerSide = await glimpse.phone();
  const blockedSide = await glimpse.desktop();
  await signIn(blockerSide.context, glimpse.server, blocker);
  await signIn(blockedSide.context, glimpse.server, blocked);

  await blockerSide.page.goto('/@visitor');
  await chooseFromMenu(blockerSide.page, 'Block');
  await blockerSide.page.getByText('You blocked this account').waitFor();
  await blockedSide.page.goto('/@gate');
  await notAvailable(blockedSide.page).waitFor();

  await blockerSide.page.goto('/settings/blocked');
  const row = blockerSide.page.getByRole('listitem').filter({ hasText: '@visitor' });
  await row.getByRole('button', { name: 'Unblock' }).click();
  await row.getByRole('button', { name: 'Block' }).waitFor();

  await blockedSide.page.reload();
  await blockedSide.page.getByRole('heading', { name: 'The Gate' }).waitFor();
  await blockedSide.page.getByRole('button', { name: 'Follow', exact: true }).waitFor();
  await blockerSide.page.reload();
  await blockerSide.page.getByRole('heading', { name: 'You haven’t blocked anyone' }).waitFor();
  await blockerSide.context.close();
  await blockedSide.context.close();
});

test('muting an account from its profile marks it Muted and lists it under Settings → Muted accounts; Unmute there undoes it', async () => {
  const muter = await createAccount(glimpse.server, 'quiet');
  await createAccount(glimpse.server, 'loud', { displayName: 'Loud Voice' });
  const { context, page } = await glimpse.desktop();
  await signIn(context, glimpse.server, muter);

  await page.goto('/@loud');
  await page.getByRole('heading', { name: 'Loud Voice' }).waitFor();
  await chooseFromMenu(page, 'Mute');
  await page.getByText('Muted', { exact: true }).waitFor();
  // Muting is not blocking: following stays possible.
  await page.getByRole('button', { name: 'Follow', exact: true }).waitFor();

  await page.goto('/settings/muted');
  const row = page.getByRole('listitem').filter({ hasText: '@loud' });
  await row.getByRole('button', { name: 'Unmute' }).click();
  await row.getByRole('button', { name: 'Mute' }).waitFor();

  await page.goto('/@loud');
  await page.getByRole('heading', { name: 'Loud Voice' }).waitFor();
  await page.getByRole('button', { name: 'More options' }).click();
  await page.getByRole('button', { name: 'Mute', exact: true }).waitFor();
  assert.equal(await page.getByText('Muted', { exact: true }).count(), 0);
  await context.close();
});
