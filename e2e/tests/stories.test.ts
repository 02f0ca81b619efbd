import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import type { Page } from 'playwright-core';
import { errorsOf } from '../support/browser.ts';
import { waitUntilEnabled } from '../support/wait.ts';
import { passwordFor, useGlimpse } from '../support/glimpse.ts';

/**
 * PRODUCT.md, scenario step 1, in Chromium against the real server: Mara posts a birthday
 * story with a text layer and a mention sticker of Ines; Ines is notified, sees the unseen
 * ring, taps through the story; Mara sees her in the viewers list.
 */
const glimpse = useGlimpse();

const BIRTHDAY = 'Happy Birthday to the most thoughtful sweetest soul';

let photoDir = '';
let photo = '';

before(async () => {
  photoDir = fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-e2e-story-'));
  photo = path.join(photoDir, 'birthday.jpg');
  await sharp({ create: { width: 720, height: 1280, channels: 3, background: { r: 240, g: 170, b: 190 } } }).jpeg({ quality: 80 }).toFile(photo);
});

after(() => {
  if (photoDir) fs.rmSync(photoDir, { recursive: true, force: true });
});

async function signUp(page: Page, username: string): Promise<void> {
  await page.goto('/signup');
  await page.getByLabel('Username', { exact: true }).fill(username);
  await page.getByLabel('Email').fill(`${username}@example.com`);
  await page.getByLabel('Password').fill(passwordFor(username));
  await page.getByRole('checkbox', { name: 'I agree to the terms' }).check();
  await page.getByRole('button', { name: 'Sign up' }).click();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Home' }).waitFor();
}

const tray = (page: Page) => page.getByRole('region', { name: 'Stories' });

