import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import type { Page } from 'playwright-core';
import { errorsOf } from '../support/browser.ts';
import { createAccount, signIn, uniqueName, useGlimpse } from '../support/glimpse.ts';

/**
 * Filters in Chromium against the real server: a keyword filter made in Settings → Filters,
 * a followed account's photo post with that keyword, and what the home feed does with it as
 * the filter warns, blurs, hides and is deleted. At phone and desktop sizes.
 */
const glimpse = useGlimpse();

let photoDir = '';
let photo = '';

before(async () => {
  photoDir = fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-e2e-filters-'));
  photo = path.join(photoDir, 'screen.jpg');
  await sharp({ create: { width: 640, height: 480, channels: 3, background: { r: 40, g: 90, b: 160 } } }).jpeg({ quality: 80 }).toFile(photo);
});

after(() => {
  if (photoDir) fs.rmSync(photoDir, { recursive: true, force: true });
});

const SIZES = ['phone', 'desktop'] as const;

/** A signed-in context at a size: the harness's phone (390×844), or a 1440×900 desktop. */
async function openAt(size: (typeof SIZES)[number]) {
  const opened = size === 'phone' ? await glimpse.phone() : await glimpse.desktop();
  if (size === 'desktop') await opened.page.setViewportSize({ width: 1440, height: 900 });
  return opened;
}

/** Shares a one-photo post from the composer, as its author would. */
async function sharePhoto(page: Page, caption: string) {
  await page.goto('/compose');
  await page.getByLabel('Add photos').setInputFiles([photo]);
  await page.getByRole('button', { name: 'Add photo', exact: true }).click();
  await page.getByLabel('Alt text for photo 1').fill(`Photo for: ${caption}`);
  await page.waitForFunction(() => !(document.querySelector('.compose-submit button') as HTMLButtonElement | null)?.disabled, undefined, { timeout: 30_000 });
  await page.getByLabel('Caption').fill(caption);
  await page.getByRole('button', { name: 'Share' }).click();
  await page.waitForURL((url) => url.pathname === '/');
}

/** Settings → Filters, reached from the settings menu. */
async function openFilters(page: Page) {
  await page.goto('/settings');
  await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'Filters' }).click();
  await page.waitForURL('**/settings/filters');
  await page.getByRole('heading', { name: 'Filters', level: 1 }).waitFor();
}

/** Edits the filter's action in place and waits for the row to say it. */
async function setAction(page: Page, title: string, action: 'Hide with a warning' | 'Blur photos' | 'Hide completely') {
  await openFilters(page);
  await page.getByRole('listitem', { name: title }).getByRole('button', { name: 'Edit' }).click();
  const form = page.getByRole('form', { name: `Edit filter “${title}”` });
  await form.getByRole('radio', { name: action }).check();
  await form.getByRole('button', { name: 'Save filter' }).click();
  await form.waitFor({ state: 'detached' });
  await page.getByRole('listitem', { name: title }).getByText(action, { exact: true }).waitFor();
}

