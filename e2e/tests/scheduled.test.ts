import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { errorsOf } from '../support/browser.ts';
import { createAccount, signIn, uniqueName, useGlimpse } from '../support/glimpse.ts';

/**
 * Scheduled posts in Chromium against the real server: scheduled from the composer, listed on
 * Settings → Scheduled posts, rescheduled and deleted. The server's clock cannot be moved from
 * here, so publication itself is left to the server's tests. The browser runs in UTC, so the
 * datetime-local values below are UTC times.
 */
const glimpse = useGlimpse();

let photoDir = '';
let photo = '';

before(async () => {
  photoDir = fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-e2e-scheduled-'));
  photo = path.join(photoDir, 'sunrise.jpg');
  await sharp({ create: { width: 640, height: 480, channels: 3, background: { r: 240, g: 150, b: 60 } } }).jpeg({ quality: 80 }).toFile(photo);
});

after(() => {
  if (photoDir) fs.rmSync(photoDir, { recursive: true, force: true });
});

/** A day `days` from now at hh:mm UTC, as a datetime-local value ("2026-12-04T10:30") and as ISO. */
function utcAt(days: number, hours: number, minutes: number) {
  const time = new Date(Date.now() + days * 86_400_000);
  time.setUTCHours(hours, minutes, 0, 0);
  return { value: time.toISOString().slice(0, 16), iso: time.toISOString() };
}

for (const size of ['phone', 'desktop'] as const) {
  test(`(${size}) a post scheduled from the composer is listed on Scheduled posts with its time, caption and photo, then rescheduled, then deleted after confirming`, async () => {
    const { server } = glimpse;
    const account = await createAccount(server, uniqueName('planner'));
    const { context, page } = size === 'phone' ? await glimpse.phone() : await glimpse.desktop();
    if (size === 'desktop') await page.setViewportSize({ width: 1440, height: 900 });
    await signIn(context, server, account);

    // The composer: a photo, a caption, and "Schedule" with a time three days ahead.
    await page.goto('/compose');
    await page.getByLabel('Add photos').setInputFiles([photo]);
    await page.getByRole('button', { name: 'Add photo', exact: true }).click();
    await page.getByLabel('Alt text for photo 1').fill('The sun over the bay');
    await page.waitForFunction(() => !(document.querySelector('.compose-submit button') as HTMLButtonElement | null)?.disabled, undefined, { timeout: 30_000 });
    await page.getByLabel('Caption').fill('Sunrise over the bay');
    await page.getByRole('checkbox', { name: 'Schedule' }).check();
    const when = page.getByLabel('Date and time');
    // Nothing earlier than five minutes from now can be picked; the zone is named.
    const min = Date.parse(`${await when.getAttribute('min')}Z`);
    assert.ok(min >= Date.now() + 4 * 60_000 && min <= Date.now() + 7 * 60_000, `min is five minutes ahead, was ${await when.getAttribute('min')}`);
    await page.getByText(/^In your time zone \((Etc\/)?UTC\), at least 5 minutes from now\.$/).waitFor();
    const first = utcAt(3, 10, 30);
    await when.fill(first.value);
    await page.getByRole('button', { name: 'Schedule post' }).click();

    // It lands on the scheduled posts, where the post waits with its time, caption and photo.
    await page.waitForURL('**/settings/scheduled');
    await page.getByRole('heading', { name: 'Scheduled posts', level: 1 }).waitFor();
    await page.getByText(/^Your post is scheduled for /).waitFor();
    const list = page.getByRole('list', { name: 'Your scheduled posts' });
    const row = list.getByRole('listitem', { name: /^Posts on / });
    await row.getByText('Sunrise over the bay').waitFor();
    assert.equal(await list.getByRole('listitem', { name: /^Posts on / }).count(), 1);
    assert.equal(await row.locator('time').getAttribute('datetime'), first.iso);
    const thumbnail = row.getByRole('list', { name: '1 photo' }).getByRole('img', { name: 'The sun over the bay' });
    await page.waitForFunction((img) => (img as HTMLImageElement).complete && (img as HTMLImageElement).naturalWidth > 0, await thumbnail.elementHandle());

    // It is the server's, and not shared yet: there after a reload, absent from the feed.
    await page.reload();
    await row.getByText('Sunrise over the bay').waitFor();
    await page.goto('/');
    await page.getByRole('heading', { name: 'Nothing to see yet' }).waitFor();

    // Reschedule, from Settings → Scheduled posts.
    await page.goto('/settings');
    await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'Scheduled posts' }).click();
    await page.waitForURL('**/settings/scheduled');
    await row.getByRole('button', { name: 'Reschedule' }).click();
    const newTime = row.getByLabel('New date and time');
    assert.equal(await newTime.inputValue(), first.value);
    const second = utcAt(5, 8, 15);
    await newTime.fill(second.value);
    await row.getByRole('button', { name: 'Save' }).click();
    await row.locator(`time[datetime="${second.iso}"]`).waitFor();
    await page.getByText(/^Rescheduled for /).waitFor();
    await page.reload();
    await row.locator(`time[datetime="${second.iso}"]`).waitFor();

    // Delete asks first; Cancel keeps it, the second answer deletes it.
    await row.getByRole('button', { name: 'Delete' }).click();
    await row.getByRole('group', { name: 'Delete this scheduled post?' }).getByRole('button', { name: 'Cancel' }).click();
    await row.getByRole('button', { name: 'Delete' }).click();
    await row.getByRole('button', { name: 'Delete scheduled post' }).click();
    await page.getByRole('heading', { name: 'No scheduled posts' }).waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'No scheduled posts' }).waitFor();

    assert.deepEqual(errorsOf(page), []);
    await context.close();
  });
}
