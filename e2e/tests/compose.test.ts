import { test } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { assertAccessible } from '../support/axe.ts';
import { createAccount, signIn, useGlimpse } from '../support/glimpse.ts';
import { waitUntilEnabled } from '../support/wait.ts';

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

/** The mean colour of a stored photo, fetched by the page (so with its session). */
async function meanColour(page: import('playwright-core').Page, url: string): Promise<{ r: number; g: number; b: number }> {
  const stats = await sharp(Buffer.from(await (await page.request.get(url)).body())).stats();
  const [r, g, b] = stats.channels.map((c) => c.mean);
  return { r, g, b };
}

test('(phone) the crop step fits a 390 px screen, and a photo cropped to 1.91:1 with Clarendon is shared at that shape', async () => {
  const me = await createAccount(glimpse.server, 'phoebe');
  const { page, context } = await glimpse.phone();
  await signIn(context, glimpse.server, me);
  const photo = await sharp({ create: { width: 1200, height: 1200, channels: 3, background: '#3366cc' } }).jpeg().toBuffer();

  await page.goto('/compose');
  await page.getByLabel('Add photos').setInputFiles({ name: 'tall.jpg', mimeType: 'image/jpeg', buffer: photo });
  await page.getByRole('heading', { name: 'Crop and filter' }).waitFor();
  await page.getByRole('group', { name: 'Crop photo 1' }).waitFor();
  await page.getByLabel('Landscape (1.91:1)').check();
  await page.getByText('Clarendon', { exact: true }).click();
  await assertAccessible(page, 'compose crop step, phone');

  // Nothing of the crop step runs off the side of the phone: no sideways scrolling, and the
  // crop frame, the filters' row and the Add button start and end inside the 390 px.
  const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(scrollWidth <= 390, `the page is no wider than the phone: ${scrollWidth}`);
  for (const part of [page.locator('.image-crop-stage'), page.locator('.photo-editor-choices'), page.getByRole('button', { name: 'Add photo', exact: true })]) {
    const box = (await part.boundingBox())!;
    assert.ok(box.x >= 0 && box.x + box.width <= 390, `inside the phone's width: ${JSON.stringify(box)}`);
  }

  await page.getByRole('button', { name: 'Add photo', exact: true }).click();
  await page.getByRole('list', { name: 'Chosen photos' }).getByRole('listitem').first().waitFor();
  await page.getByRole('textbox', { name: 'Caption' }).fill('Wide sky from my phone');
  const share = page.getByRole('button', { name: 'Share' });
  await waitUntilEnabled(share);
  await assertAccessible(page, 'compose with a photo added, phone');
  await share.click();
  await page.waitForURL((url) => url.pathname === '/');

  const statuses = await page.evaluate(async (id) => (await fetch(`/api/v1/accounts/${id}/statuses`)).json(), me.id);
  assert.match(statuses[0].content, /Wide sky from my phone/);
  const media = statuses[0].media_attachments as Array<{ url: string; meta: { original: { width: number; height: number } } }>;
  assert.equal(media.length, 1);
  const { width, height } = media[0].meta.original;
  assert.ok(Math.abs(width / height - 1.91) < 0.02, `stored at 1.91:1: ${width}x${height}`);
  // Clarendon saturates: the blue came out bluer than it went in (#3366cc), and still blue.
  const colour = await meanColour(page, media[0].url);
  assert.ok(colour.b - colour.r > 0xcc - 0x33 && colour.b > colour.g, `more saturated blue: ${JSON.stringify(colour)}`);
});

async function dragToReorder(size: 'phone' | 'desktop') {
  const me = await createAccount(glimpse.server, size === 'desktop' ? 'dragan' : 'dragphone');
  const { page, context } = await glimpse[size]();
  await signIn(context, glimpse.server, me);
  const photo = (background: string) => sharp({ create: { width: 900, height: 900, channels: 3, background } }).jpeg().toBuffer();

  await page.goto('/compose');
  await page.getByLabel('Add photos').setInputFiles([
    { name: 'red.jpg', mimeType: 'image/jpeg', buffer: await photo('#ff0000') },
    { name: 'green.jpg', mimeType: 'image/jpeg', buffer: await photo('#00ff00') },
    { name: 'blue.jpg', mimeType: 'image/jpeg', buffer: await photo('#0000ff') },
  ]);
  await page.getByRole('button', { name: 'Add 3 photos' }).click();
  const share = page.getByRole('button', { name: 'Share' });
  await waitUntilEnabled(share);
  // Alt text follows its photo, so each tile says which photo it is.
  for (const [n, alt] of [[1, 'Red square'], [2, 'Green square'], [3, 'Blue square']] as const) await page.getByLabel(`Alt text for photo ${n}`).fill(alt);

  // A real press, move and release on the first tile's picture, ending over the third's: with
  // the mouse on a desktop, with a finger (touch events) on a phone.
  const handle = page.getByRole('button', { name: 'Drag to reorder photo 1' });
  await handle.scrollIntoViewIfNeeded();
  const from = (await handle.boundingBox())!;
  const to = (await page.getByRole('button', { name: 'Drag to reorder photo 3' }).boundingBox())!;
  const path = [{ x: from.x + from.width / 2, y: from.y + from.height / 2 }];
  for (let i = 1; i <= 4; i++) path.push({ x: path[0].x, y: path[0].y + 5 * i });
  for (let i = 1; i <= 12; i++) path.push({ x: path[0].x + ((to.x + to.width / 2 - path[0].x) * i) / 12, y: path[4].y + ((to.y + to.height / 2 - path[4].y) * i) / 12 });
  if (size === 'desktop') {
    await page.mouse.move(path[0].x, path[0].y);
    await page.mouse.down();
    for (const p of path.slice(1)) await page.mouse.move(p.x, p.y);
    await page.mouse.up();
  } else {
    const touch = await context.newCDPSession(page);
    await touch.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [path[0]] });
    for (const p of path.slice(1)) await touch.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [p] });
    await touch.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  }

  await page.getByText('Photo moved to position 3 of 3.').waitFor();
  const alts = await Promise.all([1, 2, 3].map((n) => page.getByLabel(`Alt text for photo ${n}`).inputValue()));
  assert.deepEqual(alts, ['Green square', 'Blue square', 'Red square'], 'the list shows the new order');

  await share.click();
  await page.waitForURL((url) => url.pathname === '/');
  const statuses = await page.evaluate(async (id) => (await fetch(`/api/v1/accounts/${id}/statuses`)).json(), me.id);
  const media = statuses[0].media_attachments as Array<{ url: string; description: string }>;
  assert.deepEqual(media.map((m) => m.description), ['Green square', 'Blue square', 'Red square']);
  // The pixels agree with the alt text: green, blue, red.
  const dominant = async (url: string) => {
    const { r, g, b } = await meanColour(page, url);
    return r > g && r > b ? 'red' : g > b ? 'green' : 'blue';
  };
  assert.deepEqual(await Promise.all(media.map((m) => dominant(m.url))), ['green', 'blue', 'red']);
}

test('dragging the first photo onto the third with the mouse reorders the carousel, and the post keeps that order (desktop)', () => dragToReorder('desktop'));
test('(phone) dragging the first photo onto the third with a finger reorders the carousel, and the post keeps that order', () => dragToReorder('phone'));
