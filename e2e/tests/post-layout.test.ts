import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { sessionOf, uploadPhoto } from '../support/api-session.ts';
import { assertAccessible } from '../support/axe.ts';
import { errorsOf } from '../support/browser.ts';
import { createAccount, signIn, useGlimpse, type TestAccount } from '../support/glimpse.ts';

/**
 * The post on a phone and a desktop (issue 15 items 4 and 11): photos beside the comments on a
 * wide screen and stacked on a phone, one h1, the four actions (save and share here), and the
 * embed with its whole carousel and the comments a logged-out reader may see.
 */
const glimpse = useGlimpse();

let fan: TestAccount;
let postPath = '';

/** Root before-hooks run side by side in node:test, so the seeding waits for the harness here, once. */
let seeding: Promise<void> | undefined;
const seeded = () => (seeding ??= seed());

async function seed() {
  const { server } = glimpse;
  const mara = await createAccount(server, 'mara', { displayName: 'Mara' });
  fan = await createAccount(server, 'fan');
  const shy = await createAccount(server, 'shy', { locked: true });
  const api = await sessionOf(server, mara);
  const me = await api('GET', '/api/v1/accounts/verify_credentials');
  const media = [
    await uploadPhoto(api, { width: 800, height: 800, from: { r: 220, g: 60, b: 40 }, description: 'A red square' }),
    await uploadPhoto(api, { width: 800, height: 800, from: { r: 40, g: 160, b: 60 }, description: 'A green square' }),
    await uploadPhoto(api, { width: 800, height: 800, from: { r: 40, g: 70, b: 200 }, description: 'A blue square' }),
  ];
  const post = await api('POST', '/api/v1/statuses', { status: 'Three squares #colours, more at https://example.com/squares', media_ids: media });
  const fanApi = await sessionOf(server, fan);
  await fanApi('POST', `/api/v1/accounts/${me.id}/follow`);
  await fanApi('POST', '/api/v1/statuses', { status: 'Lovely colours', in_reply_to_id: post.id });
  await (await sessionOf(server, shy))('POST', '/api/v1/statuses', { status: 'Seen by my followers only', in_reply_to_id: post.id });
  postPath = `/@mara/${post.id}`;
}

async function openPost(page: Page) {
  await page.goto(postPath);
  await page.getByRole('heading', { level: 1, name: 'Post by Mara' }).waitFor();
  await page.getByRole('list', { name: 'Comments' }).getByText('Lovely colours').waitFor();
  await page.locator('.carousel-slide:not([aria-hidden]) img').evaluate((img: HTMLImageElement) => img.decode().catch(() => {}));
}

const box = async (page: Page, selector: string) => {
  const found = await page.locator(selector).first().boundingBox();
  assert.ok(found, `${selector} is on screen`);
  return found;
};

test('on a desktop the photos are on the left and the comments beside them; save and share work; one h1; axe passes', async () => {
  await seeded();
  const { context, page } = await glimpse.desktop();
  await signIn(context, glimpse.server, fan);
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: glimpse.server.url });
  await openPost(page);
  assert.equal(await page.locator('h1').count(), 1);

  const media = await box(page, '.post-detail-media');
  const comments = await box(page, '.post-detail-scroll');
  const actions = await box(page, '.post-detail-footer');
  // Side by side: the column starts where the photos end, and they share the same rows.
  assert.ok(comments.x >= media.x + media.width - 1, `comments (x ${comments.x}) are right of the photos (ending at ${media.x + media.width})`);
  assert.ok(comments.y < media.y + media.height && media.y < comments.y + comments.height, 'photos and comments are at the same height');
  assert.ok(actions.x >= media.x + media.width - 1 && actions.y >= comments.y + comments.height - 1, 'the actions are under the comments, in the column');
  assert.ok(media.width > comments.width, 'the photos take the larger part');
  // The comment box is last in the column, under the comments, at the bottom of the scroll area.
  const compose = await box(page, '.comments-compose');
  const list = await box(page, '.comment-list');
  assert.ok(compose.y >= list.y + list.height - 1, 'the box is under the comments');
  assert.ok(compose.x >= comments.x && compose.y + compose.height <= comments.y + comments.height + 1, 'the box is in the right column');
  assert.ok(comments.y + comments.height - (compose.y + compose.height) < 40, 'the box sits at the bottom of the column');
  await assertAccessible(page, 'the post page, desktop');

  // Save, kept by the server; and unsave.
  const save = page.getByRole('button', { name: 'Save' });
  await save.click();
  await page.waitForFunction(() => document.querySelector('.post-save')?.getAttribute('aria-pressed') === 'true');
  await page.waitForLoadState('networkidle');
  await openPost(page);
  assert.equal(await save.getAttribute('aria-pressed'), 'true');
  await save.click();
  await page.waitForFunction(() => document.querySelector('.post-save')?.getAttribute('aria-pressed') === 'false');
  await page.waitForLoadState('networkidle');
  await openPost(page);
  assert.equal(await save.getAttribute('aria-pressed'), 'false');

  // Share → Copy link puts the post's address on the clipboard.
  await page.getByRole('button', { name: 'Share' }).click();
  await page.getByRole('menuitem', { name: 'Copy link' }).click();
  await page.getByText('Link copied.').waitFor();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), `${glimpse.server.url}${postPath}`);
  await page.getByRole('button', { name: 'Share' }).click();
  await page.getByRole('menuitem', { name: 'Copy embed code without comments' }).click();
  await page.getByText('Embed code copied.').waitFor();
  assert.match(await page.evaluate(() => navigator.clipboard.readText()), /data-glimpse-comments="off"/);

  // The feed, with the four actions on the card.
  await page.goto('/');
  const card = page.getByRole('article').first();
  for (const [role, name] of [['button', 'Like'], ['link', 'Comment'], ['button', 'Share'], ['button', 'Save']] as const) await card.getByRole(role, { name, exact: true }).waitFor();
  await page.waitForLoadState('networkidle');
  await assertAccessible(page, 'the feed, desktop');

  assert.deepEqual(errorsOf(page), []);
  await context.close();
});

