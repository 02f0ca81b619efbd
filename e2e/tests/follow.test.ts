import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { createAccount, signIn, useGlimpse } from '../support/glimpse.ts';

/** Following public and private accounts in Chromium against the real server. */
const glimpse = useGlimpse();

/** The "N follower(s)" link in a profile's counts. */
const followersLink = (page: Page) => page.getByRole('link', { name: /\bfollowers?\b/ });

async function relationship(page: Page, targetId: string): Promise<{ following: boolean; requested: boolean; followed_by: boolean }> {
  const response = await page.context().request.get(`/api/v1/accounts/relationships?id[]=${targetId}`);
  assert.equal(response.status(), 200);
  return (await response.json())[0];
}

test('following a public account from its profile shows Following, counts the follower and survives a reload', async () => {
  const star = await createAccount(glimpse.server, 'star', { displayName: 'Star Shine' });
  const fan = await createAccount(glimpse.server, 'fan');
  const { context, page } = await glimpse.phone();
  await signIn(context, glimpse.server, fan);

  await page.goto('/@star');
  await page.getByRole('heading', { name: 'Star Shine' }).waitFor();
  await followersLink(page).filter({ hasText: '0' }).waitFor();
  await page.getByRole('button', { name: 'Follow', exact: true }).click();
  await page.getByRole('button', { name: 'Following', exact: true }).waitFor();
  await followersLink(page).filter({ hasText: '1 follower' }).waitFor();

  await page.reload();
  await page.getByRole('button', { name: 'Following', exact: true }).waitFor();
  assert.deepEqual(await relationship(page, star.id).then((r) => [r.following, r.requested]), [true, false]);
  await context.close();
});

test('pressing Following unfollows: the button returns to Follow and the follower count drops', async () => {
  const star = await createAccount(glimpse.server, 'star2');
  const fan = await createAccount(glimpse.server, 'fan2');
  const { context, page } = await glimpse.desktop();
  await signIn(context, glimpse.server, fan);

  await page.goto('/@star2');
  await page.getByRole('button', { name: 'Follow', exact: true }).click();
  await page.getByRole('button', { name: 'Following', exact: true }).click();
  await page.getByRole('button', { name: 'Follow', exact: true }).waitFor();
  await followersLink(page).filter({ hasText: '0 followers' }).waitFor();
  assert.equal((await relationship(page, star.id)).following, false);
  await context.close();
});

test('a private account (made private in Settings) gets a follow request that waits as Requested until its owner accepts it on the Follow requests page', async () => {
  const owner = await createAccount(glimpse.server, 'hidden');
  const requester = await createAccount(glimpse.server, 'seeker');
  // The owner is on a phone, so the navigation used below is the phone's tab bar.
  const ownerSide = await glimpse.phone();
  const requesterSide = await glimpse.desktop();
  await signIn(ownerSide.context, glimpse.server, owner);
  await signIn(requesterSide.context, glimpse.server, requester);

  // The owner makes the account private with the profile form.
  await ownerSide.page.goto('/settings/profile');
  const privateBox = ownerSide.page.getByRole('checkbox', { name: 'Private account' });
  assert.equal(await privateBox.isChecked(), false);
  await privateBox.check();
  await ownerSide.page.getByRole('button', { name: 'Save' }).click();
  await ownerSide.page.getByRole('status').filter({ hasText: 'Profile saved' }).waitFor();
  await ownerSide.page.reload();
  assert.equal(await ownerSide.page.getByRole('checkbox', { name: 'Private account' }).isChecked(), true);

  // The requester asks to follow; the request waits.
  const { page } = requesterSide;
  await page.goto('/@hidden');
  await page.getByRole('heading', { name: 'This account is private' }).waitFor();
  await page.getByRole('button', { name: 'Follow', exact: true }).click();
  await page.getByRole('button', { name: 'Requested', exact: true }).waitFor();
  await page.getByText('Your follow request is waiting for approval.').waitFor();
  await page.reload();
  await page.getByRole('button', { name: 'Requested', exact: true }).waitFor();

  // The owner is told, and accepts on the Follow requests page reached from the navigation.
  await ownerSide.page.getByRole('link', { name: 'Notifications' }).click();
  await ownerSide.page.getByText('requested to follow you').waitFor();
  await ownerSide.page.getByRole('link', { name: 'Follow requests' }).click();
  await ownerSide.page.waitForURL('**/follow-requests');
  const row = ownerSide.page.getByRole('listitem').filter({ hasText: '@seeker' });
  await row.getByRole('button', { name: 'Accept' }).click();
  await row.waitFor({ state: 'detached' });
  await ownerSide.page.getByRole('heading', { name: 'No pending follow requests' }).waitFor();

  // The requester now follows and sees past the private notice.
  await page.reload();
  await page.getByRole('button', { name: 'Following', exact: true }).waitFor();
  assert.equal(await page.getByRole('heading', { name: 'This account is private' }).count(), 0);
  assert.deepEqual(await relationship(page, owner.id).then((r) => [r.following, r.requested]), [true, false]);

  // And the owner's notifications now say the requester started following.
  await ownerSide.page.getByRole('link', { name: 'Notifications' }).click();
  await ownerSide.page.getByText('started following you').waitFor();
  await ownerSide.context.close();
  await requesterSide.context.close();
});

test('a declined follow request leaves the requester not following, with the Follow button back', async () => {
  const owner = await createAccount(glimpse.server, 'choosy', { locked: true });
  const requester = await createAccount(glimpse.server, 'hopeful');
  const ownerSide = await glimpse.desktop();
  const requesterSide = await glimpse.phone();
  await signIn(ownerSide.context, glimpse.server, owner);
  await signIn(requesterSide.context, glimpse.server, requester);

  await requesterSide.page.goto('/@choosy');
  await requesterSide.page.getByRole('button', { name: 'Follow', exact: true }).click();
  await requesterSide.page.getByRole('button', { name: 'Requested', exact: true }).waitFor();

  await ownerSide.page.goto('/follow-requests');
  const row = ownerSide.page.getByRole('listitem').filter({ hasText: '@hopeful' });
  await row.getByRole('button', { name: 'Decline' }).click();
  await row.waitFor({ state: 'detached' });

  await requesterSide.page.reload();
  await requesterSide.page.getByRole('button', { name: 'Follow', exact: true }).waitFor();
  await requesterSide.page.getByRole('heading', { name: 'This account is private' }).waitFor();
  assert.deepEqual(await relationship(requesterSide.page, owner.id).then((r) => [r.following, r.requested]), [false, false]);
  await ownerSide.context.close();
  await requesterSide.context.close();
});
