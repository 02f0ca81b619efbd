import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { sessionOf, uploadPhoto } from '../support/api-session.ts';
import { assertAccessible } from '../support/axe.ts';
import { createAccount, signIn, uniqueName, useGlimpse } from '../support/glimpse.ts';

/**
 * Direct messages (issue 15 item 7) at both sizes: a fan's reply to a story lands in the
 * author's inbox, unread; the author opens the thread from Messages (a sidebar tab on a
 * desktop, the top bar on a phone), sees which story it answers and answers it; the fan reads
 * the answer in the same conversation; and the profile's Message button continues that
 * conversation rather than starting another.
 */
const glimpse = useGlimpse();

async function run(size: 'phone' | 'desktop') {
  const { server } = glimpse;
  const author = await createAccount(server, uniqueName('mara'), { displayName: `Mara ${size}` });
  const fan = await createAccount(server, uniqueName('ines'), { displayName: `Ines ${size}` });
  const authorApi = await sessionOf(server, author);
  const fanApi = await sessionOf(server, fan);
  const story = await authorApi('POST', '/api/glimpse/v1/stories', { media_id: await uploadPhoto(authorApi, { width: 540, height: 960, from: { r: 250, g: 190, b: 60 }, description: 'Balloons' }) });
  await fanApi('POST', `/api/glimpse/v1/stories/${story.id}/replies`, { text: 'Happy birthday!! 🎂' });

  const { context, page } = await glimpse[size]();
  const streams: string[] = [];
  page.on('request', (request) => {
    if (request.url().includes('/api/v1/streaming/')) streams.push(request.url());
  });
  await signIn(context, server, author);
  await page.goto('/');
  // Messages carries the count of unread conversations (the tab on a desktop, the top bar on a phone).
  const messagesLink = page.getByRole('link', { name: 'Messages' }).filter({ visible: true });
  await messagesLink.locator('.nav-badge', { hasText: '1' }).waitFor();
  assert.equal(await messagesLink.getAttribute('aria-describedby').then((id) => page.locator(`#${id}`).textContent()), '1 unread');
  await messagesLink.click();
  await page.getByRole('heading', { level: 1, name: 'Messages' }).waitFor();
  const row = page.getByRole('list', { name: 'Conversations' }).getByRole('link', { name: new RegExp(`Ines ${size}\\W*unread`) });
  await row.getByText('Replied to your story: Happy birthday!! 🎂').waitFor();
  await assertAccessible(page, `inbox (${size})`);

  await row.click();
  await page.getByRole('heading', { level: 1, name: `Ines ${size}` }).waitFor();
  const thread = page.getByRole('region', { name: 'Messages' });
  await thread.getByText('Replied to your story').waitFor();
  await thread.getByRole('img', { name: 'The story' }).waitFor();
  await thread.getByText('Happy birthday!! 🎂').waitFor();
  const conversationPath = new URL(page.url()).pathname;
  assert.match(conversationPath, /^\/direct\/\d+$/);
  const box = page.getByLabel('Message', { exact: true });
  await box.fill('Thank you! See you tonight https://example.com/party');
  await box.press('Enter');
  await thread.getByText('Thank you! See you tonight').waitFor();
  // A link in a message is a real link, not text.
  assert.equal(await thread.getByRole('link', { name: 'https://example.com/party' }).getAttribute('href'), 'https://example.com/party');
  // Reading the thread cleared the badge.
  await messagesLink.locator('.nav-badge').waitFor({ state: 'detached' });
  await assertComposerOnScreen(page, size);
  await assertAccessible(page, `conversation (${size})`);

  // The fan reads the answer in the same conversation, addressed to them.
  const conversationId = conversationPath.split('/').pop();
  const fanThread = await fanApi('GET', `/api/glimpse/v1/conversations/${conversationId}/messages`);
  assert.match(fanThread[0].content, /Thank you! See you tonight/);
  assert.equal(fanThread[0].account.username, author.username);
  assert.equal((await fanApi('GET', '/api/v1/conversations'))[0].unread, true);

  // The fan answers while the author's thread is open: the direct stream brings it. An open
  // thread asks for messages by itself only while that stream is down, so nothing else could.
  assert.ok(streams.some((url) => url.endsWith('/api/v1/streaming/direct')), `the page opened the direct stream: ${streams.join(', ')}`);
  await fanApi('POST', '/api/v1/statuses', { status: `@${author.username} yay, see you!`, visibility: 'direct', in_reply_to_id: fanThread[0].id });
  await thread.getByText('yay, see you!').waitFor({ timeout: 15_000 });

  // From the fan's profile, Message continues the same conversation.
  await page.goto(`/@${fan.username}`);
  await page.getByRole('link', { name: 'Message', exact: true }).click();
  assert.equal(await page.getByLabel('To').inputValue(), fan.username);
  await page.getByLabel('Message', { exact: true }).fill('Bring the camera');
  await page.getByRole('button', { name: 'Send' }).click();
  await page.waitForURL((url) => url.pathname === conversationPath);
  await page.getByRole('region', { name: 'Messages' }).getByText('Bring the camera').waitFor();
  await context.close();
}

/** The answer box is on screen, and on a phone above the bottom tab bar, not under it. */
async function assertComposerOnScreen(page: Page, size: 'phone' | 'desktop') {
  const box = await page.locator('.thread-composer').boundingBox();
  const viewport = page.viewportSize()!;
  assert.ok(box && box.y >= 0 && box.y + box.height <= viewport.height, `the composer is on screen: ${JSON.stringify(box)} in ${JSON.stringify(viewport)}`);
  if (size === 'phone') {
    const tabs = await page.getByRole('navigation', { name: 'Main' }).boundingBox();
    assert.ok(tabs && box.y + box.height <= tabs.y + 1, `the composer ends above the tab bar: ${JSON.stringify(box)}, tabs ${JSON.stringify(tabs)}`);
  }
}

test('(phone) a story reply lands in the inbox; the author answers it in the thread, and Message on the profile continues it', () => run('phone'));
test('(desktop) a story reply lands in the inbox; the author answers it in the thread, and Message on the profile continues it', () => run('desktop'));
