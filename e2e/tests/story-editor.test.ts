import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gradientJpeg, sessionOf } from '../support/api-session.ts';
import { assertAccessible } from '../support/axe.ts';
import { waitUntilEnabled } from '../support/wait.ts';
import { createAccount, signIn, useGlimpse } from '../support/glimpse.ts';

/**
 * The story editor on a phone (issue 15 item 5): the whole screen, no tab bar; a text layer
 * dragged on the picture itself with a finger's pointer, in the outline style that keeps it
 * readable on any photo; shared, and drawn with its outline in the viewer.
 */
const glimpse = useGlimpse();

test('(phone) the story editor fills the screen; text dragged on the picture in the outline style is shared and shown with its edge', async () => {
  const { server } = glimpse;
  const mara = await createAccount(server, 'mara');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-e2e-editor-'));
  const photo = path.join(dir, 'party.jpg');
  fs.writeFileSync(photo, await gradientJpeg(720, 1280, { r: 250, g: 250, b: 250 }, { r: 30, g: 30, b: 30 }));
  try {
    const { context, page } = await glimpse.phone();
    await signIn(context, server, mara);
    await page.goto('/stories/new');
    await page.getByRole('heading', { level: 1, name: 'New story' }).waitFor();

    // Full screen: the editor covers the viewport, the tab bar's place included.
    const viewport = page.viewportSize()!;
    const box = (await page.locator('.story-composer').boundingBox())!;
    assert.deepEqual([box.x, box.y, Math.round(box.width), Math.round(box.height)], [0, 0, viewport.width, viewport.height]);
    const atBottom = await page.evaluate(({ x, y }) => document.elementFromPoint(x, y)?.closest('.story-composer') !== null, { x: viewport.width / 2, y: viewport.height - 4 });
    assert.ok(atBottom, 'the bottom of the screen is the editor, not the tab bar');

    await page.getByLabel('Story photo').setInputFiles(photo);
    await page.getByRole('button', { name: 'Add text' }).click();
    await page.getByLabel('Story text').fill('Party tonight');
    await page.getByLabel('Outline').check();
    const layer = page.getByRole('button', { name: /^Text layer 1: Party tonight/ });
    assert.match((await layer.getAttribute('aria-label')) ?? '', /50% across, 50% down/);

    // Drag it up the picture with the pointer.
    await layer.scrollIntoViewIfNeeded();
    const picture = (await page.getByTestId('story-canvas').boundingBox())!;
    const start = (await layer.boundingBox())!;
    const from = { x: start.x + start.width / 2, y: start.y + start.height / 2 };
    await page.mouse.move(from.x, from.y);
    await page.mouse.down();
    await page.mouse.move(from.x, from.y - picture.height * 0.3, { steps: 8 });
    await page.mouse.up();
    const moved = /(\d+)% down/.exec((await layer.getAttribute('aria-label')) ?? '');
    assert.ok(moved && Number(moved[1]) >= 15 && Number(moved[1]) <= 25, `dragged to about 20% down: ${moved?.[0]}`);
    await assertAccessible(page, 'story editor (phone)');

    const share = page.getByRole('button', { name: 'Share to story' });
    await waitUntilEnabled(share);
    await share.click();
    await page.waitForURL((url) => url.pathname === '/');

    const api = await sessionOf(server, mara);
    const me = await api('GET', '/api/v1/accounts/verify_credentials');
    const [story] = await api('GET', `/api/glimpse/v1/accounts/${me.id}/stories`);
    const [overlay] = story.overlays;
    assert.deepEqual([overlay.text, overlay.color, overlay.outline, overlay.background], ['Party tonight', '#ffffff', '#000000', undefined]);
    assert.ok(overlay.y < 0.3, `stored where it was dropped: ${overlay.y}`);

    // The viewer draws the edge.
    await page.goto(`/stories/${me.id}`);
    const words = page.locator('.story-text', { hasText: 'Party tonight' });
    await words.waitFor();
    assert.match(await words.evaluate((el) => getComputedStyle(el).textShadow), /rgb\(0, 0, 0\)/);
    await context.close();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