test('on a phone the post is stacked: photos, actions, then the comments; Comment on a feed card focuses the box; axe passes', async () => {
  await seeded();
  const { context, page } = await glimpse.phone();
  await signIn(context, glimpse.server, fan);
  await page.goto('/');
  await page.getByRole('article').first().getByRole('link', { name: 'Comment', exact: true }).click();
  await page.waitForURL(`**${postPath}`);
  const input = page.getByRole('textbox', { name: 'Add a comment…' });
  await page.waitForFunction(() => document.activeElement?.classList.contains('comment-box-input'));
  assert.equal(await input.evaluate((el) => el === document.activeElement), true);

  await openPost(page);
  assert.equal(await page.locator('h1').count(), 1);
  const media = await box(page, '.post-detail-media');
  const actions = await box(page, '.post-detail-footer');
  const comments = await box(page, '.post-detail-scroll');
  assert.ok(actions.y >= media.y + media.height - 1, 'the actions are under the photos');
  assert.ok(comments.y >= actions.y + actions.height - 1, 'the comments are under the actions');
  assert.ok(Math.abs(media.width - comments.width) < 40, 'one column');
  await assertAccessible(page, 'the post page, phone');
  await page.goto('/');
  await page.getByRole('article').first().waitFor();
  await page.waitForLoadState('networkidle');
  await assertAccessible(page, 'the feed, phone');
  assert.deepEqual(errorsOf(page), []);
  await context.close();
});

test('the embed, logged out, at both sizes: the whole carousel with dots, the caption\'s links, public comments only, and the snippet\'s option to hide them', async () => {
  await seeded();
  for (const size of ['phone', 'desktop'] as const) {
    const { context, page } = await glimpse[size]();
    await page.goto(`${postPath}/embed`);
    const main = page.getByRole('main');
    await main.waitFor();
    const dots = page.getByRole('navigation', { name: 'Photos' }).getByRole('link');
    assert.equal(await dots.count(), 3);
    assert.equal(await page.locator('.slide img').count(), 3);
    assert.equal(await dots.nth(0).getAttribute('aria-current'), 'true');
    await dots.nth(2).click();
    await page.waitForFunction(() => document.querySelectorAll('.dot')[2]?.getAttribute('aria-current') === 'true');
    await page.getByText('3 of 3 photos').waitFor();
    assert.equal(await dots.nth(0).getAttribute('aria-current'), null);
    // The third photo comes into view (the strip scrolls smoothly, so this waits for it to settle).
    await page.waitForFunction(() => {
      const strip = document.querySelector('.slides')!.getBoundingClientRect();
      const third = document.querySelectorAll('.slide')[2]!.getBoundingClientRect();
      return Math.abs(third.x - strip.x) < 2;
    });

    assert.equal(await main.getByRole('link', { name: '#colours' }).getAttribute('target'), '_blank');
    assert.equal(await main.getByRole('link', { name: 'https://example.com/squares' }).getAttribute('href'), 'https://example.com/squares');
    await main.getByText('Lovely colours').waitFor();
    assert.equal(await main.getByText('Seen by my followers only').count(), 0);
    await assertAccessible(page, `the embed, ${size}`);
    assert.deepEqual(errorsOf(page), []);
    await context.close();
  }

  // The snippet from Share, on another page: the loader makes the frame, without comments as asked.
  const { context, page } = await glimpse.desktop();
  const url = `${glimpse.server.url}${postPath}`;
  // Another site, a real page on loopback (frame-ancestors * admits http pages, and Chromium
  // lets a loopback page load the loopback server's script).
  const blogPage = `<!doctype html><html lang="en"><title>A blog</title><main><blockquote class="glimpse-embed" data-glimpse-post="${url}" data-glimpse-comments="off"><a href="${url}">A post</a></blockquote><script async src="${glimpse.server.url}/static/embed-loader.js"></script></main></html>`;
  const blog = http.createServer((_request, response) => response.writeHead(200, { 'Content-Type': 'text/html' }).end(blogPage));
  await new Promise<void>((resolve) => blog.listen(0, '127.0.0.1', resolve));
  try {
    await page.goto(`http://127.0.0.1:${(blog.address() as AddressInfo).port}/`);
    const frame = page.locator('iframe.glimpse-embed');
    await frame.waitFor();
    assert.equal(await frame.getAttribute('src'), `${url}/embed?comments=0`);
    const inside = page.frameLocator('iframe.glimpse-embed');
    await inside.getByRole('main').getByText('Three squares').waitFor();
    assert.equal(await inside.getByText('Lovely colours').count(), 0);
  } finally {
    await context.close();
    blog.close();
  }
});
