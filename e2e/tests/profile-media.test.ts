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

for (const size of ['phone', 'desktop'] as const) {
  test(`(${size}) a header is cropped 3:1 in the browser, shows on the profile, and can be removed`, async () => {
    const me = await createAccount(glimpse.server, `header${size}`);
    const { page, context } = await glimpse[size]();
    await signIn(context, glimpse.server, me);
    // A square photo, which a header cannot be: the crop makes it three times as wide as high.
    const photo = await sharp({ create: { width: 900, height: 900, channels: 3, background: '#20a060' } }).jpeg().toBuffer();
    await page.goto('/settings/profile');
    await page.getByLabel('Add header').setInputFiles({ name: 'square.jpg', mimeType: 'image/jpeg', buffer: photo });
    await page.getByRole('group', { name: 'Crop your header' }).first().waitFor();
    await assertAccessible(page, `header crop, ${size}`);
    await page.getByRole('button', { name: 'Save header' }).click();
    await page.getByText('Header saved.').waitFor();

    const account = await page.evaluate(async () => (await fetch('/api/v1/accounts/verify_credentials')).json());
    const meta = await sharp(Buffer.from(await (await page.request.get(account.header)).body())).metadata();
    assert.ok(Math.abs(meta.width! / meta.height! - 3) < 0.05, `the header served is 3:1: ${meta.width}×${meta.height}`);
    await page.goto(`/@${me.username}`);
    await page.locator(`img[src="${account.header}"]`).first().waitFor();

    await page.goto('/settings/profile');
    await page.getByRole('button', { name: 'Remove header' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Remove' }).click();
    await page.getByText('Header removed.').waitFor();
    const after = await page.evaluate(async () => (await fetch('/api/v1/accounts/verify_credentials')).json());
    assert.notEqual(after.header, account.header);
    await context.close();
  });
}

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

/** A 1200x600 JPEG in three upright bands: red on the left, green in the centre, blue on the right. */
async function threeBands(): Promise<Buffer> {
  const band = (background: string) => sharp({ create: { width: 400, height: 600, channels: 3, background } }).png().toBuffer();
  return sharp({ create: { width: 1200, height: 600, channels: 3, background: '#000000' } })
    .composite([
      { input: await band('#ff0000'), left: 0, top: 0 },
      { input: await band('#00ff00'), left: 400, top: 0 },
      { input: await band('#0000ff'), left: 800, top: 0 },
    ])
    .jpeg({ quality: 95 })
    .toBuffer();
}

/** The mean colour of a region given as fractions of the picture's width (the full height). */
async function meanOf(image: Buffer, fromX: number, toX: number): Promise<{ r: number; g: number; b: number }> {
  const { width, height } = await sharp(image).metadata();
  const left = Math.round(width! * fromX);
  // stats() describes its input, not the pipeline's output: the region is encoded first.
  const cut = await sharp(image).extract({ left, top: 0, width: Math.round(width! * toX) - left, height: height! }).png().toBuffer();
  const region = await sharp(cut).stats();
  const [r, g, b] = region.channels.map((c) => c.mean);
  return { r, g, b };
}

test('(desktop) Edit profile saves the name, bio and privacy, and a new avatar that the profile then shows', async () => {
  const me = await createAccount(glimpse.server, 'desmond', { displayName: 'Desmond' });
  const { page, context } = await glimpse.desktop();
  await signIn(context, glimpse.server, me);
  const photo = await sharp({ create: { width: 800, height: 800, channels: 3, background: '#ffaa00' } }).jpeg().toBuffer();

  await page.goto('/');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Profile' }).click();
  await page.getByRole('link', { name: 'Edit profile' }).click();
  await page.waitForURL('**/settings/profile');
  await page.getByRole('heading', { name: 'Edit profile', level: 1 }).waitFor();
  await assertAccessible(page, 'edit profile, desktop');

  await page.getByLabel('Add profile photo').setInputFiles({ name: 'square.jpg', mimeType: 'image/jpeg', buffer: photo });
  const crop = page.getByRole('group', { name: 'Crop your profile photo' }).first();
  await crop.waitFor();
  // The crop step sits in the page's column, clear of the sidebar.
  const main = (await page.locator('.app-main').boundingBox())!;
  const cropBox = (await crop.boundingBox())!;
  const sidebar = (await page.locator('.app-sidebar').boundingBox())!;
  assert.ok(cropBox.x >= main.x && cropBox.x + cropBox.width <= main.x + main.width, `in the main column: ${JSON.stringify({ cropBox, main })}`);
  assert.ok(cropBox.x >= sidebar.x + sidebar.width, `right of the sidebar: ${JSON.stringify({ cropBox, sidebar })}`);
  await assertAccessible(page, 'edit profile avatar crop, desktop');
  await page.getByRole('button', { name: 'Save profile photo' }).click();
  await page.getByText('Profile photo saved.').waitFor();
  await page.getByRole('button', { name: 'Change profile photo' }).waitFor();

  await page.getByRole('textbox', { name: 'Display name' }).fill('Desmond Lee');
  await page.getByRole('textbox', { name: 'Bio' }).fill('Film cameras and long walks.');
  await page.getByRole('checkbox', { name: 'Private account' }).check();
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await page.getByText('Profile saved.').waitFor();

  const account = await page.evaluate(async () => (await fetch('/api/v1/accounts/verify_credentials')).json());
  assert.equal(account.display_name, 'Desmond Lee');
  assert.equal(account.source.note, 'Film cameras and long walks.');
  assert.equal(account.locked, true);
  assert.doesNotMatch(account.avatar, /avatar-missing\.png$/);
  const served = await sharp(Buffer.from(await (await page.request.get(account.avatar)).body())).stats();
  const [r, g, b] = served.channels.map((c) => c.mean);
  assert.ok(r > 200 && g > 130 && g < 210 && b < 60, `the avatar is the orange photo: ${r} ${g} ${b}`);

  // The profile shows all of it, the new avatar included.
  await page.goto(`/@${me.username}`);
  await page.getByRole('heading', { name: 'Desmond Lee', level: 1 }).waitFor();
  await page.getByText('Film cameras and long walks.').waitFor();
  assert.equal(await page.locator('.profile-avatar img.avatar').getAttribute('src'), account.avatar);
  assert.equal(await page.locator('.profile-avatar img.avatar').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0), true, 'the avatar loaded');
});

test('(desktop) the avatar is the square the person dragged the crop to: the left band of a wide photo, not its centre', async () => {
  const me = await createAccount(glimpse.server, 'leftie');
  const { page, context } = await glimpse.desktop();
  await signIn(context, glimpse.server, me);

  await page.goto('/settings/profile');
  await page.getByLabel('Add profile photo').setInputFiles({ name: 'bands.jpg', mimeType: 'image/jpeg', buffer: await threeBands() });
  await page.getByRole('group', { name: 'Crop your profile photo' }).first().waitFor();
  // The photo opens centred (mostly green). Drag it right with the mouse, further than it can
  // go, so the square frame ends on the photo's left edge: two thirds red, one third green.
  const stage = (await page.locator('.image-crop-stage').boundingBox())!;
  const start = { x: stage.x + stage.width / 2, y: stage.y + stage.height / 2 };
  await page.mouse.move(start.x, start.y);
  await page.mouse.down();
  await page.mouse.move(start.x + stage.width, start.y, { steps: 10 });
  await page.mouse.up();
  // The preview follows the crop: its picture's left edge is the photo's.
  await page.waitForFunction(() => {
    const img = document.querySelector('.profile-images-preview .crop-preview img') as HTMLImageElement | null;
    return img !== null && Math.abs(parseFloat(img.style.left)) < 0.5;
  });
  await page.getByRole('button', { name: 'Save profile photo' }).click();
  await page.getByText('Profile photo saved.').waitFor();

  const account = await page.evaluate(async () => (await fetch('/api/v1/accounts/verify_credentials')).json());
  const served = Buffer.from(await (await page.request.get(account.avatar)).body());
  const meta = await sharp(served).metadata();
  assert.equal(meta.width, meta.height, `the avatar served is square: ${meta.width}x${meta.height}`);
  // Left half red, right sixth green, and no blue anywhere: the left square, as chosen.
  const left = await meanOf(served, 0, 0.5);
  assert.ok(left.r > 200 && left.g < 50 && left.b < 50, `the left half is red: ${JSON.stringify(left)}`);
  const right = await meanOf(served, 5 / 6, 1);
  assert.ok(right.g > 200 && right.r < 50 && right.b < 50, `the right edge is green: ${JSON.stringify(right)}`);
  const whole = await meanOf(served, 0, 1);
  assert.ok(whole.b < 20, `none of the blue band: ${JSON.stringify(whole)}`);
});
