import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import type { Locator, Page } from 'playwright-core';
import { errorsOf } from '../support/browser.ts';
import { createAccount, signIn, useGlimpse } from '../support/glimpse.ts';

/** Photo posts in Chromium against the real server: compose a carousel, see it, like it. */
const glimpse = useGlimpse();

let photoDir = '';
const photos: string[] = [];

before(async () => {
  photoDir = fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-e2e-photos-'));
  const colours: Array<[string, { r: number; g: number; b: number }]> = [
    ['red', { r: 220, g: 30, b: 40 }],
    ['green', { r: 30, g: 160, b: 60 }],
    ['blue', { r: 30, g: 70, b: 200 }],
  ];
  for (const [name, background] of colours) {
    const file = path.join(photoDir, `${name}.jpg`);
    await sharp({ create: { width: 640, height: 480, channels: 3, background } }).jpeg({ quality: 80 }).toFile(file);
    photos.push(file);
  }
});

after(() => {
  if (photoDir) fs.rmSync(photoDir, { recursive: true, force: true });
});

/** The first post card of the feed. */
const firstPost = (page: Page): Locator => page.getByRole('article').first();

test('a three-photo carousel is composed with alt text and a mention, seen and liked by a follower, and the author sees the like', async () => {
  const alice = await createAccount(glimpse.server, 'alice', { displayName: 'Alice Lens' });
  const bob = await createAccount(glimpse.server, 'bob', { displayName: 'Bob Viewer' });
  const author = await glimpse.desktop();
  const follower = await glimpse.phone();
  await signIn(author.context, glimpse.server, alice);
  await signIn(follower.context, glimpse.server, bob);

  // Bob follows Alice from her profile.
  await follower.page.goto('/@alice');
  await follower.page.getByRole('button', { name: 'Follow', exact: true }).click();
  await follower.page.getByRole('button', { name: 'Following', exact: true }).waitFor();

  // Alice composes: three photos, alt text on the second, a caption mentioning Bob.
  const { page } = author;
  await page.goto('/');
  await page.getByRole('heading', { name: 'Your feed' }).waitFor();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'New post' }).click();
  await page.waitForURL('**/compose');
  await page.getByLabel('Add photos').setInputFiles(photos);
  // The crop and filter step comes first; the photos keep their square shape and no filter.
  await page.getByRole('heading', { name: 'Crop and filter' }).waitFor();
  await page.getByRole('button', { name: 'Add 3 photos' }).click();
  const share = page.getByRole('button', { name: 'Share' });
  await page.getByLabel('Alt text for photo 3').waitFor();
  // Uploads finish and are processed before Share can be pressed.
  await page.waitForFunction(() => !(document.querySelector('.compose-submit button') as HTMLButtonElement | null)?.disabled, undefined, { timeout: 30_000 });
  assert.equal(await page.getByRole('progressbar').count(), 0);
  await page.getByLabel('Alt text for photo 2').fill('A green rectangle');

  const caption = page.getByLabel('Caption');
  await caption.click();
  await caption.pressSequentially('Three colours with @bo');
  await page.getByRole('listbox', { name: 'Suggested accounts' }).getByRole('option', { name: /@bob/ }).waitFor();
  await caption.press('Enter');
  assert.equal(await caption.inputValue(), 'Three colours with @bob ');
  await caption.pressSequentially('#colours');
  await page.getByLabel('Who can comment').selectOption({ label: 'Followers' });
  await share.click();

  // Back on the home feed with the new post on top.
  await page.waitForURL((url) => url.pathname === '/');
  const own = firstPost(page);
  await own.getByRole('heading', { name: 'Alice Lens' }).waitFor();
  await own.getByRole('img', { name: 'Photo 1 of 3' }).waitFor();

  // Bob's feed shows it; he goes through the photos with Next.
  const feed = follower.page;
  await feed.goto('/');
  const post = firstPost(feed);
  await post.getByRole('heading', { name: 'Alice Lens' }).waitFor();
  await post.getByRole('img', { name: 'Photo 1 of 3' }).waitFor();
  assert.match(await post.locator('.post-caption').innerText(), /Three colours with @bob #colours/);
  assert.equal(await post.getByRole('link', { name: '@bob' }).getAttribute('href'), '/@bob');
  await post.getByRole('button', { name: 'Next photo' }).click();
  await post.getByRole('img', { name: 'Photo 2 of 3' }).waitFor();
  await post.getByRole('img', { name: 'A green rectangle' }).waitFor();
  await post.getByRole('button', { name: 'Next photo' }).click();
  await post.getByRole('img', { name: 'Photo 3 of 3' }).waitFor();
  assert.equal(await post.getByRole('button', { name: 'Next photo' }).count(), 0);
  // The photo on show has actually loaded from the server.
  const shown = post.locator('.carousel-slide:not([aria-hidden]) img');
  await feed.waitForFunction((img) => (img as HTMLImageElement).complete && (img as HTMLImageElement).naturalWidth > 0, await shown.elementHandle());

  // A double tap on the photo likes it, with the heart.
  const photo = post.locator('.carousel-frame');
  await photo.tap();
  await photo.tap();
  await post.locator('.carousel-heart').waitFor();
  await post.getByRole('button', { name: 'Unlike' }).waitFor();
  assert.equal(await post.getByRole('button', { name: 'Unlike' }).getAttribute('aria-pressed'), 'true');
  await post.getByRole('button', { name: '1 like' }).waitFor();

  // It is saved: still liked after a reload.
  await feed.reload();
  await firstPost(feed).getByRole('button', { name: 'Unlike' }).waitFor();

  // The hashtag opens its page inside the app, where the post is a tile of the grid.
  await firstPost(feed).getByRole('link', { name: '#colours' }).click();
  await feed.waitForURL('**/tags/colours');
  await feed.getByRole('heading', { name: '#colours', level: 1 }).waitFor();
  await feed.getByRole('region', { name: 'Posts with #colours' }).getByRole('link', { name: /^Three colours with @bob #colours \(3 photos\)$/ }).waitFor();

  // Alice sees the like, on her feed and on the post's own page.
  await page.reload();
  await firstPost(page).getByRole('button', { name: '1 like' }).waitFor();
  await firstPost(page).getByRole('link', { name: /Open post/ }).click();
  await page.waitForURL(/\/@alice\/\d+$/);
  const single = page.getByRole('article');
  await single.getByRole('button', { name: '1 like' }).click();
  await single.getByRole('list', { name: 'Liked by' }).getByText('@bob').waitFor();
  await single.getByRole('button', { name: 'Delete' }).waitFor();

  // She edits the caption from the post page; it shows as edited, also after a reload.
  await single.getByRole('button', { name: 'Edit' }).click();
  const editor = page.getByRole('form', { name: 'Edit post' });
  const captionBox = editor.getByLabel('Caption');
  await captionBox.waitFor();
  assert.equal(await captionBox.inputValue(), 'Three colours with @bob #colours');
  await captionBox.fill('Three colours with @bob #colours, printed');
  await editor.getByRole('button', { name: 'Save' }).click();
  await editor.waitFor({ state: 'detached' });
  await page.reload();
  await page.getByRole('article').locator('.post-caption').getByText(/printed/).waitFor();
  await page.getByRole('article').getByText('· Edited').waitFor();

  // And on her profile grid, the post is a tile marked as several photos.
  await page.goto('/@alice');
  const tile = page.getByRole('link', { name: /Three colours with @bob .*printed \(3 photos\)/ });
  await tile.waitFor();
  assert.match((await tile.getAttribute('href')) ?? '', /^\/@alice\/\d+$/);

  assert.deepEqual(errorsOf(page), []);
  assert.deepEqual(errorsOf(feed), []);
  await author.context.close();
  await follower.context.close();
});
