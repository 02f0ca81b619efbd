import { test } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { assertAccessible } from '../support/axe.ts';
import { createAccount, signIn, useGlimpse } from '../support/glimpse.ts';

/** The crop step: a two-photo carousel at 4:5 with a filter; the stored photos have that shape. */
const glimpse = useGlimpse();

test('a two-photo carousel cropped to 4:5 with the Mono filter is stored at 4:5 (desktop)', async () => {
  const me = await createAccount(glimpse.server, 'carla');
  const { page, context } = await glimpse.desktop();
  await signIn(context, glimpse.server, me);
  const photo = (background: string) => sharp({ create: { width: 1200, height: 800, channels: 3, background } }).jpeg().toBuffer();

  await page.goto('/compose');
  await page.getByLabel('Add photos').setInputFiles([
    { name: 'one.jpg', mimeType: 'image/jpeg', buffer: await photo('#ff0000') },
    { name: 'two.jpg', mimeType: 'image/jpeg', buffer: await photo('#00aa00') },
  ]);
  await page.getByRole('heading', { name: 'Crop and filter' }).waitFor();
  await page.getByLabel('Portrait (4:5)').check();
  await page.getByText('Mono', { exact: true }).click();
  await assertAccessible(page, 'compose crop step, desktop');
  await page.getByRole('button', { name: 'Add 2 photos' }).click();
  const share = page.getByRole('button', { name: 'Share' });
  await page.waitForFunction(() => !(document.querySelector('.compose-submit button') as HTMLButtonElement | null)?.disabled);
  await share.click();
  await page.waitForURL((url) => url.pathname === '/');

  const statuses = await page.evaluate(async (id) => (await fetch(`/api/v1/accounts/${id}/statuses`)).json(), me.id);
  const media = statuses[0].media_attachments as Array<{ url: string; meta: { original: { width: number; height: number } } }>;
  assert.equal(media.length, 2);
  for (const m of media) assert.ok(Math.abs(m.meta.original.width / m.meta.original.height - 0.8) < 0.01, `4:5: ${JSON.stringify(m.meta.original)}`);
  // Mono was drawn into the first photo's pixels: red became grey.
  const stats = await sharp(Buffer.from(await (await page.request.get(media[0].url)).body())).stats();
  const [r, g, b] = stats.channels.map((c) => c.mean);
  assert.ok(Math.abs(r - g) < 8 && Math.abs(g - b) < 8, `grey: ${r} ${g} ${b}`);
});