for (const size of SIZES) {
  test(`(${size}) a keyword filter made in Settings → Filters puts a followed account's photo post behind a warning that "Show anyway" opens, blurs its photo, then takes it out of the feed; deleting it brings the post back`, async () => {
    const { server } = glimpse;
    const viewer = await createAccount(server, uniqueName('viewer'));
    const author = await createAccount(server, uniqueName('author'), { displayName: `Author ${size}` });
    const reader = await openAt(size);
    const writer = await openAt(size);
    await signIn(reader.context, server, viewer);
    await signIn(writer.context, server, author);
    const { page } = reader;

    // The viewer follows the author from their profile.
    await page.goto(`/@${author.username}`);
    await page.getByRole('button', { name: 'Follow', exact: true }).click();
    await page.getByRole('button', { name: 'Following', exact: true }).waitFor();

    // A filter on "finale", warning in the home feed, made with the form.
    await openFilters(page);
    await page.getByText('No filters yet').waitFor();
    await page.getByRole('button', { name: 'New filter' }).click();
    const form = page.getByRole('form', { name: 'New filter' });
    await form.getByLabel('Title').fill('Spoilers');
    await form.getByLabel('Keyword 1', { exact: true }).fill('finale');
    assert.equal(await form.getByRole('checkbox', { name: 'Keyword 1: whole word' }).isChecked(), true);
    assert.equal(await form.getByRole('checkbox', { name: 'Home and lists' }).isChecked(), true);
    await form.getByRole('radio', { name: 'Hide with a warning' }).check();
    await form.getByLabel('Expires after').selectOption({ label: 'Never' });
    await form.getByRole('button', { name: 'Create filter' }).click();
    const row = page.getByRole('list', { name: 'Your filters' }).getByRole('listitem', { name: 'Spoilers' });
    await row.waitFor();
    assert.match(await row.innerText(), /finale \(whole word\)/);
    assert.match(await row.innerText(), /Hide with a warning/);
    assert.match(await row.innerText(), /Home and lists/);
    assert.match(await row.innerText(), /Never/);
    // It is the server's: still there after a reload.
    await page.reload();
    await page.getByRole('listitem', { name: 'Spoilers' }).waitFor();

    // The author shares a photo without the keyword, then one with it.
    await sharePhoto(writer.page, 'Just a tree');
    await sharePhoto(writer.page, 'That finale was wild');

    // The viewer's feed: the tree as is, the finale post collapsed behind the notice.
    await page.goto('/');
    const tree = page.getByRole('article', { name: `Author ${size}` }).filter({ hasText: 'Just a tree' });
    await tree.waitFor();
    const notice = page.getByRole('article', { name: 'Hidden by your filter “Spoilers”' });
    await notice.waitFor();
    assert.equal(await page.getByText('That finale was wild').count(), 0);
    assert.equal(await notice.getByRole('img').count(), 0);

    // "Show anyway" shows it, photo and all, and focus moves onto the post.
    await notice.getByRole('button', { name: 'Show anyway' }).click();
    const finale = page.getByRole('article', { name: `Author ${size}` }).filter({ hasText: 'That finale was wild' });
    await finale.waitFor();
    await finale.getByRole('img', { name: 'Photo for: That finale was wild' }).waitFor();
    assert.equal(await finale.evaluate((element) => element === document.activeElement), true);
    assert.equal(await page.getByRole('button', { name: 'Show anyway' }).count(), 0);

    // Blur: the post is there with its caption, its photo blurred under "Show".
    await setAction(page, 'Spoilers', 'Blur photos');
    await page.goto('/');
    const blurred = page.getByRole('article', { name: `Author ${size}` }).filter({ hasText: 'That finale was wild' });
    await blurred.getByText('Photos hidden by your filter “Spoilers”').waitFor();
    assert.equal(await blurred.getByRole('img', { name: 'Photo for: That finale was wild' }).count(), 0);
    assert.match((await blurred.locator('.filter-blur-media img').evaluate((img) => getComputedStyle(img).filter)) ?? '', /blur/);
    await blurred.getByRole('button', { name: 'Show' }).click();
    await blurred.getByRole('img', { name: 'Photo for: That finale was wild' }).waitFor();
    assert.equal(await blurred.getByRole('region', { name: `Photos by Author ${size}` }).evaluate((element) => element === document.activeElement), true);

    // Hide: the post is gone from the feed; the tree stays.
    await setAction(page, 'Spoilers', 'Hide completely');
    await page.goto('/');
    await tree.waitFor();
    await page.getByText('You’re all caught up.').waitFor();
    assert.equal(await page.getByText('That finale was wild').count(), 0);
    assert.equal(await page.getByRole('article', { name: /Hidden by your filter/ }).count(), 0);
    assert.equal(await page.getByRole('article').count(), 1);

    // Deleting the filter (after confirming) brings the post back as it is.
    await openFilters(page);
    await page.getByRole('listitem', { name: 'Spoilers' }).getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('group', { name: 'Delete the filter “Spoilers”?' }).getByRole('button', { name: 'Delete filter' }).click();
    await page.getByText('No filters yet').waitFor();
    await page.goto('/');
    await page.getByRole('article', { name: `Author ${size}` }).filter({ hasText: 'That finale was wild' }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Show anyway' }).count(), 0);

    assert.deepEqual(errorsOf(page), []);
    assert.deepEqual(errorsOf(writer.page), []);
    await reader.context.close();
    await writer.context.close();
  });
}