test('Mara posts a birthday story mentioning Ines; Ines is notified, watches it, and shows up in the viewers list', async () => {
  const author = await glimpse.desktop();
  const friend = await glimpse.phone();
  const mara = author.page;
  const ines = friend.page;

  await signUp(mara, 'mara');
  await signUp(ines, 'ines');

  // Ines follows Mara.
  await ines.goto('/@mara');
  await ines.getByRole('button', { name: 'Follow', exact: true }).click();
  await ines.getByRole('button', { name: 'Following', exact: true }).waitFor();

  // Mara has no story yet: "Your story" in the tray opens the composer.
  await mara.goto('/');
  await tray(mara).getByRole('button', { name: 'Your story' }).click();
  await mara.waitForURL('**/stories/new');
  await mara.getByLabel('Story photo').setInputFiles(photo);
  const share = mara.getByRole('button', { name: 'Share to story' });

  await mara.getByRole('button', { name: 'Add text' }).click();
  await mara.getByLabel('Story text').fill(BIRTHDAY);
  await mara.getByRole('button', { name: 'White' }).click();
  await mara.getByLabel('Font').selectOption('modern');
  // Move the text up with the keyboard: the layer has focus from a click.
  const layer = mara.getByRole('button', { name: /^Text layer 1: Happy Birthday/ });
  await layer.focus();
  for (let i = 0; i < 3; i++) await layer.press('Shift+ArrowUp');
  assert.match((await layer.getAttribute('aria-label')) ?? '', /50% across, 35% down/);

  await mara.getByRole('button', { name: 'Add mention' }).click();
  await mara.getByLabel('Mention someone').fill('ines');
  await mara.getByRole('list', { name: 'People to mention' }).getByRole('button', { name: /@ines/ }).click();
  await mara.getByRole('button', { name: /^Mention @ines/ }).waitFor();

  await mara.getByRole('radio', { name: 'Followers' }).check();
  // The photo is uploaded and processed before the story can be shared.
  await waitUntilEnabled(share);
  await share.click();
  await mara.waitForURL((url) => url.pathname === '/');
  const own = tray(mara).getByRole('button', { name: 'Your story' });
  await mara.waitForFunction(() => document.querySelector('[aria-label="Your story"]')?.getAttribute('data-ring') === 'unseen');
  assert.equal(await own.getAttribute('data-ring'), 'unseen');

  // Ines is told she was mentioned.
  await ines.goto('/notifications');
  const note = ines.locator('li.notification-story_mention');
  await note.waitFor();
  assert.match(await note.locator('.notification-text').innerText(), /^mara mentioned you in their story/);
  await note.getByRole('link', { name: 'View story' }).waitFor();

  // Mara's unseen ring is in her tray.
  await ines.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Home' }).click();
  const ring = tray(ines).getByRole('button', { name: "mara's story" });
  await ring.waitFor();
  assert.equal(await ring.getAttribute('data-ring'), 'unseen');

  // She opens it: the photo, the text and the mention sticker are there.
  await ring.click();
  const viewer = ines.getByRole('dialog', { name: "mara's story" });
  await viewer.waitFor();
  // Hold still (Space) while looking.
  await ines.keyboard.press('Space');
  await viewer.getByRole('button', { name: 'Play' }).waitFor();
  const text = viewer.getByText(BIRTHDAY);
  await text.waitFor();
  assert.equal(await text.getAttribute('dir'), 'auto');
  const sticker = viewer.getByRole('button', { name: '@ines' });
  await sticker.waitFor();
  // The text sits above the sticker, both on the photo.
  const [textBox, stickerBox, photoBox] = await Promise.all([text.boundingBox(), sticker.boundingBox(), viewer.locator('.story-photo').boundingBox()]);
  assert.ok(textBox && stickerBox && photoBox);
  assert.ok(textBox.y + textBox.height / 2 < stickerBox.y + stickerBox.height / 2, 'the text layer is above the mention');
  assert.ok(stickerBox.y > photoBox.y && stickerBox.y + stickerBox.height < photoBox.y + photoBox.height, 'the sticker is on the photo');
  const photoImage = viewer.locator('.story-photo');
  await ines.waitForFunction((img) => (img as HTMLImageElement).complete && (img as HTMLImageElement).naturalWidth > 0, await photoImage.elementHandle());
  assert.match((await photoImage.getAttribute('alt')) ?? '', /Happy Birthday/);
  await viewer.getByLabel('Reply').waitFor();
  await viewer.getByRole('button', { name: 'React 😍' }).waitFor();
  await viewer.getByRole('button', { name: 'Add to your story' }).waitFor();

  // Tapping through the only story ends at the feed, where the ring is now seen.
  await viewer.getByRole('button', { name: 'Next story' }).click();
  await ines.waitForURL((url) => url.pathname === '/');
  await ines.waitForFunction(() => document.querySelector('[aria-label="mara\'s story"]')?.getAttribute('data-ring') === 'seen');

  // Mara opens her story and finds Ines among the viewers.
  await mara.reload();
  await tray(mara).getByRole('button', { name: 'Your story' }).click();
  const mine = mara.getByRole('dialog', { name: 'Your story' });
  await mine.waitFor();
  await mine.getByRole('button', { name: 'Viewers' }).click();
  const viewers = mine.getByRole('list', { name: 'People who saw this story' });
  await viewers.getByRole('link', { name: /@ines/ }).waitFor();
  await mine.getByText('1 viewer', { exact: true }).waitFor();

  // She keeps it in a new highlight, renames that in Settings, and her profile shows it.
  await mara.keyboard.press('Escape');
  await mine.getByRole('button', { name: 'Add to highlight' }).click();
  const picker = mara.getByRole('dialog', { name: 'Add to highlight' });
  await picker.getByLabel('Highlight title').fill('Ines');
  await picker.getByRole('button', { name: 'Create highlight' }).click();
  await picker.getByText('Added to Ines.').waitFor();
  await mara.goto('/settings/highlights');
  const manage = mara.getByRole('list', { name: 'Your highlights, in profile order' }).getByRole('listitem', { name: 'Ines' });
  await manage.getByLabel('Title of Ines').fill('Ines turns 40 🎂');
  await manage.getByRole('button', { name: 'Rename' }).click();
  await mara.getByText('Renamed to Ines turns 40 🎂.').waitFor();
  await mara.goto('/@mara');
  await mara.getByRole('navigation', { name: 'Highlights' }).getByRole('link', { name: 'Ines turns 40 🎂' }).waitFor();

  assert.deepEqual(errorsOf(mara), []);
  assert.deepEqual(errorsOf(ines), []);
  await author.context.close();
  await friend.context.close();
});
