import { test } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { assertAccessible } from '../support/axe.ts';
import { createAccount, signIn, useGlimpse } from '../support/glimpse.ts';

/** Edit profile's avatar: chosen, cropped square in the browser, shown on the profile, removed. */
const glimpse = useGlimpse();

test('an avatar is cropped square in the browser, shows on the profile, and can be removed (phone)', async () => {
  const me = await createAccount(glimpse.server, 'ava', { displayName: 'Ava' });
  const { page, context } = await glimpse.phone();
  await signIn(context, glimpse.server, me);
  // A wide photo: left half red, right half blue.
  const red = await sharp({ create: { width: 300, height: 300, channels: 3, background: '#ff0000' } }).png().toBuffer();
  const photo = await sharp({ create: { width: 600, height: 300, channels: 3, background: '#0000ff' } }).composite([{ input: red, left: 0, top: 0 }]).jpeg().toBuffer();

  await page.goto('/settings/profile');
  await page.getByRole('heading', { name: 'Edit profile' }).waitFor();
  await assertAccessible(page, 'edit profile, phone');
  await page.getByLabel('Add profile photo').setInputFiles({ name: 'wide.jpg', mimeType: 'image/jpeg', buffer: photo });
  await page.getByRole('group', { name: 'Crop your profile photo' }).first().waitFor();
  await page.getByRole('button', { name: 'Save profile photo' }).click();
  await page.getByText('Profile photo saved.').waitFor();

  const account = await page.evaluate(async () => (await fetch('/api/v1/accounts/verify_credentials')).json());
  const served = Buffer.from(await (await page.request.get(account.avatar)).body());
  const meta = await sharp(served).metadata();
  assert.equal(meta.width, meta.height, 'the avatar served is square');

  await page.goto('/@ava');
  await page.locator('.profile-avatar img.avatar').waitFor();

  await page.goto('/settings/profile');
  await page.getByRole('button', { name: 'Remove profile photo' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Remove' }).click();
  await page.getByText('Profile photo removed.').waitFor();
  const after = await page.evaluate(async () => (await fetch('/api/v1/accounts/verify_credentials')).json());
  assert.match(after.avatar, /avatar-missing\.png$/);
});

test('the More options menu stays inside a phone screen, and Block asks first', async () => {
  const me = await createAccount(glimpse.server, 'menuer');
  await createAccount(glimpse.server, 'other');
  const { page, context } = await glimpse.phone();
  await signIn(context, glimpse.server, me);
  await page.goto('/@other');
  await page.getByRole('button', { name: 'More options' }).click();
  const block = page.getByRole('button', { name: 'Block', exact: true });
  await block.waitFor();
  const box = await page.locator('.actions-menu-panel').boundingBox();
  assert.ok(box && box.x >= 0 && box.x + box.width <= 390, `the menu fits in 390 px: ${JSON.stringify(box)}`);
  await block.click();
  const dialog = page.getByRole('dialog');
  await dialog.waitFor();
  await assertAccessible(page, 'block confirmation, phone');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  assert.equal(await page.getByText('You blocked this account').count(), 0, 'Cancel does not block');
});
